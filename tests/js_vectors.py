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

from skintriage import explorer
from skintriage.bank.schema import Findings, Question
from skintriage.casesite import shown_text
from skintriage.exam import knowledge_check as kc
from skintriage.quiz.core import QuizState, missed_options
from skintriage.rules import triage
from skintriage.vocab import FINDING_LABELS, TREND_LABELS

VECTORS = Path(__file__).parent / "vectors"
EXAM_FILE = VECTORS / "exam_core.json"
QUIZ_FILE = VECTORS / "quiz_state.json"
EXPLORER_FILE = VECTORS / "explorer.json"
CASE_FILTER_FILE = VECTORS / "case_filter.json"


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


def per_category_vector() -> dict:
    """A record whose categories come in no particular order, two of them unknown to the schema."""
    known = list(kc.CATEGORY_TITLES)
    categories = [known[3], "zz-unknown", known[0], known[3], "aa-unknown", known[0], known[3]]
    results = [
        kc.QuestionResult(
            number=i + 1,
            case_id=f"case-{i}",
            question_id="q1",
            category=category,
            kind="most_likely",
            section="sec-x",
            stem="?",
            answer_given=["a"],
            correct_answer=["a"] if i % 3 else ["b"],
            is_correct=bool(i % 3),
        )
        for i, category in enumerate(categories)
    ]
    correct = sum(r.is_correct for r in results)
    record = kc.Record(
        format=kc.RECORD_FORMAT,
        mode=kc.MODE_SELF,
        name="Kay",
        submitted_at="2026-12-02T09:15:00+00:00",
        seed=1,
        n_questions=len(results),
        pass_mark=80.0,
        bank_fingerprint="0" * 64,
        correct=correct,
        total=len(results),
        score_percent=kc.percent_of(correct, len(results)),
        passed=False,
        questions=results,
    )
    per = record.per_category()
    return {
        "questions": [{"category": r.category, "is_correct": r.is_correct} for r in results],
        "order": known,
        "per_category": [{"category": c, "correct": right, "total": total} for c, (right, total) in per.items()],
    }


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
        "per_category": per_category_vector(),
    }


def quiz_vectors() -> dict:
    """Check sequences on made-up questions, with Python's verdict, options missed and score line after each
    check. The red-flags question has one answer but asks for all that apply (checkboxes)."""
    rng = random.Random(20261202)
    questions = []
    shapes = [
        ("abcd", "b", "most_likely"),
        ("abcde", "ace", "red_flags"),
        ("abc", "a", "red_flags"),
        ("abcd", "bd", "record"),
    ]
    for number, (options, answer, kind) in enumerate(shapes):
        questions.append(
            Question.model_construct(
                id=f"q{number + 1}", answer=list(answer), options=[{"id": o} for o in options], kind=kind
            )
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
            steps.append(
                {
                    "question": question.id,
                    "chosen": chosen,
                    "correct": correct,
                    "missed": missed_options(question, chosen),
                    "summary": state.summary(),
                }
            )
        sequences.append(steps)
    return {
        "questions": [{"id": q.id, "answer": list(q.answer), "multiple": q.multiple} for q in questions],
        "sequences": sequences,
    }


def explorer_vectors() -> dict:
    """Seeded review forms: the query a case's explorer link carries and the fields the browser must read back
    from it, and whether the form is blank; made-up results and the line a screen reader announces."""
    rng = random.Random(20261203)
    forms = []
    for number in range(24):
        days = rng.randint(0, 365) if number % 4 == 0 else rng.randint(0, 14)
        data = {
            "days_since_treatment": days,
            "day_of_onset": rng.randint(0, days),
            "trend": rng.choice(list(TREND_LABELS)),
        }
        for group, words in FINDING_LABELS.items():
            data[group] = rng.sample(sorted(words), rng.choice([0, 0, 1, 2, 3]))
        if number % 3 == 0:
            data["hours_since_exposure"] = rng.choice([0, 1, 72, 8760, rng.randint(0, 8760)])
        findings = Findings.model_validate(data)
        fields = {
            "days_since_treatment": str(findings.days_since_treatment),
            "day_of_onset": str(findings.day_of_onset),
            "trend": findings.trend.value if hasattr(findings.trend, "value") else findings.trend,
        }
        for group in FINDING_LABELS:
            if getattr(findings, group):
                fields[group] = sorted(getattr(findings, group))
        if findings.hours_since_exposure is not None:
            fields["hours_since_exposure"] = str(findings.hours_since_exposure)
        forms.append(
            {
                "findings": {**data, **{g: sorted(data[g]) for g in FINDING_LABELS}},
                "query": explorer.explorer_query(findings),
                "fields": fields,
                "blank": explorer.is_blank(findings),
            }
        )
    # The announced line for real results of those forms, plus the pictures where a category must not show:
    # calm day-2 redness with fever (a red flag outranks the category) and findings that fit no pattern.
    calm = {"days_since_treatment": 2, "day_of_onset": 0, "trend": "improving", "lesions": ["erythema"]}
    pictures = [form["findings"] for form in forms] + [
        calm,
        {**calm, "symptoms": ["fever"]},
        {"days_since_treatment": 5, "day_of_onset": 3, "trend": "stable", "lesions": ["nodules"]},
    ]
    results = []
    for picture in pictures:
        result = triage(Findings.model_validate(picture))
        results.append(
            {"result": {**result.as_dict(), "fired": result.fired}, "summary": explorer.summary_text(result)}
        )
    shown = {r["summary"].split("Likely category: ")[1].split(".")[0] for r in results}
    assert {explorer.CATEGORY_OUTRANKED.split(".")[0], explorer.CATEGORY_NO_PATTERN.split(".")[0]} <= shown, shown
    return {
        "known": {
            "trends": list(TREND_LABELS),
            "findings": {group: list(words) for group, words in FINDING_LABELS.items()},
        },
        "labels": explorer.browser_labels(),
        "forms": forms,
        "results": results,
    }


def case_filter_vectors() -> dict:
    return {
        "shown": [
            {"count": count, "filtering": filtering, "text": shown_text(count, filtering)}
            for count in (0, 1, 2, 17)
            for filtering in (False, True)
        ]
    }


FILES = {
    EXAM_FILE: exam_vectors,
    QUIZ_FILE: quiz_vectors,
    EXPLORER_FILE: explorer_vectors,
    CASE_FILTER_FILE: case_filter_vectors,
}


def write() -> None:
    for path, make in FILES.items():
        path.write_text(json.dumps(make(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
