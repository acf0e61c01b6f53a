"""The static view of a :class:`~skintriage.quiz.Quiz`: semantic HTML that ``static/ui/quiz.js`` brings to life.

Without JavaScript the questions and options still read as a list. Per-option feedback and explanations sit in
inert ``<template>`` elements; the answer key is JSON in a ``<script type="application/json">``. A static site
has to ship its answers to the browser: these quizzes are for practice, not for records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skintriage.pageassets import needs
from skintriage.quiz.core import answer_hint
from skintriage.web import render
from skintriage.web.render import escape

if TYPE_CHECKING:
    from skintriage.bank.schema import Question
    from skintriage.quiz.core import Quiz


def _option_html(quiz: Quiz, question: Question, index: int) -> str:
    option = question.options[index]
    kind = "checkbox" if question.multiple else "radio"
    input_id = f"{quiz.quiz_id}-{question.id}-{option.id}"
    return (
        f'<li class="skq-option"><input type="{kind}" id="{escape(input_id)}" '
        f'name="{escape(quiz.quiz_id)}-{escape(question.id)}" value="{escape(option.id)}">'
        f'<label for="{escape(input_id)}">{render.markdown_inline(option.text)}</label>'
        f'<template class="skq-option-feedback" data-option="{escape(option.id)}">'
        f"{quiz.option_feedback_html(question, option.id)}</template></li>"
    )


def _question_html(quiz: Quiz, question: Question, number: int) -> str:
    hint = answer_hint(question)
    legend_id = f"{quiz.quiz_id}-{question.id}-legend"
    options = "".join(_option_html(quiz, question, i) for i in range(len(question.options)))
    return f"""<form class="skq-question" data-question="{escape(question.id)}" data-multiple="{str(question.multiple).lower()}" novalidate>
<fieldset aria-labelledby="{escape(legend_id)}">
<legend id="{escape(legend_id)}"><span class="skq-number">Question {number} of {len(quiz.questions)}.</span> {render.markdown_inline(question.stem)} {f'<span class="skq-hint">{hint}</span>' if hint else ""}</legend>
<ul class="skq-options">{options}</ul>
</fieldset>
<div class="skq-actions"><button type="submit" class="skq-check">Check answer</button> <button type="button" class="skq-retry">Try again</button></div>
<div class="skq-feedback" role="status" aria-live="polite" aria-atomic="true"></div>
<template class="skq-explanation-template">{quiz.explanation_html(question)}</template>
</form>"""


def quiz_html(quiz: Quiz) -> str:
    questions = "\n".join(_question_html(quiz, q, n) for n, q in enumerate(quiz.questions, start=1))
    label = f"Quiz: {quiz.title}" if quiz.title else "Quiz"
    return f"""<div class="skq-quiz" {needs("quiz")} data-quiz-id="{escape(quiz.quiz_id)}" role="group" aria-label="{escape(label)}">
<script type="application/json" class="skq-key">{quiz.data_json()}</script>
<p class="skq-score" role="status" aria-live="polite">Score: 0 of {len(quiz.questions)} right first time. Completed: 0 of {len(quiz.questions)}.</p>
{questions}
<p class="skq-progress-note">Your answers stay in this browser only. <button type="button" class="skq-reset">Reset this quiz</button></p>
<noscript><p>This quiz needs JavaScript to check answers. The questions above can still be read and discussed.</p></noscript>
</div>"""
