"""The SCORM package in a browser, hosted by a test LMS whose run-time API is scorm-again (npm, `make
node_modules`): a trainee takes the check by keyboard; the runtime receives score, status, session time and
suspend data; a reload mid-check resumes; opened without an LMS it is a self-assessment; on a browser shared by
two learners nothing of one reaches the other. No third-party request."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from skintriage.bank.loader import load_bank
from skintriage.exam import knowledge_check as kc
from skintriage.exports.scorm import write_package
from tests.browser import assert_accessible
from tests.conftest import CHROMIUM_ARGS, ROOT, is_local, serve
from tests.test_knowledge_check_browser import answer_by_keyboard, focused, tab_until

pytestmark = pytest.mark.browser

RUNTIME = ROOT / "node_modules" / "scorm-again" / "dist"
HARNESS = ROOT / "tests" / "fixtures" / "lms"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def lms(tmp_path_factory, bank):
    """Base URL of a folder with the test LMS, scorm-again, and both packages unpacked (pkg12/, pkg2004/)."""
    if not (RUNTIME / "scorm12.js").exists():
        pytest.fail("scorm-again is not installed: run `make node_modules` (npm ci; `make test` does this)")
    root = tmp_path_factory.mktemp("lms")
    for name in ("lms.html", "lms.js"):
        shutil.copy(HARNESS / name, root / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(RUNTIME / name, root / name)
    for version, folder in (("1.2", "pkg12"), ("2004", "pkg2004")):
        package = write_package(root / f"{folder}.zip", bank, version=version)
        with zipfile.ZipFile(package) as archive:
            archive.extractall(root / folder)
    server = serve(root)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def launch(page, lms, version="1.2", fresh=False):
    """Open the test LMS and launch the SCO in its frame; return the SCO's frame."""
    folder = "pkg12" if version == "1.2" else "pkg2004"
    page.goto(lms + "lms.html")
    if fresh:
        page.evaluate("lmsReset()")
    page.evaluate("([v, src]) => launch(v, src)", [version, f"{folder}/index.html"])
    return sco_frame(page, folder)


def sco_frame(page, folder="pkg12", selector=".skt-kc[data-ready='true']"):
    """The SCO's frame in the test LMS, once ``selector`` is found in it."""
    page.wait_for_function(
        "(selector) => { const d = document.getElementById('sco').contentDocument;"
        " return d && d.querySelector(selector); }",
        arg=selector,
    )
    return page.frame(url=re.compile(rf"{folder}/index\.html$"))


def runtime_cmi(page) -> dict:
    """Everything the runtime holds, as it would commit it to the LMS (write-only elements included)."""
    return page.evaluate("() => JSON.parse(JSON.stringify((window.API || window.API_1484_11).cmi))")


def keys_in(frame):
    """Keyboard actions go to the page; what has focus is read inside the SCO's frame."""
    return SimpleNamespace(keyboard=frame.page.keyboard, evaluate=frame.evaluate)


def start_by_keyboard(page, frame, seed):
    trainee = keys_in(frame)
    assert frame.input_value("#skt-kc-name") == "Kay Board"  # from the LMS's "Board, Kay"
    tab_until(trainee, lambda f: f["id"] == "skt-kc-seed")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(seed))
    page.keyboard.press("Enter")
    frame.wait_for_selector(".skt-kc-exam:not([hidden])")
    assert focused(trainee)["id"] == "skt-kc-exam-heading"


def answers_for(items, right_count, leave_blank_from=None):
    """The first ``right_count`` questions right, the rest wrong; blank from ``leave_blank_from`` on."""
    wanted = []
    for number, item in enumerate(items):
        answer = sorted(item.question.answer)
        if leave_blank_from is not None and number >= leave_blank_from:
            wanted.append([])
        elif number < right_count:
            wanted.append(answer)
        else:
            wanted.append([next(o.id for o in item.question.options if o.id not in answer)])
    return wanted


def submit_by_keyboard(page, frame):
    page.keyboard.press("Enter")  # focus is on the submit button
    frame.wait_for_selector(".skt-kc-summary:not([hidden])")


def saved_progress(cmi: dict) -> dict:
    saved = json.loads(cmi["suspend_data"])
    assert saved["v"] == 1
    return saved["p"]


