"""Sphinx extension: serve the course's quiz and explorer assets from the book's own ``_static``.

``skintriage/static`` (stylesheets, ``core/`` pure-logic scripts, ``ui/`` DOM scripts) is copied into ``_static``
as it is laid out; each page links only the files its own output declares (:mod:`skintriage.pageassets`), so a
quiz rendered as plain HTML by a notebook cell works on the published site with no CDN and no kernel.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from docutils import nodes
from docutils.writers.html5_polyglot import HTMLTranslator
from sphinx.application import Sphinx
from sphinx.util import logging

from skintriage.course import PACKAGE_DIR, STATIC_DIR
from skintriage.pageassets import THEME_STATIC_DIR
from skintriage.theme import THEME_DIR
from skintriage.web.display import mark_static_build

logger = logging.getLogger(__name__)


def _visit_citation(self, node) -> None:
    """A bibliography entry as a list item. docutils wraps entries in role="list" but marks each
    role="doc-biblioentry", a role DPUB-ARIA 1.1 deprecates because it is not a list item: screen readers get a
    broken list (axe-core: aria-required-children, critical). Otherwise docutils' own markup."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def course_outline(app: Sphinx, pagename: str) -> list[dict]:
    """The pages a trainee works through, in table-of-contents order: numbered chapters and case pages, each
    with its title and its address relative to ``pagename``. Derived from the toc; progress.js reads it."""
    env = app.env
    order: list[str] = []

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(app.config.root_doc)
    outline = []
    for docname in order:
        number = env.toc_secnumbers.get(docname, {}).get("")
        if number:
            kind = "chapter"
        elif docname.startswith("book/cases/") and docname != "book/cases/index":
            kind = "cases"
        else:
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        if number:
            title = ".".join(map(str, number)) + ". " + title
        outline.append(
            {"doc": docname, "title": title, "kind": kind, "href": app.builder.get_relative_uri(pagename, docname)}
        )
    return outline


def _add_outline(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every page carries the course outline and its own name, so progress.js can mark pages done, show
    progress in the sidebar and on the start page, and offer "Continue where you left off"."""
    if "body" not in context or app.builder.format != "html":
        return
    from skintriage.quiz.core import script_json

    data = {
        "page": pagename,
        "root": app.builder.get_relative_uri(pagename, app.config.root_doc),
        "outline": course_outline(app, pagename),
    }
    context["body"] += f'\n<script type="application/json" id="skt-course-outline">{script_json(data)}</script>\n'


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_key(srcdir: Path) -> str:
    """Hash of what executed pages read besides their own cells: the package, its case bank and rules, the
    bibliography and the chapters (section titles and labels)."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.suffix.lower() in (".py", ".yaml", ".yml")]
    files += [p for p in (srcdir / "book").rglob("*") if p.suffix in (".md", ".bib")]
    return _digest(files)


def static_key() -> str:
    folders = (STATIC_DIR, THEME_STATIC_DIR, THEME_DIR / "static")  # the theme's own script is copied too
    return _digest([p for folder in folders for p in folder.rglob("*") if p.is_file()])


def _cache_dir(app: Sphinx) -> Path:
    """The jupyter-cache folder exactly as myst-nb resolved it (its own default when `cache` is unset)."""
    return Path(app.env.mystnb_config.execution_cache_path).resolve()


def _cache_stamp(app: Sphinx) -> Path:
    """What the execution cache was filled from: beside the cache folder, never inside it (clearing the cache
    must not forget the stamp), and shared by every build that shares the cache (trainee and instructor)."""
    cache = _cache_dir(app)
    return cache.parent / f"{cache.name}.skintriage-inputs.txt"


def _build_stamp(app: Sphinx) -> Path:
    """What this build's pages were last written from: one per output folder, since each edition keeps its
    own pages (a page the trainee build re-wrote is still old in the instructor build)."""
    return Path(app.outdir).parent / "skintriage-inputs.txt"


def _read_stamp(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else ["", ""]


def _clear_execution_cache(cache: Path) -> None:
    """Delete the execution cache, but only a folder that really is one (it holds jupyter-cache's global.db).

    A mis-set path (the source tree, the home folder) is left alone with a warning instead of deleted.
    """
    if not cache.is_dir():
        return
    if not (cache / "global.db").is_file():
        logger.warning(f"skintriage: {cache} holds no jupyter-cache database; not clearing it")
        return
    shutil.rmtree(cache)


def _html_only_outputs(app: Sphinx, config) -> None:
    # Before myst-nb starts any kernel: they inherit the environment (skintriage.web.display).
    mark_static_build()


def _check_inputs(app: Sphinx) -> None:
    """jupyter-cache keys a page on its own cells, and Sphinx re-reads a page only when its source changes; a
    case page also depends on the bank. When any input changed, drop the execution cache and re-read all."""
    key = f"{inputs_key(Path(app.srcdir))} {static_key()}"
    inputs, static = key.split()
    built = _read_stamp(_build_stamp(app))
    app.env.skintriage_stale = built[0] != inputs
    # Sphinx copies _static only when some page is rebuilt: a JS/CSS-only change re-writes the root page.
    app.env.skintriage_static_changed = built[-1] != static
    app.env.skintriage_key = key
    if _read_stamp(_cache_stamp(app))[0] != inputs:
        logger.info("skintriage: package, cases or chapters changed; re-executing every page")
        _clear_execution_cache(_cache_dir(app))


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    if getattr(env, "skintriage_stale", False):
        return sorted(env.found_docs)
    if getattr(env, "skintriage_static_changed", False):
        return [app.config.root_doc]
    return []


def _write_stamp(app: Sphinx, exception) -> None:
    if exception is None and getattr(app.env, "skintriage_key", None):
        for stamp in (_cache_stamp(app), _build_stamp(app)):
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(app.env.skintriage_key)


def setup(app: Sphinx) -> dict:
    # after myst-nb's own builder-inited handler, which resolves the execution cache path
    app.connect("config-inited", _html_only_outputs)
    app.connect("builder-inited", _check_inputs, priority=800)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _write_stamp)
    app.setup_extension("skintriage.pageassets")
    app.setup_extension("skintriage.casesite")
    app.setup_extension("skintriage.rules.directives")  # {skt-bands} and {skt-sign}: the rules on printed pages
    app.add_node(nodes.citation, override=True, html=(_visit_citation, HTMLTranslator.depart_citation))
    # early, so the page-assets handler sees the outline that progress.js needs
    app.connect("html-page-context", _add_outline, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
