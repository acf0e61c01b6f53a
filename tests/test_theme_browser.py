"""The course theme (skintriage_book, a child of sphinx-book-theme) looks and behaves as the full theme does.

Its stylesheet is the parents' stylesheets cut to the rules the built site can use (skintriage.theme). The
proof: every element of representative pages, and its ::before/::after, has the same computed style with the
cut stylesheet as with the uncut one served in its place, on a phone with the course menu open and on a
laptop in dark mode. And what Bootstrap's script used to do on this site still happens without it: "Back to top",
the "On this page" highlight, tooltips on the header buttons.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from skintriage.theme import STYLESHEET, full_stylesheet
from tests.conftest import new_page

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
ACTIVE = re.compile(r"(^|\s)active(\s|$)")
# Transitions off in both runs, so a style is read at rest rather than mid-animation.
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# Each element (and its ::before/::after where drawn) as "index description" -> a hash of every standard
# computed property: hashed in the page, since the full styles of a page are tens of megabytes.
COMPUTED = """() => {
  const hash = (text) => {
    let a = 0x811c9dc5, b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    }
    return a.toString(16) + b.toString(16);
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const dump = (style) => {
    let text = "";
    for (let i = 0; i < style.length; i++) {
      const name = style[i];
      if (!name.startsWith("--")) text += name + ":" + style.getPropertyValue(name) + ";";
    }
    return hash(text);
  };
  const out = {};
  document.querySelectorAll("*").forEach((el, i) => {
    out[i + " " + describe(el)] = dump(getComputedStyle(el));
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (style.content !== "none") out[i + " " + describe(el) + pseudo] = dump(style);
    }
  });
  return out;
}"""


def styles(browser, site, path, size, *, dark, open_menu, stylesheet=None):
    page = new_page(browser, **size)
    try:
        if dark:
            page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
        if stylesheet is not None:
            page.route(
                f"**/_static/{STYLESHEET}*",
                lambda route: route.fulfill(body=stylesheet, content_type="text/css"),
            )
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.add_style_tag(content=STILL)
        if path.endswith("knowledge_check.html"):  # the questions are built when the trainee starts
            page.fill("#skt-kc-name", "Style Check")
            page.fill("#skt-kc-seed", "7")
            page.press("#skt-kc-seed", "Enter")
            page.wait_for_selector(".skt-kc-exam:not([hidden])")
        if "search.html?q=" in path:
            page.wait_for_selector("#search-results li")
        if open_menu:
            page.locator("button.primary-toggle").filter(visible=True).click()
            expect(page.locator("#pst-primary-sidebar-modal")).to_be_visible()
        assert page.console_errors == [] and page.external_requests == []
        return page.evaluate(COMPUTED)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def uncut(book_html):
    return full_stylesheet(book_html)


# One state per page to keep the run short (each comparison reads every computed property of every element);
# the case page, the most used, in both.
CHECKS = [
    ("index.html", "phone-menu"),
    ("book/welcome.html", "laptop-dark"),
    ("book/telling_apart.html", "laptop-dark"),
    ("book/cases/index.html", "phone-menu"),
    ("book/cases/hsv-lip-tingling-day2.html", "phone-menu"),
    ("book/cases/hsv-lip-tingling-day2.html", "laptop-dark"),
    ("book/knowledge_check.html", "phone-menu"),
    ("book/explorer.html", "laptop-dark"),
    ("book/references.html", "phone-menu"),
    ("search.html?q=infection", "laptop-dark"),  # with the results list searchtools.js builds
]
STATES = {"phone-menu": (PHONE, False, True), "laptop-dark": (LAPTOP, True, False)}


@pytest.mark.parametrize("path, state", CHECKS)
def test_cut_stylesheet_renders_every_element_as_the_full_theme(browser, site, uncut, path, state):
    size, dark, open_menu = STATES[state]
    cut = styles(browser, site, path, size, dark=dark, open_menu=open_menu)
    full = styles(browser, site, path, size, dark=dark, open_menu=open_menu, stylesheet=uncut)
    assert list(cut) == list(full), f"{path}: the pages differ in elements"
    differences = [name for name in cut if cut[name] != full[name]]
    assert not differences, f"{path}: {len(differences)} element(s) styled differently:\n" + "\n".join(differences[:10])


def test_the_cut_stylesheet_is_the_one_pages_link_and_is_much_smaller(book_html, uncut):
    import gzip

    cut = (book_html / "_static" / STYLESHEET).read_bytes()
    assert len(gzip.compress(cut)) < len(gzip.compress(uncut.encode())) / 3
    page = (book_html / "book" / "welcome.html").read_text(encoding="utf-8")
    assert STYLESHEET in page
    for gone in ("pydata-sphinx-theme.css", "/theme.css", "mystnb.", "bootstrap.js", "fontawesome.js"):
        assert gone not in page, f"pages still link {gone}"


def test_back_to_top_and_on_this_page_highlight(browser, site):
    # 1000 px: the book theme shows "Back to top" between the phone layout (course CSS hides it) and 1200 px
    page = new_page(browser, viewport={"width": 1000, "height": 800})
    try:
        page.goto(site + "book/infection.html")
        page.wait_for_load_state("networkidle")
        links = page.locator(".page-toc a.nav-link[href^='#']")
        assert links.count() >= 3
        target = links.nth(2)
        section = target.get_attribute("href")[1:]
        # the trainee scrolls a section to the top of the window: its "On this page" entry is marked
        page.evaluate("id => document.getElementById(id).scrollIntoView({behavior: 'instant'})", section)
        expect(target).to_have_class(ACTIVE)
        expect(page.locator(".page-toc a.nav-link.active").last).to_have_attribute("href", f"#{section}")
        # scrolling back up a little offers "Back to top", which goes there
        button = page.locator("#pst-back-to-top")
        expect(button).to_be_hidden()
        page.evaluate("window.scrollBy({top: -150, behavior: 'instant'})")
        expect(button).to_be_visible()
        button.click()
        page.wait_for_function("window.scrollY === 0")
        expect(target).not_to_have_class(ACTIVE)
        # the colour-mode button, named only for Bootstrap's tooltip, has a native one
        assert page.locator(".theme-switch-button").first.get_attribute("title") == "Color mode"
        assert page.console_errors == [] and page.external_requests == []
    finally:
        page.context.close()


def test_every_page_links_the_theme_files_with_their_current_digest(book_html):
    import hashlib
    import re

    from skintriage.pageassets.weight import site_pages
    from skintriage.theme import VERSIONED

    static = book_html / "_static"
    for page in site_pages(book_html):
        text = page.read_text(encoding="utf-8")
        if "<head" not in text:
            continue  # jupyter-book's root index.html: a one-line redirect to the book
        for name in VERSIONED:
            digest = hashlib.sha256((static / name).read_bytes()).hexdigest()[:12]
            links = re.findall(rf'_static/{re.escape(name)}(\?[^"]*)?"', text)
            assert links, f"{page.name} does not link {name}"
            assert set(links) == {f"?v={digest}"}, f"{page.name}: {name} linked as {links}, built file is {digest}"
