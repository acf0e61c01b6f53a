"""Turn case text into safe HTML, and case links into URLs that work on the built site.

Case text is Markdown written by course authors, but it is still data: raw HTML in it is shown as text,
never passed through, and ``javascript:`` links are refused (markdown-it's link validation).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from markdown_it import MarkdownIt

from skintriage import course

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_block(text: str) -> str:
    """Render Markdown paragraphs with raw HTML escaped."""
    return _markdown.render(text).strip()


def markdown_inline(text: str) -> str:
    """Render one line of Markdown (emphasis, code, links) with raw HTML escaped."""
    return _markdown.renderInline(text).strip()


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def site_href(docname: str, anchor: str = "", page_dir: Path | None = None) -> str:
    """URL of a built page, e.g. ``book/infection`` → ``../infection.html#sec-x`` from ``book/cases``.

    Built HTML mirrors the source tree, and myst-nb runs a page's code in the page's own folder, so a link
    relative to the working directory is right on the published site wherever it is hosted.
    ``SKINTRIAGE_SITE_URL`` points live notebooks (JupyterLab, Voila) at a published copy instead.
    """
    suffix = f"#{anchor}" if anchor else ""
    published = os.environ.get("SKINTRIAGE_SITE_URL")
    if published:
        return f"{published.rstrip('/')}/{docname}.html{suffix}"
    target = course.course_root() / f"{docname}.html"
    start = Path(page_dir) if page_dir else Path.cwd()
    return Path(os.path.relpath(target, start)).as_posix() + suffix


def section_link(label: str, sections: dict, page_dir: Path | None = None) -> str:
    section = sections.get(label)
    if section is None:  # the loader rejects unknown labels; this only guards hand-built questions
        return escape(label)
    href = site_href(section.docname, label, page_dir)
    return f'<a href="{escape(href)}">{escape(section.title)}</a>'


def citation_anchor(key: str) -> str:
    """The id sphinxcontrib-bibtex gives an entry (``bibtex_cite_id = "cite-{key}"``), normalised by docutils
    as every id is: ``nice_ng141`` becomes ``cite-nice-ng141``."""
    from docutils.nodes import make_id

    return make_id(f"cite-{key}")


def reference_links(keys: list[str], references: dict, page_dir: Path | None = None) -> str:
    links = []
    for key in keys:
        reference = references.get(key)
        label = reference.label if reference else key
        href = site_href("book/references", citation_anchor(key), page_dir)
        title = f' title="{escape(reference.title)}"' if reference else ""
        links.append(f'<a href="{escape(href)}"{title}>{escape(label)}</a>')
    return "; ".join(links)
