"""``skintriage records verify FILE --database URL``: a genuine record is also checked against the register's
copy of the attempt (SQLite), and each kind of disagreement is named."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from skintriage.bank.loader import load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from skintriage.register import signing
from skintriage.register.attempts import RegisterConfig, engine_for, issue
from skintriage.register.models import Attempt, TrainingAnswer
from skintriage.register.verify import ACCEPTED, REJECTED, UNREADABLE


@pytest.fixture
def register(tmp_path, monkeypatch):
    """A SQLite register with one trainee and one stored attempt; yields (url, record path, attempt id)."""
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    url = f"sqlite:///{tmp_path / 'register.db'}"
    roster = tmp_path / "staff.csv"
    roster.write_text("staff_id,name,role,site\nA-1,Ann Lee,Nurse,North\n")
    assert cli(["staff", "import", str(roster), "--database", url]) == 0
    exam = load_exam_bank()
    items = kc.draw(exam, 20, 4242)
    answers = {item.key: list(item.question.answer) for item in items}
    first = items[0]
    answers[first.key] = [next(o.id for o in first.question.options if o.id not in first.question.answer)]
    record = kc.score(exam, items, answers, name="", seed=4242)
    issued = issue(record, tmp_path / "records", RegisterConfig(url=url), staff_id="A-1")
    return url, issued.files["json"], issued.record.attempt_id


def verify(path, url, capsys) -> tuple[int, str]:
    status = cli(["records", "verify", str(path), "--database", url])
    return status, capsys.readouterr().out


def change(url: str, statement) -> None:
    with Session(engine_for(RegisterConfig(url=url))) as session, session.begin():
        session.execute(statement)


def test_a_genuine_record_matches_the_registers_copy(register, capsys):
    url, path, attempt_id = register
    status, out = verify(path, url, capsys)
    assert status == ACCEPTED, out
    assert "VALID: Ann Lee passed with 19 of 20" in out and "matches the register's copy of the attempt" in out
    assert attempt_id in out


def test_a_changed_score_in_the_register_is_named(register, capsys):
    url, path, attempt_id = register
    change(url, update(Attempt).where(Attempt.attempt_id == attempt_id).values(correct=20, score_percent=100.0))
    status, out = verify(path, url, capsys)
    assert status == REJECTED
    assert "[register:attempt]" in out and "correct (record 19, register 20)" in out
    assert "score_percent (record 95.0, register 100.0)" in out


def test_a_changed_answer_in_the_register_is_named(register, capsys):
    url, path, attempt_id = register
    with Session(engine_for(RegisterConfig(url=url))) as session:
        attempt_pk = session.scalar(select(Attempt.id).where(Attempt.attempt_id == attempt_id))
    change(
        url,
        update(TrainingAnswer)
        .where(TrainingAnswer.attempt_pk == attempt_pk, TrainingAnswer.number == 1)
        .values(answer_given="edited", is_correct=True),
    )
    status, out = verify(path, url, capsys)
    assert status == REJECTED
    assert "[register:answers]" in out and "question 1: answer" in out and "'edited' (right) in the register" in out
    assert "[register:attempt]" not in out  # the attempt's own columns still agree


def test_an_attempt_missing_from_the_register_is_named(register, capsys):
    url, path, attempt_id = register
    change(url, update(Attempt).where(Attempt.attempt_id == attempt_id).values(attempt_id="000000000000"))
    status, out = verify(path, url, capsys)
    assert status == REJECTED
    assert f"[register:missing] attempt {attempt_id} is not in this register" in out


def test_a_record_resigned_with_other_answers_differs_from_the_kept_copy(register, capsys, tmp_path):
    """Even a record the clinic's key signed differs from the register if it is not the attempt it stored."""
    url, path, _ = register
    data = json.loads(path.read_text())
    data["submitted_at"] = data["submitted_at"].replace(data["submitted_at"][:4], "2001")
    resigned = signing.sign({k: v for k, v in data.items() if k != "signature"}, signing.clinic_key())
    other = tmp_path / "other.json"
    other.write_text(json.dumps(resigned))
    status, out = verify(other, url, capsys)
    assert status == REJECTED
    assert "submitted_at (record '2001" in out and "[register:copy]" in out and "submitted_at" in out


def test_a_register_that_does_not_exist_is_a_clear_error(register, capsys, tmp_path):
    _, path, _ = register
    missing = tmp_path / "nowhere" / "register.db"
    assert cli(["records", "verify", str(path), "--database", f"sqlite:///{missing}"]) == UNREADABLE
    assert f"no register at {missing}" in capsys.readouterr().err
    assert not missing.exists()
    assert cli(["records", "verify", str(path), "--database", "notadialect://x"]) == UNREADABLE
    assert "cannot open the register" in capsys.readouterr().err


@pytest.mark.parametrize(
    "tamper",
    [
        lambda q: q.update(number=[1]),  # an unhashable number
        lambda q: q.update(answer_given=[1, 2]),  # answers that are not option ids
        lambda q: q.update(number="1"),  # a number as text beside whole numbers
    ],
)
def test_a_tampered_record_is_rejected_with_a_reason_never_a_traceback(register, capsys, tmp_path, tamper):
    url, path, _ = register
    data = json.loads(path.read_text())
    tamper(data["questions"][0])
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    status, out = verify(edited, url, capsys)
    assert status == REJECTED
    assert "[register:answers]" in out and "entry 1 of questions: not a question number with a list" in out
