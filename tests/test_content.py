"""Content checks for the chapters: structure, citations, glossary, figures' alt text, the seed claims."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from skintriage.course import read_bibliography, scan_sections

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = [
    "welcome",
    "normal_healing",
    "why_spots",
    "purging",
    "infection",
    "look_alikes",
    "telling_apart",
    "prevention",
    "escalation",
]
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
TERM = re.compile(r"\{term\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return files


def book_markdown() -> dict[str, str]:
    return {
        p.relative_to(ROOT).with_suffix("").as_posix(): p.read_text(encoding="utf-8")
        for p in BOOK.rglob("*.md")
        if "instructor" not in p.parts
    }


def section(text: str, heading: str) -> str:
    """The body of a `## heading` section, up to the next level-2 heading."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def test_every_toc_file_exists_and_every_chapter_is_in_the_toc():
    files = toc_files()
    for name in files:
        assert (ROOT / f"{name}.md").exists() or (ROOT / f"{name}.ipynb").exists(), f"{name} is in _toc.yml but missing"
    for chapter in CHAPTERS:
        assert f"book/{chapter}" in files, f"chapter {chapter} is not in _toc.yml"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_objectives_key_points_and_case_links(chapter):
    text = (BOOK / f"{chapter}.md").read_text(encoding="utf-8")
    objectives = section(text, "Learning objectives")
    assert re.search(r"^1\. \S", objectives, re.M), f"{chapter}: no numbered learning objectives"
    key_points = section(text, "Key points")
    assert len(re.findall(r"^- \S", key_points, re.M)) >= 3, f"{chapter}: fewer than 3 key points"
    assert text.index("## Learning objectives") < text.index("## Key points"), f"{chapter}: key points come first"
    practise = section(text, "Practise with cases")
    assert re.search(r"\]\((?:\.\./)?(?:book/)?cases/\w+\.md\)|\]\(explorer\.md\)", practise), (
        f"{chapter}: no links to case pages under 'Practise with cases'"
    )


def test_every_bibliography_entry_is_cited_and_every_citation_resolves():
    bib = set(read_bibliography(BOOK / "references.bib"))
    cited = set()
    for name, text in book_markdown().items():
        for group in CITE.findall(text):
            keys = {k.strip() for k in group.split(",")}
            unknown = keys - bib
            assert not unknown, f"{name}.md cites keys not in references.bib: {sorted(unknown)}"
            cited |= keys
    assert bib - cited == set(), f"bibliography entries never cited in a chapter: {sorted(bib - cited)}"


def glossary_terms() -> set[str]:
    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S).group(1)
    return {
        line.strip().lower() for line in block.splitlines() if line.strip() and not line.startswith((" ", "\t", ":"))
    }


def test_every_glossary_term_is_used_and_every_term_reference_exists():
    terms = glossary_terms()
    assert len(terms) >= 15
    used = set()
    for name, text in book_markdown().items():
        if name == "book/glossary":
            continue
        for target, plain in TERM.findall(text):
            term = (target or plain).strip().lower()
            assert term in terms, f"{name}.md uses {{term}} '{term}', which the glossary does not define"
            used.add(term)
    assert terms - used == set(), f"glossary terms never used in a chapter: {sorted(terms - used)}"


SEED_CLAIMS = ["sec-claim-oil", "sec-claim-detox", "sec-claim-infection", "sec-claim-hormones", "sec-claim-skincare"]


