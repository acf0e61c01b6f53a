"""One page per case, a filterable case index, and group pages that keep old addresses working.

Each case gets ``book/cases/<case-id>.html``: a stable address an instructor can send, costing the same
whatever the size of the bank. The pages are Sphinx documents made straight from the case bank
(:mod:`skintriage.casesite.documents`; no kernel: the static page shows each case's HTML view), with
"case N of M" and next/previous links, and the site's search finds them.
The group pages (``infections.html`` ...) list their cases; an old link ``infections.html#case-<id>`` lands
on that case's entry, and case_index.js forwards it to the case's own page.
"""

from __future__ import annotations

from dataclasses import dataclass

from skintriage import course
from skintriage.bank.loader import Bank, load_bank
from skintriage.exam.knowledge_check import CATEGORY_TITLES
from skintriage.pageassets import needs
from skintriage.web.render import escape

# The group pages under book/cases: page name -> (title, categories). The one place that groups categories.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "healing_and_flares": ("Healing, flares and milia", ("expected_healing", "acneiform_flare", "milia")),
    "infections": ("Infections", ("bacterial_infection", "herpes_simplex", "atypical_mycobacterial")),
    "product_reactions": ("Product reactions", ("contact_dermatitis", "granulomatous_reaction")),
    "pigment_and_scars": ("Pigmentation and scarring", ("pigmentation_or_scarring",)),
}
CASES_DIR = "book/cases"
SETTING_WORDS = {"clinic": "Clinic", "unlicensed": "Unlicensed venue", "home": "At home"}


@dataclass(frozen=True)
class Place:
    """Where a case sits: its group page, its number there, and its neighbours in reading order."""

    case_id: str
    group: str
    number: int
    of: int
    previous: str | None
    next: str | None


def reading_order(bank: Bank) -> list[Place]:
    """Every case once, group by group in :data:`GROUPS` order, in bank order within a group."""
    grouped = [(group, case.id) for group, (_, cats) in GROUPS.items() for case in bank.by_category(*cats)]
    listed = [case_id for _, case_id in grouped]
    missing = sorted(set(bank) - set(listed))
    if missing:
        raise ValueError(f"cases in no group of skintriage.casesite.GROUPS: {', '.join(missing)}")
    sizes = {group: sum(1 for g, _ in grouped if g == group) for group in GROUPS}
    places, seen = [], {}
    for i, (group, case_id) in enumerate(grouped):
        seen[group] = seen.get(group, 0) + 1
        places.append(
            Place(
                case_id,
                group,
                seen[group],
                sizes[group],
                listed[i - 1] if i > 0 else None,
                listed[i + 1] if i + 1 < len(listed) else None,
            )
        )
    return places


def _nav(place: Place, bank: Bank, where: str) -> str:
    title = GROUPS[place.group][0]
    previous = (
        f'<a class="skt-case-prev" rel="prev" href="{escape(place.previous)}.html">Previous case</a>'
        if place.previous
        else ""
    )
    following = (
        f'<a class="skt-case-next" rel="next" href="{escape(place.next)}.html">Next case</a>'
        if place.next
        else '<a class="skt-case-next" href="index.html">Back to all cases</a>'
    )
    return (
        f'<nav class="skt-case-nav" {needs("case-nav")} aria-label="Cases ({where})">'
        f'<p class="skt-case-count">Case {place.number} of {place.of} in '
        f'<a href="{escape(place.group)}.html">{escape(title)}</a></p>'
        f'<p class="skt-case-links">{previous} <a href="index.html">All cases</a> {following}</p></nav>'
    )


@dataclass(frozen=True)
class CasePage:
    """One case's page: its title, and the HTML under it in three parts, of which only ``story`` (the case as
    the client presents it: story, face map, review form) is what the site's search indexes. The quiz's
    options and feedback name other conditions ("cold sore" is a wrong option in many cases), and would make
    a search find every case that mentions a condition only to rule it out."""

    title: str
    before: str
    story: str
    after: str

    @property
    def html(self) -> str:
        return self.before + self.story + self.after


