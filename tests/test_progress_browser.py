"""Course progress and resume on the website, as a trainee uses it: mark a chapter as read, finish a case,
scroll on, come back to the start page and continue; the self-assessment survives a reload, under the trainee's
name only (a browser shared by two trainees gives each their own answers and never the other's).

Stored progress is read with care: malformed or foreign entries are dropped, never trusted, never fatal.
"""

from __future__ import annotations

import json

import pytest

from tests.browser import assert_accessible
from tests.conftest import new_page

pytestmark = pytest.mark.browser

PROGRESS_KEY = "skintriage:progress:v1"
LEGACY_DRAFT_KEY = "skintriage:kc-draft:v1"  # one draft for everybody, before issue 20: removed unread
CASE_PAGE = "book/cases/healing_and_flares.html"


def answer_quiz(quiz):
    """Check the right answer to every question of one case's quiz, as a trainee clicks."""
    key = json.loads(quiz.locator("script.skq-key").text_content())
    for question in key["questions"]:
        form = quiz.locator(f'form.skq-question[data-question="{question["id"]}"]')
        for option in question["answer"]:
            form.locator(f'input[value="{option}"]').check()
        form.get_by_role("button", name="Check answer").click()
        form.locator(".skq-feedback .skq-verdict").wait_for()
    return key["id"]


def stored(page, key=PROGRESS_KEY):
    return page.evaluate("key => JSON.parse(localStorage.getItem(key) || 'null')", key)


def test_mark_read_finish_a_case_and_continue_where_you_left_off(page, site):
    page.goto(site + "book/welcome.html")
    page.get_by_role("button", name="Mark this chapter as read").click()
    toggle = page.locator(".skt-read-toggle")
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text().startswith("Read")
    assert "Marked as read" in page.inner_text(".skt-read-note")
    welcome_link = page.locator('nav.bd-docs-nav a[href="#"], nav.bd-docs-nav a[href="welcome.html"]').first
    assert welcome_link.locator(".skt-nav-done").count() == 1

    # The group page lists its cases; each case has its own page with its quiz.
    page.goto(site + CASE_PAGE)
    cases = page.locator('article li[id^="case-"]')
    total = cases.count()
    assert total > 3
    first_id, third_id = cases.nth(0).get_attribute("id"), cases.nth(2).get_attribute("id")
    cases.nth(0).locator("a").click()
    answer_quiz(page.locator(".skq-quiz"))
    assert page.locator(".skt-case-title .skt-done-badge").inner_text() == "Done"
    page.goto(site + CASE_PAGE)
    assert page.locator(f'li[id="{first_id}"] .skt-done-badge').inner_text() == "Done"
    assert page.locator("article .skt-done-badge").count() == 1

    # Read on to the third case; the course remembers where the trainee is.
    cases.nth(2).locator("a").click()
    page.wait_for_function(
        "([key, id]) => (JSON.parse(localStorage.getItem(key) || '{}').last || {}).anchor === id",
        arg=[PROGRESS_KEY, third_id],
    )

    page.goto(site + "book/index.html")
    view = page.locator("#skt-progress")
    cont = view.locator(".skt-continue-link")
    assert cont.inner_text().startswith("Continue where you left off:")
    items = view.locator(".skt-progress-list li")
    texts = items.all_inner_texts()
    assert any(t.startswith("1. Welcome") and t.endswith(": read") for t in texts), texts
    assert any(t.endswith(f": 1 of {total} cases done") for t in texts), texts
    assert any(t.endswith(": not read yet") for t in texts) and any(t.endswith(": not started") for t in texts)
    assert f"1 of {items.count()} parts done" in view.inner_text()
    assert_accessible(page)

    cont.click()  # the group page's #case- anchor forwards to the case's own page
    page.wait_for_url(f"**/book/cases/{third_id.removeprefix('case-')}.html")
    page.goto(site + CASE_PAGE)
    assert page.locator(f'li[id="{first_id}"] .skt-done-badge').count() == 1  # kept on reload
    assert page.console_errors == [] and page.external_requests == []

    # Undo: the chapter is no longer read.
    page.goto(site + "book/welcome.html")
    page.get_by_role("button", name="Read ✓ (press to undo)").click()
    assert stored(page)["read"] == {}


