"""One quiz object, two views: an ipywidgets UI in a live kernel, self-contained HTML on the static site.

A :class:`Quiz` holds questions from the case bank. In JupyterLab or Voila its MIME bundle shows the widget;
in the built book myst-nb is told to prefer ``text/html`` (``nb_mime_priority_overrides`` in ``_config.yml``),
which is plain markup enhanced by ``static/ui/quiz.js``. Both follow the rules in :class:`QuizState`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from skintriage.bank.loader import Bank
from skintriage.bank.schema import Case, Question
from skintriage.web import render


def answer_hint(question: Question) -> str:
    """How many to choose, unless the stem already says so."""
    if question.multiple:
        return "" if "select all" in question.stem.lower() else "Select all that apply."
    return "Select one answer."


def missed_options(question: Question, chosen: list[str]) -> int:
    """Correct options left unchosen, counted on multiple-answer questions only (a one-answer question's wrong
    choice says enough). ``missed`` in static/core/quiz_core.js is its twin (tests/vectors/quiz_state.json)."""
    return len(set(question.answer) - set(chosen)) if question.multiple else 0


@dataclass
class Feedback:
    """What a trainee sees after checking one question."""

    correct: bool
    chosen: list[tuple[str, bool, str]]  # (option text, is that option right?, its feedback as HTML)
    missed: int  # correct options not chosen (multiple-answer questions)
    explanation_html: str  # empty unless correct

    def to_html(self) -> str:
        verdict = "Correct." if self.correct else "Not quite."
        parts = [f'<p class="skq-verdict"><strong>{verdict}</strong></p>']
        for text, right, note in self.chosen:
            mark = "Right" if right else "Wrong"
            parts.append(
                f'<div class="skq-fb skq-fb-{mark.lower()}"><p><strong>{mark}:</strong> {render.escape(text)}</p>{note}</div>'
            )
        if self.missed:
            parts.append(f"<p>You missed {self.missed} correct option{'s' if self.missed > 1 else ''}.</p>")
        if self.correct:
            parts.append(self.explanation_html)
        else:
            parts.append("<p>Try again: read the feedback, change your answer and check it again.</p>")
        return "\n".join(parts)


@dataclass
class QuizState:
    """Attempts and score. A question scores if it is right at the first check; it is done once right."""

    questions: list[Question]
    attempts: dict[str, int] = field(default_factory=dict)
    first_try: dict[str, bool] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    def check(self, question_id: str, chosen: list[str]) -> bool:
        question = self.question(question_id)
        correct = set(chosen) == set(question.answer)
        self.attempts[question_id] = self.attempts.get(question_id, 0) + 1
        self.first_try.setdefault(question_id, correct)
        if correct:
            self.done.add(question_id)
        return correct

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no question '{question_id}' in this quiz")

    @property
    def score(self) -> int:
        return sum(self.first_try.values())

    @property
    def total(self) -> int:
        return len(self.questions)

    def summary(self) -> str:
        return f"Score: {self.score} of {self.total} right first time. Completed: {len(self.done)} of {self.total}."

    def reset(self) -> None:
        self.attempts.clear()
        self.first_try.clear()
        self.done.clear()


class Quiz:
    """Questions from one or more cases, shown as a widget live and as HTML in the static book."""

    def __init__(
        self, questions: list[Question], *, quiz_id: str, bank: Bank, title: str = "", page_dir: Path | None = None
    ):
        if not questions:
            raise ValueError(f"quiz '{quiz_id}' has no questions")
        self.questions = questions
        self.quiz_id = quiz_id
        self.bank = bank
        self.title = title
        self.page_dir = page_dir

    @classmethod
    def from_case(cls, case: Case, bank: Bank, page_dir: Path | None = None) -> Quiz:
        return cls(list(case.questions), quiz_id=f"case-{case.id}", bank=bank, title=case.title, page_dir=page_dir)

    # --- content shared by both views --------------------------------------------------------------------

    def option_feedback_html(self, question: Question, option_id: str) -> str:
        option = next(o for o in question.options if o.id == option_id)
        return render.markdown_block(option.feedback)

    def explanation_html(self, question: Question) -> str:
        read_more = render.section_link(question.section, self.bank.sections, self.page_dir)
        sources = render.reference_links(question.references, self.bank.references, self.page_dir)
        parts = [
            f'<div class="skq-explanation">{render.markdown_block(question.explanation)}',
            f'<p class="skq-readmore">Read more: {read_more}</p>',
        ]
        if sources:
            parts.append(f'<p class="skq-sources">Sources: {sources}</p>')
        parts.append("</div>")
        return "\n".join(parts)

    def feedback(self, question: Question, chosen: list[str]) -> Feedback:
        correct = set(chosen) == set(question.answer)
        notes = [
            (o.text, o.id in question.answer, self.option_feedback_html(question, o.id))
            for o in question.options
            if o.id in chosen
        ]
        missed = missed_options(question, chosen)
        return Feedback(correct, notes, missed, self.explanation_html(question) if correct else "")

    # --- views -------------------------------------------------------------------------------------------

    def to_html(self) -> str:
        from skintriage.quiz.html_view import quiz_html

        return quiz_html(self)

    def widget(self):
        from skintriage.quiz.widget_view import QuizWidget

        return QuizWidget(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from skintriage.web.display import static_build

        bundle = {} if static_build() else self.widget().box._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = f"Quiz: {self.title or self.quiz_id} ({len(self.questions)} questions)"
        return bundle

    def data_json(self) -> str:
        """The quiz's answer key for quiz.js, safe to place inside a <script> element."""
        data = {"id": self.quiz_id, "questions": [{"id": q.id, "answer": q.answer} for q in self.questions]}
        return script_json(data)


def script_json(data: object) -> str:
    """JSON that cannot close the <script> element it sits in, whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
