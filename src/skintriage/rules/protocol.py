"""The printed protocol: the band tables of the handout, the facilitator guide and the escalation chapter, and the
checklist lines that instructor pages quote, all generated from the red-flag checklist (:mod:`.checklist`).

Pages never restate a red flag or a band by hand: they use the Sphinx directive ``{skt-bands}`` and the role
``{skt-sign}`` (:mod:`skintriage.rules.directives`), which render this module's MyST Markdown. Every text from the
rules is escaped (:func:`~skintriage.rules.checklist.escape_markdown`). The one thing here that is not in the rules
file is :data:`ROUTES`: who each band goes to and how fast (the escalation routes in book/escalation.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from skintriage.rules.checklist import Band, Sign, checklist, escape_markdown
from skintriage.rules.model import Rules, load_rules
from skintriage.vocab import ACTIONS


@dataclass(frozen=True)
class Route:
    """Who a band goes to, and how fast."""

    who: str
    how_fast: str


#: The escalation route of each action (book/escalation.md, sec-escalation-routes, shows them as a table).
ROUTES: dict[str, Route] = {
    "emergency": Route(
        "Emergency or urgent care (local emergency number if severe)", "Now. Then tell the clinic prescriber"
    ),
    "same_day": Route(
        "Named prescriber, or the back-up",
        "Today. If no prescriber can see the client today, use the local urgent-care route",
    ),
    "review": Route("Clinic prescriber or lead clinician", "Book before the call ends; within a few days"),
    "monitor": Route("Your clinic, at the next planned contact", "Routine"),
}

#: The columns a band table can show, with their header words.
COLUMNS: dict[str, str] = {
    "band": "Band",
    "signs": "Red flags and signs",
    "route": "Who, how fast",
    "who": "Who",
    "how_fast": "How fast",
}
#: Relative widths of the columns (MyST list-table ``:widths:``).
_WIDTHS = {"band": 17, "signs": 55, "route": 28, "who": 30, "how_fast": 35}


def _bands(rules: Rules | None, actions: list[str] | None) -> list[Band]:
    bands = checklist(rules)
    if actions is None:
        return bands
    known = [band.action for band in bands]
    unknown = [a for a in actions if a not in known]
    if unknown:
        raise ValueError(f"unknown band {', '.join(map(repr, unknown))}; the rules' bands are {', '.join(known)}")
    return [band for band in bands if band.action in actions]


def route_text(action: str) -> str:
    """One cell's words for who and how fast, e.g. "Named prescriber, or the back-up. Today. ..."."""
    route = ROUTES[action]
    return f"{route.who}. {route.how_fast}."


def _cell(column: str, band: Band) -> list[str]:
    """One cell of a list-table row as MyST lines (a bulleted list for the signs), every rules text escaped."""
    if column == "band":
        return [f"**{escape_markdown(band.heading)}**"]
    if column == "signs":
        return [f"- {escape_markdown(summary)}" for summary in band.summaries]
    if column == "route":
        return [escape_markdown(route_text(band.action))]
    route = ROUTES[band.action]
    return [escape_markdown(route.who if column == "who" else route.how_fast)]


def band_table_markdown(
    rules: Rules | None = None,
    columns: tuple[str, ...] = ("band", "signs", "route"),
    actions: list[str] | None = None,
    css_class: str = "skt-bands",
) -> str:
    """The bands as one MyST ``list-table``, most urgent first: each band's heading, its checklist lines (red flags,
    then category signs, then checklist-only signs, as :func:`checklist` gives them) and its route.

    ``columns`` picks from :data:`COLUMNS`; ``actions`` keeps some bands only (in the rules' order).
    """
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or not columns:
        raise ValueError(f"unknown column {', '.join(map(repr, unknown))}; known: {', '.join(COLUMNS)}")
    rules = rules or load_rules()
    lines = [
        "```{list-table}",
        ":header-rows: 1",
        f":class: {css_class}",
        f":widths: {' '.join(str(_WIDTHS[c]) for c in columns)}",
        "",
    ]
    rows = [[[COLUMNS[c]] for c in columns]]
    rows += [[_cell(c, band) for c in columns] for band in _bands(rules, actions)]
    for row in rows:
        for i, cell in enumerate(row):
            lead = "* - " if i == 0 else "  - "
            lines.append(lead + cell[0])
            lines += [("    " + line) if line else "" for line in cell[1:]]
    lines.append("```")
    source = f"Bands generated from the course's triage rules, edition {rules.edition}."
    lines += ["", "```{container} skt-bands-source", escape_markdown(source), "```"]
    return "\n".join(lines) + "\n"


def find_sign(rule_id: str, rules: Rules | None = None) -> tuple[Sign, Band]:
    """The checklist line of a rule (a red flag, a category rule with a summary, or a checklist-only sign)."""
    bands = checklist(rules)
    for band in bands:
        for sign in band.signs:
            if sign.id == rule_id:
                return sign, band
    raise KeyError(
        f"no checklist line has the id '{rule_id}' (red flags, category rules with a summary, checklist_only)"
    )


def sign_quote(rule_id: str, rules: Rules | None = None) -> str:
    """A checklist line as a page quotes it: the summary in quotes and its band's short word, e.g.
    ``“Pain getting worse instead of settling” (same day)``. Plain text: the caller escapes it."""
    sign, band = find_sign(rule_id, rules or load_rules())
    return f"\u201c{sign.summary}\u201d ({ACTIONS[band.action]['short']})"