def option_positions(item, option_ids):
    ids = [o.id for o in item.question.options]
    return sorted(ids.index(i) for i in option_ids)


@pytest.mark.parametrize("seed, right, status", [(4242, 20, "passed"), (777, 10, "failed")])
def test_a_trainee_completes_the_check_by_keyboard_and_the_lms_gets_the_result(page, lms, bank, seed, right, status):
    frame = launch(page, lms, fresh=True)
    assert "Connected to your learning platform" in frame.inner_text("#skt-lms-status")
    assert runtime_cmi(page)["core"]["lesson_status"] == "incomplete"
    start_by_keyboard(page, frame, seed)
    assert "saved to your learning platform as you go" in frame.inner_text(".skt-kc-kept")

    # The same draw as the website's check and as Python, for the same seed.
    drawn = frame.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)")
    expected = kc.draw(bank, 20, seed)
    assert drawn == [item.key for item in expected]
    wanted = answers_for(expected, right)
    answer_by_keyboard(keys_in(frame), wanted)
    submit_by_keyboard(page, frame)

    percent = kc.percent_of(right, 20)
    cmi = runtime_cmi(page)
    core = cmi["core"]
    assert (float(core["score"]["raw"]), core["score"]["min"], core["score"]["max"]) == (percent, "0", "100")
    assert core["lesson_status"] == status
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", core["session_time"])
    progress = saved_progress(cmi)
    assert (progress["seed"], progress["name"], progress["submitted"]) == (seed, "Kay Board", True)
    assert progress["answers"] == [option_positions(item, want) for item, want in zip(expected, wanted)]
    # The summary is the website's, with the LMS's note; a new check cannot overwrite the reported result.
    assert f"Score {right} of 20 ({percent:g} %)" in frame.inner_text(".skt-kc-status")
    assert "sent to your learning platform" in frame.inner_text(".skt-kc-result")
    assert frame.locator(".skt-kc-missed-item").count() == 20 - right
    assert not frame.locator(".skt-kc-again").is_visible()
    assert "sent to your learning platform" in frame.inner_text("#skt-lms-status")

    # Leaving the page finishes the session; the LMS keeps the result and a normal exit.
    page.goto(lms + "lms.html")
    stored = page.evaluate("lmsState()")
    assert stored["log"][0] == "LMSInitialize" and stored["log"][-1] == "LMSFinish"
    assert stored["cmi"]["core"]["lesson_status"] == status and stored["cmi"]["core"]["exit"] == ""
    assert page.external_requests == []
    assert page.console_errors == []


def test_a_reload_mid_check_resumes_from_suspend_data(page, lms, bank):
    seed = 31337
    frame = launch(page, lms, fresh=True)
    start_by_keyboard(page, frame, seed)
    expected = kc.draw(bank, 20, seed)
    first_part = answers_for(expected, 20, leave_blank_from=6)
    answer_by_keyboard(keys_in(frame), first_part)

    # Every answer was saved as it was given.
    progress = saved_progress(runtime_cmi(page))
    assert progress["submitted"] is False and progress["seed"] == seed
    assert progress["answers"] == [option_positions(item, want) for item, want in zip(expected, first_part)]

    page.reload()  # the trainee's browser reloads: the SCO is unloaded and launched again by the LMS
    stored = page.evaluate("lmsState()")
    assert stored["log"][-1] == "LMSFinish" and stored["cmi"]["core"]["exit"] == "suspend"
    page.evaluate("() => launch('1.2', 'pkg12/index.html')")
    frame = sco_frame(page, selector=".skt-kc-exam:not([hidden])")
    assert "Welcome back" in frame.inner_text(".skt-kc-status")
    assert frame.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)") == [
        item.key for item in expected
    ]
    restored = frame.evaluate(
        """() => Array.from(document.querySelectorAll('.skt-kc-question')).map(q =>
            Array.from(q.querySelectorAll('input')).filter(i => i.checked).map(i => i.value).sort())"""
    )
    assert restored == [sorted(w) for w in first_part]

    # Finish the rest by keyboard (the restored answers are left as they are) and submit: all 20 count.
    rest = [[] if number < 6 else sorted(item.question.answer) for number, item in enumerate(expected)]
    answer_by_keyboard(keys_in(frame), rest)
    submit_by_keyboard(page, frame)
    cmi = runtime_cmi(page)
    assert cmi["core"]["lesson_status"] == "passed" and float(cmi["core"]["score"]["raw"]) == 100
    assert page.external_requests == []
    assert page.console_errors == []


