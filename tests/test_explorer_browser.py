"""The findings explorer in a real browser (Debian's Chromium), with no kernel and no third-party host.

Every test runs twice: on the built book's page (``book/explorer.html``, needs ``make book``) and on a small
standalone page made here from the same ``Explorer().to_html()`` and static files, so the browser evaluator is
checked even when the book is not built.
"""

from __future__ import annotations

import json
import shutil

import pytest

from skintriage import course
from skintriage.bank.loader import load_bank
from skintriage.explorer import (
    CATEGORY_NO_PATTERN,
    CATEGORY_OUTRANKED,
    DEFAULT_FINDINGS,
    PROMPT,
    Explorer,
    summary_text,
)
from skintriage.rules import load_rules, rules_as_json, triage
from tests import property_vectors
from tests.browser import assert_accessible
from tests.conftest import serve
from tests.triage_vectors import build_vectors

pytestmark = pytest.mark.browser

EXPLORER = ".skt-explorer"


@pytest.fixture(scope="session")
def standalone_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer_site")
    for name in ("core/triage.js", "core/explorer_core.js", "ui/triage_explorer.js", "explorer.css"):
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copy(course.STATIC_DIR / name, folder / name)
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Findings explorer</title>'
        '<link rel="stylesheet" href="explorer.css"><script defer src="core/triage.js"></script>'
        '<script defer src="core/explorer_core.js"></script><script defer src="ui/triage_explorer.js"></script></head>'
        f"<body><main><h1>Findings explorer</h1>{Explorer().to_html()}</main></body></html>",
        encoding="utf-8",
    )
    server = serve(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


@pytest.fixture(params=["book", "standalone"])
def explorer_url(request):
    if request.param == "book":
        return request.getfixturevalue("site") + "book/explorer.html"
    return request.getfixturevalue("standalone_site")


def open_explorer(page, url):
    page.goto(url)
    page.wait_for_selector(f'{EXPLORER}[data-skt-ready="true"]')
    return page.locator(EXPLORER).first


def live_text(page) -> str:
    return page.locator(f"{EXPLORER} .skt-live").first.inner_text().strip()


def test_browser_and_python_agree_on_every_vector(page, explorer_url):
    open_explorer(page, explorer_url)
    embedded = page.evaluate(f"JSON.parse(document.querySelector('{EXPLORER} script.skt-rules').textContent)")
    assert embedded == json.loads(rules_as_json()), "the page embeds stale rules: rebuild the book"
    vectors = build_vectors()
    results = page.evaluate(
        "([rules, all]) => all.map(f => window.skintriageTriage.evaluate(rules, f))",
        [embedded, [v["findings"] for v in vectors]],
    )
    assert len(results) == len(vectors) >= 20
    for vector, js in zip(vectors, results):
        py = triage(vector["findings"])
        assert js == {**py.as_dict(), "fired": py.fired}, f"{vector['id']} ({vector['source']})"
        assert (js["category"], js["action"]) == (vector["category"], vector["action"]), vector["id"]


def test_browser_and_python_agree_on_every_property_vector(page, explorer_url):
    """The seeded property vectors (red flags only raise, calm stays calm) through triage.js in Chromium."""
    open_explorer(page, explorer_url)
    vectors = property_vectors.load()
    forms = [f for v in vectors for f in (v["base"], v["with"])]
    results = page.evaluate(
        f"(all) => {{ const rules = JSON.parse(document.querySelector('{EXPLORER} script.skt-rules').textContent);"
        " return all.map(f => window.skintriageTriage.evaluate(rules, f)); }",
        forms,
    )
    assert len(results) == len(forms) > 400
    for findings, js in zip(forms, results, strict=True):
        py = triage(findings)
        assert js == {**py.as_dict(), "fired": py.fired}, findings


def test_exposure_hours_typed_change_the_light(page, explorer_url):
    """Reused equipment on day 2 is an emergency; recording that the exposure was 200 hours ago makes it a review
    (testing within days); a bad number is explained, not silently ignored."""
    box = open_explorer(page, explorer_url)
    box.locator('input[value="reused_equipment"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'emergency'")
    assert "72 hours" in box.locator(".skt-reasons").inner_text()
    hours = box.locator('input[name="hours_since_exposure"]')
    assert hours.get_attribute("required") is None  # optional
    hours.fill("200")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'review'")
    assert "Amber: Review within days" in live_text(page)
    hours.fill("100")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'same_day'")
    hours.fill("")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'emergency'")
    hours.fill("99999")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-live').textContent.includes('Check the hours')")
    assert box.locator(".skt-light").get_attribute("data-action") == "none"


def test_keyboard_tick_updates_light_and_live_region(page, explorer_url):
    box = open_explorer(page, explorer_url)
    live = box.locator(".skt-live")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    before = live_text(page)
    # An empty form asks for findings; it does not say "Green: Monitor".
    assert box.locator(".skt-light").get_attribute("data-action") == "none"
    assert before == PROMPT and "Monitor" not in box.locator(".skt-result").inner_text()

    box.locator('input[name="days_since_treatment"]').focus()
    for _ in range(80):  # Tab through the form until the "vesicles" box has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "vesicles":
            break
    else:
        pytest.fail("Tab never reached the 'vesicles' checkbox")
    page.keyboard.press("Space")

    assert box.locator('input[value="vesicles"]').is_checked()
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel + ' .skt-live').textContent.trim() !== old",
        arg=[EXPLORER, before],
    )
    assert (
        live_text(page) == "Red: Prescriber the same day. Likely category: Herpes simplex (cold sore virus). 2 reasons."
    )
    light = box.locator(".skt-light")
    assert light.get_attribute("data-action") == "same_day"
    assert "Red: Prescriber the same day" in light.inner_text()  # words, not colour alone
    assert "herpes simplex" in box.locator(".skt-reasons").inner_text()

    page.keyboard.press("Space")  # untick: back to the prompt
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'none'")
    assert live_text(page) == before


