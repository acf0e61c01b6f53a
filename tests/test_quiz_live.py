"""The live view: the quiz's ipywidgets, driven directly and inside a real Jupyter kernel."""

from __future__ import annotations

import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from skintriage.quiz.core import Quiz, QuizState
from tests.quiz_fixtures import ROOT, fixture_bank


@pytest.fixture
def quiz(tmp_path):
    bank = fixture_bank(tmp_path)
    return Quiz.from_case(bank["valid-case"], bank)


def test_wrong_then_right_updates_feedback_and_score(quiz):
    ui = quiz.widget()
    first = ui.questions[0]
    first.select(["purge"])
    first.check()
    assert "Not quite." in first.feedback.value
    assert "&quot;Purge&quot; is not a diagnosis" in first.feedback.value  # that option's own feedback
    assert "skq-explanation" not in first.feedback.value  # explanation waits for the right answer
    assert "Score: 0 of 4 right first time. Completed: 0 of 4." in ui.score.value

    first.select(["hsv"])
    first.check()
    assert "Correct." in first.feedback.value
    assert "Herpes simplex can reactivate after microneedling" in first.feedback.value
    assert "Read more:" in first.feedback.value and "sec-herpes-simplex" in first.feedback.value
    assert "Score: 0 of 4 right first time. Completed: 1 of 4." in ui.score.value

    second = ui.questions[1]
    second.select(["same-day"])
    second.check()
    assert "Score: 1 of 4 right first time. Completed: 2 of 4." in ui.score.value


def test_multiple_answer_question_uses_checkboxes_and_counts_missed(quiz):
    ui = quiz.widget()
    flags = ui.questions[2]
    assert len(flags.choices) == 4  # a checkbox per option
    flags.select(["vesicles"])
    flags.check()
    assert "Not quite." in flags.feedback.value
    assert "You missed 1 correct option." in flags.feedback.value
    flags.select(["vesicles", "tingling"])
    flags.check()
    assert "Correct." in flags.feedback.value


def test_try_again_and_reset(quiz):
    ui = quiz.widget()
    first = ui.questions[0]
    first.check()
    assert "Choose an answer first." in first.feedback.value
    first.select(["hsv"])
    first.check()
    first.retry_button.click()
    assert first.chosen() == [] and first.feedback.value == ""
    assert "Score: 1 of 4" in ui.score.value  # trying again keeps the score
    ui.reset_button.click()
    assert "Score: 0 of 4 right first time. Completed: 0 of 4." in ui.score.value


def test_state_rules():
    """Python's scoring rules, which quiz.js mirrors: first check decides the score."""

    class Q:
        def __init__(self, id, answer):
            self.id, self.answer = id, answer

    state = QuizState([Q("a", ["x"]), Q("b", ["y", "z"])])
    assert not state.check("a", ["w"])
    assert state.check("a", ["x"])
    assert state.check("b", ["z", "y"])
    assert (state.score, len(state.done), state.total) == (1, 2, 2)


def test_mime_bundle_carries_widget_and_html(quiz):
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="skq-quiz"')


@pytest.mark.kernel
def test_quiz_in_a_real_kernel(tmp_path):
    """Execute the quiz in a Jupyter kernel as an instructor's notebook would, answering wrong then right."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from tests.quiz_fixtures import fixture_bank
        from skintriage.quiz.core import Quiz
        bank = fixture_bank(Path({str(tmp_path)!r}))
        quiz = Quiz.from_case(bank["valid-case"], bank)
        ui = quiz.widget()
        display(ui.box)
        question = ui.questions[0]
        question.select(["expected"]); question.check()
        print("AFTER WRONG:", question.feedback.value)
        print("SCORE:", ui.score.value)
        question.select(["hsv"]); question.check()
        print("AFTER RIGHT:", question.feedback.value)
        print("SCORE:", ui.score.value)
        """
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = notebook.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    wrong, right = text.split("AFTER RIGHT:")
    assert "Not quite." in wrong and "The expected reaction is redness" in wrong
    assert "Score: 0 of 4 right first time. Completed: 0 of 4." in wrong
    assert "Correct." in right and "Herpes simplex can reactivate" in right
    assert "Score: 0 of 4 right first time. Completed: 1 of 4." in right
