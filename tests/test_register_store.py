"""The training register on SQLite and on a real PostgreSQL server: roster import, attempts with every answer,
unique records under concurrency, the lead's status view, exports, deletion and question statistics."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skintriage.bank.loader import load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from skintriage.register import signing
from skintriage.register.attempts import RegisterConfig, UnknownStaff, engine_for, issue
from skintriage.register.models import Attempt, Staff, TrainingAnswer
from skintriage.register.report import counts, staff_rows, stored_question_stats, to_csv, to_xlsx, topic_scores
from skintriage.register.roster import RosterError, import_roster

ROSTER = """staff_id,name,role,site
N-01,Ann Lee,Nurse,North
N-02,Bob Roe,Aesthetician,North
S-01,Cai Wu,Aesthetician,South
S-02,Dee Kay,Nurse,South
"""


@pytest.fixture(scope="module")
def exam():
    return load_exam_bank()


@pytest.fixture
def register(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    config = RegisterConfig(url=db_url, clinic="Test Clinic")
    path = tmp_path / "staff.csv"
    path.write_text(ROSTER)
    with Session(engine_for(config)) as session, session.begin():
        import_roster(session, path)
    yield config
    engine_for(config).dispose()


def take(exam, config, staff_id, records, *, wrong=0, seed=101, when=None):
    items = kc.draw(exam, 20, seed)
    answers = {}
    for number, item in enumerate(items):
        if number < wrong:
            answers[item.key] = next(o.id for o in item.question.options if o.id not in item.question.answer)
        else:
            answers[item.key] = list(item.question.answer)
    record = kc.score(exam, items, answers, name="", seed=seed, submitted_at=when)
    return issue(record, records, config, staff_id=staff_id)


def test_roster_import_updates_and_never_duplicates(register, tmp_path, capsys):
    changed = tmp_path / "changed.csv"
    changed.write_text("Site,Staff ID,Name,Role\nSouth,N-01,Ann Lee-Smith,Nurse\nEast,E-01,Eve Ng,Nurse\n")
    assert cli(["staff", "import", str(changed), "--database", register.url]) == 0
    assert "1 added, 1 updated, 0 unchanged" in capsys.readouterr().out
    with Session(engine_for(register)) as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 5
        ann = session.scalar(select(Staff).where(Staff.staff_id == "N-01"))
        assert (ann.name, ann.site) == ("Ann Lee-Smith", "South")
    assert cli(["staff", "list", "--database", register.url]) == 0
    listing = capsys.readouterr().out
    assert "Ann Lee-Smith" in listing and listing.count("N-01") == 1


def test_bad_roster_rows_name_row_and_column_and_import_nothing(register, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_id,name,role,site\nX-01,Xan,Nurse,North\nX-01,Yan,Nurse,North\nX-03,,Nurse,North\n")
    assert cli(["staff", "import", str(bad), "--database", register.url]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: row 3, column staff_id: 'X-01' already on row 2" in err
    assert f"{bad}: row 4, column name: empty" in err
    assert "nothing was imported" in err
    with Session(engine_for(register)) as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 4
    misspelt = tmp_path / "misspelt.csv"
    misspelt.write_text("staff_id,name,rôle,site\n")
    with pytest.raises(RosterError, match=r"row 1, column 3 \('rôle'\): unknown column"):
        import_roster(Session(engine_for(register)), misspelt)


def test_an_attempt_is_stored_with_every_answer(register, exam, tmp_path):
    issued = take(exam, register, "N-01", tmp_path / "records", wrong=3)
    with Session(engine_for(register)) as session:
        attempt = session.scalar(select(Attempt).where(Attempt.attempt_id == issued.record.attempt_id))
        assert attempt.staff.staff_id == "N-01" and attempt.name == "Ann Lee" and attempt.attempt_number == 1
        assert (attempt.correct, attempt.total, attempt.passed) == (17, 20, True)
        assert [a.number for a in attempt.answers] == list(range(1, 21))
        assert sum(not a.is_correct for a in attempt.answers) == 3
        stored = json.loads(attempt.record_json)
    assert stored == json.loads(issued.files["json"].read_text())
    assert stored["signature"]["key_id"] == signing.clinic_key().key_id


def test_an_unknown_staff_id_is_refused_and_adds_nobody(register, exam, tmp_path):
    with pytest.raises(UnknownStaff, match="'Z-99' is not on the clinic's roster"):
        take(exam, register, "Z-99", tmp_path / "records")
    with Session(engine_for(register)) as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 4
        assert session.scalar(select(func.count()).select_from(Attempt)) == 0
    assert not (tmp_path / "records").exists()


def test_five_trainees_with_the_same_name_at_once_leave_five_records(register, exam, tmp_path):
    path = tmp_path / "same.csv"
    path.write_text("staff_id,name,role,site\n" + "".join(f"L-0{i},Lee Ann,Nurse,North\n" for i in range(1, 6)))
    with Session(engine_for(register)) as session, session.begin():
        import_roster(session, path)
    when = datetime.now(UTC).isoformat(timespec="seconds")  # the same second for all five
    with ThreadPoolExecutor(5) as pool:
        issued = list(
            pool.map(
                lambda i: take(exam, register, f"L-0{i}", tmp_path / "records", seed=200 + i, when=when), range(1, 6)
            )
        )
    assert len({i.record.attempt_id for i in issued}) == 5
    assert len(list((tmp_path / "records").glob("knowledge-check_lee-ann_*.json"))) == 5
    assert len(list((tmp_path / "records").glob("knowledge-check_lee-ann_*.csv"))) == 5
    with Session(engine_for(register)) as session:
        assert session.scalar(select(func.count()).select_from(Attempt).where(Attempt.name == "Lee Ann")) == 5


def test_the_same_trainee_twice_at_once_gets_attempts_one_and_two(register, exam, tmp_path):
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda s: take(exam, register, "S-01", tmp_path / "records", seed=s), (301, 302)))
    with Session(engine_for(register)) as session:
        numbers = session.scalars(select(Attempt.attempt_number).join(Staff).where(Staff.staff_id == "S-01"))
        assert sorted(numbers) == [1, 2]


def test_the_register_shows_passed_failed_never_taken_overdue_and_due_soon(register, exam, tmp_path, capsys):
    now = datetime.now(UTC)
    take(exam, register, "N-01", tmp_path / "r", wrong=0)  # passed today
    take(exam, register, "N-02", tmp_path / "r", wrong=10)  # failed
    take(exam, register, "S-01", tmp_path / "r", when=(now - timedelta(days=400)).isoformat())  # overdue
    take(exam, register, "S-02", tmp_path / "r", when=(now - timedelta(days=350)).isoformat())  # due soon
    with Session(engine_for(register)) as session:
        rows = {r.staff_id: r for r in staff_rows(session, now=now)}
        assert {k: r.status for k, r in rows.items()} == {
            "N-01": "passed",
            "N-02": "failed",
            "S-01": "overdue",
            "S-02": "due soon",
        }
        assert rows["N-02"].last_score == "10 of 20 (50 %)" and rows["N-02"].refresher_due == ""
        # A longer refresher interval (24 months) makes nobody overdue.
        assert "overdue" not in {r.status for r in staff_rows(session, now=now, refresher_months=24)}
        assert {r.staff_id for r in staff_rows(session, now=now, site="South")} == {"S-01", "S-02"}
        assert {r.staff_id for r in staff_rows(session, now=now, role="Nurse")} == {"N-01", "S-02"}
        assert counts(list(rows.values()))["never taken"] == 0
        names, topics, matrix = topic_scores(session)
        assert len(names) == 4 and len(topics) == len(kc.CATEGORY_TITLES)
        exported = list(csv.DictReader(io.StringIO(to_csv(list(rows.values())))))
        assert {r["status"] for r in exported} == {"passed", "failed", "overdue", "due soon"}
        assert to_xlsx(list(rows.values()))[:2] == b"PK"
        stats = stored_question_stats(session, exam)
        assert stats and all(0 <= s.facility <= 100 for s in stats)
    assert cli(["stats", "--database", register.url]) == 0
    printed = capsys.readouterr().out
    assert stats[0].question in printed and "Moodle's definition" in printed


def test_deleting_a_person_removes_their_attempts_and_answers(register, exam, tmp_path, capsys):
    take(exam, register, "N-02", tmp_path / "r")
    take(exam, register, "N-01", tmp_path / "r")
    assert cli(["staff", "delete", "N-02", "--database", register.url]) == 0
    assert "Removed N-02 and 1 attempt(s)" in capsys.readouterr().out
    with Session(engine_for(register)) as session:
        assert session.scalar(select(func.count()).select_from(Attempt)) == 1
        assert session.scalar(select(func.count()).select_from(TrainingAnswer)) == 20
    assert cli(["staff", "delete", "N-02", "--database", register.url]) == 1
