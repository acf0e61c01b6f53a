"""An instructor's live session: project one case at a time, quiz the room, then reveal the rules' verdict.

``Session()`` in a notebook cell (JupyterLab, or Voilà with ``make session``) shows a case picker, Previous and
Next buttons, the current case as its live :class:`~skintriage.casepage.CaseView` (vignette, face map, review
form and the quiz the instructor drives with the room's answers), a toggle that reveals what the course's
triage rules say (empty until pressed, so the room answers first) and a large-text toggle for projection.

It is a training aid, not a diagnostic tool: local protocols and prescribers decide.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets

from skintriage.bank.loader import Bank, BankError
from skintriage.bank.schema import Case
from skintriage.explorer import NOT_A_DEVICE, result_html
from skintriage.rules import Rules, load_rules, triage
from skintriage.web import casepage
from skintriage.web.casepage import CaseView
from skintriage.web.render import escape

#: The cases book/instructor/facilitator_guide.md projects, in its order (a test keeps the two in step).
GUIDE_CASES: tuple[str, ...] = (
    "heal-day1-redness-pinpoint-crusts",
    "heal-day3-flaking-purge-worry",
    "acne-client-says-purge-day5",
    "hsv-lip-tingling-day2",
    "hsv-pimples-no-blisters-day3",
    "bact-impetigo-honey-crusts-day4",
    "bact-cellulitis-fever-unwell-day4",
    "mimic-acne-pustules-not-infection-day5",
    "ntm-antibiotics-failed-day45",
    "gran-vitc-pen-papules-week3",
    "milia-occlusive-balm-week2",
)

REVEAL = "Reveal what the course's rules say"
HIDE = "Hide the rules' verdict"
LARGE_CLASS = "skt-session-large"

# Projection: widgets take their sizes from these CSS variables, so one class on the session's box scales them.
_STYLE = f"""<style>
.skt-session .skt-session-bar {{ flex-wrap: wrap; gap: 0.25rem; align-items: center; }}
.skt-session .skt-session-position {{ padding: 0 0.75rem; font-weight: bold; }}
.skt-session .widget-radio-box label {{ display: flex; flex-direction: row-reverse; justify-content: flex-end;
  align-items: baseline; gap: 0.4rem; height: auto; }}
.skt-session .widget-vbox > .jupyter-button {{ align-self: flex-start; }}
.skt-session.{LARGE_CLASS} {{
  --jp-widgets-font-size: 1.45rem; --jp-widgets-inline-height: 2.6rem;
  --jp-widgets-radio-item-height-adjustment: 1rem; --jp-widgets-inline-label-width: 5rem;
  font-size: 1.45rem;
}}
.skt-session.{LARGE_CLASS} .widget-html-content {{ font-size: 1.45rem; line-height: 1.45; }}
.skt-session.{LARGE_CLASS} .widget-radio-box label,
.skt-session.{LARGE_CLASS} .widget-checkbox label {{ font-size: 1.45rem; line-height: 1.4; height: auto; }}
.skt-session.{LARGE_CLASS} .jupyter-button {{ width: auto; min-width: 8rem; padding: 0 1rem; }}
.skt-session.{LARGE_CLASS} input[type="radio"],
.skt-session.{LARGE_CLASS} input[type="checkbox"] {{ width: 1.3rem; height: 1.3rem; flex-shrink: 0; }}
.skt-session.{LARGE_CLASS} h2 {{ font-size: 2.1rem; }}
.skt-session.{LARGE_CLASS} h3 {{ font-size: 1.7rem; }}
.skt-session .skt-facemap svg {{ max-width: 24rem; height: auto; }}
.skt-session.{LARGE_CLASS} .skt-facemap svg {{ max-width: 34rem; }}
</style>"""


def shipped_bank() -> Bank:
    """The course's case bank, loaded once per kernel (shared with ``show_case``)."""
    return casepage._shipped_bank()


def case_label(case: Case, number: int) -> str:
    """``Case 3: title``, as plain text (a Dropdown shows option labels as text, never as HTML).

    Neutral on purpose: the picker is projected before the room answers "what is most likely?", so it names no
    category and uses the case's neutral assessment title (a case's own title may hint at the answer)."""
    return f"Case {number}: {case.assessment_title}"


def verdict_html(case: Case, rules: Rules | None = None) -> str:
    """The traffic light, category and reasons the course's rules give for this case's findings (escaped)."""
    rules = rules or load_rules()
    return (
        '<div class="skt-session-verdict"><p><strong>What the course\'s rules say</strong> about the findings '
        "on this case's review form:</p>"
        f"{result_html(triage(case.findings, rules), rules, inline_style=True)}"
        f"<p><em>{escape(NOT_A_DEVICE)} Local protocols and prescribers decide.</em></p></div>"
    )


