"""The static view in a real browser: the built case page, with no kernel and no third-party host."""

from __future__ import annotations

import os

import pytest

from skintriage.web.casepage import CaseView
from tests.browser import assert_accessible
from tests.conftest import serve
from tests.quiz_fixtures import HOSTILE, fixture_bank

pytestmark = pytest.mark.browser

CASE = "case-hsv-lip-tingling-day2"  # a shipped case, on its own page
CASE_PAGE = "book/cases/hsv-lip-tingling-day2.html"


@pytest.fixture
def case_page(page, site):
    page.goto(site + CASE_PAGE)
    page.wait_for_selector(f'[data-quiz-id="{CASE}"].skq-ready')
    return page


def quiz(page):
    return page.locator(f'[data-quiz-id="{CASE}"]')


def question(page, question_id):
    return quiz(page).locator(f'form[data-question="{question_id}"]')


def test_wrong_answer_shows_that_options_feedback(case_page):
    form = question(case_page, "likely")
    form.get_by_label('A "purge" as the treatment brings impurities to the surface').check()
    form.get_by_role("button", name="Check answer").click()
    feedback = form.locator(".skq-feedback")
    assert "Not quite." in feedback.inner_text()
    assert 'Purge" is not a diagnosis' in feedback.inner_text()
    assert "Read more" not in feedback.inner_text()
    assert feedback.get_attribute("aria-live") == "polite" and feedback.get_attribute("role") == "status"


def test_right_answer_shows_explanation_with_working_links(case_page, site):
    form = question(case_page, "likely")
    form.get_by_label("Reactivation of herpes simplex (cold sore virus) triggered by the treatment").check()
    form.get_by_role("button", name="Check answer").click()
    feedback = form.locator(".skq-feedback")
    assert "Correct." in feedback.inner_text()
    assert "Herpes simplex can reactivate after microneedling" in feedback.inner_text()
    read_more = feedback.locator(".skq-readmore a")
    assert read_more.get_attribute("href") == "../infection.html#sec-herpes-simplex"
    read_more.click()
    case_page.wait_for_url("**/book/infection.html#sec-herpes-simplex")
    assert case_page.locator("#sec-herpes-simplex").count() == 1
    case_page.go_back()
    source = case_page.locator(f'[data-quiz-id="{CASE}"] .skq-sources a').first
    href = source.get_attribute("href")
    assert href.startswith("../references.html#cite-")  # case pages sit one folder below the chapters
    assert not href.startswith("../../")
    target = href.split("#")[1]
    case_page.goto(site + "book/references.html")
    assert case_page.locator(f"#{target}").count() == 1, f"no bibliography anchor {target}"


def tab_until(page, predicate_js: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"keyboard focus never reached: {predicate_js}")


def focus_in_question(question_id):
    return (
        "(() => { const el = document.activeElement;"
        f' return !!el && el.matches(\'[data-quiz-id="{CASE}"] form[data-question="{question_id}"] input\'); }})()'
    )


def answer_by_keyboard(page, question_id, option_indexes, multiple):
    """Reach the question with Tab, choose options with arrows/Space, check with Enter."""
    tab_until(page, focus_in_question(question_id))
    if multiple:
        position = 0
        for index in sorted(option_indexes):
            while position < index:
                page.keyboard.press("Tab")
                position += 1
            page.keyboard.press("Space")
    else:
        page.keyboard.press("Space")  # selects the focused (first) radio button
        for _ in range(option_indexes[0]):
            page.keyboard.press("ArrowDown")
    tab_until(page, "document.activeElement.classList.contains('skq-check')", limit=10)
    page.keyboard.press("Enter")


