"""The training-record knowledge check served by Voilà: answer, submit, see the score; no answer key leaks.

Voilà runs notebooks/knowledge_check.ipynb in a kernel on this machine. Everything the page receives before
Submit (HTTP responses and websocket frames) is captured, and none of it may contain an explanation or an
option's feedback: the text that would give the answers away. Option labels are shown, as they must be.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from pathlib import Path

import pytest

from skintriage.bank.loader import load_exam_bank
from skintriage.cli import main as cli
from skintriage.exam import knowledge_check as kc
from tests.voila_server import serve_notebook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "knowledge_check.ipynb"


TESTER = f"Voila Tester {uuid.uuid4().hex[:6]}"
TESTER_ID = f"VT-{TESTER[-6:]}"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """Where the served check saves attempts (SKINTRIAGE_RECORDS_DIR), not the working tree."""
    return tmp_path_factory.mktemp("records")


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory, records):
    # The check identifies trainees against the roster of the register (the tests' own data folder).
    roster = tmp_path_factory.mktemp("roster") / "staff.csv"
    roster.write_text(f"staff_id,name,role,site\n{TESTER_ID},{TESTER},Nurse,Test site\n")
    assert cli(["staff", "import", str(roster)]) == 0
    with serve_notebook(NOTEBOOK, tmp_path_factory.mktemp("voila"), records) as url:
        yield url


def words(text: str) -> str:
    """Lower-case words separated by single spaces: survives JSON and HTML escaping of the same text."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def fragments(text: str, size: int = 6) -> list[str]:
    """Runs of ``size`` words: a secret counts as leaked if any run of it appears."""
    parts = words(text).split()
    if len(parts) <= size:
        return [" " + " ".join(parts) + " "]
    return [" " + " ".join(parts[i : i + size]) + " " for i in range(0, len(parts) - size + 1, 3)]


def leaked(secret: str, received: str, shown: str = "") -> list[str]:
    """Runs of the secret that reached the browser, except runs that are also in text the page shows anyway
    (a feedback line may repeat words of its own option, which is visible)."""
    return [f for f in fragments(secret) if f in received and f not in shown]


class Capture:
    """Every HTTP response body and websocket frame the page receives."""

    def __init__(self, page):
        self.responses = []
        self.frames: list[str] = []
        page.on("response", lambda response: self.responses.append(response))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload):
        self.frames.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload))

    def text(self) -> str:
        bodies = []
        for response in self.responses:
            try:
                bodies.append(response.body().decode("utf-8", "replace"))
            except Exception:  # redirects and aborted requests have no body
                pass
        return words(unescape_all("\n".join(bodies + self.frames)))


def unescape_all(text: str) -> str:
    """Undo the escaping text picks up on its way to the browser (JSON string escapes in websocket frames,
    HTML entities, sometimes both), so an apostrophe or a quote cannot hide a match, or fake a miss."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace('\\"', '"').replace("\\n", " ").replace("\\/", "/")
    for _ in range(2):  # HTML inside JSON inside HTML: entities may be escaped twice
        text = html.unescape(text)
    return text


def test_voila_exam_scores_and_keeps_the_answer_key_in_the_kernel(page, voila_url, records):
    bank = load_exam_bank()
    capture = Capture(page)
    page.goto(voila_url, timeout=180_000)
    page.wait_for_selector(".skt-kc-question", timeout=180_000)
    page.get_by_role("button", name="Submit answers").wait_for(timeout=60_000)

    seed = int(page.inner_text(".skt-kc-seed"))
    items = kc.draw(bank, kc.DEFAULT_N, seed)
    questions = page.locator(".skt-kc-question")
    assert questions.count() == len(items)

    name = TESTER
    page.locator(".skt-kc-staff-name select").select_option(label=f"{TESTER}, Nurse, Test site")
    expected = 0
    for index, item in enumerate(items):
        block = questions.nth(index)
        question = item.question
        if index % 5 == 4:  # every fifth: a wrong option
            chosen = [next(o for o in question.options if o.id not in question.answer)]
        else:
            chosen = [o for o in question.options if o.id in question.answer]
            expected += 1
        for option in chosen:
            block.get_by_label(option.text, exact=True).check()
    time.sleep(1)  # let the last widget state reach the kernel

    # Before submission: nothing that gives the answers away has reached the browser.
    before = capture.text()
    assert words(items[0].question.stem) in before  # the capture does see what the page shows
    problems = []
    # What the exam legitimately shows: every drawn stem and option. Feedback may share a phrase with these
    # ("is a same-day red flag"); such a phrase gives nothing away.
    shown = words(
        " ".join(part for item in items for part in (item.question.stem, *(o.text for o in item.question.options)))
    )
    for item in items:
        question = item.question
        for secret in [question.explanation] + [o.feedback for o in question.options]:
            if leaked(secret, before, shown):
                problems.append(f"{item.key}: {secret[:60]}")
    assert not problems, "answer-key text reached the browser before submission:\n" + "\n".join(problems)

    page.get_by_role("button", name="Submit answers").click()
    score = page.locator(".skt-kc-score")
    score.wait_for(timeout=120_000)
    percent = kc.percent_of(expected, len(items))
    assert f"{expected} of {len(items)} ({percent:g} %)" in score.inner_text()
    # After submission the explanations of missed questions do arrive: the capture would have seen a leak.
    missed = items[4].question
    assert leaked(missed.explanation, capture.text())

    saved = sorted(records.glob(f"knowledge-check_{name.lower().replace(' ', '-')}_*.json"))
    assert len(saved) == 1
    record = json.loads(saved[0].read_text())
    assert (record["name"], record["seed"], record["correct"]) == (name, seed, expected)
    assert record["mode"] == kc.MODE_TRAINING and kc.verify_record(record, bank) == []
    assert page.external_requests == []