def test_days_typed_by_keyboard_and_impossible_days_explained(page, explorer_url):
    box = open_explorer(page, explorer_url)
    days = box.locator('input[name="days_since_treatment"]')
    days.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("10")  # redness still there on day 10: longer than the expected week
    box.locator('input[value="erythema"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'review'")
    assert "Amber: Review within days" in live_text(page)
    assert "longer than the usual healing reaction" in box.locator(".skt-reasons").inner_text()
    onset = box.locator('input[name="day_of_onset"]')
    onset.fill("12")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-live').textContent.includes('cannot begin')")
    assert box.locator(".skt-light").get_attribute("data-action") == "none"


@pytest.mark.parametrize(
    "tick, action",
    [
        (None, "none"),
        ("erythema", "monitor"),
        ("hyperpigmentation", "review"),
        ("vesicles", "same_day"),
        ("eye_symptoms", "emergency"),
    ],
)
def test_explorer_passes_axe_in_every_light(page, explorer_url, tick, action):
    box = open_explorer(page, explorer_url)
    if tick:
        box.locator(f'input[value="{tick}"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === '{action}'")
    assert_accessible(page, context=EXPLORER)


def test_whole_page_passes_axe(page, explorer_url):
    open_explorer(page, explorer_url)
    assert_accessible(page)


def test_no_third_party_request_and_no_script_error(page, explorer_url):
    box = open_explorer(page, explorer_url)
    for value in ("papules", "warmth", "fever"):
        box.locator(f'input[value="{value}"]').check()
    page.wait_for_load_state("networkidle")
    assert page.external_requests == []
    assert page.console_errors == []


def test_fits_a_375px_phone(phone_page, explorer_url):
    box = open_explorer(phone_page, explorer_url)
    box.locator('input[value="eye_symptoms"]').check()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
    assert phone_page.evaluate(
        f"(() => {{ const e = document.querySelector('{EXPLORER}'); return e.scrollWidth <= e.clientWidth; }})()"
    )


def test_reasons_agree_with_the_verdict_when_a_red_flag_is_added(page, explorer_url):
    """Day 2 redness is expected healing ("follow up as routine"); add fever and the verdict is Emergency:
    the reasons must then lead with the fever and give no routine advice."""
    rules = load_rules()
    box = open_explorer(page, explorer_url)
    box.locator('input[value="erythema"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'monitor'")
    calm = box.locator(".skt-reasons li").all_inner_texts()
    assert "routine" in calm[0]
    box.locator('input[value="fever"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'emergency'")
    reasons = box.locator(".skt-reasons li").all_inner_texts()
    by_reason = {" ".join(r.reason.split()): r for r in [*rules.category_rules, rules.default, *rules.red_flags]}
    deciding = by_reason[" ".join(reasons[0].split())]
    assert deciding.action == "emergency" and "fever" in reasons[0].lower()
    assert not any("routine" in reason for reason in reasons), reasons
    assert calm[0] not in reasons
    # ... and the category beside Emergency is no longer the reassuring "Expected healing reaction"; the
    # announced line is word for word what Python says for the same form.
    category = box.locator(".skt-category-name").inner_text()
    assert category == CATEGORY_OUTRANKED
    findings = DEFAULT_FINDINGS | {"lesions": ["erythema"], "symptoms": ["fever"]}
    assert live_text(page) == summary_text(triage(findings, rules), rules)
    box.locator('input[value="fever"]').uncheck()
    box.locator('input[value="erythema"]').uncheck()
    box.locator('input[value="nodules"]').check()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .skt-light').dataset.action === 'review'")
    assert box.locator(".skt-category-name").inner_text() == CATEGORY_NO_PATTERN
    assert live_text(page) == summary_text(triage(DEFAULT_FINDINGS | {"lesions": ["nodules"]}, rules), rules)


@pytest.fixture
def bank():
    return load_bank()


def test_a_case_opens_in_the_explorer_with_its_findings(page, site, bank):
    case_id = "hsv-lip-tingling-day2"
    case = bank[case_id]
    page.goto(site + f"book/cases/{case_id}.html")
    section = page.locator(f".skt-case:has(#case-{case_id})")
    section.locator(".skt-findings summary").click()
    section.get_by_role("link", name="Open these findings in the explorer").click()
    page.wait_for_url("**/book/explorer.html?*")
    box = page.locator(EXPLORER).first
    page.wait_for_selector(f'{EXPLORER}[data-skt-ready="true"]')
    f = case.findings
    assert box.locator('input[name="days_since_treatment"]').input_value() == str(f.days_since_treatment)
    assert box.locator('input[name="day_of_onset"]').input_value() == str(f.day_of_onset)
    assert box.locator('select[name="trend"]').input_value() == getattr(f.trend, "value", f.trend)
    for group in ("lesions", "distribution", "symptoms", "history"):
        ticked = box.locator(f'input[name="{group}"]:checked').evaluate_all("els => els.map(e => e.value)")
        assert sorted(ticked) == sorted(getattr(f, group)), group
    assert box.locator(".skt-light").get_attribute("data-action") == case.action
    assert "Filled in from the case" in box.locator(".skt-prefill-note").inner_text()
    assert_accessible(page)
    assert page.console_errors == [] and page.external_requests == []


def test_a_bad_explorer_link_is_checked_not_trusted(page, explorer_url):
    page.goto(
        explorer_url + "?lesions=vesicles,%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&trend=sideways"
        "&days_since_treatment=9999&evil=1"
    )
    box = page.locator(EXPLORER).first
    page.wait_for_selector(f'{EXPLORER}[data-skt-ready="true"]')
    assert box.locator('input[value="vesicles"]').is_checked()
    assert box.locator('input[name="days_since_treatment"]').input_value() == "2"  # the form's own default
    note = box.locator(".skt-prefill-note").inner_text()
    assert "Not recognised" in note and "<img" in note and "evil" in note
    assert box.locator(".skt-prefill-note img").count() == 0
    assert box.locator(".skt-light").get_attribute("data-action") == "same_day"
    assert page.console_errors == []
