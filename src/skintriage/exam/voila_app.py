"""The knowledge check as an ipywidgets app (JupyterLab and Voilà): the version that makes training records.

Exam mode. Before submission the front end receives only what a trainee needs to answer: the case text, the
question stems and the option *labels*. Option ids, which options are correct, their feedback and the
explanations stay in the kernel; they are rendered into the summary only after Submit. (ipywidgets sends a
RadioButtons' labels to the browser and keeps its values in Python; a Checkbox sends only its description.)
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
from IPython.display import HTML, display

from skintriage.bank.loader import Bank, load_exam_bank
from skintriage.exam import knowledge_check as kc
from skintriage.web.render import escape, markdown_block, markdown_inline, section_link

if TYPE_CHECKING:  # matplotlib is imported when a summary is drawn: a kernel waiting for a trainee does not need it
    from matplotlib.figure import Figure

RECORDS_ENV = "SKINTRIAGE_RECORDS_DIR"


def records_folder() -> Path:
    """Where attempts are saved: ``SKINTRIAGE_RECORDS_DIR``, else ``records/`` in the working folder (beside the
    notebook under Voila)."""
    return Path(os.environ.get(RECORDS_ENV) or "records")


class _Answer:
    """The input for one question: radio buttons for one answer, checkboxes for several."""

    def __init__(self, item: kc.Item, vignette: str, number: int, total: int):
        self.item = item
        question = item.question
        self.option_ids = [o.id for o in question.options]
        hint = "Select all that apply." if question.multiple else "Choose one answer."
        self.number = number
        self.header = widgets.HTML(
            f'<h3 class="skt-kc-qnum" id="skt-kc-q{number}">Question {number} of {total}</h3>'
            f'<div class="skt-kc-case"><p><strong>{escape(item.case_title)}</strong></p>'
            f"{markdown_block(vignette)}</div>"
            f'<p class="skt-kc-stem"><strong>{markdown_inline(question.stem)}</strong> '
            f"<em>{hint}</em></p>"
        )
        if question.multiple:
            self.boxes = [
                widgets.Checkbox(value=False, description=o.text, indent=False, layout=widgets.Layout(width="auto"))
                for o in question.options
            ]
            self.control = widgets.VBox(self.boxes)
        else:
            self.boxes = []
            # Labels only: the option ids (values) stay in the kernel.
            self.control = widgets.RadioButtons(
                options=[(o.text, o.id) for o in question.options],
                value=None,
                layout=widgets.Layout(width="auto"),
            )
        self.box = widgets.VBox([self.header, self.control], layout=widgets.Layout(margin="0 0 1.5em 0"))
        self.box.add_class("skt-kc-question")

    def set(self, answer: object) -> None:
        chosen = kc.normalise_answer(answer)
        if self.boxes:
            for option_id, box in zip(self.option_ids, self.boxes):
                box.value = option_id in chosen
        else:
            self.control.value = chosen[0] if chosen else None

    def get(self) -> list[str]:
        if self.boxes:
            return [option_id for option_id, box in zip(self.option_ids, self.boxes) if box.value]
        return [self.control.value] if self.control.value else []

    def disable(self) -> None:
        for widget in self.boxes or [self.control]:
            widget.disabled = True


# Long option labels wrap instead of overlapping (ipywidgets gives radio items a fixed height).
_STYLE = """<style>
.skt-kc-question .widget-radio-box label, .skt-kc-question .widget-checkbox label {
  height: auto !important; white-space: normal !important; line-height: 1.4 !important;
  margin: 0.2em 0 0.4em !important; overflow: visible !important;
}
.skt-kc-question .widget-radio-box, .skt-kc-question .widget-checkbox { height: auto !important; }
.skt-kc-question .widget-radio-box input, .skt-kc-question .widget-checkbox input { flex: none; align-self: flex-start; margin-top: 0.25em; }
.skt-kc-question .widget-checkbox { align-items: flex-start; }
</style>"""


class ExamApp:
    """Draw a set, show it, and on Submit score it, save the record and show the summary."""

    def __init__(
        self,
        bank: Bank | None = None,
        *,
        n_questions: int = kc.DEFAULT_N,
        seed: int | None = None,
        pass_mark: float = kc.DEFAULT_PASS_MARK,
        records_dir: str | Path | None = None,
        trainee_name: str = "",
        register=None,
        staff_id: str = "",
    ):
        # The held-back exam pool: the public practice bank's answers ship with the website.
        self.bank = bank if bank is not None else load_exam_bank()
        # With a register (a RegisterConfig) the trainee is identified against the roster and the attempt is
        # stored in the database; without one, only the signed files are written.
        self.register = register
        self.seed = int(seed) if seed is not None else kc.new_seed()
        self.pass_mark = float(pass_mark)
        self.records_dir = Path(records_dir) if records_dir else records_folder()
        self.items = kc.draw(self.bank, n_questions, self.seed)
        self.record: kc.Record | None = None
        self.files: dict[str, Path] = {}

        self.name = widgets.Text(
            value=trainee_name,
            description="Your name",
            placeholder="First and last name",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="28em"),
        )
        self.name.add_class("skt-kc-name")
        # Shown beside the name box when Submit finds it empty (the announcement is the one by the button).
        self.name_hint = widgets.HTML()
        self.name_hint.add_class("skt-kc-name-hint")
        self.picker = None
        if register is not None:
            from skintriage.register.identify import TraineePicker, roster_choices

            self.picker = TraineePicker(roster_choices(register), staff_id)
        self.answers = [
            _Answer(item, self.bank[item.case_id].vignette, n, len(self.items))
            for n, item in enumerate(self.items, start=1)
        ]
        self.submit_button = widgets.Button(
            description="Submit answers",
            button_style="primary",
            tooltip="Submit: your answers are marked and recorded; they cannot be changed afterwards",
        )
        self.submit_button.on_click(lambda _button: self.submit())
        # Right beside the button, so a refusal is seen where the trainee pressed, not off-screen below it.
        self.status = widgets.HTML()
        self.status.add_class("skt-kc-status")
        self.counter = widgets.HTML()
        self.counter.add_class("skt-kc-counter")
        for answer in self.answers:
            for control in answer.boxes or [answer.control]:
                control.observe(lambda _change: self._update_counter(), names="value")
        self._update_counter()
        # The unanswered questions the trainee has already been warned about: a second Submit with the same
        # gaps submits; a different set of gaps warns again.
        self._confirmed_blanks: tuple[str, ...] | None = None
        self.summary = widgets.Output()
        intro = widgets.HTML(
            _STYLE + f"<p>{len(self.items)} questions drawn from the course's exam cases, which are not among the "
            f"practice cases on the website (question set "
            f'<strong class="skt-kc-seed">{self.seed}</strong>). Exam mode: you see no feedback until you '
            f"submit. The pass mark is {self.pass_mark:g} %. A question with several answers counts as right "
            "only if you choose exactly the right ones.</p>"
            "<p>When you submit, your name, the time, your answers and your score are saved as your clinic's "
            "training record.</p>"
        )
        submit_row = widgets.HBox(
            [self.submit_button, self.status], layout=widgets.Layout(flex_flow="row wrap", align_items="center")
        )
        submit_row.add_class("skt-kc-submit-row")
        self.widget = widgets.VBox(
            [
                intro,
                widgets.HBox(
                    [self.picker.widget if self.picker else self.name, self.name_hint],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="flex-end"),
                ),
                *[a.box for a in self.answers],
                self.counter,
                submit_row,
                self.summary,
            ]
        )

    # --- answering and submitting ------------------------------------------------------------------------

    def fill(self, answers: dict[str, object]) -> None:
        """Set the widgets from ``{"case-id/question-id": option id or ids}`` (automated runs)."""
        by_key = {a.item.key: a for a in self.answers}
        unknown = sorted(set(answers) - set(by_key))
        if unknown:
            raise KeyError(f"not in this question set: {', '.join(unknown)}")
        for key, answer in answers.items():
            by_key[key].set(answer)

    def given(self) -> dict[str, list[str]]:
        return {a.item.key: a.get() for a in self.answers}

    def unanswered(self) -> list[_Answer]:
        return [a for a in self.answers if not a.get()]

    def _update_counter(self) -> None:
        done = len(self.answers) - len(self.unanswered())
        self.counter.value = f'<p class="skt-kc-count">{done} of {len(self.answers)} answered</p>'

    def submit(self, *, confirm_unanswered: bool = False) -> kc.Record | None:
        """Score and save. Refuses without a name; with unanswered questions it first warns and names them,
        and a second Submit with the same gaps (or ``confirm_unanswered``) submits."""
        if self.record is not None:
            return self.record
        if self.picker is not None:
            staff_id, problem = self.picker.chosen()
            name = ""
        else:
            staff_id, name = None, self.name.value.strip()
            problem = None if name else "Enter your name before submitting."
        if problem:
            where = "Your name is at the top." if self.picker is not None else "The name box is at the top."
            self.status.value = f'<p class="skt-kc-error" role="alert"><strong>{escape(problem)}</strong> {where}</p>'
            hint = "Choose your name here." if self.picker is not None else "Enter your name here."
            self.name_hint.value = f'<p class="skt-kc-error">{hint}</p>'
            (self.picker.name if self.picker is not None else self.name).focus()
            return None
        self.name_hint.value = ""
        blanks = tuple(a.item.key for a in self.unanswered())
        if blanks and not confirm_unanswered and blanks != self._confirmed_blanks:
            self._confirmed_blanks = blanks
            self.status.value = self._unanswered_warning()
            return None
        from skintriage.register.attempts import UnknownStaff, issue

        record = kc.score(
            self.bank,
            self.items,
            self.given(),
            name=name,
            seed=self.seed,
            pass_mark=self.pass_mark,
            mode=kc.MODE_TRAINING,
        )
        try:
            issued = issue(record, self.records_dir, self.register, staff_id=staff_id)
        except UnknownStaff as error:
            self.status.value = f'<p class="skt-kc-error" role="alert"><strong>{escape(str(error))}</strong></p>'
            return None
        self.record, self.files = issued.record, issued.files
        if self.picker is not None:
            self.picker.disable()
        self.name.disabled = True
        self.submit_button.disabled = True
        for answer in self.answers:
            answer.disable()
        self.status.value = "<p><strong>Submitted.</strong> Your summary is below.</p>"
        with self.summary:
            self.show_summary()
        return self.record

    # --- the summary (rendered only after submission) -------------------------------------------------------

    def show_summary(self) -> None:
        record = self.record
        verdict = "PASS" if record.passed else "NOT YET PASSED"
        display(
            HTML(
                f'<h2 class="skt-kc-result">Score: <span class="skt-kc-score">{record.correct} of {record.total} '
                f"({record.score_percent:g} %)</span>: {verdict}</h2>"
                f"<p>Pass mark {record.pass_mark:g} %. Recorded for {escape(record.name)} at "
                f"{escape(record.submitted_at)} on case bank {escape(record.bank_fingerprint[:12])}.</p>"
            )
        )
        display(HTML(chart_html(record)))
        display(HTML(self.missed_html()))
        display(HTML(self.downloads_html()))

    def _unanswered_warning(self) -> str:
        blank = self.unanswered()
        links = ", ".join(f'<a href="#skt-kc-q{a.number}">question {a.number}</a>' for a in blank)
        count = f"{len(blank)} question has" if len(blank) == 1 else f"{len(blank)} questions have"
        return (
            f'<p class="skt-kc-warning" role="alert"><strong>{count} no answer</strong> and will count as wrong: '
            f"{links}. Answer them, or press <strong>Submit answers</strong> again to submit anyway.</p>"
        )

    def missed_html(self) -> str:
        missed = [(a, r) for a, r in zip(self.answers, self.record.questions) if not r.is_correct]
        if not missed:
            return "<h3>Questions missed</h3><p>None: every answer was right.</p>"
        parts = [f"<h3>Questions missed ({len(missed)})</h3>"]
        for answer, result in missed:
            question = answer.item.question
            texts = {o.id: o for o in question.options}
            chosen = (
                "".join(
                    f"<li>{markdown_inline(texts[i].text)}: {markdown_inline(texts[i].feedback)}</li>"
                    for i in result.answer_given
                )
                or "<li>No answer given.</li>"
            )
            right = "".join(f"<li>{markdown_inline(texts[i].text)}</li>" for i in question.answer)
            parts.append(
                '<div class="skt-kc-missed">'
                f"<h4>Question {result.number}: {markdown_inline(question.stem)}</h4>"
                f"<p>Case: {escape(answer.item.case_title)}</p>"
                f"<p>You chose:</p><ul>{chosen}</ul>"
                f"<p>The right answer:</p><ul>{right}</ul>"
                f"<p>{markdown_inline(question.explanation)}</p>"
                f"<p>Read again: {section_link(question.section, self.bank.sections)}</p>"
                "</div>"
            )
        return "".join(parts)

    def downloads_html(self) -> str:
        links = [
            _data_link(self.files["json"], "application/json", "Download record (JSON)"),
            _data_link(self.files["csv"], "text/csv", "Download record (CSV)"),
        ]
        if "certificate" in self.files:
            links.append(_data_link(self.files["certificate"], "application/pdf", "Download certificate (PDF)"))
        saved = ", ".join(escape(path.name) for path in self.files.values())
        return (
            "<h3>Your record</h3><ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
            f"<p>Saved on the server in <code>{escape(str(self.records_dir))}/</code>: {saved}.</p>"
        )

    def show(self) -> None:
        display(self.widget)


def _data_link(path: Path, mime: str, text: str) -> str:
    payload = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<a download="{html.escape(path.name)}" href="data:{mime};base64,{payload}">{html.escape(text)}</a>'


def chart_html(record: kc.Record) -> str:
    """The per-topic chart as an <img> with a text alternative that lists the same numbers."""
    buffer = io.BytesIO()
    topic_chart(record).savefig(buffer, format="png", dpi=100)
    payload = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = "Questions right per topic: " + "; ".join(
        f"{kc.CATEGORY_TITLES.get(c, c)} {right} of {total}" for c, (right, total) in record.per_category().items()
    )
    return (
        f'<h3>Score by topic</h3><img class="skt-kc-chart" alt="{escape(alt)}" src="data:image/png;base64,{payload}">'
    )


def topic_chart(record: kc.Record) -> Figure:
    """Horizontal bars: percentage right per category (topic), with the pass mark as a line."""
    from matplotlib.figure import Figure

    per = record.per_category()
    labels = [kc.CATEGORY_TITLES.get(c, c) for c in per]
    percents = [100 * right / total for right, total in per.values()]
    figure = Figure(figsize=(7, 0.45 * len(per) + 1.2), layout="constrained")
    axes = figure.add_subplot()
    colours = ["#2e7d32" if p >= record.pass_mark else "#c62828" for p in percents]
    bars = axes.barh(labels[::-1], percents[::-1], color=colours[::-1])
    for bar, (right, total) in zip(bars, list(per.values())[::-1]):
        axes.text(
            min(bar.get_width() + 1, 88),
            bar.get_y() + bar.get_height() / 2,
            f"{right}/{total}",
            va="center",
            fontsize=9,
        )
    axes.axvline(record.pass_mark, color="#444444", linestyle="--", linewidth=1)
    axes.set_xlim(0, 100)
    axes.set_xlabel("questions right (%); dashed line: pass mark")
    return figure


def run(
    *,
    seed: int | None = None,
    n_questions: int = kc.DEFAULT_N,
    pass_mark: float = kc.DEFAULT_PASS_MARK,
    trainee_name: str = "",
    answers: dict | None = None,
    records_dir: str | Path | None = None,
    bank: Bank | None = None,
    register=None,
    staff_id: str = "",
) -> ExamApp:
    """Show the exam. With ``answers`` (an automated run) the widgets are filled and submitted."""
    app = ExamApp(
        bank,
        n_questions=n_questions,
        seed=seed,
        pass_mark=pass_mark,
        records_dir=records_dir,
        trainee_name=trainee_name,
        register=register,
        staff_id=staff_id,
    )
    app.show()
    if answers is not None:
        app.fill(answers)
        app.submit(confirm_unanswered=True)  # an automated run means what it filled in
    return app
