"""The course's Sphinx theme, ``skintriage_book``: a child of sphinx-book-theme (Sphinx theme inheritance,
``theme.toml``), so the templates, options, phone menu, search and dark mode are the parent themes' own.

What it changes is weight (issue 14):
- one stylesheet, ``_static/styles/skintriage-theme.css``, written after the build from the parents'
  stylesheets (Sphinx's basic.css, pydata-sphinx-theme.css, sphinx-book-theme.css) and myst-nb's, in their
  cascade order, cut to the rules the built site can use (:mod:`skintriage.theme.reduce`); it replaces four
  (78 KB gzipped, one of them behind an @import);
- no Font Awesome script (icons.css draws the icons) and no Bootstrap bundle: ``scripts/skintriage-theme.js``
  does what Bootstrap did on this site (back-to-top, "on this page" highlight, header tooltips);
- Sphinx's own helper scripts load deferred, so they no longer hold up the first paint;
- the colour mode is resolved in the head, so the first paint is already themed.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from skintriage.pageassets import asset_filename

THEME_NAME = "skintriage_book"
THEME_DIR = Path(__file__).parent / THEME_NAME
STYLESHEET = "styles/skintriage-theme.css"  # under _static; theme.toml names it
# The parents' stylesheets, in the order the parent layout linked them, under _static, then myst-nb's (linked on
# every page right after them; its name carries a content hash).
SOURCES = ("basic.css", "styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css")
MERGED = re.compile(r"mystnb\.[0-9a-f]+\.css")
# Sphinx's and the book theme's scripts that act on a ready page: deferred, they stop blocking the first paint.
# (documentation_options.js stays blocking: inline scripts after it read DOCUMENTATION_OPTIONS; on the search
# page nothing is deferred.)
DEFERRABLE = {"doctools.js", "sphinx_highlight.js", "sphinx-book-theme.js"}

# The parent layout's head script copies the stored mode to <html data-mode data-theme>, "" on a first visit;
# pydata-sphinx-theme.js, deferred to the end of the page, later resolves "" to light or dark. Until then no
# colour rules match, so a phone paints the page once unthemed and again themed (Lighthouse's speed index
# counts both). This resolves it in the head, as the theme's script will (same values, so nothing changes).
MODE_SCRIPT = (
    "(function (root) {"
    ' var mode = root.dataset.mode; if (mode !== "light" && mode !== "dark") mode = "auto";'
    ' root.dataset.mode = mode; root.dataset.theme = mode !== "auto" ? mode'
    ' : window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";'
    "})(document.documentElement);"
)

# Files the theme links under fixed names. The stylesheet is cut for the current pages, so a returning visitor's
# browser must not keep an older copy: each link carries the file's content digest (?v=), as Sphinx does for its
# own files.
VERSIONED = (STYLESHEET, "scripts/skintriage-theme.js", "scripts/pydata-sphinx-theme.js")

_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_LINKED = re.compile(r"""<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"?#]+)""")


def rebase_urls(css: str, source_dir: str, target_dir: str) -> str:
    """Rewrite a stylesheet's relative url()s, written for ``source_dir``, to work from ``target_dir``
    (both relative to _static)."""

    def rebase(match: re.Match) -> str:
        quote, url = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I):
            return match.group(0)
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(source_dir, url)), target_dir or ".")
        return f"url({quote}{moved}{quote})"

    return _URL.sub(rebase, css)


def source_names(static: Path, linked: list[str] | None = None) -> list[str]:
    """The stylesheets the theme stylesheet is made of, relative to _static, in cascade order. ``linked``: the
    build's own stylesheet list (names myst-nb's current file even if an older one lingers in _static)."""
    if linked is None:
        linked = [p.name for p in static.glob("mystnb.*.css")]
    return [*SOURCES, *sorted(name for name in linked if MERGED.fullmatch(name))]


