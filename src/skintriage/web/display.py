"""Which view a displayed object offers: HTML only while the book is being built, HTML and the live widget in
JupyterLab or Voila.

The course's Sphinx extension sets ``SKINTRIAGE_STATIC_BUILD`` before myst-nb starts the kernels that execute
the pages, so those kernels build no ipywidgets and myst-nb has no widget state to embed in the site.
"""

from __future__ import annotations

import os

STATIC_BUILD_ENV = "SKINTRIAGE_STATIC_BUILD"


def static_build() -> bool:
    return os.environ.get(STATIC_BUILD_ENV) == "1"


def mark_static_build() -> None:
    os.environ[STATIC_BUILD_ENV] = "1"
