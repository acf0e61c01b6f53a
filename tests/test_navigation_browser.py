"""The course menu and "On this page" open on a phone and a small laptop, and their links work.

A trainee on a phone has no other table of contents: the test taps the visible menu button as a user would,
checks the menu is on screen, and follows a link in it, on trainee pages and on an instructor-edition page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible
from tests.conftest import new_page, serve

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SMALL_LAPTOP = {"viewport": {"width": 900, "height": 700}}
SIZES = {"phone-360": PHONE, "laptop-900": SMALL_LAPTOP}


def open_course_menu(page):
    toggle = page.locator("button.primary-toggle").filter(visible=True)
    expect(toggle).to_have_count(1)
    toggle.click()
    menu = page.locator("#pst-primary-sidebar-modal")
    expect(menu).to_be_visible()
    return menu


def follow(page, container, href_end: str) -> None:
    link = container.locator(f'a[href$="{href_end}"]').filter(visible=True).first
    link.scroll_into_view_if_needed()  # as a user scrolls a long menu
    expect(link).to_be_in_viewport()
    link.click()
    page.wait_for_url(f"**/{href_end}")
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser):
    page = new_page(browser, **SIZES[request.param])
    yield page
    page.context.close()


@pytest.mark.parametrize(
    "start, target", [("book/welcome.html", "glossary.html"), ("book/cases/infections.html", "knowledge_check.html")]
)
def test_course_menu_opens_and_its_links_work(sized_page, site, start, target):
    page = sized_page
    page.goto(site + start)
    page.wait_for_load_state("networkidle")
    menu = open_course_menu(page)
    # The menu lists the chapters, not just the page's own heading.
    expect(menu.locator("a.reference.internal").filter(visible=True)).not_to_have_count(0)
    assert_accessible(page)
    follow(page, menu, target)
    assert page.url.endswith(target)
    assert page.external_requests == [] and page.console_errors == []


def test_on_this_page_opens_and_jumps_to_a_section(sized_page, site):
    page = sized_page
    page.goto(site + "book/infection.html")
    page.wait_for_load_state("networkidle")
    toggle = page.locator("button.secondary-toggle").filter(visible=True)
    expect(toggle).to_have_count(1)
    toggle.click()
    contents = page.locator("#pst-secondary-sidebar-modal")
    expect(contents).to_be_visible()
    link = contents.locator('a.nav-link[href^="#"]').filter(visible=True).nth(1)
    expect(link).to_be_in_viewport()
    anchor = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**/infection.html{anchor}")
    expect(page.locator(anchor)).to_be_in_viewport()
    assert page.console_errors == []


@pytest.fixture(scope="module")
def instructor_site(instructor_build):
    server = serve(instructor_build)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_course_menu_works_in_the_instructor_edition(browser, instructor_site):
    page = new_page(browser, **PHONE)
    try:
        page.goto(instructor_site + "book/instructor/facilitator_guide.html")
        page.wait_for_load_state("networkidle")
        menu = open_course_menu(page)
        assert_accessible(page)
        follow(page, menu, "answer_key.html")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Answer key")
        assert page.external_requests == [] and page.console_errors == []
    finally:
        page.context.close()
