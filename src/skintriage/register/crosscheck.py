"""``skintriage records verify FILE --database``: is the record the register's attempt?

A record can be genuine (signed by the clinic) and still not be what the register holds: the attempt was
deleted from the register (a person's records removed), the register is another clinic's, or the register's
rows were changed after the attempt was stored. This compares a record with the register's copy of the
same attempt (by attempt id): the attempt's columns, every stored answer, and the signed record kept with it.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from skintriage.exam.knowledge_check import ATTEMPT_FIELDS

from .attempts import as_utc
from .models import Attempt
from .verify import Problem

# The record's attempt fields that the register keeps as columns of the same name (format and mode are constant
# for a register attempt; submitted_at is compared as a time), plus the register's attempt number.
ATTEMPT_COLUMNS = [
    "attempt_number",
    *(field for field in ATTEMPT_FIELDS if field not in ("format", "mode", "submitted_at")),
]


def _when(value: object) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(str(value))) if not isinstance(value, datetime) else as_utc(value)
    except ValueError:
        return None


def compare_with_register(data: dict, session: Session) -> list[Problem]:
    """Problems (codes ``register:...``) where the record and the register's attempt differ; [] if they agree."""
    attempt_id = data.get("attempt_id")
    if not isinstance(attempt_id, str) or not attempt_id:
        return [Problem("register:missing", "the record has no attempt id, so the register cannot hold it")]
    attempt = session.scalar(select(Attempt).where(Attempt.attempt_id == attempt_id))
    if attempt is None:
        return [
            Problem(
                "register:missing",
                f"attempt {attempt_id} is not in this register (deleted from it, or taken at another clinic)",
            )
        ]
    problems = []
    differing = [
        f"{column} (record {data.get(column)!r}, register {getattr(attempt, column)!r})"
        for column in ATTEMPT_COLUMNS
        if data.get(column) != getattr(attempt, column)
    ]
    if data.get("staff_id") != attempt.staff.staff_id:
        differing.append(f"staff_id (record {data.get('staff_id')!r}, register {attempt.staff.staff_id!r})")
    if _when(data.get("submitted_at")) != as_utc(attempt.submitted_at):
        differing.append(f"submitted_at (record {data.get('submitted_at')!r}, register {attempt.submitted_at})")
    key_id = (data.get("signature") or {}).get("key_id") if isinstance(data.get("signature"), dict) else None
    if key_id != attempt.key_id:
        differing.append(f"key_id (record {key_id!r}, register {attempt.key_id!r})")
    if differing:
        problems.append(Problem("register:attempt", "differs from the register's attempt in " + "; ".join(differing)))

    # A tampered record can carry anything here: only well-formed entries are compared, the rest are named.
    entries = data.get("questions") if isinstance(data.get("questions"), list) else []
    recorded, answer_problems = {}, []
    for index, q in enumerate(entries, 1):
        number = q.get("number") if isinstance(q, dict) else None
        given = q.get("answer_given") if isinstance(q, dict) else None
        if type(number) is not int or not (
            given is None or (isinstance(given, list) and all(isinstance(g, str) for g in given))
        ):
            answer_problems.append(f"entry {index} of questions: not a question number with a list of answers")
        else:
            recorded[number] = q
    stored = {a.number: a for a in attempt.answers}
    for number in sorted(set(recorded) | set(stored)):
        question, row = recorded.get(number), stored.get(number)
        if question is None or row is None:
            where = "the record" if question is None else "the register"
            answer_problems.append(f"question {number}: missing from {where}")
            continue
        given = ";".join(question.get("answer_given") or [])
        if (question.get("case_id"), question.get("question_id")) != (row.case_id, row.question_id):
            answer_problems.append(
                f"question {number}: {question.get('case_id')}/{question.get('question_id')} in the record, "
                f"{row.case_id}/{row.question_id} in the register"
            )
        elif given != row.answer_given or question.get("is_correct") != row.is_correct:
            answer_problems.append(
                f"question {number}: answer {given or 'none'!r} ({'right' if question.get('is_correct') else 'wrong'})"
                f" in the record, {row.answer_given or 'none'!r} ({'right' if row.is_correct else 'wrong'}) in the "
                "register"
            )
    if answer_problems:
        problems.append(Problem("register:answers", "answers differ: " + "; ".join(answer_problems)))

    try:
        kept = json.loads(attempt.record_json)
    except ValueError:
        kept = None
    if kept != data:
        fields = sorted(k for k in set(kept or {}) | set(data) if (kept or {}).get(k) != data.get(k))
        problems.append(
            Problem(
                "register:copy",
                "differs from the signed record the register kept for this attempt in: " + ", ".join(fields),
            )
        )
    return problems
