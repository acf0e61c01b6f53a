"""Two editions: the trainee site has no answer key or facilitator material; the instructor edition has both."""

from __future__ import annotations

from pathlib import Path

import pytest

from skintriage.bank.loader import load_bank

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR_PAGES = ["answer_key", "exam_pool", "facilitator_guide", "handout", "live_session", "lms"]
# Strings that only the instructor pages produce.
MARKERS = [
    "skt-instructor",
    "skt-answer-key",
    "skt-handout",
    "Facilitator guide",
    "Instructor edition only",
    "Discussion prompts",
]


def site_text(html: Path) -> dict[Path, str]:
    files = list(html.rglob("*.html")) + list(html.rglob("searchindex.js"))
    return {path: path.read_text(encoding="utf-8", errors="replace") for path in files}


def test_trainee_build_has_no_instructor_content(book_html):
    assert not (book_html / "book" / "instructor").exists()
    found = [
        f"{path.relative_to(book_html)}: {marker}"
        for path, text in site_text(book_html).items()
        for marker in MARKERS
        + ["instructor/answer_key", "instructor/facilitator_guide", "instructor/handout", "instructor/live_session"]
        if marker in text
    ]
    assert not found, "instructor material in the trainee build:\n" + "\n".join(found)


def test_instructor_build_has_the_answer_key_guide_and_handout(instructor_build):
    bank = load_bank()
    pages = {name: instructor_build / "book" / "instructor" / f"{name}.html" for name in INSTRUCTOR_PAGES}
    for name, page in pages.items():
        assert page.exists(), f"{name} missing from the instructor edition"
    key = pages["answer_key"].read_text(encoding="utf-8")
    assert "skt-answer-key" in key
    # Every case and every question of the bank, each with its right answer marked.
    for case in bank.values():
        assert f'data-case="{case.id}"' in key, case.id
        for question in case.questions:
            assert f'data-question="{case.id}/{question.id}"' in key, f"{case.id}/{question.id}"
    assert key.count('class="skt-key-option skt-key-right"') == sum(
        len(q.answer) for c in bank.values() for q in c.questions
    )
    guide = pages["facilitator_guide"].read_text(encoding="utf-8")
    for heading in ("Session plan", "Cases to project", "Discussion prompts", "Common misconceptions"):
        assert heading in guide
    assert "(not in the bank)" not in guide, "the facilitator guide names a case that is not in the bank"
    handout = pages["handout"].read_text(encoding="utf-8")
    assert "skt-handout" in handout and "@media print" in (instructor_build / "_static" / "handout.css").read_text()
    # The instructor edition is the whole course plus these pages.
    assert (instructor_build / "book" / "knowledge_check.html").exists()


@pytest.mark.browser
@pytest.mark.parametrize("name", INSTRUCTOR_PAGES)
def test_instructor_pages_are_accessible_and_offline(instructor_build, browser, name):
    """Instructors project and print these pages: same bar as the trainee pages."""
    from tests.browser import assert_accessible
    from tests.conftest import new_page, serve

    server = serve(instructor_build)
    page = new_page(browser)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/book/instructor/{name}.html")
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
        assert page.external_requests == [] and page.console_errors == []
    finally:
        page.context.close()
        server.shutdown()
