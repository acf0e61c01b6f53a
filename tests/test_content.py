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
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> _LinksAndIds:
    parser = _LinksAndIds()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_links_inside_the_site_reach_a_page_and_anchor(book_html):
    """Every relative link on every page, including those inside quiz feedback templates, lands somewhere."""
    from urllib.parse import urldefrag, urlparse

    parsed: dict[Path, _LinksAndIds] = {}
    broken = []
    for name in toc_files():
        page = book_html / f"{name}.html"
        links = parsed.setdefault(page, _parse(page)).links
        for href in links:
            if urlparse(href).scheme or href.startswith(("mailto:", "//")):
                continue
            target, anchor = urldefrag(href)
            target, _, query = target.partition("?")
            target_path = (page.parent / target).resolve() if target else page
            if target_path.is_dir():
                target_path = target_path / "index.html"
            if not target_path.exists():
                broken.append(f"{name}: {href} (no such page)")
                continue
            if query and target_path.name == "explorer.html":
                # "Open these findings in the explorer": the query fills the form (checked in
                # tests/test_explorer_browser.py); each finding in it must be a box the explorer has.
                from urllib.parse import parse_qsl

                from skintriage.vocab import FINDING_LABELS

                for field, value in parse_qsl(query):
                    if field in FINDING_LABELS and not set(value.split(",")) <= set(FINDING_LABELS[field]):
                        broken.append(f"{name}: {href} (no explorer box for {field}={value})")
                continue
            if anchor and target_path.suffix == ".html":
                ids = parsed.setdefault(target_path, _parse(target_path)).ids
                if anchor not in ids:
                    broken.append(f"{name}: {href} (no id '{anchor}')")
    assert not broken, "broken links:\n" + "\n".join(sorted(set(broken)))


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
