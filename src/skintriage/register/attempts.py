"""One knowledge-check submission into the register: the attempt and every answer in ONE transaction, then the
signed JSON/CSV record and, for a pass, the signed PDF certificate.

The database is written first: once the transaction commits, the attempt is in the register even if writing
the files then fails (the signed JSON is also kept in the database and can be exported again).
"""

from __future__ import annotations

import calendar
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skintriage.exam import knowledge_check as kc
from skintriage.store import make_engine, upgrade
from skintriage.store.db import database_url

from . import signing
from .models import Attempt, Staff, TrainingAnswer
from .roster import find_staff

DEFAULT_REFRESHER_MONTHS = 12
DEFAULT_CLINIC = "Issuing clinic not configured (set SKINTRIAGE_CLINIC_NAME)"


class UnknownStaff(Exception):
    """The staff id is not on the roster; the message is shown to the trainee as it is."""


@dataclass
class RegisterConfig:
    url: str | None = None
    clinic: str = ""
    refresher_months: int = DEFAULT_REFRESHER_MONTHS
    key_dir: Path | None = None

    def __post_init__(self) -> None:
        self.url = database_url(self.url)
        self.clinic = self.clinic or os.environ.get("SKINTRIAGE_CLINIC_NAME") or DEFAULT_CLINIC
        months = os.environ.get("SKINTRIAGE_REFRESHER_MONTHS")
        if months and self.refresher_months == DEFAULT_REFRESHER_MONTHS:
            self.refresher_months = int(months)
        if not 1 <= self.refresher_months <= 120:
            raise ValueError(f"refresher interval: {self.refresher_months} months; give 1 to 120")


@lru_cache(maxsize=8)
def _engine(url: str):
    upgrade(url)  # idempotent: brings a new or older database to the newest schema
    return make_engine(url)


def engine_for(config: RegisterConfig):
    return _engine(config.url)


def add_months(moment: date | datetime, months: int):
    """``moment`` plus whole months, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; the register stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class Issued:
    record: kc.Record
    signed: dict
    files: dict[str, Path] = field(default_factory=dict)
    refresher_due: str = ""


def submit_attempt(
    record: kc.Record,
    staff_id: str,
    records_dir: Path,
    config: RegisterConfig | None = None,
    *,
    key: signing.ClinicKey | None = None,
) -> Issued:
    """Store ``record`` for ``staff_id`` (name from the roster), sign it and write its files."""
    config = config or RegisterConfig()
    key = key or signing.clinic_key(config.key_dir)
    engine = engine_for(config)
    for _ in range(10):  # two submissions of the same trainee at once race for the attempt number: retry
        try:
            with Session(engine) as session, session.begin():
                staff = find_staff(session, staff_id)
                if staff is None:
                    raise UnknownStaff(
                        f"Staff id '{staff_id.strip()}' is not on the clinic's roster. Check it, or "
                        "ask your clinic lead to add you."
                    )
                signed = _store(session, staff, record, key, config)
            break
        except IntegrityError:
            record.attempt_id = ""
            continue
    else:  # pragma: no cover - ten collisions in a row would mean a bug, not a race
        raise RuntimeError("could not store the attempt")
    issued = Issued(record, signed, refresher_due=refresher_due(record.submitted_at, config.refresher_months))
    issued.files = write_files(issued, Path(records_dir), key, config)
    return issued


def issue(
    record: kc.Record,
    records_dir: Path,
    register: RegisterConfig | None = None,
    *,
    staff_id: str | None = None,
    key: signing.ClinicKey | None = None,
) -> Issued:
    """The one step behind the check's Submit button: with a register, store the attempt for ``staff_id``
    (then write the signed files); without one, sign the record and write its files only."""
    if register is not None:
        return submit_attempt(record, staff_id or "", records_dir, register, key=key)
    config = RegisterConfig()  # clinic name and refresher interval only: no database is opened
    key = key or signing.clinic_key(config.key_dir)
    record.attempt_id = record.attempt_id or kc.new_attempt_id()
    record.clinic = config.clinic
    record.attempt_number = record.attempt_number or 1
    issued = Issued(
        record,
        signing.sign(record.to_dict(), key),
        refresher_due=refresher_due(record.submitted_at, config.refresher_months),
    )
    issued.files = write_files(issued, Path(records_dir), key, config)
    return issued


def refresher_due(submitted_at: str, months: int) -> str:
    return add_months(datetime.fromisoformat(submitted_at).date(), months).isoformat()


def _store(session: Session, staff: Staff, record: kc.Record, key: signing.ClinicKey, config: RegisterConfig) -> dict:
    latest = session.scalar(select(func.max(Attempt.attempt_number)).where(Attempt.staff_pk == staff.id)) or 0
    record.attempt_id = record.attempt_id or kc.new_attempt_id()
    record.staff_id = staff.staff_id
    record.name = staff.name
    record.attempt_number = latest + 1
    record.clinic = config.clinic
    signed = signing.sign(record.to_dict(), key)
    attempt = Attempt(
        attempt_id=record.attempt_id,
        staff_pk=staff.id,
        attempt_number=record.attempt_number,
        name=record.name,
        submitted_at=as_utc(datetime.fromisoformat(record.submitted_at)),
        seed=record.seed,
        n_questions=record.n_questions,
        pass_mark=record.pass_mark,
        bank_fingerprint=record.bank_fingerprint,
        correct=record.correct,
        total=record.total,
        score_percent=record.score_percent,
        passed=record.passed,
        key_id=key.key_id,
        record_json=json.dumps(signed, ensure_ascii=False),
    )
    attempt.answers = [
        TrainingAnswer(
            number=q.number,
            case_id=q.case_id,
            question_id=q.question_id,
            category=q.category,
            kind=q.kind,
            answer_given=";".join(q.answer_given),
            is_correct=q.is_correct,
        )
        for q in record.questions
    ]
    session.add(attempt)
    session.flush()  # the unique constraints are checked here, inside the transaction
    return signed


def write_files(issued: Issued, records_dir: Path, key: signing.ClinicKey, config: RegisterConfig) -> dict:
    from skintriage.exam.certificate import Issue, save_certificate

    record = issued.record
    text = json.dumps(issued.signed, indent=2, ensure_ascii=False) + "\n"
    json_path, csv_path = record.save(records_dir, json_text=text)
    files = {"json": json_path, "csv": csv_path}
    if record.passed:
        issue = Issue(
            clinic=config.clinic,
            key_id=key.key_id,
            refresher_due=issued.refresher_due,
            verify_hint=f"Verify: skintriage records verify {json_path.name}",
        )
        pdf = save_certificate(record, records_dir / f"{record.file_stem}_certificate.pdf", issue)
        files["certificate"] = pdf
        files["certificate_signature"] = signing.sign_file(pdf, key)
    return files


def delete_person(session: Session, staff_id: str) -> int:
    """Remove a person and every attempt and answer of theirs from the register; returns attempts removed."""
    staff = find_staff(session, staff_id)
    if staff is None:
        raise UnknownStaff(f"Staff id '{staff_id}' is not on the roster.")
    count = len(staff.attempts)
    session.delete(staff)
    return count
