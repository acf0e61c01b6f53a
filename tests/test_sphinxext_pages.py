"""What the Sphinx extension and the book's configuration leave in the built pages: no thebe (its loader and
config name a CDN and a Binder repository), every script and stylesheet from the site itself, and the
bibliography as a list of list items for screen readers."""

from __future__ import annotations

import re

from skintriage.pageassets.weight import site_pages

ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]*)"')


def test_no_page_loads_or_names_thebe_or_another_host(book_html):
    problems = []
    for page in site_pages(book_html):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(book_html)
        problems += [f"{name}: names {word}" for word in ("thebe", "unpkg.com") if word in text.lower()]
        problems += [f"{name}: loads {url}" for url in ASSET.findall(text) if re.match(r"(https?:)?//", url)]
    assert not problems, "\n".join(problems)


def test_bibliography_entries_are_list_items(book_html):
    text = (book_html / "book" / "references.html").read_text(encoding="utf-8")
    lists = re.findall(r'<div role="list" class="citation-list">', text)
    entries = re.findall(r'<div class="citation" id="cite-[^"]+" role="([^"]+)"', text)
    assert len(lists) == 1 and len(entries) >= 20
    assert set(entries) == {"listitem"}, set(entries)
