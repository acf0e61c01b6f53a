"""The certificate an inspector expects: issuing clinic, certificate number and how to
verify it, learning outcomes, study time (CPD hours), refresher date, attempt number, date with time zone."""

from __future__ import annotations

import pytest

from skintriage.bank.loader import load_exam_bank
from skintriage.exam import knowledge_check as kc
from skintriage.exam.certificate import STUDY_HOURS, Issue, certificate_figure, learning_outcomes


@pytest.fixture(scope="module")
def passed():
    exam = load_exam_bank()
    items = kc.draw(exam, 20, 404)
    record = kc.score(
        exam,
        items,
        {i.key: list(i.question.answer) for i in items},
        name="Ann <b>Lee</b> $x$",
        seed=404,
        submitted_at="2026-03-05T14:30:00+01:00",
    )
    record.attempt_id, record.staff_id, record.attempt_number = "3f2a9c0d1e7b", "N-01", 2
    return record


def test_the_certificate_names_everything_an_inspector_checks(passed):
    issue = Issue(
        clinic="Harbour Skin Clinic",
        key_id="47edd97202664905",
        refresher_due="2027-03-05",
        verify_hint="Verify: skintriage records verify knowledge-check_x.json",
    )
    text = "\n".join(t.get_text() for t in certificate_figure(passed, issue=issue).axes[0].texts)
    assert "Harbour Skin Clinic" in text
    assert "Certificate number: 3f2a9c0d1e7b" in text and "Staff id: N-01" in text
    assert "skintriage records verify knowledge-check_x.json" in text and "47edd97202664905" in text
    assert "attempt 2" in text
    assert "Taken 05 March 2026, 14:30 UTC+01:00" in text
    assert "Refresher due by 05 March 2027" in text
    assert f"Estimated study time: {STUDY_HOURS:g} hours (CPD)" in text
    outcomes = learning_outcomes()
    assert "Infection" in outcomes and "Escalation, documentation and talking to clients" in outcomes
    assert all(title in text for title in outcomes)
    assert "Ann <b>Lee</b> $x$" in text  # the name as given: drawn as text, no markup or maths


def test_no_certificate_for_a_fail(passed):
    failed = kc.Record(**{**passed.__dict__, "passed": False})
    with pytest.raises(ValueError):
        certificate_figure(failed, issue=Issue("C", "k", "2027-01-01"))
