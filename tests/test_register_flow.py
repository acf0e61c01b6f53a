"""The register end to end in real kernels: a roster is imported, two trainees take the knowledge check
(notebooks/knowledge_check.ipynb; one passes, one fails), both attempts are in the database with every answer,
and the lead's register (notebooks/training_register.ipynb) shows one passed, one failed, one never taken and
one overdue (a back-dated attempt)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skintriage.bank.loader import load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from skintriage.register.attempts import RegisterConfig, engine_for, issue
from skintriage.register.models import Attempt, Staff
from skintriage.register.verify import ACCEPTED
from tests.notebooks import outputs_text, run_notebook

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "notebooks" / "knowledge_check.ipynb"
REGISTER = ROOT / "notebooks" / "training_register.ipynb"


def answers(items, wrong: int) -> dict:
    result = {}
    for number, item in enumerate(items):
        question = item.question
        result[item.key] = (
            next(o.id for o in question.options if o.id not in question.answer)
            if number < wrong
            else list(question.answer)
        )
    return result


def test_two_trainees_take_the_check_and_the_register_shows_every_status(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'register.db'}"
    monkeypatch.setenv("SKINTRIAGE_DATABASE_URL", url)
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("SKINTRIAGE_CLINIC_NAME", "Harbour Skin Clinic")
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "staff_id,name,role,site\nP-1,Pat <b>Pass</b>,Nurse,Harbour\nF-2,Fay Fail,Aesthetician,Harbour\n"
        "N-3,Ned Never,Nurse,Hill\nO-4,Olu Overdue,Nurse,Hill\n"
    )
    assert cli(["staff", "import", str(roster)]) == 0
    exam = load_exam_bank()
    records = tmp_path / "records"

    for staff_id, seed, wrong in (("P-1", 5101, 1), ("F-2", 5102, 9)):
        items = kc.draw(exam, 20, seed)
        notebook = run_notebook(
            CHECK, seed=seed, answers=answers(items, wrong), staff_id=staff_id, records_dir=str(records)
        )
        assert f"{20 - wrong} of 20" in outputs_text(notebook)

    # A back-dated pass (13 months ago) for the fourth person: their refresher is overdue.
    items = kc.draw(exam, 20, 5104)
    old = kc.score(
        exam,
        items,
        answers(items, 0),
        name="",
        seed=5104,
        submitted_at=(datetime.now(UTC) - timedelta(days=400)).isoformat(timespec="seconds"),
    )
    issue(old, records, RegisterConfig(), staff_id="O-4")

    with Session(engine_for(RegisterConfig())) as session:
        attempts = {a.staff.staff_id: a for a in session.scalars(select(Attempt).join(Staff))}
        assert set(attempts) == {"P-1", "F-2", "O-4"}
        assert (attempts["P-1"].correct, attempts["P-1"].passed) == (19, True)
        assert (attempts["F-2"].correct, attempts["F-2"].passed) == (11, False)
        for attempt in attempts.values():
            assert len(attempt.answers) == 20
            assert all(a.answer_given for a in attempt.answers)  # every answer given is stored
        assert attempts["P-1"].name == "Pat <b>Pass</b>"  # the roster's name, as given

    # The pass has a signed record and a signed certificate that verify; the fail has no certificate.
    passed = next(records.glob("knowledge-check_pat--b-pass--b_*.json"))
    assert cli(["records", "verify", str(passed)]) == ACCEPTED
    assert next(records.glob("knowledge-check_pat--b-pass--b_*_certificate.pdf")).read_bytes().startswith(b"%PDF")
    assert not list(records.glob("knowledge-check_fay-fail_*_certificate.pdf"))
    capsys.readouterr()

    register = outputs_text(run_notebook(REGISTER))
    statuses = dict(re.findall(r"<td>([A-Z]-\d)</td>.*?skt-reg-status st-\w+'>([a-z ]+)</td>", register))
    assert statuses == {"P-1": "passed", "F-2": "failed", "N-3": "never taken", "O-4": "overdue"}, statuses
    assert "Pat &lt;b&gt;Pass&lt;/b&gt;" in register and "<b>Pass</b>" not in register.replace("\\u003c", "<")
    assert "Export for audit (CSV)" in register and "Export for audit (Excel, XLSX)" in register
    assert "skt-reg-heatmap" in register and "skt-reg-stats" in register


def test_an_unknown_staff_id_is_a_clear_message_and_no_record(tmp_path, monkeypatch):
    monkeypatch.setenv("SKINTRIAGE_DATABASE_URL", f"sqlite:///{tmp_path / 'register.db'}")
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    roster = tmp_path / "staff.csv"
    roster.write_text("staff_id,name,role,site\nP-1,Pat Pass,Nurse,Harbour\n")
    assert cli(["staff", "import", str(roster)]) == 0
    exam = load_exam_bank()
    items = kc.draw(exam, 20, 77)
    notebook = run_notebook(CHECK, seed=77, answers=answers(items, 0), staff_id="X-9", records_dir=str(tmp_path / "r"))
    assert "Staff id &#x27;X-9&#x27; is not on the clinic&#x27;s roster" in outputs_text(notebook)
    assert not (tmp_path / "r").exists()
    with Session(engine_for(RegisterConfig())) as session:
        assert session.scalars(select(Attempt)).all() == []