@pytest.mark.parametrize(
    "bad",
    [
        "not json at all {",
        json.dumps({"version": 2, "read": {"book/welcome": True}}),
        json.dumps([1, 2, 3]),
        json.dumps(
            {
                "version": 1,
                "read": {"book/welcome": True, "book/nope": True, "book/purging": "yes", "book/cases/infections": True},
                "quizzes": {"case-x": {"done": 5, "total": 2}, "bad name!": {"done": 1, "total": 1}},
                "pages": {"book/cases/infections": ["case-x", 7]},
                "last": {"doc": "javascript:alert(1)", "anchor": "x"},
            }
        ),
    ],
)
def test_malformed_stored_progress_is_dropped_not_trusted(page, site, bad):
    page.goto(site + "book/index.html")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [PROGRESS_KEY, bad])
    page.reload()
    view = page.locator("#skt-progress")
    view.locator(".skt-continue-link").wait_for()
    text = view.inner_text()
    valid_welcome = '"book/welcome": true' in bad and '"version": 1' in bad
    assert ("1 of" if valid_welcome else "0 of") in text
    assert view.locator(".skt-continue-link").inner_text().startswith("Start with 1. Welcome")
    assert "cases done" not in text  # the bad page list and counts were dropped
    assert page.console_errors == []


def open_check(page, site):
    page.goto(site + "book/knowledge_check.html")
    page.wait_for_selector(".skt-kc[data-ready='true']")


def draft_key(page, name):
    """The key of ``name``'s draft on the website's self-assessment (skintriageExamCore.draftKey)."""
    return page.evaluate(
        """name => skintriageExamCore.draftKey("site",
            JSON.parse(document.querySelector("script.skt-kc-data").textContent).bank_fingerprint, name)""",
        name,
    )


def drafts(page) -> dict:
    """Every knowledge-check draft this browser keeps, by key."""
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith("skintriage:kc-draft"))
            .map(k => [k, JSON.parse(localStorage.getItem(k))]))"""
    )


def start_as(page, name, seed=None):
    page.fill("#skt-kc-name", name)
    if seed is not None:
        page.fill("#skt-kc-seed", str(seed))
    page.click(".skt-kc-begin")
    page.wait_for_selector(".skt-kc-exam:not([hidden])")
    return page.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)")


def checked_values(page) -> list[list[str]]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.skt-kc-question')).map(q =>
            Array.from(q.querySelectorAll('input')).filter(i => i.checked).map(i => i.value))"""
    )


def shows_start_form_only(page) -> None:
    """The state a trainee finds before saying who they are: an empty start form, nobody's name or answers."""
    assert page.locator(".skt-kc-exam[hidden]").count() == 1 and page.locator(".skt-kc-question").count() == 0
    assert page.input_value("#skt-kc-name") == ""
    assert page.inner_text(".skt-kc-status") == ""


def test_self_assessment_keeps_answers_under_the_name_across_a_reload_until_start_again(page, site):
    open_check(page, site)
    keys = start_as(page, "Re Load", 31)
    chosen = []
    for index in (0, 2, 5):
        option = page.locator(f"#skt-kc-q{index + 1} input").nth(1)
        option.check()
        chosen.append((index, option.get_attribute("value")))
    assert page.inner_text(".skt-kc-count") == f"3 of {len(keys)} answered"
    assert list(drafts(page)) == [draft_key(page, "Re Load")]

    # After a reload nothing is shown until the trainee says who they are; the same name brings the answers back
    # (however it is capitalised or spaced), whatever question set number the form offers.
    page.reload()
    page.wait_for_selector(".skt-kc[data-ready='true']")
    shows_start_form_only(page)
    assert start_as(page, "  re   LOAD ") == keys
    for index, value in chosen:
        assert page.locator(f'#skt-kc-q{index + 1} input[value="{value}"]').is_checked()
    assert page.inner_text(".skt-kc-count") == f"3 of {len(keys)} answered"
    assert "answers so far are back" in page.inner_text(".skt-kc-status")
    assert page.input_value("#skt-kc-seed") == "31"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Start again").click()
    page.wait_for_selector(".skt-kc-start:not([hidden])")
    assert drafts(page) == {}
    page.reload()
    page.wait_for_selector(".skt-kc[data-ready='true']")
    shows_start_form_only(page)
    assert checked_values(page) == []
    start_as(page, "Re Load")
    assert "answers so far" not in page.inner_text(".skt-kc-status")
    assert page.inner_text(".skt-kc-count").startswith("0 of ")
    assert page.console_errors == []


