"""Shared test vectors for the JavaScript twins of Python logic (run `python -m tests.js_vectors` to rewrite).

Python computes every expected value; tests/js/*.test.js (Node's own test runner) checks the browser code gives
the same, and tests/test_js_parity.py checks these files are what Python gives today, then runs Node.
The inputs are synthetic and fixed, so the files change only when the logic does, not when a case is edited.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from skintriage.bank.schema import Question
from skintriage.exam import knowledge_check as kc
from skintriage.quiz.core import QuizState

VECTORS = Path(__file__).parent / "vectors"
EXAM_FILE = VECTORS / "exam_core.json"
QUIZ_FILE = VECTORS / "quiz_state.json"


@dataclass(frozen=True)
class Entry:
    """What the draw looks at in a question."""

    key: str
    case_id: str
    category: str
    kind: str


def synthetic_pool() -> list[Entry]:
    # Keys that sort differently as text and as numbers (case-10 before case-2), uneven categories and kinds.
    categories = ["acne", "bacterial", "herpes", "milia", "healing"]
    kinds = ["most_likely", "red_flags", "record", "advice"]
    entries = []
    for case in range(1, 13):
        for question in range(1, 2 + case % 4):
            entries.append(
                Entry(
                    f"case-{case}/q{question}",
                    f"case-{case}",
                    categories[case % len(categories)],
                    kinds[(case + question) % len(kinds)],
                )
            )
    return entries


NAMES = [
    "Ann Lee",
    "ann-lee",
    "  Zoë  O'Brien ",
    "李小龍",
    "\U0001d538\U0001d55f\U0001d55f",
    "x\u00b2",
    "\u00bd",
    "",
    "---",
    "e\u0301",
    "\u0130stanbul",
    "Stra\u00dfe",
    "\u039f\u0394\u039f\u03a3",
    "A" * 60,
    '=HYPERLINK("http://evil.example","click")',
    "tab\there",
    "emoji \U0001f600 name",
]
PERCENTS = [
    (0, 0),
    (0, 20),
    (1, 3),
    (2, 3),
    (15, 20),
    (17, 20),
    (1, 8),
    (5, 8),
    (7, 8),
    (20, 20),
    (333, 1000),
    (1, 6),
    (199, 200),
]


def record_vector() -> dict:
    """A record with awkward text in every kind of cell, and its CSV as Python writes it."""
    results = [
        kc.QuestionResult(
            number=1,
            case_id="case-1",
            question_id="q1",
            category="herpes",
            kind="most_likely",
            section="sec-x",
            stem='Is it "just a purge", or -1?',
            answer_given=["a", "c"],
            correct_answer=["a", "c"],
            is_correct=True,
        ),
        kc.QuestionResult(
            number=2,
            case_id="case-2",
            question_id="q2",
            category="bacterial",
            kind="record",
            section="sec-y",
            stem="=SUM(1,2)\nsecond line, with a comma",
            answer_given=[],
            correct_answer=["b"],
            is_correct=False,
        ),
    ]
    record = kc.Record(
        format=kc.RECORD_FORMAT,
        mode=kc.MODE_SELF,
        name='@Kay "KB" Board',
        submitted_at="2026-12-02T09:15:00+00:00",
        seed=42,
        n_questions=2,
        pass_mark=80.0,
        bank_fingerprint="f" * 64,
        correct=1,
        total=2,
        score_percent=50.0,
        passed=False,
        questions=results,
    )
    return {"record": record.to_dict(), "fields": kc.CSV_FIELDS, "csv": record.to_csv()}


def exam_vectors() -> dict:
    pool = synthetic_pool()
    draws = []
    for seed in (0, 1, 7, 42, 99999, 4294967295):
        for n in (1, 5, 12, 500):
            draws.append({"seed": seed, "n": n, "keys": [entry.key for entry in kc.draw_items(pool, n, seed)]})
    mulberry = []
    for seed in (0, 1, 42, 123456789, 4294967295):
        rng = kc.Mulberry32(seed)
        mulberry.append({"seed": seed, "values": [rng.random() for _ in range(8)]})
    return {
        "pool": [entry.__dict__ for entry in pool],
        "draws": draws,
        "mulberry32": mulberry,
        "percent_of": [{"correct": c, "total": t, "percent": kc.percent_of(c, t)} for c, t in PERCENTS],
        "safe_name": [{"name": name, "safe": kc.safe_name(name)} for name in NAMES],
        "record_csv": record_vector(),
    }


def quiz_vectors() -> dict:
    """Check sequences on made-up questions, with Python's score line after each check."""
    rng = random.Random(20261202)
    questions = []
    for number, (options, answer) in enumerate([("abcd", "b"), ("abcde", "ace"), ("abc", "a"), ("abcd", "bd")]):
        questions.append(
            Question.model_construct(id=f"q{number + 1}", answer=list(answer), options=[{"id": o} for o in options])
        )
    sequences = []
    for _ in range(6):
        state = QuizState(questions)
        steps = []
        for _ in range(10):
            question = rng.choice(questions)
            ids = [o["id"] for o in question.options]
            chosen = list(question.answer) if rng.random() < 0.4 else sorted(rng.sample(ids, rng.randint(1, 2)))
            correct = state.check(question.id, chosen)
            steps.append({"question": question.id, "chosen": chosen, "correct": correct, "summary": state.summary()})
        sequences.append(steps)
    return {
        "questions": [{"id": q.id, "answer": list(q.answer)} for q in questions],
        "sequences": sequences,
    }


def write() -> None:
    EXAM_FILE.write_text(json.dumps(exam_vectors(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    QUIZ_FILE.write_text(json.dumps(quiz_vectors(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
