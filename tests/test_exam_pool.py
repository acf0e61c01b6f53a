"""The held-back exam pool: as carefully checked as the practice bank, and never in the trainee build.

The pool (``src/skintriage/data/exam_cases/``) is validated by the same schema and loader, agrees with the
triage rules, follows the item-writing rules, covers every category and question kind, and appears only in
the Voila knowledge check and the instructor edition. No stem or option text of it is anywhere in the built
trainee site.
"""

from __future__ import annotations

import html
from pathlib import Path
from statistics import mean

import pytest

from skintriage import course
from skintriage.bank.loader import load_bank, load_exam_bank, parse_case, read_yaml
from skintriage.bank.schema import Category, QuestionKind
from skintriage.rules import load_rules, triage
from tests.test_item_writing import MAX_LONGEST_SHARE, MAX_MULTI_RATIO, MAX_RATIO

EXAM_FILES = sorted(course.EXAM_CASES_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def exam():
    return load_exam_bank()


def test_the_pool_has_twenty_new_cases_covering_every_category_and_kind(exam):
    assert len(exam) >= 20
    assert {c.category for c in exam.values()} == {c.value for c in Category}
    assert {q.kind for c in exam.values() for q in c.questions} == {k.value for k in QuestionKind}
    public = load_bank()
    assert not set(exam) & set(public), "an exam case id is also a practice case"
    public_texts = {t for c in public.values() for q in c.questions for t in [q.stem, *(o.text for o in q.options)]}
    exam_texts = {t for c in exam.values() for q in c.questions for t in [q.stem, *(o.text for o in q.options)]}
    assert not exam_texts & public_texts, "exam stems or options copied from the practice bank"
    assert not {c.vignette for c in exam.values()} & {c.vignette for c in public.values()}


@pytest.mark.parametrize("path", EXAM_FILES, ids=[p.stem for p in EXAM_FILES])
def test_exam_case_agrees_with_the_rules(path: Path):
    case = parse_case(path, read_yaml(path))
    result = triage(case.findings, load_rules())
    assert (result.category, result.action) == (case.category, case.action), (
        f"{path}: the case says {case.category}/{case.action}, the rules give {result.category}/{result.action} "
        f"(fired: {', '.join(result.fired)})"
    )


def _lengths(exam):
    for case in exam.values():
        for question in case.questions:
            lengths = {o.id: len(o.text) for o in question.options}
            right = [lengths[i] for i in question.answer]
            wrong = [n for i, n in lengths.items() if i not in question.answer]
            yield f"{exam.files[case.id].name}: {question.id}", question, right, wrong


def test_option_lengths_do_not_give_the_answer_away(exam):
    single = [(where, r[0], max(w)) for where, q, r, w in _lengths(exam) if not q.multiple]
    too_long = [f"{where}: {r} vs {w}" for where, r, w in single if r > MAX_RATIO * w]
    assert not too_long
    longest = [where for where, r, w in single if r > w]
    assert len(longest) / len(single) <= MAX_LONGEST_SHARE, longest
    multi = [f"{where}" for where, q, r, w in _lengths(exam) if q.multiple and mean(r) > MAX_MULTI_RATIO * mean(w)]
    assert not multi


def test_the_right_answer_is_not_always_in_the_same_place(exam):
    positions = [
        [o.id for o in q.options].index(q.answer[0]) for case in exam.values() for q in case.questions if not q.multiple
    ]
    # No position holds more than 40 % of the single-answer questions' right answers.
    assert max(positions.count(p) for p in set(positions)) <= 0.4 * len(positions), positions


def _texts(exam) -> list[str]:
    texts = []
    for case in exam.values():
        texts.append(case.title)
        for question in case.questions:
            texts.append(question.stem)
            texts.extend(o.text for o in question.options)
            texts.append(question.explanation)
    return texts


def test_no_exam_text_is_in_the_trainee_build(book_html, exam):
    files = [p for p in book_html.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".json", ".txt", ".ipynb"}]
    site = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    found = [
        text
        for text in _texts(exam)
        if text in site or html.escape(text) in site or html.escape(text, quote=False) in site
    ]
    assert not found, "exam pool text published on the trainee site:\n" + "\n".join(found)


def test_the_instructor_edition_has_the_exam_pool_with_its_answers(instructor_build, exam):
    page = (instructor_build / "book" / "instructor" / "exam_pool.html").read_text(encoding="utf-8")
    for case in exam.values():
        assert html.escape(case.title, quote=False) in page or html.escape(case.title) in page, case.id
        for question in case.questions:
            assert html.escape(question.stem, quote=False) in page or html.escape(question.stem) in page