def test_two_trainees_on_one_browser_each_get_their_own_answers_and_never_the_others(browser, site):
    """Issue 20, on the website: a shared PC, one browser profile, two trainees who each leave mid-check."""
    context = browser.new_context()
    try:
        ann = context.new_page()
        open_check(ann, site)
        ann_keys = start_as(ann, "Ann Archer", 4242)
        for index in range(7):
            ann.locator(f"#skt-kc-q{index + 1} input").first.check()
        ann_answers = checked_values(ann)
        ann.close()  # Ann leaves without submitting

        ben = context.new_page()
        open_check(ben, site)
        shows_start_form_only(ben)
        assert "Archer" not in ben.inner_text("body") and "Archer" not in ben.content()
        ben_keys = start_as(ben, "Ben Brook")
        assert ben.input_value("#skt-kc-seed") != "4242"  # a fresh set: 100000 and up
        assert ben_keys != ann_keys
        assert checked_values(ben) == [[]] * len(ben_keys)
        assert "answers so far" not in ben.inner_text(".skt-kc-status")
        ben.locator("#skt-kc-q1 input").first.check()
        ben_answers = checked_values(ben)
        kept = drafts(ben)
        assert set(kept) == {draft_key(ben, "Ann Archer"), draft_key(ben, "Ben Brook")}
        assert kept[draft_key(ben, "Ben Brook")]["name"] == "Ben Brook"
        assert not any("Archer" in key or "Brook" in key for key in kept)  # keys name nobody in clear
        ben.close()

        # Ann comes back: her own set and answers; Ben's stay his.
        ann = context.new_page()
        open_check(ann, site)
        shows_start_form_only(ann)
        assert start_as(ann, "ann archer") == ann_keys
        assert checked_values(ann) == ann_answers
        assert "Welcome back, ann archer" in ann.inner_text(".skt-kc-status")
        assert "Brook" not in ann.inner_text("body")
        ann.close()
        ben = context.new_page()
        open_check(ben, site)
        assert start_as(ben, "Ben Brook") == ben_keys and checked_values(ben) == ben_answers
        ben.close()
    finally:
        context.close()


def test_start_a_new_check_after_a_result_starts_with_no_name(page, site):
    """A shared PC: Ann submits and walks away; the next person's "Start a new check" must not run under Ann's
    name (their answers would be kept as Ann's draft and given back to her)."""
    open_check(page, site)
    assert page.get_attribute("#skt-kc-name", "autocomplete") == "off"  # the browser offers nobody's name
    start_as(page, "Ann Archer", 31)
    page.locator("#skt-kc-q1 input").first.check()
    page.click(".skt-kc-submit")
    page.click(".skt-kc-submit")  # confirm the gaps
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    page.click(".skt-kc-again")
    page.wait_for_selector(".skt-kc-start:not([hidden])")
    assert page.input_value("#skt-kc-name") == ""
    start_as(page, "Ben Brook")
    page.locator("#skt-kc-q2 input").first.check()
    assert [draft["name"] for draft in drafts(page).values()] == ["Ben Brook"]
    assert page.console_errors == []


def test_the_old_shared_draft_is_removed_unread(page, site):
    open_check(page, site)
    old = {"version": 1, "name": "Ann Archer", "seed": 31, "answers": {}}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [LEGACY_DRAFT_KEY, json.dumps(old)])
    page.reload()
    page.wait_for_selector(".skt-kc[data-ready='true']")
    assert stored(page, LEGACY_DRAFT_KEY) is None
    shows_start_form_only(page)
    start_as(page, "Ann Archer")  # even its own learner does not get it: it may have been anybody's
    assert page.inner_text(".skt-kc-count").startswith("0 of ")
    assert "answers so far" not in page.inner_text(".skt-kc-status")
    assert page.console_errors == []


