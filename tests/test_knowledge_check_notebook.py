"""notebooks/knowledge_check.ipynb runs top to bottom in a real kernel and writes an honest record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skintriage.bank.loader import load_exam_bank
from skintriage.exam import knowledge_check as kc
from tests.notebooks import outputs_text, run_notebook

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "knowledge_check.ipynb"


def test_notebook_scores_the_answers_given_and_writes_the_record(tmp_path):
    bank = load_exam_bank()
    seed, n = 31337, 20
    items = kc.draw(bank, n, seed)
    assert [i.key for i in items] == [i.key for i in kc.draw(bank, n, seed)]  # same seed, same set
    answers = {}
    for number, item in enumerate(items):
        if number % 4 == 3:  # every fourth wrong: 15 of 20 right
            answers[item.key] = next(o.id for o in item.question.options if o.id not in item.question.answer)
        else:
            answers[item.key] = list(item.question.answer)
    expected = sum(1 for number in range(len(items)) if number % 4 != 3)

    # Without the register: the record is signed and written as files only (the register has its own tests).
    notebook = run_notebook(
        NOTEBOOK,
        seed=seed,
        n_questions=n,
        pass_mark=70,
        trainee_name="Nora Tebook",
        answers=answers,
        records_dir=str(tmp_path),
        use_register=False,
    )

    records = sorted(tmp_path.glob("knowledge-check_nora-tebook_*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    assert record["correct"] == expected and record["total"] == len(items)
    assert record["score_percent"] == kc.percent_of(expected, len(items))
    assert record["passed"] is (record["score_percent"] >= 70)
    assert record["mode"] == kc.MODE_TRAINING and record["name"] == "Nora Tebook"
    assert record["seed"] == seed and record["bank_fingerprint"] == bank.fingerprint
    assert [f"{q['case_id']}/{q['question_id']}" for q in record["questions"]] == [i.key for i in items]
    assert kc.verify_record(record, bank) == []
    assert records[0].with_suffix(".csv").exists()
    assert (tmp_path / f"{records[0].stem}_certificate.pdf").read_bytes().startswith(b"%PDF")

    shown = outputs_text(notebook)
    assert f"{expected} of {len(items)}" in shown
    assert "Download record (JSON)" in shown
