"""A case as a page section: vignette, review form, face map and its quiz, in both views.

Case pages call :func:`show_cases` with the categories they cover, so every case in the bank appears on the
site without being listed twice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from skintriage.bank.loader import Bank, load_bank
from skintriage.bank.schema import Case
from skintriage.pageassets import needs
from skintriage.quiz.core import Quiz
from skintriage.web import render
from skintriage.web.display import static_build
from skintriage.web.render import escape

_WORDS = {
    "day_of_onset": "Began on day",
    "days_since_treatment": "Days since treatment",
    "trend": "Trend",
    "lesions": "What you see",
    "distribution": "Where",
    "symptoms": "What the client feels",
    "history": "History",
}


def words(identifier: str) -> str:
    """``punched_out_erosions`` → ``punched out erosions``: identifiers read as plain words."""
    return identifier.replace("_", " ")


def procedure_text(case: Case) -> str:
    procedure = case.procedure
    text = {
        "pen": "Pen (motorised) microneedling",
        "roller": "Roller microneedling",
        "radiofrequency": "Radiofrequency microneedling",
    }[procedure.device]
    if procedure.adjuncts:
        text += " with " + ", ".join(
            words(a).replace("prp", "PRP").replace("vitamin c", "vitamin C") for a in procedure.adjuncts
        )
    if procedure.setting != "clinic":
        text += {"unlicensed": " at an unlicensed venue", "home": " at home"}[procedure.setting]
    return text


def findings_html(case: Case, page_dir: Path | None = None) -> str:
    rows = []
    for name, label in _WORDS.items():
        value = getattr(case.findings, name)
        if isinstance(value, frozenset):
            value = ", ".join(sorted(words(v) for v in value)) or "none recorded"
        else:
            value = words(str(value))
        rows.append(f"<dt>{escape(label)}</dt>\n<dd>{escape(value)}</dd>")
    if case.findings.hours_since_exposure is not None:  # optional: shown only when the form records it
        rows.append(f"<dt>Hours since the possible exposure</dt>\n<dd>{case.findings.hours_since_exposure}</dd>")

    from skintriage.explorer import explorer_query

    href = f"{render.site_href('book/explorer', page_dir=page_dir)}?{explorer_query(case.findings)}"
    # Line breaks between the elements: Sphinx's search strips tags without a space, and "Trend</dt><dd>stable"
    # would be indexed as one word.
    rows_html = "\n".join(rows)
    return (
        '<details class="skt-findings"><summary>Review form: the findings recorded</summary>\n'
        f"<dl>\n{rows_html}\n</dl>\n"
        f'<p><a class="skt-open-explorer" href="{escape(href)}">Open these findings in the explorer</a> '
        "(change one at a time and see what the rules say)</p></details>"
    )


_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def face_map_html(case: Case) -> str:
    from skintriage.figures import face_map_svg

    svg = face_map_svg(sorted(case.findings.distribution), sorted(case.findings.lesions))
    # Several maps share a page: give each map's internal ids (clip paths, groups) the case's prefix.
    svg = _SVG_ID.sub(lambda m: f"{m.group(1)}{case.id}-{m.group(2)}", svg)
    return f'<figure class="skt-facemap">{svg}</figure>'


class CaseView:
    """One case: static HTML for the book, a widget (the case text above its live quiz) in Jupyter."""

    def __init__(self, case: Case, bank: Bank, page_dir: Path | None = None):
        self.case = case
        self.page_dir = page_dir
        self.quiz = Quiz.from_case(case, bank, page_dir)

    def intro_html(self) -> str:
        case = self.case
        client = case.client
        return f"""<h2 class="skt-case-title" id="case-{escape(case.id)}">{escape(case.title)}</h2>
<p class="skt-case-meta"><strong>Client:</strong> {client.age} years, Fitzpatrick skin type {escape(client.fitzpatrick)}.
<strong>Treatment:</strong> {escape(procedure_text(case))}. <strong>Level:</strong> {escape(case.difficulty)}.</p>
{f'<p class="skt-case-meta">{escape(client.notes)}</p>' if client.notes else ""}
<div class="skt-vignette">{render.markdown_block(case.vignette)}</div>
{face_map_html(case)}
{findings_html(case, self.page_dir)}"""

    def parts(self) -> tuple[str, str, str]:
        """The HTML in three parts: section start, the case itself (story, face map, review form), then the quiz
        and section end. The case's own page lets the site's search read only the middle part."""
        start = f'<section class="skt-case" {needs("case")} aria-labelledby="case-{escape(self.case.id)}">\n'
        return start, self.intro_html(), f"\n{self.quiz.to_html()}\n</section>"

    def to_html(self) -> str:
        return "".join(self.parts())

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        if not static_build():
            import ipywidgets as widgets

            live = widgets.VBox([widgets.HTML(self.intro_html()), self.quiz.widget().box])
            bundle = live._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = f"Case {self.case.id}: {self.case.title}"
        return bundle


@lru_cache(maxsize=1)
def _shipped_bank() -> Bank:
    return load_bank()


def case_views(*categories: str, bank: Bank | None = None) -> list[CaseView]:
    bank = bank or _shipped_bank()
    cases = bank.by_category(*categories)
    if not cases:
        raise ValueError(f"no cases in the bank for {', '.join(categories)}")
    return [CaseView(case, bank) for case in cases]


def show_case(case_id: str, bank: Bank | None = None) -> None:
    """Display one case and its quiz (an instructor projecting a single case)."""
    from IPython.display import display

    bank = bank or _shipped_bank()
    display(CaseView(bank[case_id], bank))


def show_cases(*categories: str, bank: Bank | None = None) -> None:
    """Display every case of these categories, in bank order (file name order)."""
    from IPython.display import display

    for view in case_views(*categories, bank=bank):
        display(view)
