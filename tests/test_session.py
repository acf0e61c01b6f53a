"""The instructor's session tool: pick and step through cases, drive the quiz, reveal the rules' verdict.

Three levels: the widget objects driven directly; notebooks/instructor_session.ipynb executed in a kernel; the
same notebook served by Voilà and clicked in Chromium, with no request leaving this machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from skintriage.bank import load_bank
from skintriage.explorer import ACTION_LABELS, CATEGORY_LABELS
from skintriage.session import GUIDE_CASES, HIDE, LARGE_CLASS, REVEAL, Session, case_label
from tests.voila_server import serve_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "instructor_session.ipynb"
GUIDE = ROOT / "book" / "instructor" / "facilitator_guide.md"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def verdict_words(case) -> list[str]:
    """What the revealed verdict must say for this case: its own traffic light, action and category."""
    action = ACTION_LABELS[case.action]
    return [f"{action['light']}: {action['title']}", CATEGORY_LABELS[case.category]]


def case_text(session: Session) -> str:
    return session.case_box.children[0].value


# --- the widget objects --------------------------------------------------------------------------------------


def test_picker_lists_the_plan_by_number_and_title_without_giving_the_answer_away(bank):
    plan = list(GUIDE_CASES[:4])
    session = Session(bank, case_ids=plan)
    assert [value for _, value in session.picker.options] == plan
    assert [label for label, _ in session.picker.options] == [case_label(bank[i], n) for n, i in enumerate(plan, 1)]
    first = bank[plan[0]]
    assert session.picker.options[0][0] == f"Case 1: {first.title}"
    # Projected before the room answers: no label names a category (the answer to "what is most likely?").
    everything = Session(bank)
    for label, case_id in everything.picker.options:
        category = CATEGORY_LABELS[bank[case_id].category].lower()
        assert category not in label.lower(), (label, category)
        assert category.split(" (")[0] not in label.lower(), (label, category)
    assert Session(bank).case_ids == list(bank)  # no plan: the whole bank, in bank order
    with pytest.raises(KeyError, match="no-such-case"):
        Session(bank, case_ids=["no-such-case"])


def test_pick_next_and_previous_move_through_the_list(bank):
    plan = list(GUIDE_CASES[:3])
    session = Session(bank, case_ids=plan)
    assert session.case.id == plan[0] and "Case 1 of 3" in session.position.value
    assert session.previous_button.disabled and not session.next_button.disabled

    session.next_button.click()
    assert session.case.id == plan[1] and "Case 2 of 3" in session.position.value
    assert f'id="case-{plan[1]}"' in case_text(session)
    session.next_button.click()
    assert session.case.id == plan[2] and session.next_button.disabled
    session.next()  # at the end: stays put
    assert session.case.id == plan[2]
    session.previous_button.click()
    assert session.case.id == plan[1]

    session.picker.value = plan[0]  # the dropdown, as the instructor picks a case
    assert session.case.id == plan[0] and f'id="case-{plan[0]}"' in case_text(session)
    assert session.quiz.quiz.quiz_id == f"case-{plan[0]}"


def test_the_verdict_is_hidden_until_reveal_then_shows_the_cases_own_answer(bank):
    plan = list(GUIDE_CASES[3:6])
    session = Session(bank, case_ids=plan)
    session.next_button.click()
    case = bank[plan[1]]
    assert session.verdict.value == "" and session.reveal_button.description == REVEAL
    for word in verdict_words(case):
        assert word not in case_text(session) and word not in session.verdict.value

    session.reveal_button.value = True  # what a click on the toggle does
    assert session.reveal_button.description == HIDE
    for word in verdict_words(case):
        assert word in session.verdict.value, word
    assert "Why (the rules that fired)" in session.verdict.value
    assert "not a diagnostic" in session.verdict.value

    session.next_button.click()  # a new case: hidden again, so the room answers first
    assert session.verdict.value == "" and not session.reveal_button.value
    assert session.reveal_button.description == REVEAL
    session.reveal()
    for word in verdict_words(bank[plan[2]]):
        assert word in session.verdict.value


def test_answering_through_the_embedded_quiz_updates_the_score(bank):
    session = Session(bank, case_ids=[GUIDE_CASES[0]])
    quiz = session.quiz
    total = len(bank[GUIDE_CASES[0]].questions)
    assert f"Score: 0 of {total}" in quiz.score.value

    first, second = quiz.questions[0], quiz.questions[1]
    first.select(list(first.question.answer))
    first.check_button.click()
    assert f"Score: 1 of {total}" in quiz.score.value and "Correct." in first.feedback.value
    wrong = next(o.id for o in second.question.options if o.id not in second.question.answer)
    second.select([wrong])
    second.check()
    assert f"Score: 1 of {total}" in quiz.score.value and "Not quite." in second.feedback.value
    assert quiz.box in session.case_box.children  # the score the room sees is the one that changed


def test_large_text_adds_a_class_for_projection(bank):
    session = Session(bank, case_ids=[GUIDE_CASES[0]])
    assert LARGE_CLASS not in session.box._dom_classes
    session.large_button.value = True
    assert LARGE_CLASS in session.box._dom_classes
    assert f".skt-session.{LARGE_CLASS}" in session.box.children[0].value  # the style block it switches on
    session.large_button.value = False
    assert LARGE_CLASS not in session.box._dom_classes


def test_guide_cases_are_the_cases_the_facilitator_guide_projects(bank):
    calls = re.findall(r"case_list\(([^)]*)\)", GUIDE.read_text(encoding="utf-8"))
    listed = [case_id for call in calls for case_id in re.findall(r'"([a-z0-9-]+)"', call)]
    assert list(GUIDE_CASES) == listed
    assert all(case_id in bank for case_id in GUIDE_CASES)


def test_notebook_has_a_parameters_cell_and_the_disclaimer():
    """(Clean outputs and a generic kernel are checked for every notebook in test_notebooks_clean.py.)"""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1 and "case_ids = None" in parameters[0].source
    assert "not a diagnostic tool" in notebook.cells[0].source


# --- the notebook in a kernel --------------------------------------------------------------------------------


def parameterised(**parameters) -> nbformat.NotebookNode:
    """Papermill-style: replace the source of the cell tagged `parameters`."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "the notebook needs exactly one cell tagged 'parameters'"
    cells[0].source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    return notebook


