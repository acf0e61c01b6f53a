"""The book loads jupyter-book's own Sphinx extensions except sphinx_thebe (it names a CDN on every page).

jupyter-book can only add extensions, so _config.yml lists the whole set; this checks the list against the
installed jupyter-book's defaults, so an upgrade that adds or renames one is noticed here, not on the site.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_book.config import get_default_sphinx_config, get_final_config

ROOT = Path(__file__).resolve().parents[1]


def book_extensions() -> list[str]:
    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml", cli_config={"latex_individualpages": False}, sourcedir=ROOT
    )
    return config["extensions"]


def test_the_book_loads_jupyter_books_extensions_except_thebe():
    extensions = book_extensions()
    defaults = [name for name in get_default_sphinx_config()["extensions"] if name != "sphinx_thebe"]
    assert "sphinx_thebe" not in extensions
    assert [name for name in extensions if name in defaults] == defaults


def test_the_book_loads_the_bibliography_and_the_course_extension():
    extensions = book_extensions()
    assert "sphinxcontrib.bibtex" in extensions and "skintriage.sphinxext" in extensions
