"""Question statistics for the exam pool, as Moodle's quiz statistics report defines them.

Pure functions over stored attempts; the register and ``skintriage stats`` show them.

- **Facility index** F = 100 x (mean score on the question / maximum score). Questions here are marked all or
  nothing (0 or 1), so F is the percentage of attempts that got the question right.
- **Discrimination index** D = 100 x r(x, R): the Pearson correlation, over the attempts that saw the
  question, between the score on the question (x, 0 or 1) and the score on the *rest* of the attempt
  (R = the share of the attempt's other questions answered right). This is the definition in Moodle's "Quiz
  statistics calculations" (the correlation with the rest of the test, so the question does not correlate with
  itself). It is undefined (None) when either varies not at all, e.g. when everyone got the question right.
- **Wrong-option frequencies**: for each option that is not a right answer, the share of attempts that chose it.

Flags (what an author should look at): everyone right (F = 100), most wrong (F < 50), and negative
discrimination (D < 0: weaker trainees do better on it than stronger ones, so the question may mislead).
Like Moodle, the register uses each trainee's first attempt by default; later attempts have seen feedback.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

MOST_WRONG_BELOW = 50.0  # facility index under this: most attempts got it wrong


@dataclass(frozen=True)
class Response:
    """One question in one attempt."""

    attempt: str
    question: str  # "case-id/question-id"
    given: tuple[str, ...]
    correct: bool


@dataclass
class QuestionStats:
    question: str
    attempts: int
    facility: float  # per cent
    discrimination: float | None  # per cent (100 x correlation), None when undefined
    wrong_options: dict[str, float] = field(default_factory=dict)  # option id -> share of attempts, per cent
    flags: list[str] = field(default_factory=list)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The Pearson correlation of two equally long lists; None if either has no variance or n < 2."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    return sxy / math.sqrt(sxx * syy)


def facility_index(scores: list[int]) -> float:
    return 100.0 * sum(scores) / len(scores) if scores else 0.0


def question_stats(responses: list[Response], answers: dict[str, set[str]] | None = None) -> list[QuestionStats]:
    """Statistics per question, in question-key order. ``answers`` (question -> right option ids) lets the
    wrong-option frequencies list only the wrong options; without it every option chosen is counted."""
    by_attempt: dict[str, list[Response]] = defaultdict(list)
    by_question: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_attempt[response.attempt].append(response)
        by_question[response.question].append(response)
    attempt_right = {a: sum(r.correct for r in rs) for a, rs in by_attempt.items()}
    attempt_size = {a: len(rs) for a, rs in by_attempt.items()}

    results = []
    for question in sorted(by_question):
        rows = by_question[question]
        scores = [int(r.correct) for r in rows]
        rest = []
        for r in rows:
            others = attempt_size[r.attempt] - 1
            rest.append((attempt_right[r.attempt] - int(r.correct)) / others if others else 0.0)
        r_value = pearson([float(s) for s in scores], rest)
        facility = facility_index(scores)
        chosen: dict[str, int] = defaultdict(int)
        right = (answers or {}).get(question, set())
        for r in rows:
            for option in r.given:
                if option not in right:
                    chosen[option] += 1
        stats = QuestionStats(
            question=question,
            attempts=len(rows),
            facility=facility,
            discrimination=None if r_value is None else 100.0 * r_value,
            wrong_options={o: 100.0 * c / len(rows) for o, c in sorted(chosen.items())},
        )
        stats.flags = flags(stats)
        results.append(stats)
    return results


def flags(stats: QuestionStats) -> list[str]:
    found = []
    if stats.attempts and stats.facility == 100.0:
        found.append("everyone right")
    if stats.facility < MOST_WRONG_BELOW:
        found.append("most wrong")
    if stats.discrimination is not None and stats.discrimination < 0:
        found.append("negative discrimination")
    return found
