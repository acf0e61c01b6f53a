"""Issue 14: every page loads only the course files it uses, stays within the first-load budget (counted from
the built files as a static host serves them), and the site ships no source maps or unused font formats."""

from __future__ import annotations

import re

import pytest

from skintriage.course import STATIC_DIR
from skintriage.pageassets import THEME_STATIC_DIR
from skintriage.pageassets.weight import BUDGET_BYTES, site_pages
from tests.conftest import new_page
from tests.weight_browser import first_load

# Paths under _static: the package's static/ (core/ and ui/ scripts, stylesheets) and the theme's icons.
COURSE_FILES = {p.relative_to(STATIC_DIR).as_posix() for p in STATIC_DIR.rglob("*") if p.suffix in (".js", ".css")}
COURSE_FILES |= {"icons.css"}

# What each course file acts on, independent of how pages declare their needs.
USED_WHEN = {
    "ui/quiz.js": r'class="skq-quiz',
    "quiz.css": r'class="(skq-quiz|skt-case)[" ]',
    "core/triage.js": r'class="skt-explorer',
    "ui/triage_explorer.js": r'class="skt-explorer',
    "explorer.css": r'class="skt-explorer',
    "ui/knowledge_check.js": r'class="skt-kc"',
    "core/exam_core.js": r'class="skt-kc"',
    "core/quiz_core.js": r'class="skq-quiz',
    "core/explorer_core.js": r'class="skt-explorer',
    "core/case_filter.js": r'class="skt-case-(group|index)\b',
    "core/progress_core.js": r'id="skt-course-outline"',
    "knowledge_check.css": r'class="skt-kc"',
    "handout.css": r'class="[^"]*\bskt-(handout|answer-key)\b',
    "case_index.css": r'class="skt-case-(nav|group|index)\b',
    "ui/case_index.js": r'class="skt-case-(group|index)\b',
    "icons.css": r"fa-solid",  # the theme's icons, on every page
    "ui/theme-a11y.js": r"<nav",  # the theme's sidebar toggles, on every page
    "layout.css": r"<nav",  # the phone layout fixes, on every page
    "ui/progress.js": r'id="skt-course-outline"',  # course progress reads the outline every page carries
    "progress.css": r'id="skt-course-outline"',
}
LINK = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"?#]+)[^"]*"')


def linked_course_files(html: str) -> set[str]:
    return {url.split("_static/", 1)[-1] for url in LINK.findall(html)} & COURSE_FILES


def test_every_course_file_has_a_rule_here():
    assert set(USED_WHEN) == COURSE_FILES


def test_every_page_loads_exactly_the_course_files_it_uses(book_html):
    wrong = []
    for page in site_pages(book_html):
        html = page.read_text(encoding="utf-8")
        body = html.split("<body", 1)[-1]
        wanted = {name for name, pattern in USED_WHEN.items() if re.search(pattern, body)}
        loaded = linked_course_files(html)
        if loaded != wanted:
            wrong.append(f"{page.relative_to(book_html)}: loads {sorted(loaded)}, uses {sorted(wanted)}")
    assert not wrong, "\n".join(wrong)


def test_instructor_pages_load_the_print_stylesheet_only_where_used(instructor_build):
    for name in ("handout", "answer_key"):
        assert "handout.css" in linked_course_files((instructor_build / "book/instructor" / f"{name}.html").read_text())
    assert "handout.css" not in linked_course_files((instructor_build / "book/welcome.html").read_text())


def test_site_ships_no_source_maps_unused_fonts_or_build_catalogues(book_html):
    static = book_html / "_static"
    leftovers = [p for p in static.rglob("*") if p.suffix in (".map", ".ttf")] + list(static.glob("locales"))
    assert not leftovers, [str(p.relative_to(book_html)) for p in leftovers]


def test_pages_embed_no_widget_state(book_html):
    """The kernels that execute the pages build no ipywidgets (skintriage.web.display), so myst-nb has no
    widget state to embed, and the extension has nothing to strip."""
    embedding = [
        page.relative_to(book_html).as_posix()
        for page in site_pages(book_html)
        if "application/vnd.jupyter.widget-state+json" in page.read_text(encoding="utf-8")
    ]
    assert not embedding