class Session:
    """Cases to project, one at a time. ``Session(case_ids=[...])`` limits the picker to a session plan."""

    def __init__(self, bank: Bank | None = None, case_ids: Iterable[str] | None = None, rules: Rules | None = None):
        self.bank = bank or shipped_bank()
        self._rules = rules  # None: the course's rules file, read when the verdict is revealed
        ids = list(self.bank) if case_ids is None else list(case_ids)
        if not ids:
            raise ValueError("no cases to show: case_ids is empty")
        unknown = [i for i in ids if i not in self.bank.cases]
        if unknown:
            raise KeyError(f"no case with id {', '.join(repr(i) for i in unknown)} in the bank")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"case ids listed twice: {', '.join(repeated)}")
        self.case_ids = ids

        wide = {"description_width": "initial"}
        self.picker = widgets.Dropdown(
            options=[(case_label(self.bank[i], n), i) for n, i in enumerate(ids, start=1)],
            value=ids[0],
            description="Case",
            style=wide,
            layout=widgets.Layout(width="100%", max_width="52rem"),
        )
        self.previous_button = widgets.Button(description="Previous", tooltip="The previous case")
        self.next_button = widgets.Button(description="Next", tooltip="The next case")
        self.position = widgets.HTML()
        self.reveal_button = widgets.ToggleButton(
            value=False, description=REVEAL, button_style="warning", layout=widgets.Layout(width="auto")
        )
        self.large_button = widgets.ToggleButton(
            value=False, description="Large text (projector)", layout=widgets.Layout(width="auto")
        )
        self.verdict = widgets.HTML("")
        self.case_box = widgets.VBox()
        self.view: CaseView | None = None
        self.quiz = None  # the current case's QuizWidget

        bar = widgets.HBox([self.previous_button, self.next_button, self.position, self.large_button])
        bar.add_class("skt-session-bar")
        self.box = widgets.VBox(
            [widgets.HTML(_STYLE), self.picker, bar, self.case_box, self.reveal_button, self.verdict]
        )
        self.box.add_class("skt-session")

        self.picker.observe(lambda change: self._show(change["new"]), names="value")
        self.previous_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.reveal_button.observe(lambda _: self._update_verdict(), names="value")
        self.large_button.observe(lambda change: self.set_large(change["new"]), names="value")
        self._show(ids[0])

    # --- what the instructor does ----------------------------------------------------------------------------

    @property
    def rules(self) -> Rules:
        return self._rules or load_rules()  # load_rules re-reads the file when it changes

    @property
    def index(self) -> int:
        return self.case_ids.index(self.picker.value)

    @property
    def case(self) -> Case:
        return self.bank[self.picker.value]

    def pick(self, case_id: str) -> None:
        if case_id not in self.case_ids:
            raise KeyError(f"case '{case_id}' is not in this session's list")
        self.picker.value = case_id

    def next(self) -> None:
        if self.index + 1 < len(self.case_ids):
            self.picker.value = self.case_ids[self.index + 1]

    def previous(self) -> None:
        if self.index > 0:
            self.picker.value = self.case_ids[self.index - 1]

    def reveal(self, shown: bool = True) -> None:
        self.reveal_button.value = shown

    def set_large(self, large: bool = True) -> None:
        if large:
            self.box.add_class(LARGE_CLASS)
        else:
            self.box.remove_class(LARGE_CLASS)
        if self.large_button.value != large:
            self.large_button.value = large

    # --- views -------------------------------------------------------------------------------------------------

    def _show(self, case_id: str) -> None:
        case = self.bank[case_id]
        self.view = CaseView(case, self.bank)
        self.quiz = self.view.quiz.widget()
        # CaseView's live view: the case text above its quiz.
        self.case_box.children = [widgets.HTML(self.view.intro_html()), self.quiz.box]
        index = self.case_ids.index(case_id)
        self.position.value = f'<span class="skt-session-position">Case {index + 1} of {len(self.case_ids)}</span>'
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(self.case_ids) - 1
        if self.reveal_button.value:
            self.reveal_button.value = False  # a new case: the room answers before the verdict is shown
        else:
            self._update_verdict()

    def _update_verdict(self) -> None:
        shown = self.reveal_button.value
        self.reveal_button.description = HIDE if shown else REVEAL
        # Hidden means empty, not styled away: nothing of the verdict reaches the projected page before Reveal.
        if not shown:
            self.verdict.value = ""
            return
        try:
            self.verdict.value = verdict_html(self.case, self.rules)
        except BankError as error:  # a broken rules file: say so, keep the session running
            self.verdict.value = (
                f"<p><strong>The course's rules file has problems</strong>, so no verdict can be "
                f"shown:</p><pre>{escape(str(error))}</pre>"
            )

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = (
            f"Instructor session: {len(self.case_ids)} cases (run it in JupyterLab or Voila "
            f"to see the controls). {NOT_A_DEVICE}"
        )
        return bundle


__all__ = ["GUIDE_CASES", "Session", "case_label", "verdict_html"]
