"""The live view of a :class:`~skintriage.quiz.Quiz`: ipywidgets for JupyterLab and Voila sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets

from skintriage.quiz.core import QuizState, answer_hint
from skintriage.web import render

if TYPE_CHECKING:
    from skintriage.bank.schema import Question
    from skintriage.quiz.core import Quiz


class QuestionWidget:
    """Stem, options, Check and Try again buttons, and a feedback area for one question."""

    def __init__(self, quiz: Quiz, question: Question, number: int, on_check):
        self.quiz = quiz
        self.question = question
        self._on_check = on_check
        stem = render.markdown_inline(question.stem)
        hint = answer_hint(question)
        self.stem = widgets.HTML(
            f"<p><strong>Question {number} of {len(quiz.questions)}.</strong> {stem}{'<br><em>' + hint + '</em>' if hint else ''}</p>"
        )
        if question.multiple:
            self.choices = [
                widgets.Checkbox(value=False, description=o.text, indent=False, layout=widgets.Layout(width="auto"))
                for o in question.options
            ]
            self.options_box = widgets.VBox(self.choices)
        else:
            self.choices = []
            self.options_box = widgets.RadioButtons(
                options=[(o.text, o.id) for o in question.options], value=None, layout=widgets.Layout(width="auto")
            )
        self.check_button = widgets.Button(description="Check answer", button_style="primary")
        self.retry_button = widgets.Button(description="Try again")
        self.feedback = widgets.HTML("")
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        self.box = widgets.VBox(
            [self.stem, self.options_box, widgets.HBox([self.check_button, self.retry_button]), self.feedback]
        )

    def chosen(self) -> list[str]:
        if self.question.multiple:
            return [o.id for o, box in zip(self.question.options, self.choices) if box.value]
        return [self.options_box.value] if self.options_box.value else []

    def select(self, option_ids: list[str]) -> None:
        """Tick these options (what a trainee's clicks do; used by instructors' scripts and tests)."""
        if self.question.multiple:
            for option, box in zip(self.question.options, self.choices):
                box.value = option.id in option_ids
        else:
            self.options_box.value = option_ids[0] if option_ids else None

    def check(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.feedback.value = "<p>Choose an answer first.</p>"
            return
        self._on_check(self.question.id, chosen)
        self.feedback.value = self.quiz.feedback(self.question, chosen).to_html()

    def retry(self) -> None:
        self.select([])
        self.feedback.value = ""


class QuizWidget:
    """All questions of a quiz with a running score and a reset button."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz
        self.state = QuizState(list(quiz.questions))
        self.score = widgets.HTML(self._score_html())
        self.questions = [QuestionWidget(quiz, q, n, self._checked) for n, q in enumerate(quiz.questions, start=1)]
        self.reset_button = widgets.Button(description="Reset this quiz")
        self.reset_button.on_click(lambda _: self.reset())
        title = widgets.HTML(f"<h3>{render.escape(quiz.title)}</h3>") if quiz.title else widgets.HTML("")
        self.box = widgets.VBox([title, self.score, *[q.box for q in self.questions], self.reset_button])

    def _score_html(self) -> str:
        return f"<p><strong>{render.escape(self.state.summary())}</strong></p>"

    def _checked(self, question_id: str, chosen: list[str]) -> None:
        self.state.check(question_id, chosen)
        self.score.value = self._score_html()

    def reset(self) -> None:
        self.state.reset()
        for question in self.questions:
            question.retry()
        self.score.value = self._score_html()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)