def case_page(place: Place, bank: Bank) -> CasePage:
    from skintriage.web.casepage import CaseView

    case = bank[place.case_id]
    view = CaseView(case, bank, page_dir=course.course_root() / CASES_DIR)
    start, story, quiz = view.parts()
    return CasePage(
        f"Case {place.number} of {place.of}: {GROUPS[place.group][0]}",
        _nav(place, bank, "top") + start,
        story,
        quiz + _nav(place, bank, "bottom"),
    )


def group_list_html(group: str, bank: Bank | None = None) -> str:
    """A group page's list of its cases. Each entry keeps the case's old anchor (``#case-<id>``), so a bookmark
    into the old long page still finds its case; with JavaScript it goes straight to the case's page."""
    bank = bank or load_bank()
    title, categories = GROUPS[group]
    items = "".join(
        f'<li id="case-{escape(case.id)}"><a href="{escape(case.id)}.html">{escape(case.title)}</a> '
        f'<span class="skt-case-level">({escape(case.difficulty)})</span></li>'
        for case in bank.by_category(*categories)
    )
    return (
        f'<div class="skt-case-group" {needs("case-list")}>'
        f'<ol class="skt-case-list" aria-label="{escape(title)}: cases">{items}</ol></div>'
    )


def _select(name: str, label: str, values: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(text)}</option>' for v, text in values)
    return (
        f'<label class="skt-filter"><span>{escape(label)}</span>'
        f'<select data-filter="{escape(name)}"><option value="">All</option>{options}</select></label>'
    )


def index_html(bank: Bank | None = None) -> str:
    """Every case, with filters by category, difficulty, skin type and setting (the list works without JS)."""
    bank = bank or load_bank()
    places = reading_order(bank)
    cases = [bank[p.case_id] for p in places]
    rows = "".join(
        f'<li data-category="{escape(c.category)}" data-difficulty="{escape(c.difficulty)}" '
        f'data-skin="{escape(c.client.fitzpatrick)}" data-setting="{escape(c.procedure.setting)}">'
        f'<a href="{escape(c.id)}.html">{escape(c.title)}</a> '
        f'<span class="skt-case-level">{escape(CATEGORY_TITLES.get(c.category, c.category))} · {escape(c.difficulty)}'
        f" · skin type {escape(c.client.fitzpatrick)} · {escape(SETTING_WORDS[c.procedure.setting])}</span></li>"
        for c in cases
    )

    def present(attr):
        return sorted({attr(c) for c in cases})

    filters = "".join(
        [
            _select(
                "category",
                "Category",
                [(k, CATEGORY_TITLES.get(k, k)) for k in CATEGORY_TITLES if k in present(lambda c: c.category)],
            ),
            _select(
                "difficulty",
                "Difficulty",
                [(d, d) for d in ("foundation", "intermediate", "advanced") if d in present(lambda c: c.difficulty)],
            ),
            _select("skin", "Skin type", [(s, f"Type {s}") for s in present(lambda c: c.client.fitzpatrick)]),
            _select(
                "setting",
                "Setting",
                [(s, SETTING_WORDS[s]) for s in SETTING_WORDS if s in present(lambda c: c.procedure.setting)],
            ),
        ]
    )
    return (
        f'<div class="skt-case-index" {needs("case-list")}>'
        f'<form class="skt-case-filters" hidden aria-label="Filter the cases">{filters}</form>'
        f'<p class="skt-case-shown" aria-live="polite">{shown_text(len(cases))}</p>'
        f'<ul class="skt-case-list">{rows}</ul></div>'
    )


def shown_text(count: int, filtering: bool = False) -> str:
    """The index's count line; the browser rewrites it as filters change (``shownText`` in
    static/core/case_filter.js, its twin: tests/vectors/case_filter.json)."""
    noun = "case" if count == 1 else "cases"
    matching = (" matches" if count == 1 else " match") + " the filters" if filtering else ""
    return f"{count} {noun}{matching}"


def show_case_list(group: str) -> None:
    from IPython.display import HTML, display

    display(HTML(group_list_html(group)))


def show_case_index() -> None:
    from IPython.display import HTML, display

    display(HTML(index_html()))


def setup(app) -> dict:
    app.setup_extension("skintriage.casesite.documents")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
