"""The Voilà knowledge check as a trainee meets it: Submit cannot save an incomplete attempt by mistake, a
missing name is reported where the trainee pressed and the name box gets the focus."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from skintriage.cli import main as cli
from tests.browser import assert_accessible
from tests.voila_server import serve_notebook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "knowledge_check.ipynb"


RUN = uuid.uuid4().hex[:6]
TRAINEES = {"unanswered": f"Voila Unanswered {RUN}", "read-again": f"Voila Read Again {RUN}"}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """Where the served check saves attempts (SKINTRIAGE_RECORDS_DIR), not the working tree."""
    return tmp_path_factory.mktemp("records")


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory, records):
    # The check identifies trainees against the register's roster (the tests' own data folder).
    roster = tmp_path_factory.mktemp("roster") / "staff.csv"
    roster.write_text(
        "staff_id,name,role,site\n"
        + "".join(f"UX-{key}-{RUN},{name},Nurse,Test site\n" for key, name in TRAINEES.items())
    )
    assert cli(["staff", "import", str(roster)]) == 0
    with serve_notebook(NOTEBOOK, tmp_path_factory.mktemp("voila-ux"), records) as url:
        yield url


def choose(page, name: str) -> None:
    page.locator(".skt-kc-staff-name select").select_option(label=f"{name}, Nurse, Test site")


def open_exam(page, url):
    page.goto(url, timeout=180_000)
    page.wait_for_selector(".skt-kc-question", timeout=180_000)
    page.get_by_role("button", name="Submit answers").wait_for(timeout=60_000)


def records_for(records: Path, name: str) -> list[Path]:
    return sorted(records.glob(f"knowledge-check_{name.lower().replace(' ', '-')}_*"))


def test_submit_without_a_name_says_so_beside_the_button_and_focuses_the_name(page, voila_url):
    open_exam(page, voila_url)
    button = page.get_by_role("button", name="Submit answers")
    button.click()
    alert = page.locator(".skt-kc-status [role=alert]")
    alert.wait_for(timeout=30_000)
    assert "Choose your name" in alert.inner_text()
    # Beside the button and on screen, not below it out of sight; the focus goes to the name list.
    page.wait_for_function(
        "document.activeElement && document.activeElement.closest('.skt-kc-staff-name') !== null", timeout=30_000
    )
    assert "Choose your name here" in page.locator(".skt-kc-name-hint").inner_text()
    button.scroll_into_view_if_needed()
    box, near = button.bounding_box(), alert.bounding_box()
    assert abs((near["y"] + near["height"] / 2) - (box["y"] + box["height"] / 2)) < 3 * box["height"] or (
        0 <= near["y"] - (box["y"] + box["height"]) < 2 * box["height"]
    ), (box, near)
    assert_accessible(page)


def test_submit_with_unanswered_questions_warns_names_them_and_needs_a_second_press(page, voila_url, records):
    open_exam(page, voila_url)
    name = TRAINEES["unanswered"]
    choose(page, name)
    questions = page.locator(".skt-kc-question")
    total = questions.count()
    assert page.locator(".skt-kc-count").inner_text() == f"0 of {total} answered"
    button = page.get_by_role("button", name="Submit answers")
    button.click()
    warning = page.locator(".skt-kc-status [role=alert]")
    warning.wait_for(timeout=30_000)
    assert f"{total} questions have no answer" in warning.inner_text()
    page.wait_for_timeout(1500)  # had Submit gone through, the record would be on disk by now
    assert not records_for(records, name) and page.locator(".skt-kc-score").count() == 0

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
    assert len(records_for(records, name)) == 2  # JSON and CSV


def test_read_again_links_open_the_chapter_not_a_403(page, voila_url, book_html):
    """After Submit, each missed question links to the section that teaches it: the link opens the chapter."""
    open_exam(page, voila_url)
    name = TRAINEES["read-again"]
    choose(page, name)
    button = page.get_by_role("button", name="Submit answers")
    button.click()
    page.locator(".skt-kc-status [role=alert]").wait_for(timeout=30_000)
    button.click()  # submit with every question blank: every one is missed
    page.locator(".skt-kc-score").wait_for(timeout=120_000)
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
        " return s.textContent.slice(0, 400); }",
        anchor,
    )
    assert heading is not None and title in " ".join(heading.split()), (anchor, title, heading)
    assert app.external_requests == []  # the context's guard also covers the chapter's tab


def test_make_voila_and_make_session_serve_the_book_like_the_tests():
    """`make voila` (the class-ready check) and `make session` (the launcher) start the course's Voila with the
    same book settings as these tests: one launcher and one list of flags, skintriage.web.voila_book."""
    from skintriage.classroom.launch import console_command
    from skintriage.register.voila_class import class_flags
    from skintriage.web.voila_book import FILE_FLAGS, launcher
    from tests.voila_server import voila_command

    assert set(FILE_FLAGS) <= set(class_flags())
    for command in (voila_command(NOTEBOOK, 1), console_command(1)):
        assert command[: len(launcher())] == launcher() and set(FILE_FLAGS) <= set(command)
    makefile = (ROOT / "Makefile").read_text()
    recipes = {target: makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0] for target in ("voila:", "session:")}
    assert "skintriage.register.voila_class" in recipes["voila:"]
    assert "skintriage.classroom.launch" in recipes["session:"]
