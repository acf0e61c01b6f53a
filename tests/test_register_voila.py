"""The clinic lead's register served by Voila (as `make register` does): protected by a token, accessible
(axe-core: no serious or critical issue), and making no request to any other host."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from skintriage.bank.loader import load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from skintriage.register.attempts import RegisterConfig, issue
from skintriage.register.voila_class import plain_command
from tests.browser import assert_accessible
from tests.voila_server import ROOT, running_voila

pytestmark = pytest.mark.browser

NOTEBOOK = ROOT / "notebooks" / "training_register.ipynb"


def serve_register(url: str, token: str, log_dir: Path):
    def command(port: int) -> list[str]:
        return plain_command(NOTEBOOK.relative_to(ROOT), port, f"--Voila.token={token}")

    return running_voila(command, log_dir / "voila-register.log", SKINTRIAGE_DATABASE_URL=url)


@pytest.fixture
def register_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'register.db'}"
    monkeypatch.setenv("SKINTRIAGE_KEY_DIR", str(tmp_path / "keys"))
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "staff_id,name,role,site\nA-1,Ada <script>alert(1)</script>,Nurse,North\nB-2,Ben Bright,Aesthetician,South\n"
    )
    assert cli(["staff", "import", str(roster), "--database", url]) == 0
    exam = load_exam_bank()
    items = kc.draw(exam, 20, 11)
    record = kc.score(exam, items, {i.key: list(i.question.answer) for i in items}, name="", seed=11)
    issue(record, tmp_path / "records", RegisterConfig(url=url), staff_id="A-1")
    return url


def test_register_needs_its_token_and_is_accessible_and_offline(page, tmp_path, register_url):
    token = secrets.token_hex(16)
    with serve_register(register_url, token, tmp_path) as base:
        for attempt in (base, base + "?token=wrong"):
            try:
                response = urllib.request.urlopen(attempt, timeout=120)
                landed, body = response.url, response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as error:
                landed, body = attempt, ""
                assert error.code in (401, 403)
            # Refused, or sent to the login page: never the register.
            assert "skt-reg" not in body and "Ben Bright" not in body
            assert landed == attempt or "/login" in landed, landed

        page.goto(f"{base}?token={token}", timeout=180_000)
        page.wait_for_selector(".skt-reg-table", timeout=180_000)
        page.wait_for_load_state("networkidle")
        text = page.inner_text(".skt-reg-table")
        assert "Ada <script>alert(1)</script>" in text  # shown as text, never run
        assert "passed" in text and "never taken" in text
        page.get_by_role("combobox", name="Site").select_option("South")
        page.wait_for_function("!document.querySelector('.skt-reg-table').innerText.includes('A-1')", timeout=60_000)
        assert "B-2" in page.inner_text(".skt-reg-table")
        assert_accessible(page)
        assert page.external_requests == [], page.external_requests