def test_scorm_2004_reports_completion_success_and_scaled_score(page, lms, bank):
    seed = 99
    frame = launch(page, lms, version="2004", fresh=True)
    assert "Connected to your learning platform" in frame.inner_text("#skt-lms-status")
    assert runtime_cmi(page)["completion_status"] == "incomplete"
    frame.fill("#skt-kc-seed", str(seed))
    frame.click(".skt-kc-begin")
    expected = kc.draw(bank, 20, seed)
    for number, want in enumerate(answers_for(expected, 15)):
        for option in want:
            frame.check(f'input[name="skt-kc-q{number}"][value="{option}"]')
    frame.click(".skt-kc-submit")
    frame.wait_for_selector(".skt-kc-summary:not([hidden])")
    cmi = runtime_cmi(page)
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "failed")
    assert float(cmi["score"]["scaled"]) == 0.75 and float(cmi["score"]["raw"]) == 75
    assert re.fullmatch(r"P(T.*)?", cmi["session_time"])
    assert saved_progress(cmi)["submitted"] is True
    page.goto(lms + "lms.html")
    stored = page.evaluate("lmsState()")
    assert stored["log"][-1] == "Terminate" and stored["cmi"]["exit"] == "normal"
    assert page.external_requests == []
    assert page.console_errors == []


def test_the_api_is_found_in_the_opener_window(page, lms):
    page.goto(lms + "lms.html")
    page.evaluate("lmsReset()")
    with page.expect_popup() as popup_info:
        page.evaluate("() => launch('1.2', 'pkg12/index.html', null, 'popup')")
    popup = popup_info.value
    popup.wait_for_selector(".skt-kc[data-ready='true']")
    assert "Connected to your learning platform" in popup.inner_text("#skt-lms-status")
    assert page.evaluate("lmsState()")["log"][:1] == ["LMSInitialize"]
    assert popup.input_value("#skt-kc-name") == "Kay Board"


def test_opened_without_an_lms_it_is_a_self_assessment(page, lms, bank):
    page.goto(lms + "pkg12/index.html")
    page.wait_for_selector(".skt-kc[data-ready='true']")
    assert "No learning platform found" in page.inner_text("#skt-lms-status")
    assert_accessible(page)
    page.fill("#skt-kc-name", "Solo Trainee")
    page.fill("#skt-kc-seed", "5")
    page.click(".skt-kc-begin")
    for number, item in enumerate(kc.draw(bank, 20, 5)):
        for option in item.question.answer:
            page.check(f'input[name="skt-kc-q{number}"][value="{option}"]')
    # Nothing is kept in the browser without an LMS either (the notice says so), so nothing can reach the next user.
    assert "Nothing is kept in this browser" in page.inner_text(".skt-kc-kept")
    assert kept_in_browser(page) == {}
    page.click(".skt-kc-submit")
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    assert "Self-assessment only" in page.inner_text(".skt-kc-result")
    assert page.locator(".skt-kc-again").is_visible()  # no LMS result to protect: a new check is allowed
    # Missed-question links would point into a website the package does not contain: section names only.
    assert_accessible(page)
    assert page.external_requests == []
    assert page.console_errors == []


def test_an_lms_that_refuses_the_session_is_named_and_nothing_is_claimed(page, lms):
    page.goto(lms + "lms.html")
    page.evaluate("lmsReset()")
    page.evaluate("() => launch('1.2', 'pkg12/index.html', null, 'busy')")
    frame = sco_frame(page)
    notice = frame.inner_text("#skt-lms-status")
    assert "did not start a session" in notice and "error 101" in notice
    assert "Connected" not in notice
    assert page.external_requests == []


