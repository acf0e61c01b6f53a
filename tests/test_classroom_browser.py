"""A live session as the room meets it: one instructor driving the console (Voilà, 1920x1080) and three phones
(360 px) on a real class server process, with every response and stream message checked for the answer before
Reveal, a reload mid-question, a second round, axe-core, no request to any other host, and a SIGKILL."""

from __future__ import annotations

import csv
import json
import os
import re

import pytest

from skintriage.bank.loader import load_bank
from skintriage.classroom.content import letters
from skintriage.instructor.session import GUIDE_CASES
from tests.browser import assert_accessible
from tests.class_server import ClassServerProcess, Instructor
from tests.conftest import new_page
from tests.voila_server import ROOT, serve_notebook

pytestmark = pytest.mark.browser
NOTEBOOK = ROOT / "notebooks" / "instructor_session.ipynb"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
HOSTILE_NAME = '<img src=x onerror="__pwned=1">Ann'

# Every message the page's EventSource delivers, kept for the test to read.
RECORD_STREAM = """
(() => {
  const Original = window.EventSource;
  window.__skcMessages = [];
  window.EventSource = function (url, options) {
    const source = new Original(url, options);
    source.addEventListener("state", (event) => window.__skcMessages.push(event.data));
    return source;
  };
  window.EventSource.CLOSED = Original.CLOSED;
  window.EventSource.OPEN = Original.OPEN;
  window.EventSource.CONNECTING = Original.CONNECTING;
})();
"""


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A class server (SQLite in a temporary data folder) and the console under Voilà reading that folder."""
    data = tmp_path_factory.mktemp("live") / "data"
    server = ClassServerProcess(data, f"sqlite:///{data / 'skintriage.db'}").start()
    previous = os.environ.get("SKINTRIAGE_DATA_DIR")
    os.environ["SKINTRIAGE_DATA_DIR"] = str(data)
    try:
        with serve_notebook(NOTEBOOK, tmp_path_factory.mktemp("voila-live")) as console_url:
            yield server, console_url
    finally:
        if previous is None:
            os.environ.pop("SKINTRIAGE_DATA_DIR", None)
        else:
            os.environ["SKINTRIAGE_DATA_DIR"] = previous
        server.stop()


def phone_page(browser):
    page = new_page(browser, **PHONE)
    page.context.add_init_script(RECORD_STREAM)
    page.responses = []
    page.on("response", lambda response: page.responses.append(response))
    return page


def press(page, key: str) -> None:
    page.locator("body").click(position={"x": 5, "y": 1070})  # focus the page, not a text box
    page.keyboard.press(key)


def console_text(page) -> str:
    return page.inner_text(".skt-live")


def wait_console(page, pattern: str) -> None:
    page.wait_for_function(
        "p => new RegExp(p).test(document.querySelector('.skt-live')?.innerText || '')", arg=pattern, timeout=60_000
    )


def received_before_reveal(page) -> list[str]:
    texts = []
    for response in page.responses:
        if "text/event-stream" in (response.headers.get("content-type") or ""):
            continue  # an open stream has no end; its messages are read from the page below
        try:
            texts.append(response.text())
        except Exception:
            pass
    texts += page.evaluate("window.__skcMessages")
    return texts


def choose_and_send(page, letter: str) -> None:
    page.locator(f"#skc-option-{letter}").check()
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_function(
        "t => document.querySelector('#skc-status').textContent.startsWith(t)",
        arg=f"Answer received: {letter}",
        timeout=30_000,
    )


def test_live_session_with_three_phones(browser, live, bank):
    server, console_url = live
    console = new_page(browser, **PROJECTOR)
    console.goto(console_url, timeout=180_000)
    console.locator(".skt-live").wait_for(timeout=180_000)

    # The projector view: neutral case labels, the controls on the first screen, large readable text.
    labels = [
        t.replace("\xa0", " ") for t in console.locator(".skt-live select").nth(1).locator("option").all_inner_texts()
    ]
    first = bank[GUIDE_CASES[0]]
    assert labels[0] == f"Case 1: {first.assessment_title}" and len(labels) == len(GUIDE_CASES)
    categories = ["expected_healing", "herpes", "bacterial", "Herpes simplex", "Bacterial infection"]
    assert not [label for label in labels for word in categories if word in label]
    for name in ("Open voting", "Close voting", "Reveal (R)", "Next \u2192", "\u2190 Previous"):
        box = console.get_by_role("button", name=name).bounding_box()
        assert box and box["y"] + box["height"] <= 1080, name
    sizes = console.evaluate("""() => [...document.querySelectorAll('.skt-live-read p, .skt-live-read li')]
        .map(e => [parseFloat(getComputedStyle(e).fontSize), e.getBoundingClientRect().width])""")
    assert sizes and all(size >= 32 for size, _ in sizes)
    assert all(width / size <= 38 * 1.01 for size, width in sizes)  # at most 38 em: about 75 characters a line

    console.get_by_role("button", name="Open the room").click()
    code = console.locator(".skt-live-code").inner_text(timeout=60_000).strip()
    address = console.locator(".skt-live-url").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}", code) and address == server.url
    assert console.locator(".skt-live-join svg").count() == 1  # the QR code

    # Three phones: one by the QR link (code filled in), two by address and typed code; one hostile name.
    phones = [phone_page(browser) for _ in range(3)]
    phones[0].goto(f"{address}?code={code}")
    assert phones[0].input_value("#skc-code") == code
    phones[0].fill("#skc-name", HOSTILE_NAME)
    for phone in phones[1:]:
        phone.goto(address)
        phone.fill("#skc-code", code.lower())
    for phone in phones:
        phone.get_by_role("button", name="Join").click()
        phone.locator("#skc-waiting").wait_for()
    assert HOSTILE_NAME in phones[0].inner_text("#skc-seat")  # shown as text, never run
    assert phones[0].evaluate("window.__pwned") is None
    wait_console(console, "3 joined")

    question = first.questions[0]
    mapping = letters(question)
    right = next(letter for letter, oid in mapping.items() if oid in question.answer)
    wrong = next(letter for letter in mapping if letter != right)
    console.get_by_role("button", name="Open voting").click()
    for phone in phones:
        phone.locator("#skc-legend").wait_for()
        assert "Question 1 of" in phone.inner_text("#skc-legend")
    assert_accessible(phones[1])

    choose_and_send(phones[0], right)
    choose_and_send(phones[1], right)
    choose_and_send(phones[1], wrong)  # changed while voting is open
    wait_console(console, "2 of 3 answered")
    choose_and_send(phones[2], right)
    wait_console(console, "3 of 3 answered")

    phones[1].reload()  # mid-question: the seat and its answer come back without retyping anything
    phones[1].locator("#skc-legend").wait_for()
    assert phones[1].is_checked(f"#skc-option-{wrong}")
    assert phones[1].inner_text("#skc-status").startswith(f"Answer received: {wrong}")
    assert phones[1].is_visible("#skc-room") and not phones[1].is_visible("#skc-join")

    # Nothing any phone received before Reveal names the right option or carries feedback or explanation.
    secrets = [json.dumps(oid) for oid in question.answer]
    secrets += [option.feedback[:50] for option in question.options] + [question.explanation[:50]]
    for phone in phones:
        for text in received_before_reveal(phone):
            for secret in secrets:
                assert secret not in text and json.dumps(secret)[1:-1] not in text, secret

    press(console, "c")  # close voting by keyboard: the chart appears
    console.locator(".skt-live-chart").wait_for(timeout=60_000)
    rows = console.locator(".skt-live-chart tbody tr").all_inner_texts()
    count = {row.split()[0]: int(row.split()[-1]) for row in rows}
    assert count[right] == 2 and count[wrong] == 1
    press(console, "r")  # reveal by keyboard
    wait_console(console, "Answer revealed")
    console.locator(".skt-live-chart >> text=(right answer)").wait_for(timeout=30_000)
    feedback = question.options[list(mapping).index(right)].feedback
    for phone in phones:
        reveal = phone.locator("#skc-reveal")
        reveal.wait_for(timeout=30_000)
        phone.wait_for_function("() => document.querySelector('#skc-reveal').textContent.includes('Right:')")
        assert f"Right: {right}." in reveal.inner_text()
        assert feedback.split(".")[0].replace('"', "") in reveal.inner_text().replace('"', "").replace("\u201c", "")
    assert f"Your answer, {wrong}, is not right" in phones[1].inner_text("#skc-reveal")
    assert_accessible(phones[1])  # the revealed answer and feedback too
    assert_accessible(console, context=".skt-live")  # the projected chart and the revealed answer

    # Peer instruction: the same question again; round 2 is counted separately and shown beside round 1.
    console.get_by_role("button", name="Round 2").click()
    for phone in phones:
        phone.wait_for_function("() => /Round 2/.test(document.querySelector('#skc-legend').textContent)")
        assert phone.inner_text("#skc-reveal") == ""
        choose_and_send(phone, right)
    wait_console(console, "3 of 3 answered. Voting open, round 2")
    console.get_by_role("button", name="Close voting").click()
    console.locator(".skt-live-chart >> text=Round 1 (3 answered)").wait_for(timeout=60_000)
    assert "Round 2 (3 answered)" in console.inner_text(".skt-live-chart")

    press(console, "ArrowRight")  # the next question, by keyboard
    wait_console(console, f"Question 2 of {len(first.questions)}")

    console.get_by_role("button", name="Class summary (CSV)").click()
    console.locator(".skt-live a[download]").wait_for(timeout=60_000)
    exported = next(server.data_dir.glob("class-summary-*.csv"))
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert {(r["round"], r["option"]): r["chosen_by"] for r in rows}[("2", right)] == "3"
    assert {(r["round"], r["option"]): r["chosen_by"] for r in rows}[("1", wrong)] == "1"

    for page in (console, *phones):
        assert page.external_requests == [], page.external_requests
        assert page.console_errors == [], page.console_errors
    for page in phones:
        page.context.close()
    console.context.close()


def test_sigkill_mid_question_phones_reconnect_and_nothing_is_lost(browser, live, bank):
    server, console_url = live
    instructor = Instructor(server)
    code = instructor.open_room(new=True)["code"]  # a fresh room: the first test's questions are done
    phones = [phone_page(browser) for _ in range(3)]
    for phone in phones:
        phone.goto(f"{server.url}?code={code}")
        phone.get_by_role("button", name="Join").click()
        phone.locator("#skc-waiting").wait_for()
    question = bank[GUIDE_CASES[1]].questions[0]
    poll = instructor.open_poll(GUIDE_CASES[1], question.id)["id"]
    for phone, letter in zip(phones, "ABA"):
        phone.locator("#skc-legend").wait_for()
        choose_and_send(phone, letter)

    server.kill()
    phones[0].wait_for_function(
        "() => /reconnecting|Cannot reach/.test(document.querySelector('#skc-connection').textContent)", timeout=30_000
    )
    server.start()

    room = instructor.room()
    assert room["poll"]["id"] == poll and room["poll"]["answered"] == 3
    assert (room["poll"]["counts"]["A"], room["poll"]["counts"]["B"]) == (2, 1)
    for phone in phones:  # the stream reconnects by itself; the next answer goes through
        phone.wait_for_function("() => document.querySelector('#skc-connection').textContent === ''", timeout=60_000)
        choose_and_send(phone, "B")
    assert instructor.room()["poll"]["counts"]["B"] == 3
    for phone in phones:
        assert phone.external_requests == []
        phone.context.close()
