"""The self-assessment knowledge check on the static site: keyboard only, record download, axe, offline."""

from __future__ import annotations

import csv
import io
import json

import pytest

from skintriage.bank.loader import load_bank
from skintriage.exam import knowledge_check as kc
from skintriage.quiz.core import answer_hint
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser

PAGE = "book/knowledge_check.html"
SEED = 4242


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def open_check(page, site, bank=None):
    page.goto(site + PAGE)
    page.wait_for_selector(".skt-kc[data-ready='true']")
    if bank is not None:
        built = json.loads(page.text_content("script.skt-kc-data"))["bank_fingerprint"]
        assert built == bank.fingerprint, "the built page holds another bank version: rebuild the book"
    return page


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "", value: e.value || "",
            id: e.id || "", cls: e.className || "", checked: !!e.checked }; }"""
    )


def tab_until(page, predicate, limit=400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return focused(page)
    raise AssertionError("keyboard focus never reached the expected control")


def answer_by_keyboard(page, wanted: list[list[str]]):
    """From the exam heading, Tab through the questions choosing ``wanted[i]`` with Space and arrows."""
    done_groups = set()
    while True:
        page.keyboard.press("Tab")
        now = focused(page)
        if "skt-kc-submit" in now["cls"]:
            return
        if not now["name"].startswith("skt-kc-q"):
            continue
        index = int(now["name"].removeprefix("skt-kc-q"))
        want = wanted[index]
        if now["type"] == "checkbox":
            if now["value"] in want:
                page.keyboard.press("Space")
        elif now["type"] == "radio" and index not in done_groups:
            done_groups.add(index)
            if not want:
                continue
            page.keyboard.press("Space")  # select the focused (first) option
            for _ in range(10):
                if focused(page)["value"] == want[0]:
                    break
                page.keyboard.press("ArrowDown")  # moves and selects
            assert focused(page)["value"] == want[0] and focused(page)["checked"]


def test_keyboard_only_check_with_record_download(page, site, bank, tmp_path):
    open_check(page, site, bank)
    assert "Self-assessment" in page.inner_text("main")

    tab_until(page, lambda f: f["id"] == "skt-kc-name")
    page.keyboard.type("Kay Board")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "skt-kc-seed"
    page.keyboard.press("Control+A")
    page.keyboard.type(str(SEED))
    page.keyboard.press("Enter")  # submits the start form
    page.wait_for_selector(".skt-kc-exam:not([hidden])")
    assert focused(page)["id"] == "skt-kc-exam-heading"

    # The browser draws the same set as Python for the same seed.
    drawn = page.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)")
    expected = kc.draw(bank, 20, SEED)
    assert drawn == [item.key for item in expected]

    # Answer the first 17 right, the rest wrong (or blank), then submit.
    wanted, right = [], 0
    for number, item in enumerate(expected):
        answer = sorted(item.question.answer)
        if number < 17:
            wanted.append(answer)
            right += 1
        elif item.question.multiple:
            wanted.append([])  # left blank
        else:
            wanted.append([next(o.id for o in item.question.options if o.id not in answer)])
    assert not page.locator(".skt-kc-missed-item").count()
    answer_by_keyboard(page, wanted)
    page.keyboard.press("Enter")
    if not page.locator(".skt-kc-summary:not([hidden])").count():  # blank answers: confirm by submitting again
        assert "no answer" in page.inner_text(".skt-kc-unanswered")
        page.keyboard.press("Enter")
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    assert focused(page)["id"] == "skt-kc-summary-heading"
    percent = kc.percent_of(right, 20)
    status = page.inner_text(".skt-kc-status")
    assert f"Score {right} of 20 ({percent:g} %): pass" in status
    assert page.locator(".skt-kc-missed-item").count() == 20 - right
    assert page.locator(".skt-kc-topic").count() == len({i.category for i in expected})
    # Missed questions link to the section that teaches them, relative to this page.
    first_missed = expected[17].question.section
    section = bank.sections[first_missed]
    link = page.locator(".skt-kc-missed-item a").first
    assert link.get_attribute("href").endswith(f"{section.docname.split('/')[-1]}.html#{first_missed}")
    assert link.inner_text() == section.title

    # Download both records by keyboard.
    tab_until(page, lambda f: f.get("cls", "").find("skt-kc-download") >= 0 and True)
    with page.expect_download() as json_download:
        page.keyboard.press("Enter")
    record = json.loads(open(json_download.value.path(), encoding="utf-8").read())
    assert json_download.value.suggested_filename.startswith("knowledge-check_kay-board_")
    assert json_download.value.suggested_filename.endswith(".json")
    page.keyboard.press("Tab")
    with page.expect_download() as csv_download:
        page.keyboard.press("Enter")
    rows = list(csv.DictReader(io.StringIO(open(csv_download.value.path(), encoding="utf-8").read())))

    # Same format as the Python training record, marked as a self-assessment.
    assert list(record)[:12] == kc.CSV_FIELDS[:12] and list(record)[-1] == "questions"
    assert list(record["questions"][0]) == kc.CSV_FIELDS[12:]
    assert record["mode"] == kc.MODE_SELF and record["format"] == kc.RECORD_FORMAT
    assert (record["name"], record["seed"], record["correct"], record["total"]) == ("Kay Board", SEED, right, 20)
    assert record["passed"] is True and record["bank_fingerprint"] == bank.fingerprint
    assert kc.verify_record(record, bank) == []
    assert list(rows[0]) == kc.CSV_FIELDS and len(rows) == 20
    assert [r["is_correct"] for r in rows].count("true") == right
    python_csv = kc.record_from_dict(record).to_csv()
    assert list(csv.DictReader(io.StringIO(python_csv))) == rows

    assert_accessible(page)
    assert page.external_requests == []
    assert page.console_errors == []


def test_name_is_required_and_the_page_is_accessible_before_starting(page, site):
    open_check(page, site)
    assert_accessible(page)
    page.click(".skt-kc-begin")
    assert "Enter your name" in page.inner_text(".skt-kc-start-error")
    assert focused(page)["id"] == "skt-kc-name"
    assert page.locator(".skt-kc-exam[hidden]").count() == 1


def test_exam_mode_shows_no_feedback_before_submission(page, site, bank):
    open_check(page, site, bank)
    page.fill("#skt-kc-name", "Ex Am")
    page.fill("#skt-kc-seed", "7")
    page.click(".skt-kc-begin")
    page.wait_for_selector(".skt-kc-exam:not([hidden])")
    page.locator(".skt-kc-question input").first.check()
    # Feedback and explanations live only in inert templates until submission.
    visible = page.inner_text(".skt-kc-exam")
    for item in kc.draw(bank, 20, 7):
        assert item.question.explanation[:40] not in visible
        # Titles such as "Spots that a course of antibiotics did not touch" would give the answer away.
        assert bank[item.case_id].title not in visible
        assert bank[item.case_id].assessment_title in visible
    # How many to choose, in the case quizzes' words (quiz.core.answer_hint), question by question.
    hints = [h.strip() for h in page.locator(".skt-kc-question legend").all_inner_texts()]
    expected = [answer_hint(item.question) for item in kc.draw(bank, 20, 7)]
    assert any(expected) and len(hints) == len(expected)
    for hint, legend in zip(expected, hints, strict=True):
        assert legend.endswith(hint) and "Choose one answer." not in legend, legend
    assert page.locator(".skt-kc-summary[hidden]").count() == 1
    assert_accessible(page)
    assert page.external_requests == []


def test_browser_draw_equals_python_draw(page, site, tmp_path):
    """The JS draw (exposed for tests) gives the same set as knowledge_check.draw, on a fixed bank."""
    from skintriage.exam.static_page import page_data
    from tests.kc_bank import write_bank

    cases, bib, book = write_bank(tmp_path)
    fixed = load_bank(cases, bib=bib, book=book)
    questions = page_data(fixed, n_questions=20, pass_mark=80)["questions"]
    open_check(page, site)
    for seed, n in [(0, 20), (1, 20), (99, 9), (4294967295, 20), (123456, 5), (7, 500)]:
        in_js = page.evaluate(
            "([qs, n, seed]) => window.skintriageKnowledgeCheck.draw(qs, n, seed).map(q => q.key)",
            [questions, n, seed],
        )
        assert in_js == [item.key for item in kc.draw(fixed, n, seed)], (seed, n)
