"""The Voila apps (knowledge check for records, instructor session) meet the same bar as the book's pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import assert_accessible
from tests.voila_server import ROOT, serve_notebook

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("notebook", ["knowledge_check.ipynb", "instructor_session.ipynb"])
def test_voila_app_is_accessible_and_offline(page, tmp_path: Path, notebook):
    with serve_notebook(ROOT / "notebooks" / notebook, tmp_path) as url:
        page.goto(url, timeout=180_000)
        page.wait_for_selector(".jupyter-widgets", timeout=180_000)
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
        assert page.external_requests == [], page.external_requests