def test_each_seed_claim_has_a_verdict_and_a_citation():
    text = (BOOK / "why_spots.md").read_text(encoding="utf-8")
    labels = scan_sections(BOOK)
    for label in SEED_CLAIMS:
        assert label in labels and labels[label].docname == "book/why_spots", f"missing claim section {label}"
        body = re.search(rf"^\({label}\)=\s*$(.*?)(?=^\(sec-|^## |\Z)", text, re.M | re.S).group(1)
        verdict = re.search(r"Verdict: (Not supported|Partly supported|Supported)", body)
        assert verdict, f"{label}: no verdict"
        assert CITE.search(body), f"{label}: verdict without a citation"
    detox = re.search(r"^\(sec-claim-detox\)=\s*$(.*?)(?=^\(sec-)", text, re.M | re.S).group(1)
    hormones = re.search(r"^\(sec-claim-hormones\)=\s*$(.*?)(?=^\(sec-)", text, re.M | re.S).group(1)
    assert "Verdict: Not supported" in detox and "Verdict: Not supported" in hormones, "the myths must be called myths"


def test_every_case_link_target_is_a_real_section():
    """Questions link to `(sec-...)=` labels; each must sit on a page that is in the table of contents."""
    from skintriage import load_bank

    bank = load_bank()
    pages = set(toc_files())
    for case in bank.values():
        for question in case.questions:
            assert bank.sections[question.section].docname in pages, (case.id, question.section)


# --- the built pages ---------------------------------------------------------------------------------------


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.svgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "svg":
            self.svgs.append(dict(attrs))


@pytest.mark.parametrize("name", [f for f in toc_files()])
def test_built_page_images_have_alt_text(book_html, name):
    page = book_html / f"{name}.html"
    assert page.exists(), f"{name} was not built"
    parser = _Images()
    parser.feed(page.read_text(encoding="utf-8"))
    for image in parser.images:
        if "logo" in image.get("class", ""):
            continue
        assert (image.get("alt") or "").strip(), f"{name}: image {image.get('src')} has no alt text"
    for svg in parser.svgs:
        if svg.get("role") == "img":
            assert (svg.get("aria-label") or "").strip(), f"{name}: svg figure has no aria-label"


def test_every_toc_page_is_in_the_navigation(book_html):
    nav = (book_html / "book" / "index.html").read_text(encoding="utf-8")
    for name in toc_files()[1:]:
        href = name.removeprefix("book/") + ".html"
        assert f'href="{href}"' in nav, f"{name} is not reachable from the site navigation"


