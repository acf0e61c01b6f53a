"""The course's Voila: Voila with one change, the files it serves. The apps' "Read again" links open the built
book, and the book is the only folder a browser can read files from.

Voila's own ``/voila/files/`` route serves its ``root_dir`` (here the course folder) through an allow-list of
regular expressions matched against the path as the browser wrote it, before ``..`` is resolved: an allowed
prefix followed by ``../../src/...`` reached the held-back exam pool, ``.git``, ``.venv``, the register database
and the class server's token. No Voila option roots that route anywhere else, so :class:`CourseVoila` puts
:class:`BookFileHandler` in its place: rooted at ``_build/html``, the path resolved (symlinks included) before
it is checked, nothing outside the book and no hidden file. Every app the course starts (the knowledge check,
the training register, the live console) runs as ``python -m skintriage.web.voila_book`` with Voila's own
options; ``SKINTRIAGE_SITE_URL`` (read by :func:`skintriage.web.render.site_href`) points the links at
``BOOK_URL`` unless it already names a published copy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

BOOK_URL = "/voila/files/_build/html"
BOOK_PREFIX = BOOK_URL.removeprefix("/voila/files/") + "/"
FILES_ROUTE = r"/voila/files/(.*)"
# The course folder as Voila's root: the notebooks are opened by their path in it (kernels still run beside
# the notebook). Files are served from the book alone (BookFileHandler), whatever the root.
FILE_FLAGS = ["--Voila.root_dir=."]


def book_env(base: Mapping[str, str]) -> dict[str, str]:
    env = dict(base)
    env.setdefault("SKINTRIAGE_SITE_URL", BOOK_URL)
    return env


def launcher() -> list[str]:
    """The command that starts the course's Voila (followed by the notebook and Voila's options)."""
    return [sys.executable, "-m", "skintriage.web.voila_book"]


def _book_handler_class():
    # Tornado and Voila are the live apps' dependencies, not the book's: imported only when Voila starts.
    from tornado import web

    class BookFileHandler(web.StaticFileHandler):
        """The built book's files under ``/voila/files/_build/html/``; 404 for every other path.

        Tornado joins the path to the book folder, resolves it and refuses anything outside that folder
        (symlinks resolved too); hidden files (``.buildinfo``, anything under a dot-folder) and NUL bytes are
        refused before the file system is asked."""

        def parse_url_path(self, url_path: str) -> str:
            if not url_path.startswith(BOOK_PREFIX) or "\x00" in url_path or "\\" in url_path:
                raise web.HTTPError(404)
            relative = url_path.removeprefix(BOOK_PREFIX)
            if any(part.startswith(".") for part in relative.split("/")):
                raise web.HTTPError(404)
            return super().parse_url_path(relative)

        def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
            real_root = os.path.realpath(root)
            real = os.path.realpath(absolute_path)
            if os.path.commonpath([real_root, real]) != real_root:
                raise web.HTTPError(404)
            return super().validate_absolute_path(root, absolute_path)

    return BookFileHandler


def _course_voila_class():
    from traitlets import Unicode, default
    from voila.app import Voila

    book_handler = _book_handler_class()

    class CourseVoila(Voila):
        """Voila whose only file route is the built book (see the module's docstring)."""

        book_dir = Unicode(config=True, help="The built book served under /voila/files/_build/html/.")

        @default("book_dir")
        def _default_book_dir(self) -> str:
            return str(Path(self.root_dir) / "_build" / "html")

        def init_handlers(self) -> list:
            handlers = []
            for handler in super().init_handlers():
                if handler[0].endswith(FILES_ROUTE):
                    handler = (handler[0], book_handler, {"path": self.book_dir, "default_filename": "index.html"})
                handlers.append(handler)
            if not any(handler[1] is book_handler for handler in handlers):
                raise RuntimeError(f"Voila has no {FILES_ROUTE} route to replace: its handlers changed")
            return handlers

    return CourseVoila


def main() -> None:
    """``python -m skintriage.web.voila_book NOTEBOOK [Voila options]``: Voila with the book as its only files."""
    _course_voila_class().launch_instance()


if __name__ == "__main__":
    main()
