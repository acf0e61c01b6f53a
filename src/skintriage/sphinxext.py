"""Sphinx extension: serve the course's quiz and explorer assets from the book's own ``_static``.

Every ``*.js`` and ``*.css`` in ``skintriage/static`` is copied into ``_static`` and linked from every page,
so a quiz rendered as plain HTML by a notebook cell works on the published site with no CDN and no kernel.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .course import PACKAGE_DIR, STATIC_DIR

logger = logging.getLogger(__name__)
_STAMP = "skintriage-inputs.txt"


def _add_assets(app: Sphinx, config) -> None:
    config.html_static_path.append(str(STATIC_DIR))
    for css in sorted(STATIC_DIR.glob("*.css")):
        app.add_css_file(css.name)
    for js in sorted(STATIC_DIR.glob("*.js")):
        app.add_js_file(js.name, defer="defer")


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _is_widget_state(script) -> bool:
    return str(getattr(script, "attributes", {}).get("type", "")) == "application/vnd.jupyter.widget-state+json"


def _drop_unused_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Remove two scripts the static course never uses.

    - sphinx-thebe, which jupyter-book always loads: it names a CDN (unpkg) and on this version declares its
      config twice (a console SyntaxError). The course has no live-code cells.
    - the saved ipywidgets state myst-nb embeds (about 1 MB on a case page): static pages show each quiz's
      text/html view, and no widget manager is loaded to use that state.
    """
    if "script_files" in context:
        context["script_files"] = [
            s for s in context["script_files"] if not (_is_thebe(s) or _is_widget_state(s))
        ]


def _fix_citation_roles(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """docutils marks a bibliography as role="list" but its entries as role="doc-biblioentry", which is not a
    list item: screen readers get a broken list (axe-core: aria-required-children, critical)."""
    body = context.get("body")
    if body and 'class="citation-list"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


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
    return _digest([p for p in STATIC_DIR.iterdir() if p.is_file()])


def _cache_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.nb_execution_cache_path


def _check_inputs(app: Sphinx) -> None:
    """jupyter-cache keys a page on its own cells, and Sphinx re-reads a page only when its source changes; a
    case page also depends on the bank. When any input changed, drop the execution cache and re-read all."""
    key = f"{inputs_key(Path(app.srcdir))} {static_key()}"
    stamp = _cache_dir(app) / _STAMP
    previous = stamp.read_text().split() if stamp.exists() else ["", ""]
    app.env.skintriage_stale = previous[0] != key.split()[0]
    # Sphinx copies _static only when some page is rebuilt: a JS/CSS-only change re-writes the root page.
    app.env.skintriage_static_changed = previous[-1] != key.split()[1]
    app.env.skintriage_key = key
    if app.env.skintriage_stale and _cache_dir(app).exists():
        logger.info("skintriage: package, cases or chapters changed; re-executing every page")
        shutil.rmtree(_cache_dir(app))


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    if getattr(env, "skintriage_stale", False):
        return sorted(env.found_docs)
    if getattr(env, "skintriage_static_changed", False):
        return [app.config.root_doc]
    return []


def _write_stamp(app: Sphinx, exception) -> None:
    if exception is None and getattr(app.env, "skintriage_key", None):
        _cache_dir(app).mkdir(parents=True, exist_ok=True)
        (_cache_dir(app) / _STAMP).write_text(app.env.skintriage_key)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _check_inputs)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _write_stamp)
    app.connect("config-inited", _add_assets)
    # late (priority 900), after myst-nb has added its per-page scripts
    app.connect("html-page-context", _drop_unused_scripts, priority=900)
    app.connect("html-page-context", _fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
