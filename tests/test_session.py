"""The instructor's session tool: pick and step through cases, drive the quiz, reveal the rules' verdict.

Two levels here: the widget objects driven directly, and notebooks/instructor_session.ipynb (the live session
console) executed in a kernel. The console under Voilà with phones on a class server is in
test_classroom_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from skintriage.bank.loader import load_bank
from skintriage.instructor.session import GUIDE_CASES, HIDE, LARGE_CLASS, REVEAL, Session, case_label
from skintriage.vocab import ACTIONS as ACTION_LABELS
from skintriage.vocab import category_title
from tests.notebooks import run_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "instructor_session.ipynb"
GUIDE = ROOT / "book" / "instructor" / "facilitator_guide.md"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def verdict_words(case) -> list[str]:
    """What the revealed verdict must say for this case: its own traffic light, action and category."""
    action = ACTION_LABELS[case.action]
    return [f"{action['light']}: {action['title']}", category_title(case.category)]


def case_text(session: Session) -> str:
    return session.case_box.children[0].value


# --- the widget objects --------------------------------------------------------------------------------------


def test_picker_lists_the_plan_by_number_and_title_without_giving_the_answer_away(bank):
    plan = list(GUIDE_CASES[:4])
    session = Session(bank, case_ids=plan)
    assert [value for _, value in session.picker.options] == plan
    assert [label for label, _ in session.picker.options] == [case_label(bank[i], n) for n, i in enumerate(plan, 1)]
    first = bank[plan[0]]
    assert session.picker.options[0][0] == f"Case 1: {first.assessment_title}"
    # Projected before the room answers: no label names a category (the answer to "what is most likely?").
    everything = Session(bank)
    for label, case_id in everything.picker.options:
        category = category_title(bank[case_id].category).lower()
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
    assert len(parameters) == 1 and 'plan = "guide"' in parameters[0].source
    assert "not a diagnostic tool" in notebook.cells[0].source
    # The projected page is the session, not instructions: the first cell's visible text is two lines.
    visible = re.sub(r"<!--.*?-->", "", notebook.cells[0].source, flags=re.S).strip()
    assert len(visible.splitlines()) <= 3


# --- the notebook in a kernel --------------------------------------------------------------------------------


@pytest.mark.kernel
def test_notebook_shows_the_live_console_with_neutral_labels(bank, tmp_path, monkeypatch):
    """No class server running: the console still shows the plan's cases and says how to start the server."""
    monkeypatch.setenv("SKINTRIAGE_DATA_DIR", str(tmp_path))
    plan = list(GUIDE_CASES[:3])
    notebook = run_notebook(NOTEBOOK, plan=plan)
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1 and "Live session console" in views[0].data["text/plain"]
    state = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    for number, case_id in enumerate(plan, 1):
        assert json.dumps(f"Case {number}: {bank[case_id].assessment_title}", ensure_ascii=False)[1:-1] in state
    for case_id in plan:
        assert category_title(bank[case_id].category) not in state  # the label must not give the answer away
    assert "class server is not running" in state and "make session" in state
    assert "Why (the rules that fired)" not in state  # nothing revealed