@pytest.mark.kernel
def test_notebook_shows_the_session_widget(bank):
    plan = list(GUIDE_CASES[:3])
    notebook = parameterised(case_ids=plan)
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    assert "Instructor session: 3 cases" in views[0].data["text/plain"]
    state = json.dumps(notebook.metadata.get("widgets", {}))
    assert "Case 1 of 3" in state and f"case-{plan[0]}" in state
    assert "Why (the rules that fired)" not in state  # the verdict waits for Reveal


# --- the notebook served by Voilà ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def session_url(tmp_path_factory):
    with serve_notebook(NOTEBOOK, tmp_path_factory.mktemp("voila-session")) as url:
        yield url


@pytest.mark.browser
def test_voila_session_next_reveal_and_nothing_external(page, session_url, bank):
    first, second = (bank[case_id] for case_id in list(bank)[:2])  # the notebook's default: the whole bank
    page.goto(session_url, timeout=180_000)
    title = page.locator(".skt-session .skt-case-title")
    title.wait_for(timeout=180_000)
    assert title.inner_text().strip() == first.title
    assert page.locator(".skt-session .skt-light").count() == 0

    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_function(
        "id => document.querySelector('.skt-session .skt-case-title')?.id === id", arg=f"case-{second.id}",
        timeout=60_000,
    )
    assert title.inner_text().strip() == second.title
    assert "Case 2 of" in page.inner_text(".skt-session-position")
    assert page.locator(".skt-session .skt-light").count() == 0  # still hidden: the room answers first

    page.get_by_role("button", name=REVEAL).click()
    verdict = page.locator(".skt-session-verdict")
    verdict.wait_for(timeout=60_000)
    text = verdict.inner_text()
    for word in verdict_words(second):
        assert word in text, word
    page.get_by_role("button", name=HIDE).wait_for(timeout=30_000)

    page.get_by_role("button", name="Large text (projector)").click()
    page.locator(f".skt-session.{LARGE_CLASS}").wait_for(timeout=30_000)
    assert page.external_requests == []


@pytest.mark.browser
def test_voila_session_picker_shows_no_category(page, session_url, bank):
    """The projected picker: every option is "Case N: title", and no option names the answer's category."""
    page.goto(session_url, timeout=180_000)
    page.locator(".skt-session .skt-case-title").wait_for(timeout=180_000)
    # ipywidgets' Dropdown shows spaces as no-break spaces
    labels = [t.replace("\xa0", " ") for t in page.locator(".skt-session select option").all_inner_texts()]
    assert labels[:2] == [f"Case {n}: {bank[i].title}" for n, i in enumerate(list(bank)[:2], start=1)]
    assert len(labels) == len(bank.cases)
    text = "\n".join(labels).lower()
    for category in CATEGORY_LABELS.values():
        assert category.lower() not in text, category
