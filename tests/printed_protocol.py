"""Read a page as a reader (or a printed copy) shows it and compare every band table and quoted checklist line on it
with the triage rules: a band or a sign the rules do not contain, one in the wrong band, or one left out is a
problem. Hand-written tables are read too (a ``Band`` or ``Red flags`` header makes a table a band table; a cell
with no list is split into its sentences), so a copy written by hand fails as soon as its words differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from skintriage.rules import checklist
from skintriage.rules.model import Rules
from skintriage.vocab import ACTIONS

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u00a0": " "})


def words(text: str) -> str:
    """Lower case, typographic quotes and dashes plain, whitespace collapsed, no final full stop."""
    return " ".join(text.translate(_QUOTES).lower().split()).rstrip(".").strip()


@dataclass
class BandTable:
    """A table read from a page: its header words and, per row, the band cell's text and its signs (if any)."""

    header: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    has_signs: bool = False


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;])\s+", text)
    return [p.strip().rstrip(".;").strip() for p in parts if p.strip().rstrip(".;").strip()]


def band_tables(page_html: str) -> list[BandTable]:
    """Every table on the page whose header names a band or red flags, read as its text shows."""
    soup = BeautifulSoup(page_html, "html.parser")
    for dead in soup.find_all(["script", "style"]):
        dead.decompose()
    tables = []
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        if not rows:
            continue
        header = [_text(cell) for cell in rows[0].find_all(["th", "td"])]
        lowered = [words(h) for h in header]
        if not any(h == "band" or "red flag" in h for h in lowered):
            continue
        signs_at = next((i for i, h in enumerate(lowered) if "red flag" in h), None)
        found = BandTable(header, has_signs=signs_at is not None)
        for row in rows[1:]:
            cells = row.find_all(["th", "td"])
            if not cells:
                continue
            signs: list[str] = []
            if signs_at is not None and signs_at < len(cells):
                cell = cells[signs_at]
                items = cell.find_all("li")
                signs = [_text(li) for li in items] if items else _sentences(_text(cell))
            found.rows.append((_text(cells[0]), signs))
        tables.append(found)
    return tables


def table_problems(table: BandTable, rules: Rules | None = None) -> list[str]:
    """What a band table says that the rules do not, and what of the rules it leaves out."""
    bands = checklist(rules)
    by_heading = {words(b.heading): b for b in bands}
    band_of_sign = {words(s): b for b in bands for s in b.summaries}
    problems = []
    shown = []
    # A band named in other words (its light, its title, its short word) is still read as that band, so that its
    # signs are compared with the right band's lines.
    by_alias = {
        words(alias): b
        for b in bands
        for alias in (b.heading.split(":")[0], *(ACTIONS[b.action][k] for k in ("light", "title", "short")))
    }
    for band_text, signs in table.rows:
        band = by_heading.get(words(band_text))
        if band is None:
            band = by_alias.get(words(band_text))
            if band is None:
                problems.append(f"states the band {band_text!r}, which is not a band of the rules")
            else:
                problems.append(f"names the band {band_text!r}, not as the rules do ({band.heading!r})")
        if band is not None:
            shown.append(band.action)
        for sign in signs:
            home = band_of_sign.get(words(sign))
            if home is None:
                problems.append(f"states {sign!r} under {band_text!r}: not a line of the rules")
            elif band is not None and home.action != band.action:
                problems.append(f"states {sign!r} under {band_text!r}; the rules put it under {home.heading!r}")
        if band is not None and table.has_signs:
            stated = {words(s) for s in signs}
            problems += [
                f"leaves out {summary!r} ({band.heading})" for summary in band.summaries if words(summary) not in stated
            ]
    missing = [b.heading for b in bands if b.action not in shown]
    if missing:
        problems.append(f"leaves out the band(s) {', '.join(map(repr, missing))}")
    elif shown != [b.action for b in bands]:
        problems.append(f"shows the bands out of the rules' order: {shown}")
    if any("\\" in text for band_text, signs in table.rows for text in [band_text, *signs]):
        problems.append("shows a Markdown escape (a backslash) as text")
    return problems


def quoted_sign_problems(page_html: str, rules: Rules | None = None) -> list[str]:
    """Each checklist line a page quotes (the ``{skt-sign}`` role) must be a line of the rules, in its band."""
    soup = BeautifulSoup(page_html, "html.parser")
    band_of_sign = {s: b for b in checklist(rules) for s in b.summaries}
    problems = []
    for span in soup.select("span.skt-sign"):
        text = _text(span)
        match = re.fullmatch(r"\u201c(.+)\u201d \((.+)\)", text)
        band = band_of_sign.get(match.group(1)) if match else None
        if band is None:
            problems.append(f"quotes {text!r}: not a line of the rules")
        elif match.group(2) != ACTIONS[band.action]["short"]:
            problems.append(f"quotes {text!r} with the wrong band (the rules: {ACTIONS[band.action]['short']})")
    return problems


def page_problems(page_html: str, rules: Rules | None = None) -> list[str]:
    """Every band table and quoted line on a page, compared with the rules."""
    problems = []
    for n, table in enumerate(band_tables(page_html), 1):
        problems += [f"band table {n}: {p}" for p in table_problems(table, rules)]
    return problems + quoted_sign_problems(page_html, rules)
