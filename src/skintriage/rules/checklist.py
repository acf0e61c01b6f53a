"""The red-flag checklist, generated from the rules' summaries and band headings."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from skintriage.rules.model import Rules, load_rules


@dataclass(frozen=True)
class Sign:
    """One checklist line: the summary and the rule (or checklist-only sign) it comes from."""

    id: str
    summary: str
    source: str  # "red_flag", "category_rule" or "checklist_only"


@dataclass(frozen=True)
class Band:
    """One band of the checklist: an action, its heading and its signs."""

    action: str
    heading: str
    signs: tuple[Sign, ...]

    @property
    def summaries(self) -> list[str]:
        return [s.summary for s in self.signs]


def checklist(rules: Rules | None = None) -> list[Band]:
    """The red-flag checklist from the rules: one band per action, most urgent first.

    Each band lists, in file order, the summaries of its red flags, then of its category rules (those that have
    one), then its checklist-only signs. The default rule is not a sign and has no summary.
    """
    rules = rules or load_rules()
    bands = []
    for heading in rules.bands:
        action = heading.action
        signs = [Sign(f.id, f.summary, "red_flag") for f in rules.red_flags if f.action == action]
        signs += [
            Sign(r.id, r.summary, "category_rule")
            for r in rules.category_rules
            if r.action == action and r.summary is not None
        ]
        signs += [Sign(s.id, s.summary, "checklist_only") for s in rules.checklist_only if s.action == action]
        bands.append(Band(action, heading.heading, tuple(signs)))
    return bands


#: The admonition class of each band (the book theme's colours; the heading words come from the rules).
BAND_CLASSES = {"emergency": "danger", "same_day": "error", "review": "warning", "monitor": "tip"}

# Every ASCII punctuation character that can start markup in CommonMark or MyST (roles, targets, comments,
# math, directives); a backslash makes each one literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-.!|~$&:%^=])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown (MyST or CommonMark) inline text: every markup character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def checklist_markdown(rules: Rules | None = None) -> str:
    """The checklist as MyST Markdown: one admonition per band, its signs as a bulleted list (all escaped)."""
    parts = []
    for band in checklist(rules):
        lines = [f"```{{admonition}} {escape_markdown(band.heading)}", f":class: {BAND_CLASSES[band.action]}", ""]
        lines += [f"- {escape_markdown(summary)}" for summary in band.summaries]
        lines.append("```")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def checklist_html(rules: Rules | None = None) -> str:
    """The checklist as HTML (the same structure Sphinx gives an admonition), every text escaped."""
    parts = ['<div class="skt-checklist">']
    for band in checklist(rules):
        parts.append(f'<div class="admonition {BAND_CLASSES[band.action]}" data-action="{band.action}">')
        parts.append(f'<p class="admonition-title">{html.escape(band.heading)}</p>')
        parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in band.summaries) + "</ul>")
        parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts)


def show_checklist(rules: Rules | None = None, html_output: bool = False):
    """Display the checklist in a notebook cell: MyST Markdown (the book renders it with the cell metadata
    ``mystnb: markdown_format: myst``), or HTML with ``html_output=True``."""
    from IPython.display import HTML, Markdown

    return HTML(checklist_html(rules)) if html_output else Markdown(checklist_markdown(rules))