class _LinksAndIds(HTMLParser):
    """A page's links (``<a href>``), what it loads (``src``, stylesheets), the data files its scripts fetch
    (``data-src``), and its ids (anchors)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.fetched: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.links.append(attrs["href"])
        if tag in ("img", "script", "source") and attrs.get("src"):
            self.links.append(attrs["src"])
        if attrs.get("data-src"):
            self.fetched.append(attrs["data-src"])


def _parse(path: Path) -> _LinksAndIds:
    parser = _LinksAndIds()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


_HTML_HREF = re.compile(r"""\bhref=["']([^"']+)["']""")


def links_in_data(value, key: str = "") -> list[str]:
    """Links inside a fetched JSON file: values of fields named ``*href`` and ``href="..."`` inside HTML text."""
    if isinstance(value, dict):
        return [link for k, v in value.items() for link in links_in_data(v, k)]
    if isinstance(value, list):
        return [link for item in value for link in links_in_data(item, key)]
    if isinstance(value, str):
        return ([value] if key.endswith("href") else []) + _HTML_HREF.findall(value)
    return []


def test_links_in_data_finds_href_fields_and_html_links():
    data = {"q": [{"section_href": "a.html#x", "texts": {"f": '<p>See <a href="b.html">b</a></p>'}}], "n": 3}
    assert links_in_data(data) == ["a.html#x", "b.html"]


class _SiteLinks:
    """Resolves links in the built site: each must reach a file, and an anchor must be an id on that page."""

    def __init__(self, root: Path):
        self.root = root
        self.parsed: dict[Path, _LinksAndIds] = {}
        self.broken: list[str] = []

    def page(self, path: Path) -> _LinksAndIds:
        return self.parsed.setdefault(path, _parse(path))

    def check(self, where: str, base: Path, href: str) -> Path | None:
        from urllib.parse import parse_qsl, urldefrag, urlparse

        if urlparse(href).scheme or href.startswith(("mailto:", "//")):
            return None
        target, anchor = urldefrag(href)
        target, _, query = target.partition("?")
        target_path = (base.parent / target).resolve() if target else base
        if target_path.is_dir():
            target_path = target_path / "index.html"
        if not target_path.is_file():
            self.broken.append(f"{where}: {href} (no such file)")
            return None
        if query and target_path.name == "explorer.html":
            # "Open these findings in the explorer": the query fills the form (checked in
            # tests/test_explorer_browser.py); each finding in it must be a box the explorer has.
            from skintriage.vocab import FINDING_LABELS

            for field, value in parse_qsl(query):
                if field in FINDING_LABELS and not set(value.split(",")) <= set(FINDING_LABELS[field]):
                    self.broken.append(f"{where}: {href} (no explorer box for {field}={value})")
            return target_path
        if anchor and target_path.suffix == ".html" and anchor not in self.page(target_path).ids:
            self.broken.append(f"{where}: {href} (no id '{anchor}')")
        return target_path


def test_links_inside_the_site_reach_a_page_and_anchor(book_html):
    """Every relative link on every page of the site (chapters, every case's own page, the group pages, the
    case index), including those inside quiz feedback templates, lands somewhere; so do the data files a page
    fetches (the knowledge check's questions) and every link inside them, and the old #case- addresses."""
    import json

    from skintriage import load_bank
    from skintriage.casesite import reading_order
    from skintriage.pageassets.weight import site_pages

    site = _SiteLinks(book_html)
    pages = site_pages(book_html)
    places = reading_order(load_bank())
    cases = book_html / "book" / "cases"
    # the walk must cover the toc's pages and every case's own page
    missing = {book_html / f"{name}.html" for name in toc_files()} | {cases / f"{p.case_id}.html" for p in places}
    assert not missing - set(pages), f"pages not built: {sorted(map(str, missing - set(pages)))}"
    fetched_files = 0
    for page in pages:
        name = page.relative_to(book_html).as_posix()
        parsed = site.page(page)
        for href in parsed.links:
            site.check(name, page, href)
        for src in parsed.fetched:
            data_file = site.check(f"{name} (fetched)", page, src)
            if data_file is None:
                continue
            fetched_files += 1
            try:
                data = json.loads(data_file.read_text(encoding="utf-8"))
            except ValueError as error:
                site.broken.append(f"{name}: {src} is not JSON ({error})")
                continue
            # the page's script builds these links into the page itself: resolve them from the page
            for href in links_in_data(data):
                site.check(f"{name} via {src}", page, href)
    assert fetched_files, "no page fetches a data file: the knowledge check's question file went unchecked"
    # Bookmarks into the old long group pages: each case keeps its anchor there, linking to its own page.
    for place in places:
        old = cases / f"{place.group}.html"
        site.check(f"old address of {place.case_id}", old, f"{old.name}#case-{place.case_id}")
    assert not site.broken, "broken links:\n" + "\n".join(sorted(set(site.broken)))


def test_every_case_appears_once_on_the_site_with_its_face_map(book_html):
    """Each case is shown on its own page (book/cases/<id>.html) and nowhere else."""
    from skintriage import load_bank

    pages = {p: p.read_text(encoding="utf-8") for p in (book_html / "book" / "cases").glob("*.html")}
    for case_id in load_bank():
        places = [
            p.name
            for p, html in pages.items()
            if f'id="case-{case_id}" class="skt-case-title"' in html
            or f'<h2 class="skt-case-title" id="case-{case_id}"' in html
        ]
        assert places == [f"{case_id}.html"], f"case {case_id} appears on {places or 'no page'}"
        html = pages[book_html / "book" / "cases" / places[0]]
        section = html[html.index(f'id="case-{case_id}"') :]
        section = section[: section.index("</section>")]
        assert "<svg" in section and 'role="img"' in section and 'aria-label="Face map:' in section, case_id