def full_stylesheet(outdir: Path, linked: list[str] | None = None) -> str:
    """The stylesheets the theme stylesheet replaces, joined in cascade order, uncut (tests compare the two)."""
    static = outdir / "_static"
    target = posixpath.dirname(STYLESHEET)
    return "\n".join(
        rebase_urls((static / name).read_text(encoding="utf-8"), posixpath.dirname(name), target)
        for name in source_names(static, linked)
    )


def site_stylesheet(outdir: Path, linked: list[str] | None = None) -> str:
    """The reduced theme stylesheet for the site built in ``outdir``."""
    from skintriage.pageassets.weight import site_pages
    from skintriage.theme.reduce import reduce_stylesheet, site_words

    static = outdir / "_static"
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in site_pages(outdir)]
    loaded = {url.rsplit("/", 1)[-1] for page in pages for url in _LINKED.findall(page)}
    scripts = [p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.js") if p.name in loaded]
    merged = {*source_names(static, linked), STYLESHEET}
    others = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in static.rglob("*.css")
        if p.relative_to(static).as_posix() not in merged
    ]
    words = site_words(pages + scripts)
    return reduce_stylesheet(full_stylesheet(outdir, linked), words, "\n".join(others + scripts + pages))


def version_links(outdir: Path) -> None:
    """Make every page's link to a :data:`VERSIONED` file name that file's current content (``?v=<digest>``)."""
    from skintriage.pageassets.weight import site_pages

    static = outdir / "_static"
    digests = {
        name: hashlib.sha256((static / name).read_bytes()).hexdigest()[:12]
        for name in VERSIONED
        if (static / name).is_file()
    }
    if not digests:
        return
    link = re.compile(r"(_static/(" + "|".join(map(re.escape, digests)) + r'))(?:\?[^"]*)?"')
    for page in site_pages(outdir):
        text = page.read_text(encoding="utf-8")
        versioned = link.sub(lambda m: f'{m.group(1)}?v={digests[m.group(2)]}"', text)
        if versioned != text:
            page.write_text(versioned, encoding="utf-8")


def _write_stylesheet(app, exception) -> None:
    if exception is None and app.builder.format == "html" and app.config.html_theme == THEME_NAME:
        path = Path(app.outdir) / "_static" / STYLESHEET
        path.parent.mkdir(parents=True, exist_ok=True)
        linked = [asset_filename(name) for name, _attributes in app.registry.css_files]
        path.write_text(site_stylesheet(Path(app.outdir), linked), encoding="utf-8")
        version_links(Path(app.outdir))


def _page_theme_assets(app, pagename, templatename, context, doctree) -> None:
    """Link the merged stylesheet instead of myst-nb's own; defer the deferrable helpers."""
    sheets = context.get("css_files")
    if isinstance(sheets, list):
        sheets[:] = [s for s in sheets if not MERGED.fullmatch(asset_filename(s))]
    scripts = context.get("script_files")
    # the search page's template adds searchtools.js, which needs doctools.js at once
    if not isinstance(scripts, list) or templatename == "search.html":
        return
    for i, script in enumerate(scripts):
        name = asset_filename(script)
        attributes = getattr(script, "attributes", None)
        if name in DEFERRABLE and isinstance(attributes, dict) and "defer" not in attributes:
            scripts[i] = type(script)(script.filename, priority=script.priority, **{**attributes, "defer": "defer"})


def _add_mode_script(app, config) -> None:
    if config.html_theme == THEME_NAME:
        app.add_js_file(None, body=MODE_SCRIPT, priority=100)


def setup(app) -> dict:
    app.add_html_theme(THEME_NAME, str(THEME_DIR))
    # before the builder exists: a script added later is listed twice (registry and builder)
    app.connect("config-inited", _add_mode_script)
    app.connect("html-page-context", _page_theme_assets, priority=850)
    # after myst-nb copies its stylesheet into _static (build-finished, default priority)
    app.connect("build-finished", _write_stylesheet, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