@pytest.mark.parametrize("label", ["not JSON", "another bank", "answers out of range", "wrong seed type"])
def test_damaged_or_foreign_suspend_data_starts_afresh_and_says_why(page, lms, bank, label):
    good = {
        "v": 1,
        "bank": bank.fingerprint[:16],
        "p": {"name": "Kay Board", "seed": 5, "n": 20, "submitted": False, "answers": [[]] * 20},
    }
    if label == "not JSON":
        suspend = "{half a record"
    elif label == "another bank":
        suspend = json.dumps({**good, "bank": "0" * 16})
    elif label == "answers out of range":
        suspend = json.dumps({**good, "p": {**good["p"], "answers": [[99]] * 20}})
    else:
        suspend = json.dumps({**good, "p": {**good["p"], "seed": "5; alert(1)"}})
    page.goto(lms + "lms.html")
    page.evaluate(
        "(s) => lmsSet({cmi: {core: {lesson_status: 'incomplete', exit: 'suspend'}, suspend_data: s}, log: []})",
        suspend,
    )
    page.evaluate("() => launch('1.2', 'pkg12/index.html')")
    frame = sco_frame(page)
    assert "starts afresh" in frame.inner_text("#skt-lms-status")
    assert frame.locator(".skt-kc-start").is_visible() and not frame.locator(".skt-kc-exam").is_visible()
    assert page.console_errors == []


# --- two learners, one browser ------------------------------------------------------------------------------

FOLDERS = {"1.2": "pkg12", "2004": "pkg2004"}
# As the LMS knows them ("Family, Given") and as the check shows them.
ANN = {"id": "staff-017", "name": "Archer, Ann"}
BEN = {"id": "staff-042", "name": "Brook, Ben"}
# Outside the range of a fresh set number (100000-999999), so the next learner can never be offered it by chance.
ANN_SEED = 4242


@contextmanager
def shared_browser(browser, chromium_executable, profile):
    """A clinic's front-desk PC: one browser profile on disk, opened for one learner and closed again. Nothing
    is cleared between two openings; requests to other hosts are aborted and recorded, as for every page."""
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.external_requests, page.console_errors = [], []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    try:
        yield page
        assert page.external_requests == []
        assert page.console_errors == []
    finally:
        context.close()


def launch_as(page, lms, version, learner, selector=".skt-kc[data-ready='true']"):
    """The LMS launches ``version``'s package for ``learner`` (a fresh attempt unless the LMS holds one)."""
    folder = FOLDERS[version]
    page.goto(lms + "lms.html")
    page.evaluate("([v, src, who]) => launch(v, src, who)", [version, f"{folder}/index.html", learner])
    return sco_frame(page, folder, selector)


def lms_record(page, version, learner) -> dict:
    return page.evaluate("([v, id]) => lmsState(v, id)", [version, learner["id"]])


def kept_in_browser(frame) -> dict:
    """Everything the package's origin keeps in this browser, but the test LMS's own database."""
    return frame.evaluate(
        """() => { const out = {};
            for (const store of [localStorage, sessionStorage]) {
              for (let i = 0; i < store.length; i++) {
                const key = store.key(i);
                if (key !== "test-lms") out[key] = store.getItem(key);
              }
            }
            return out; }"""
    )


def checked(frame) -> list[list[str]]:
    return frame.evaluate(
        """() => Array.from(document.querySelectorAll('.skt-kc-question')).map(q =>
            Array.from(q.querySelectorAll('input')).filter(i => i.checked).map(i => i.value).sort())"""
    )


def shows_nothing_of(frame, name: str) -> None:
    """Neither the page's text, its markup, nor any field's value names ``name`` (given or family name)."""
    values = frame.eval_on_selector_all("input", "els => els.map(e => e.value)")
    text, markup = frame.inner_text("body"), frame.content()
    for part in name.split():
        assert part not in text and part not in markup, f"{part!r} is on the page"
        assert not [v for v in values if part in v], f"{part!r} is in a field"