def test_self_assessment_draft_is_cleared_on_submit_and_bad_drafts_are_ignored(page, site):
    open_check(page, site)
    key = draft_key(page, "Dee Raft")
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [key, json.dumps({"version": 2, "name": "Dee Raft", "seed": 31, "answers": {"no/such": ["x"], "also": "bad"}})],
    )
    page.reload()
    page.wait_for_selector(".skt-kc[data-ready='true']")
    shows_start_form_only(page)
    start_as(page, "Dee Raft")
    assert page.input_value("#skt-kc-seed") == "31"  # the draft's set
    assert page.inner_text(".skt-kc-count").startswith("0 of ")  # unknown answers dropped
    page.locator("#skt-kc-q1 input").first.check()
    page.click(".skt-kc-submit")
    page.click(".skt-kc-submit")  # confirm the gaps
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    assert drafts(page) == {}
    page.reload()
    page.wait_for_selector(".skt-kc[data-ready='true']")
    shows_start_form_only(page)

    for bad in [
        "{",
        json.dumps({"version": 9, "name": "Dee Raft", "seed": 1}),
        json.dumps({"version": 2, "name": "Dee Raft", "seed": -4}),
        json.dumps({"version": 2, "name": "Someone Else", "seed": 1}),  # another learner's, under this key
    ]:
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, bad])
        page.reload()
        page.wait_for_selector(".skt-kc[data-ready='true']")
        shows_start_form_only(page)
        start_as(page, "Dee Raft", 5)
        assert page.input_value("#skt-kc-seed") == "5" and page.inner_text(".skt-kc-count").startswith("0 of ")
        assert "answers so far" not in page.inner_text(".skt-kc-status")
    assert page.console_errors == []


@pytest.fixture
def phone_360(browser):
    page = new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def test_self_assessment_on_a_phone_counts_names_gaps_and_prints_a_result(phone_360, site):
    page = phone_360
    open_check(page, site)
    page.fill("#skt-kc-name", "Pho Ne")
    page.click(".skt-kc-begin")
    page.wait_for_selector(".skt-kc-exam:not([hidden])")
    total = page.locator(".skt-kc-question").count()
    assert page.inner_text(".skt-kc-count") == f"0 of {total} answered"
    page.locator("#skt-kc-q1 input").first.tap()
    assert page.inner_text(".skt-kc-count") == f"1 of {total} answered"

    page.locator(".skt-kc-submit").tap()
    warning = page.locator(".skt-kc-unanswered")
    assert f"{total - 1} questions have no answer" in warning.inner_text()
    links = warning.get_by_role("link")
    assert links.all_inner_texts() == [f"question {n}" for n in range(2, total + 1)]
    links.nth(3).tap()  # question 5
    page.wait_for_function("location.hash === '#skt-kc-q5'")
    # The theme scrolls smoothly: wait until the question has arrived in view.
    page.wait_for_function(
        "() => { const top = document.getElementById('skt-kc-q5').getBoundingClientRect().top;"
        " return top >= 0 && top < 740; }"
    )

    for n in range(2, total + 1):
        page.locator(f"#skt-kc-q{n} input").first.check()
    assert page.inner_text(".skt-kc-count") == f"{total} of {total} answered"
    page.locator(".skt-kc-submit").tap()
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    meta = page.inner_text(".skt-kc-result-meta")
    assert "Name: Pho Ne." in meta and "Question set" in meta and "Taken:" in meta
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert_accessible(page)

    # Printed, the page is the result only: the summary a trainee can show.
    page.emulate_media(media="print")
    assert page.locator(".skt-kc-summary").is_visible()
    assert page.locator(".skt-kc-result").is_visible()
    for hidden in (".skt-kc-exam", ".bd-sidebar-primary", ".bd-header", ".admonition"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.external_requests == [] and page.console_errors == []
