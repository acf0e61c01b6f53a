"""Knowledge check logic: the draw, scoring, the record format and verification against a bank."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from skintriage.bank.loader import load_bank
from skintriage.bank.schema import Category, QuestionKind
from skintriage.exam import knowledge_check as kc
from skintriage.exam.certificate import certificate_bytes
from tests.kc_bank import write_bank


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    cases, bib, book = write_bank(tmp_path_factory.mktemp("kc-bank"))
    return load_bank(cases, bib=bib, book=book)


def keys(items):
    return [item.key for item in items]


def test_mulberry32_matches_the_javascript_reference_values():
    # mulberry32(1) in JavaScript: the first three values (computed with the reference implementation).
    rng = kc.Mulberry32(1)
    assert [round(rng.random(), 10) for _ in range(3)] == [0.6270739406, 0.0027357212, 0.52744704]


def test_same_seed_draws_the_same_set_and_other_seeds_differ(bank):
    first = keys(kc.draw(bank, 20, seed=1234))
    assert first == keys(kc.draw(bank, 20, seed=1234))
    assert len(first) == len(set(first)) == 20
    assert any(keys(kc.draw(bank, 20, seed=s)) != first for s in range(1, 6))


@pytest.mark.parametrize("seed", range(25))
def test_draw_covers_every_category_and_every_kind(bank, seed):
    items = kc.draw(bank, 20, seed=seed)
    assert {item.category for item in items} == {c.value for c in Category}
    assert {item.kind for item in items} == {k.value for k in QuestionKind}


def test_small_draw_still_covers_categories_and_kinds(bank):
    items = kc.draw(bank, 9, seed=7)
    assert len(items) == 9
    assert {item.category for item in items} == {c.value for c in Category}
    assert {item.kind for item in items} == {k.value for k in QuestionKind}


def test_draw_spreads_over_cases_and_caps_at_the_bank_size(bank):
    items = kc.draw(bank, 18, seed=3)
    assert len({item.case_id for item in items}) == 18  # one question per case while cases remain
    everything = kc.draw(bank, 500, seed=3)
    assert len(everything) == sum(len(case.questions) for case in bank.values())
    with pytest.raises(ValueError):
        kc.draw(bank, 0, seed=3)


def test_scoring_is_all_or_nothing_and_unanswered_is_wrong(bank):
    items = kc.draw(bank, 20, seed=5)
    answers = {}
    multiple = next(i for i in items if i.question.multiple)
    single = next(i for i in items if not i.question.multiple)
    answers[multiple.key] = list(multiple.question.answer)[:1]  # half of a two-answer question: wrong
    answers[single.key] = single.question.answer[0]  # a bare string is accepted
    rest = [i for i in items if i not in (multiple, single)]
    for item in rest[:14]:
        answers[item.key] = list(reversed(item.question.answer))  # order does not matter
    record = kc.score(bank, items, answers, name=" Ann Lee ", seed=5, pass_mark=75)
    assert record.name == "Ann Lee"
    assert (record.correct, record.total) == (15, 20)
    assert record.score_percent == 75.0 and record.passed
    assert kc.score(bank, items, answers, name="A", seed=5, pass_mark=80).passed is False
    assert record.bank_fingerprint == bank.fingerprint
    assert record.mode == kc.MODE_TRAINING


def test_percent_rounds_half_up_like_the_browser():
    assert kc.percent_of(1, 16) == 6.3  # 6.25: Python's round() would give 6.2
    assert kc.percent_of(2, 3) == 66.7
    assert kc.percent_of(0, 0) == 0.0


def test_record_round_trips_through_json_and_csv(bank, tmp_path):
    items = kc.draw(bank, 20, seed=9)
    answers = {item.key: item.question.answer for item in items[:16]}
    record = kc.score(bank, items, answers, name="Bea <b>Smith</b>", seed=9)
    json_path, csv_path = record.save(tmp_path)
    again = kc.load_record(json_path)
    assert again == record
    data = json.loads(json_path.read_text())
    assert list(data)[:12] == kc.CSV_FIELDS[:12]
    assert set(data["questions"][0]) == set(kc.CSV_FIELDS[12:])
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert len(rows) == 20 and list(rows[0]) == kc.CSV_FIELDS
    assert rows[0]["bank_fingerprint"] == bank.fingerprint
    assert rows[0]["score_percent"] == "80" and rows[0]["passed"] == "true"
    assert [r["is_correct"] for r in rows].count("true") == 16
    assert json_path.name.startswith("knowledge-check_bea--b-smith--b_")


def test_verify_record_accepts_an_honest_record_and_catches_changes(bank, tmp_path):
    items = kc.draw(bank, 20, seed=11)
    record = kc.score(bank, items, {items[0].key: items[0].question.answer}, name="C", seed=11)
    assert kc.verify_record(record.to_dict(), bank) == []

    forged = record.to_dict()
    forged.update(correct=20, score_percent=100.0, passed=True)
    problems = kc.verify_record(forged, bank)
    assert any(p.startswith("correct:") for p in problems)
    assert any(p.startswith("passed:") for p in problems)

    flipped = record.to_dict()
    flipped["questions"][1]["is_correct"] = True
    assert any("marked True" in p for p in kc.verify_record(flipped, bank))


def test_verify_record_detects_a_different_bank_version(bank, tmp_path):
    items = kc.draw(bank, 20, seed=12)
    record = kc.score(bank, items, {}, name="D", seed=12)
    cases, bib, book = write_bank(tmp_path)
    case_file = next(cases.glob("milia-1.yaml"))
    case_file.write_text(case_file.read_text().replace("Case 1 of milia", "Case 1 of milia, edited"))
    edited = load_bank(cases, bib=bib, book=book)
    assert edited.fingerprint != bank.fingerprint
    problems = kc.verify_record(record, edited)
    assert problems and problems[0].startswith("bank_fingerprint:")


def test_certificate_only_for_a_pass(bank):
    items = kc.draw(bank, 20, seed=13)
    passed = kc.score(bank, items, {i.key: i.question.answer for i in items}, name="E $x$", seed=13)
    assert certificate_bytes(passed, "png").startswith(b"\x89PNG")
    assert certificate_bytes(passed, "pdf").startswith(b"%PDF")
    failed = kc.score(bank, items, {}, name="F", seed=13)
    with pytest.raises(ValueError):
        certificate_bytes(failed)


def test_exam_app_keeps_answers_in_the_kernel_until_submit(bank, tmp_path):
    from skintriage.exam.voila_app import ExamApp

    app = ExamApp(bank, seed=21, n_questions=12, records_dir=tmp_path)
    states = json.dumps([w.get_state() for w in _walk(app.widget)], default=str)
    assert "SECRET-" not in states  # no feedback or explanation in any widget before submission
    for item in app.items:
        assert item.question.explanation not in states
    assert app.submit() is None  # no name: nothing recorded
    assert not list(tmp_path.iterdir())
    app.name.value = "Gil"
    assert app.submit() is None  # every question blank: a warning naming them, nothing recorded yet
    assert "12 questions have no answer" in app.status.value and 'href="#skt-kc-q12"' in app.status.value
    assert not list(tmp_path.iterdir())
    app.answers[0].set(app.items[0].question.options[0].id)
    assert app.submit() is None  # the gaps changed: warned again
    assert "11 questions have no answer" in app.status.value
    record = app.submit()  # the same gaps a second time: the trainee means it
    assert record.correct <= 1 and not record.passed
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".json"]  # no certificate for a fail
    assert all(all(b.disabled for b in a.boxes) if a.boxes else a.control.disabled for a in app.answers)
    assert "SECRET-EXPLANATION" in app.missed_html()


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_questions_show_neutral_case_titles_not_the_revealing_ones(bank, tmp_path):
    """A case title such as 'Case 1 of milia' would answer the question; every view shows the neutral one."""
    from skintriage.exam.static_page import StaticCheck
    from skintriage.exam.voila_app import ExamApp

    real_titles = [case.title for case in bank.values()]
    assert all(item.case_title == bank[item.case_id].assessment_title for item in kc.pool(bank))
    page = StaticCheck(bank).to_html()
    app = ExamApp(bank, seed=5, n_questions=12, records_dir=tmp_path)
    shown = json.dumps([w.get_state() for w in _walk(app.widget)], default=str)
    for title in real_titles:
        assert title not in page
        assert title not in shown
    assert bank[app.items[0].case_id].assessment_title in shown
    app.name.value = "Nia"
    app.submit(confirm_unanswered=True)  # all blank on purpose: the missed list shows every case title
    assert not any(title in app.missed_html() for title in real_titles)


def test_exam_app_saves_where_skintriage_records_dir_says(bank, tmp_path, monkeypatch):
    from skintriage.exam.voila_app import ExamApp

    monkeypatch.setenv("SKINTRIAGE_RECORDS_DIR", str(tmp_path / "clinic-records"))
    app = ExamApp(bank, seed=8, n_questions=12)
    app.name.value = "Ray"
    app.submit(confirm_unanswered=True)
    assert sorted(p.suffix for p in (tmp_path / "clinic-records").iterdir()) == [".csv", ".json"]
    monkeypatch.delenv("SKINTRIAGE_RECORDS_DIR")
    assert ExamApp(bank, seed=8, n_questions=12).records_dir == Path("records")  # beside the notebook