@pytest.mark.parametrize(
    "first, second",
    [("1.2", "1.2"), ("2004", "2004"), ("1.2", "2004"), ("2004", "1.2")],
    ids=["1.2-then-1.2", "2004-then-2004", "1.2-then-2004", "2004-then-1.2"],
)
def test_on_a_shared_browser_one_learners_check_never_reaches_the_next(
    browser, chromium_executable, lms, bank, tmp_path, first, second
):
    """Issue 20: Ann answers 7 questions and closes the browser; Ben, on the same browser profile, launches a
    fresh attempt and sees nothing of Ann's (name, question set, answers), and the LMS gets Ben's own progress
    under Ben's name; Ann then comes back to her own answers, from the LMS, and sees nothing of Ben's."""
    profile = tmp_path / "front-desk-profile"
    ann_set = kc.draw(bank, 20, ANN_SEED)
    ann_answers = answers_for(ann_set, 7, leave_blank_from=7)

    with shared_browser(browser, chromium_executable, profile) as page:
        frame = launch_as(page, lms, first, ANN)
        assert frame.input_value("#skt-kc-name") == "Ann Archer"
        frame.fill("#skt-kc-seed", str(ANN_SEED))
        frame.click(".skt-kc-begin")
        frame.wait_for_selector(".skt-kc-exam:not([hidden])")
        for number, want in enumerate(ann_answers):
            for option in want:
                frame.check(f'input[name="skt-kc-q{number}"][value="{option}"]')
        saved = saved_progress(lms_record(page, first, ANN)["cmi"])
        assert (saved["name"], saved["seed"], saved["submitted"]) == ("Ann Archer", ANN_SEED, False)
        assert sum(1 for chosen in saved["answers"] if chosen) == 7
    # Closed without submitting: the attempt is suspended in the LMS, nothing is cleared in the browser.

    with shared_browser(browser, chromium_executable, profile) as page:
        page.goto(lms + "lms.html")
        assert lms_record(page, second, BEN) == {"cmi": None, "log": []}  # a fresh attempt for Ben
        frame = launch_as(page, lms, second, BEN)
        assert frame.input_value("#skt-kc-name") == "Ben Brook"  # the LMS's name for this learner
        assert frame.eval_on_selector("#skt-kc-name", "e => e.readOnly")
        assert frame.inner_text(".skt-kc-name-note") == "(from your learning platform)"
        assert frame.locator(".skt-kc-start").is_visible() and not frame.locator(".skt-kc-exam").is_visible()
        assert frame.locator(".skt-kc-question").count() == 0
        assert frame.input_value("#skt-kc-seed") != str(ANN_SEED)
        status = frame.inner_text(".skt-kc-status")
        assert "answers so far" not in status and "Welcome back" not in status
        shows_nothing_of(frame, "Ann Archer")
        assert kept_in_browser(frame) == {}  # in an LMS the LMS is the only store

        # Ben's own check: his own set, nothing answered, saved to his record under his name.
        frame.click(".skt-kc-begin")
        frame.wait_for_selector(".skt-kc-exam:not([hidden])")
        ben_seed = int(frame.input_value("#skt-kc-seed"))
        ben_set = kc.draw(bank, 20, ben_seed)
        keys = frame.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)")
        assert keys == [item.key for item in ben_set]
        assert checked(frame) == [[]] * 20
        frame.check(f'input[name="skt-kc-q0"][value="{ben_set[0].question.options[0].id}"]')
        ben_saved = saved_progress(lms_record(page, second, BEN)["cmi"])
        assert (ben_saved["name"], ben_saved["seed"]) == ("Ben Brook", ben_seed)
        assert ben_saved["answers"] == [[0]] + [[]] * 19
        shows_nothing_of(frame, "Ann Archer")
        assert kept_in_browser(frame) == {}
        assert saved_progress(lms_record(page, first, ANN)["cmi"]) == saved  # Ann's record untouched

    with shared_browser(browser, chromium_executable, profile) as page:
        frame = launch_as(page, lms, first, ANN, selector=".skt-kc-exam:not([hidden])")
        assert "Welcome back" in frame.inner_text(".skt-kc-status")
        assert frame.input_value("#skt-kc-name") == "Ann Archer"
        keys = frame.eval_on_selector_all(".skt-kc-question", "els => els.map(e => e.dataset.key)")
        assert keys == [item.key for item in ann_set]
        assert checked(frame) == [sorted(want) for want in ann_answers]
        shows_nothing_of(frame, "Ben Brook")
        assert kept_in_browser(frame) == {}
