"""Every page of the built book in a browser: accessible, offline, and readable at phone width."""

from __future__ import annotations

import pytest

from tests.browser import assert_accessible
from tests.test_content import toc_files

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", toc_files())
def test_page_is_accessible_and_makes_no_third_party_request(page, site, name):
    page.goto(site + f"{name}.html")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert page.external_requests == [], page.external_requests
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize("name", toc_files())
def test_page_reads_at_phone_width(phone_page, site, name):
    phone_page.goto(site + f"{name}.html")
    phone_page.wait_for_load_state("networkidle")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"
    assert phone_page.external_requests == []
