"""Sphinx extension: serve the course's quiz and explorer assets from the book's own ``_static``.

Every ``*.js`` and ``*.css`` in ``skintriage/static`` is copied into ``_static`` and linked from every page,
so a quiz rendered as plain HTML by a notebook cell works on the published site with no CDN and no kernel.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .course import STATIC_DIR


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


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_assets)
    # late (priority 900), after myst-nb has added its per-page scripts
    app.connect("html-page-context", _drop_unused_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
