"""The case pages as Sphinx documents: the site's search finds them, and an unchanged rebuild rewrites none.

Each build writes one small source per case, ``book/cases/<case-id>.case`` (git-ignored, derived from the
bank; rewritten only when its text changes, so Sphinx's own change tracking holds), and the ``.case`` parser
makes the page from the bank. The pages are orphans, in no toctree: the sidebar and the course outline every
page carries stay the same size whatever the size of the bank; the case index and group pages link to them.
A change to the bank re-reads every page (``skintriage.sphinxext``), since each case page numbers its case
among the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.parsers import Parser

from skintriage.bank.loader import Bank, load_bank
from skintriage.casesite import CASES_DIR, Place, case_page, reading_order

SUFFIX = ".case"
FILETYPE = "skintriage-case"
STUB = "Made from the case bank at each build (skintriage.casesite.documents); do not edit.\ncase: {case_id}\n"


@dataclass(frozen=True)
class CasePages:
    bank: Bank
    places: dict[str, Place]


def _has_case_index(srcdir: Path) -> bool:
    # Only the course gets a page per case, not any book that happens to load the extension.
    return (srcdir / CASES_DIR / "index.md").is_file()


def write_sources(srcdir: Path, bank: Bank) -> dict[str, Place]:
    """One source per case in reading order; a source whose case left the bank is deleted."""
    folder = srcdir / CASES_DIR
    places = {place.case_id: place for place in reading_order(bank)}
    for case_id in places:
        stub = folder / f"{case_id}{SUFFIX}"
        text = STUB.format(case_id=case_id)
        if not stub.is_file() or stub.read_text(encoding="utf-8") != text:
            stub.write_text(text, encoding="utf-8")
    for stub in folder.glob(f"*{SUFFIX}"):
        if stub.stem not in places:
            stub.unlink()
    return places


def _write_sources(app, config) -> None:
    srcdir = Path(app.srcdir)
    if _has_case_index(srcdir):
        bank = load_bank()
        app.skintriage_case_pages = CasePages(bank, write_sources(srcdir, bank))


def _keep_sources_in_the_build(app, config) -> None:
    """sphinx-external-toc (``only_build_toc_files``) excludes every source not in _toc.yml; the case pages are
    deliberately outside the toc (see the module docstring), so take them back out of the exclusions."""
    pages = getattr(app, "skintriage_case_pages", None)
    if pages:
        ours = {f"{CASES_DIR}/{case_id}{SUFFIX}" for case_id in pages.places}
        config.exclude_patterns = [p for p in config.exclude_patterns if p not in ours]


class unindexed_html(nodes.General, nodes.Element):  # noqa: N801 (docutils names node classes in lower case)
    """HTML written into the page as is, which the search indexer does not read: it has no text child, and
    only ``raw`` nodes' HTML is indexed."""


def _visit_unindexed_html(translator, node: unindexed_html) -> None:
    translator.body.append(node["html"])
    raise nodes.SkipNode


class CasePageParser(Parser):
    """A ``.case`` source becomes its case's page: the title, then the page's HTML from the bank."""

    supported = (FILETYPE,)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        self.setup_parse(inputstring, document)
        docname = self.env.docname
        pages: CasePages | None = getattr(self._app, "skintriage_case_pages", None)
        case_id = docname.removeprefix(f"{CASES_DIR}/")
        place = pages.places.get(case_id) if pages and "/" not in case_id else None
        if place is None:
            raise ExtensionError(
                f"{self.env.doc2path(docname)}: no case {case_id!r} in the case bank; case pages are made only "
                f"in {CASES_DIR}/ of a book with a case index, one per case"
            )
        page = case_page(place, pages.bank)
        # orphan: in no toctree on purpose (no "not included in any toctree" warning)
        docinfo = nodes.docinfo("", nodes.field("", nodes.field_name("", "orphan"), nodes.field_body()))
        section = nodes.section("", ids=[f"{case_id}-page"], names=[f"{case_id}-page"])
        section += nodes.title(page.title, page.title)
        # Sphinx's search indexes raw HTML's text: only the case's story is raw; nav and quiz are unindexed_html
        section += [unindexed_html(html=page.before), nodes.raw("", page.story, format="html")]
        section += unindexed_html(html=page.after)
        document += [docinfo, section]
        # The browser tab and the search result name the case, not only its place ("Case 11 of 18: Infections").
        document["title"] = f"{pages.bank[case_id].title} ({page.title})"
        self.finish_parse()


def setup(app) -> dict:
    app.add_source_suffix(SUFFIX, FILETYPE)
    app.add_source_parser(CasePageParser)
    app.add_node(unindexed_html, html=(_visit_unindexed_html, None))
    # sources before sphinx-external-toc lists what is not in the toc (priority 900), the fix-up after it
    app.connect("config-inited", _write_sources, priority=850)
    app.connect("config-inited", _keep_sources_in_the_build, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
