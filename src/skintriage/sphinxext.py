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


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