def test_every_theme_icon_is_drawn_by_the_icon_stylesheet(book_html):
    drawn = set(re.findall(r"\.fa-([a-z0-9-]+) \{ --skt-icon", (THEME_STATIC_DIR / "icons.css").read_text()))
    shown = set()
    for path in [*site_pages(book_html), *(book_html / "_static").rglob("*.js")]:
        shown |= set(re.findall(r"\bfa-([a-z][a-z0-9-]+)", path.read_text(encoding="utf-8", errors="replace")))
    modifiers = {"solid", "regular", "brands", "lg", "sm", "xs", "fw", "2x"}
    missing = sorted(shown - modifiers - drawn)
    assert not missing, f"icons the theme shows but icons.css does not draw: {missing}"


@pytest.mark.browser
def test_no_page_exceeds_the_first_load_budget(browser, site, book_html):
    over, strays = [], []
    for path in site_pages(book_html):
        relative = path.relative_to(book_html).as_posix()
        page = new_page(browser)  # a fresh context: an empty cache, as on a first visit
        try:
            load = first_load(page, site, book_html, relative)
        finally:
            page.context.close()
        assert load.requests >= 2, f"{relative}: the browser fetched only {load.requests} file(s)"
        if load.bytes > BUDGET_BYTES:
            heaviest = sorted(load.files.items(), key=lambda item: -item[1])[:4]
            over.append(
                f"{relative}: {load.bytes / 1024:.0f} KB in {load.requests} requests; heaviest "
                + ", ".join(f"{p.name} {b / 1024:.0f} KB" for p, b in heaviest)
            )
        strays += [f"{relative}: {url}" for url in load.unknown]
        # the theme's icon font, cut to the few glyphs its CSS draws (admonition and link marks)
        strays += [
            f"{relative}: {p.name} {b} bytes"
            for p, b in load.files.items()
            if "fontawesome" in p.parts and (p.suffix != ".woff2" or b > 4096)
        ]
    assert not over, f"pages over the {BUDGET_BYTES // 1024} KB first-load budget:\n" + "\n".join(over)
    assert not strays, "requests for missing files, or Font Awesome beyond a small icon subset:\n" + "\n".join(strays)


def test_a_declaration_must_name_a_known_bundle():
    from skintriage.pageassets import declared_files, needs

    with pytest.raises(ValueError, match="unknown asset bundle"):
        needs("quizz")
    with pytest.raises(ValueError, match='unknown bundle "quizz"'):
        declared_files('<div data-skt-needs="quiz quizz">')
    assert declared_files('<div data-skt-needs="quiz"></div><div data-skt-needs="case quiz">') == [
        "quiz.css",
        "core/quiz_core.js",
        "ui/quiz.js",
    ]


def test_icon_font_keeps_only_the_glyphs_the_css_draws():
    from skintriage.pageassets import icon_code_points

    css = [
        '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}',
        '.admonition-title:after{content:var(--x)}:root{--x:"\\f05a";--y:"\ue001"}',
    ]
    assert icon_code_points(css) == {0xF05A, 0xE001}


def test_knowledge_check_page_fetches_its_questions_as_one_file(book_html):
    from skintriage import load_bank
    from skintriage.exam.static_page import questions_file, questions_file_name

    bank = load_bank()
    page = (book_html / "book" / "knowledge_check.html").read_text(encoding="utf-8")
    assert "<template" not in page and f'data-src="{questions_file_name(bank)}"' in page
    import json

    shipped = json.loads((book_html / "book" / questions_file_name(bank)).read_text(encoding="utf-8"))
    expected = questions_file(bank)
    assert shipped["bank_fingerprint"] == bank.fingerprint
    assert [q["key"] for q in shipped["questions"]] == [q["key"] for q in expected["questions"]]
    assert set(shipped["texts"]["labels"]) == {q["key"] for q in expected["questions"]}
