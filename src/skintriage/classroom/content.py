"""What the class server shows about a question, derived from the case bank.

Options go to phones under neutral letters (A, B, C...), never their bank ids, which can name the answer.
:func:`trainee_question` holds nothing that says which option is right or why; only :func:`reveal` does, and
the server sends it only after the instructor reveals.
"""

from __future__ import annotations

import string

from skintriage.bank.loader import Bank
from skintriage.bank.schema import Case, Question
from skintriage.quiz.core import answer_hint
from skintriage.web import render
from skintriage.web.render import escape

LETTERS = string.ascii_uppercase


class UnknownQuestion(LookupError):
    pass


def find_question(bank: Bank, case_id: str, question_id: str) -> tuple[Case, Question]:
    case = bank.cases.get(case_id)
    if case is None:
        raise UnknownQuestion(f"no case '{case_id}' in the case bank")
    for question in case.questions:
        if question.id == question_id:
            return case, question
    raise UnknownQuestion(f"case '{case_id}' has no question '{question_id}'")


def letters(question: Question) -> dict[str, str]:
    """Public letter -> bank option id, in the bank's order."""
    return {LETTERS[i]: option.id for i, option in enumerate(question.options)}


def to_letters(question: Question, option_ids: list[str]) -> list[str]:
    back = {option_id: letter for letter, option_id in letters(question).items()}
    return sorted(back[i] for i in option_ids if i in back)


def case_html(case: Case) -> str:
    """The vignette as trainees and the projector see it: title, client, treatment and story (escaped)."""
    from skintriage.web.casepage import procedure_text

    client = case.client
    notes = f" {escape(client.notes)}" if client.notes else ""
    return (
        f'<h2 class="skt-case-title">{escape(case.assessment_title)}</h2>'
        f'<p class="skt-case-meta"><strong>Client:</strong> {client.age} years, Fitzpatrick skin type '
        f"{escape(client.fitzpatrick)}. <strong>Treatment:</strong> {escape(procedure_text(case))}.{notes}</p>"
        f'<div class="skt-vignette">{render.markdown_block(case.vignette)}</div>'
    )


def trainee_question(case: Case, question: Question, number: int) -> dict:
    """The question as a phone sees it while voting: no answer, no feedback, no explanation."""
    return {
        "case_html": case_html(case),
        "number": number,
        "count": len(case.questions),
        "stem_html": render.markdown_inline(question.stem),
        "hint": answer_hint(question),
        "multiple": question.multiple,
        "options": [
            {"id": letter, "html": render.markdown_inline(question.options[i].text)}
            for i, letter in enumerate(letters(question))
        ],
    }


def reveal(question: Question) -> dict:
    """The right answer, each option's feedback and the explanation: sent only after the instructor reveals."""
    return {
        "answer": to_letters(question, question.answer),
        "feedback": {LETTERS[i]: render.markdown_block(option.feedback) for i, option in enumerate(question.options)},
        "explanation_html": render.markdown_block(question.explanation),
    }
