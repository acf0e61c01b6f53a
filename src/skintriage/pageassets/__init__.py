"""Each page loads only what it uses: the course's JS/CSS by the page's own declaration, the theme's icons
as a small stylesheet, and no build leftovers (source maps, unused font formats) in the published site.

A rendered widget declares the course files it needs with ``data-skt-needs="quiz"`` on its root element
(see :data:`BUNDLES`); a hand-written page declares them in its front matter (``skt-needs: handout``). The
Sphinx extension reads those declarations for each page and links exactly those files on that page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from skintriage.course import PACKAGE_DIR, STATIC_DIR

THEME_STATIC_DIR = PACKAGE_DIR / "theme_static"

# What a declared need loads: paths under skintriage/static (so under the site's _static), the pure logic in
# core/ before the DOM code in ui/ that uses it.
BUNDLES: dict[str, tuple[str, ...]] = {
    "quiz": ("quiz.css", "core/quiz_core.js", "ui/quiz.js"),
    "case": ("quiz.css",),
    "case-nav": ("case_index.css",),
    "case-list": ("case_index.css", "core/case_filter.js", "ui/case_index.js"),
    "explorer": ("explorer.css", "core/triage.js", "core/explorer_core.js", "ui/triage_explorer.js"),
    "knowledge-check": ("knowledge_check.css", "core/exam_core.js", "ui/knowledge_check.js"),
    "handout": ("handout.css",),
}
# Every page: the theme's icons, the mend for the theme's unnamed sidebar toggles, the phone layout fixes, and
# course progress (it reads the outline every page carries; first among the scripts, so a quiz's progress
# event finds it listening).
EVERY_PAGE: tuple[str, ...] = (
    "icons.css",
    "layout.css",
    "progress.css",
    "core/progress_core.js",
    "ui/progress.js",
    "ui/theme-a11y.js",
)

_NEEDS = re.compile(r'\bdata-skt-needs="([^"]*)"')

# Third-party helpers jupyter-book puts on every page, kept only where the page has what they act on.
_OPTIONAL_HELPERS: dict[str, tuple[str, ...]] = {
    "progress.js": ('id="skt-course-outline"',),  # course pages carry the outline; search and index do not
    "progress_core.js": ('id="skt-course-outline"',),
    "progress.css": ('id="skt-course-outline"',),
    "togglebutton.js": ("toggle", "dropdown"),
    "togglebutton.css": ("toggle", "dropdown"),
    "copybutton.js": ('class="highlight',),
    "copybutton.css": ('class="highlight',),
    "clipboard.min.js": ('class="highlight',),
    "design-tabs.js": ("sd-tab",),
    "sphinx-design.min.css": ('class="sd-', " sd-"),
    "pygments.css": ('class="highlight',),  # code colours, where a page shows code
}


def needs(*names: str) -> str:
    """The attribute a widget's root element carries to declare the course files it needs."""
    unknown = [n for n in names if n not in BUNDLES]
    if unknown:
        raise ValueError(f"unknown asset bundle(s) {unknown}; known: {sorted(BUNDLES)}")
    return f'data-skt-needs="{" ".join(names)}"'


def declared_files(body: str, front_matter: str = "") -> list[str]:
    """The course files a page declares, in a stable order (CSS, then JS), without repeats."""
    files: list[str] = []
    for declaration in [front_matter, *_NEEDS.findall(body)]:
        for name in declaration.split():
            if name not in BUNDLES:
                raise ValueError(f'data-skt-needs names an unknown bundle "{name}"; known: {sorted(BUNDLES)}')
            files.extend(BUNDLES[name])
    unique = list(dict.fromkeys(files))
    return [f for f in unique if f.endswith(".css")] + [f for f in unique if f.endswith(".js")]


_IMG = re.compile(r"<img\b(?![^>]*\bloading=)")


def lazy_images(body: str) -> str:
    """Figures load when scrolled near (Chromium still fetches those already in view at once), so a phone
    on a slow line spends its first bytes on the text."""
    return _IMG.sub('<img loading="lazy" decoding="async"', body)


def asset_filename(asset) -> str:
    """The file name of a page's script or stylesheet entry (a Sphinx asset object or a string)."""
    return str(getattr(asset, "filename", asset) or "").split("?")[0].rsplit("/", 1)[-1]


def _add_global_assets(app, config) -> None:
    config.html_static_path.extend([str(STATIC_DIR), str(THEME_STATIC_DIR)])
    for name in EVERY_PAGE:
        if name.endswith(".css"):
            app.add_css_file(name)
        else:
            app.add_js_file(name, defer="defer")


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body") or ""
    try:
        files = declared_files(body, str(app.env.metadata.get(pagename, {}).get("skt-needs", "")))
    except ValueError as error:
        raise ValueError(f"page {pagename}: {error}") from None
    for name in files:
        if name.endswith(".css"):
            app.add_css_file(name)
        else:
            app.add_js_file(name, defer="defer")
    if "<img" in body:
        context["body"] = lazy_images(body)
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = [a for a in assets if _used(asset_filename(a), body)]


def _used(filename: str, body: str) -> bool:
    markers = _OPTIONAL_HELPERS.get(filename)
    return markers is None or any(marker in body for marker in markers)


def prune_output(outdir: Path) -> list[Path]:
    """Delete what no visitor fetches: source maps, TrueType fonts beside their woff2, the theme's build-time
    translation catalogues; cut the icon font to the glyphs the CSS uses. Returns what it removed."""
    static = outdir / "_static"
    removed: list[Path] = []
    for path in list(static.rglob("*.map")):
        removed.append(path)
    for path in list(static.rglob("*.ttf")):
        if path.with_suffix(".woff2").exists():
            removed.append(path)
    for path in removed:
        path.unlink()
    for font in static.rglob("fontawesome/webfonts/*.woff2"):
        subset_icon_font(font, static)
    locales = static / "locales"
    if locales.is_dir():
        shutil.rmtree(locales)
        removed.append(locales)
    return removed


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ICON_CODE = re.compile(r"\\([ef][0-9a-f]{3})\b", re.I)  # written as a CSS escape
_ICON_CHAR = re.compile("[\ue000-\uf8ff]")  # or as the private-use character itself


def icon_code_points(css_texts) -> set[int]:
    """The icon-font glyphs the stylesheets draw themselves (admonition titles, breadcrumbs, external-link
    marks): code points in any rule except Font Awesome's own per-icon ``.fa-NAME:before`` catalogue, whose
    icons icons.css draws instead."""
    points: set[int] = set()
    for css in css_texts:
        for selector, declarations in _RULE.findall(css):
            if all(part.strip().startswith((".fa-", "*/.fa-")) for part in selector.split(",")):
                continue
            points.update(int(code, 16) for code in _ICON_CODE.findall(declarations))
            points.update(ord(char) for char in _ICON_CHAR.findall(declarations))
    return points


def subset_icon_font(font: Path, static: Path) -> None:
    """Keep only the glyphs the site's CSS uses: the theme's Font Awesome font is 150 KB, its used part a few."""
    from fontTools import subset

    points = icon_code_points(p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css"))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    with subset.load_font(str(font), options) as tt:
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(tt)
        subset.save_font(tt, str(font), options)


def _prune(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        prune_output(Path(app.outdir))


def setup(app) -> dict:
    app.connect("config-inited", _add_global_assets)
    # before sphinxext's script filter (priority 900) and after myst-nb's own per-page assets
    app.connect("html-page-context", _page_assets, priority=800)
    app.connect("build-finished", _prune)
    app.setup_extension("skintriage.pageassets.datafiles")
    app.setup_extension("skintriage.theme")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