def test_complete_quiz_by_keyboard_then_reload_and_reset(case_page):
    page = case_page
    page.locator("body").focus()
    answers = [("likely", [1], False), ("action", [1], False), ("flags", [0, 1], True), ("prevent", [0], False)]
    for question_id, indexes, multiple in answers:
        answer_by_keyboard(page, question_id, indexes, multiple)
        assert "Correct." in question(page, question_id).locator(".skq-feedback").inner_text()
    score = quiz(page).locator(".skq-score")
    assert score.inner_text() == "Score: 4 of 4 right first time. Completed: 4 of 4."
    assert score.get_attribute("aria-live") == "polite"

    page.reload()
    page.wait_for_selector(f'[data-quiz-id="{CASE}"].skq-ready')
    assert quiz(page).locator(".skq-score").inner_text() == "Score: 4 of 4 right first time. Completed: 4 of 4."
    assert question(page, "flags").locator('input[value="tingling"]').is_checked()
    assert "Correct." in question(page, "likely").locator(".skq-feedback").inner_text()

    tab_until(page, f"document.activeElement.matches('[data-quiz-id=\"{CASE}\"] .skq-reset')")
    page.keyboard.press("Enter")  # the first press only asks: nothing is erased yet
    reset = quiz(page).locator(".skq-reset")
    assert reset.inner_text() == "Yes, erase my answers"
    assert "Score: 4 of 4" in quiz(page).locator(".skq-score").inner_text()
    assert page.evaluate(f"localStorage.getItem('skintriage:quiz:v1:{CASE}')") is not None
    page.keyboard.press("Enter")
    assert reset.inner_text() == "Reset this quiz"
    assert quiz(page).locator(".skq-score").inner_text().startswith("Quiz reset. Score: 0 of 4")
    assert page.evaluate(f"localStorage.getItem('skintriage:quiz:v1:{CASE}')") is None
    page.reload()
    page.wait_for_selector(f'[data-quiz-id="{CASE}"].skq-ready')
    assert not question(page, "likely").locator("input:checked").count()
    assert page.external_requests == [], page.external_requests
    assert page.console_errors == []


def test_case_page_is_accessible_and_offline(case_page):
    assert_accessible(case_page)
    assert case_page.external_requests == [], case_page.external_requests


def test_case_page_fits_a_phone(phone_page, site):
    phone_page.goto(site + CASE_PAGE)
    phone_page.wait_for_selector(".skq-quiz.skq-ready")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at 375px"


def test_text_from_case_data_is_shown_as_text_and_runs_nothing(page, book_html, tmp_path):
    """A case whose text holds <script> and <img onerror> renders those as text; nothing executes."""
    (tmp_path / "bank").mkdir()
    bank = fixture_bank(tmp_path / "bank", hostile=True)
    view = CaseView(bank["valid-case"], bank, page_dir=tmp_path)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    os.symlink(book_html / "_static", site_dir / "_static")
    (site_dir / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile case</title>'
        '<link rel="stylesheet" href="_static/quiz.css"><script defer src="_static/core/quiz_core.js"></script>'
        '<script defer src="_static/ui/quiz.js"></script></head>'
        f"<body><main>{view.to_html()}</main></body></html>"
    )
    server = serve(site_dir)
    try:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        page.wait_for_selector(".skq-quiz.skq-ready")
        form = page.locator('form[data-question="likely"]')
        form.locator('input[value="purge"]').check()
        form.get_by_role("button", name="Check answer").click()
        form.locator('input[value="hsv"]').check()
        form.get_by_role("button", name="Check answer").click()
        page.get_by_text("Review form").click()
        body = page.locator("body").inner_text()
        for where in ("Title", "Vignette", "Notes", "Stem", "Option", "Right feedback", "Explanation"):
            assert f"{where} {HOSTILE}" in body, f"{where} text was not shown literally"
        assert page.evaluate("window.__pwned") is None
        assert page.locator("main script:not(.skq-key), main img").count() == 0
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert dialogs == [] and page.console_errors == []
    finally:
        server.shutdown()


def test_reset_asks_again_and_moving_on_keeps_the_answers(case_page):
    page = case_page
    form = question(page, "likely")
    form.locator("input").first.check()
    form.get_by_role("button", name="Check answer").click()
    stored = page.evaluate(f"localStorage.getItem('skintriage:quiz:v1:{CASE}')")
    reset = quiz(page).locator(".skq-reset")
    reset.click()
    assert reset.inner_text() == "Yes, erase my answers"
    page.locator(".skt-case-title").click()  # the trainee moves on: the reset is called off
    assert reset.inner_text() == "Reset this quiz"
    assert page.evaluate(f"localStorage.getItem('skintriage:quiz:v1:{CASE}')") == stored
    assert form.locator("input:checked").count() == 1
