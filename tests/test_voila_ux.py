"""The Voilà knowledge check as a trainee meets it: Submit cannot save an incomplete attempt by mistake, a
missing name is reported where the trainee pressed and the name box gets the focus."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.browser import assert_accessible
from tests.voila_server import serve_notebook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "knowledge_check.ipynb"
RECORDS = NOTEBOOK.parent / "records"


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    with serve_notebook(NOTEBOOK, tmp_path_factory.mktemp("voila-ux")) as url:
        yield url


def open_exam(page, url):
    page.goto(url, timeout=180_000)
    page.wait_for_selector(".skt-kc-question", timeout=180_000)
    page.get_by_role("button", name="Submit answers").wait_for(timeout=60_000)


def records_for(name: str) -> list[Path]:
    return sorted(RECORDS.glob(f"knowledge-check_{name.lower().replace(' ', '-')}_*"))


def test_submit_without_a_name_says_so_beside_the_button_and_focuses_the_name(page, voila_url):
    open_exam(page, voila_url)
    button = page.get_by_role("button", name="Submit answers")
    button.click()
    alert = page.locator(".skt-kc-status [role=alert]")
    alert.wait_for(timeout=30_000)
    assert "Enter your name" in alert.inner_text()
    # Beside the button and on screen, not below it out of sight.
    page.wait_for_function(
        "document.activeElement && document.activeElement.closest('.skt-kc-name') !== null", timeout=30_000
    )
    assert "Enter your name" in page.locator(".skt-kc-name-hint").inner_text()
    button.scroll_into_view_if_needed()
    box, near = button.bounding_box(), alert.bounding_box()
    assert abs((near["y"] + near["height"] / 2) - (box["y"] + box["height"] / 2)) < 3 * box["height"] or (
        0 <= near["y"] - (box["y"] + box["height"]) < 2 * box["height"]
    ), (box, near)
    assert_accessible(page)


def test_submit_with_unanswered_questions_warns_names_them_and_needs_a_second_press(page, voila_url):
    open_exam(page, voila_url)
    name = f"Voila Unanswered {uuid.uuid4().hex[:6]}"
    page.locator(".skt-kc-name input").fill(name)
    questions = page.locator(".skt-kc-question")
    total = questions.count()
    assert page.locator(".skt-kc-count").inner_text() == f"0 of {total} answered"
    button = page.get_by_role("button", name="Submit answers")
    try:
        button.click()
        warning = page.locator(".skt-kc-status [role=alert]")
        warning.wait_for(timeout=30_000)
        assert f"{total} questions have no answer" in warning.inner_text()
        page.wait_for_timeout(1500)  # had Submit gone through, the record would be on disk by now
        assert not records_for(name) and page.locator(".skt-kc-score").count() == 0

        # The warning's links lead to the questions it names.
        warning.get_by_role("link", name="question 3", exact=True).click()
        page.wait_for_function("location.hash === '#skt-kc-q3'")
        assert page.locator("#skt-kc-q3").is_visible()

        questions.nth(0).locator("input").first.check()
        page.wait_for_function(
            f"document.querySelector('.skt-kc-count').textContent === '1 of {total} answered'", timeout=30_000
        )
        button.click()  # the gaps changed: warned again, about the rest only
        page.wait_for_function(
            f"document.querySelector('.skt-kc-status').textContent.includes('{total - 1} questions have no answer')",
            timeout=30_000,
        )
        assert "question 1," not in warning.inner_text()
        assert page.locator(".skt-kc-score").count() == 0
        button.click()  # the same gaps again: the trainee means it
        page.locator(".skt-kc-score").wait_for(timeout=120_000)
        assert len(records_for(name)) == 2  # JSON and CSV
    finally:
        for path in records_for(name):
            path.unlink()


def test_read_again_links_open_the_chapter_not_a_403(page, voila_url, book_html):
    """After Submit, each missed question links to the section that teaches it: the link opens the chapter."""
    open_exam(page, voila_url)
    name = f"Voila Read Again {uuid.uuid4().hex[:6]}"
    page.locator(".skt-kc-name input").fill(name)
    button = page.get_by_role("button", name="Submit answers")
    try:
        button.click()
        page.locator(".skt-kc-status [role=alert]").wait_for(timeout=30_000)
        button.click()  # submit with every question blank: every one is missed
        page.locator(".skt-kc-score").wait_for(timeout=120_000)
    finally:
        for path in records_for(name):
            path.unlink()
    link = page.locator(".skt-kc-missed a").first
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    title = link.inner_text().strip()
    with page.context.expect_page() as opened:  # Voila opens output links in a new tab
        link.click()
    chapter = opened.value
    chapter.wait_for_load_state("load")
    assert chapter.url.startswith(voila_url.rstrip("/") + "/voila/files/_build/html/book/"), chapter.url
    assert page.request.get(chapter.url.split("#")[0]).status == 200
    app, page = page, chapter
    # A MyST label is an empty target just before its section: the section's heading follows it.
    heading = page.evaluate(
        "id => { const el = document.getElementById(id); if (!el) return null;"
        " const s = !el.textContent.trim() && el.nextElementSibling ? el.nextElementSibling : el;"
        " return s.textContent.slice(0, 400); }", anchor)
    assert heading is not None and title in " ".join(heading.split()), (anchor, title, heading)
    assert app.external_requests == []  # the context's guard also covers the chapter's tab


def test_make_voila_serves_the_book_like_the_tests():
    """`make voila` and `make session` start Voila with the settings these tests use."""
    from tests.voila_server import BOOK_URL, FILE_ALLOWLIST, ROOT_DIR

    makefile = (ROOT / "Makefile").read_text()
    assert f"VOILA_FILES := {ROOT_DIR} " in makefile
    assert f"SKINTRIAGE_SITE_URL:-{BOOK_URL}" in makefile
    option, value = FILE_ALLOWLIST.split("=", 1)
    assert f'{option}="{value.replace(chr(92) * 2, chr(92))}"' in makefile
    for target in ("voila:", "session:"):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert "$(VOILA_BOOK)" in recipe and "$(VOILA_FILES)" in recipe, target
