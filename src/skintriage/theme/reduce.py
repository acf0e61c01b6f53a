"""The theme's stylesheets cut to the rules this site can use.

pydata-sphinx-theme ships one 390 KB stylesheet (64 KB gzipped): all of Bootstrap 5 plus every component the
theme offers. Lighthouse found 93 % of it unused on a course page, and a stylesheet blocks the first paint.
After the build every page and script is known, so a rule whose selector names a class or id that appears
nowhere in the site's pages or the scripts they load cannot match anything: it is left out (PurgeCSS's rule,
as a build step). Custom properties nothing reads go too.

Conservative on purpose: any word in a loaded script counts as a class it may add; names inside ``:not()``,
``:is()``, ``:has()`` never remove a rule; at-rules other than ``@media``/``@supports`` are kept whole; a custom
property is kept when any kept rule, page, script or other stylesheet names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tinycss2

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_PARENS = re.compile(r"\([^()]*\)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_NAMES = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
_VAR_USE = re.compile(r"var\(\s*(--[A-Za-z_][\w-]*)")
_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
_GROUPING = {"media", "supports", "layer", "container"}


def site_words(texts: Iterable[str]) -> set[str]:
    """Every word-like token in the given pages and scripts."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(text))
    return words


def selector_can_match(selector: str, words: set[str]) -> bool:
    """False when the selector requires a class or id the site never names. Names inside parentheses are
    ignored (``:not(.x)`` matches more when .x is absent; ``:is(.a, .b)`` needs only one of them)."""
    bare = _ATTRIBUTE.sub("", selector)  # attribute values may contain dots
    while True:
        reduced = _PARENS.sub("", bare)
        if reduced == bare:
            break
        bare = reduced
    return all(name in words for name in _NAMES.findall(bare))


def _selectors(prelude) -> list[str]:
    """A selector list split at its top-level commas (commas inside :is() or [..] stay)."""
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(part).strip() for part in parts]


class _Rule:
    """A style rule: its selector text and its declarations (parsed, so values with ';' in strings are safe)."""

    def __init__(self, selector: str, content):
        self.selector = selector
        self.declarations = [
            d
            for d in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"
        ]

    def css(self) -> str:
        body = ";".join(
            f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
            for d in self.declarations
        )
        return f"{self.selector}{{{body}}}" if self.declarations else ""


def _tree(rules, words: set[str]) -> list:
    """The rules that can match, as _Rule, (at-rule prelude, [children]) or verbatim strings."""
    kept: list = []
    for rule in rules:
        if rule.type == "qualified-rule":
            alive = [s for s in _selectors(rule.prelude) if s and selector_can_match(s, words)]
            if alive:
                kept.append(_Rule(",".join(alive), rule.content))
        elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING and rule.content is not None:
            children = _tree(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), words)
            if children:
                kept.append((f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}".rstrip(), children))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue  # the output is UTF-8 and served as such; @charset is only valid first
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def _walk(tree):
    for node in tree:
        if isinstance(node, _Rule):
            yield node
        elif isinstance(node, tuple):
            yield from _walk(node[1])


def _render(tree) -> str:
    out = []
    for node in tree:
        if isinstance(node, _Rule):
            out.append(node.css())
        elif isinstance(node, tuple):
            inner = _render(node[1])
            if inner:
                out.append(f"{node[0]}{{{inner}}}")
        else:
            out.append(node)
    return "".join(out)


def _drop_unread_properties(tree, readers: str) -> None:
    """Remove custom-property declarations nothing reads: neither a kept declaration's ``var()`` nor any
    ``--name`` in ``readers``. Repeated until stable, since a dropped one may have been another's only reader."""
    outside = set(_PROPERTY.findall(readers))
    verbatim = "".join(node for node in tree if isinstance(node, str))
    while True:
        read = set(outside) | set(_VAR_USE.findall(verbatim))
        for rule in _walk(tree):
            for d in rule.declarations:
                read.update(_VAR_USE.findall(tinycss2.serialize(d.value)))
        changed = False
        for rule in _walk(tree):
            before = len(rule.declarations)
            rule.declarations = [d for d in rule.declarations if not d.name.startswith("--") or d.name in read]
            changed |= len(rule.declarations) != before
        if not changed:
            return


def reduce_stylesheet(css: str, words: set[str], readers: str = "") -> str:
    """``css`` without what cannot apply in a site whose pages and scripts contain ``words`` and whose other
    files (``readers``) may read custom properties."""
    tree = _tree(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), words)
    _drop_unread_properties(tree, readers)
    return _render(tree)
