"""Every Voila app the course starts serves the built book and no other file (issue 18).

Voila's own file route matched an allow-list before resolving ``..``, so
``/voila/files/_build/html/../../src/skintriage/data/exam_cases/<case>.yaml`` returned the held-back exam pool
with its answers. Here each app is started as its ``make`` target starts it and asked, over a raw socket (no
client-side normalisation, as ``curl --path-as-is`` would send it), for files outside the book in every
spelling of a traversal; none may answer with a file's contents.
"""

from __future__ import annotations

import contextlib
import http.client
from pathlib import Path
from urllib.parse import urlparse

import pytest

from skintriage.classroom import launch
from skintriage.register import voila_class
from skintriage.web import voila_book
from tests.voila_server import serving

ROOT = Path(__file__).resolve().parents[1]
EXAM_CASE = sorted((ROOT / "src" / "skintriage" / "data" / "exam_cases").glob("*.yaml"))[0]

# Files outside the book, by their path from the course folder, and a line of each that must never be served.
SECRETS = {
    f"src/skintriage/data/exam_cases/{EXAM_CASE.name}": "answer:",
    ".git/config": "[core]",
    ".git/HEAD": "ref: refs/",
    "pyproject.toml": "[build-system]",
    "_config.yml": "sphinx:",
    "notebooks/knowledge_check.ipynb": '"cells"',
}
BOOK = "_build/html/"


def traversals(target: str) -> list[str]:
    """Paths (after ``/voila/files/``) that try to reach ``target`` from the book and from elsewhere."""
    depth = 2  # _build/html is two folders below the course folder
    dots = [
        "../" * depth,
        "%2e%2e/" * depth,
        "%2E%2E/" * depth,
        "..%2f" * depth,
        "..%2F" * depth,
        "%2e%2e%2f" * depth,
        ".%2e/" * depth,
        "%252e%252e/" * depth,  # double-encoded
        "..%5c" * depth,  # backslash
        "..\\" * depth,
        "./" + "../" * depth,
        "..//" * depth,
        "%c0%ae%c0%ae/" * depth,  # overlong UTF-8 dots
    ]
    encoded = target.replace("/", "%2f")
    return [
        target,
        "/" + target,
        encoded,
        *(BOOK + prefix + target for prefix in dots),
        BOOK + "../" * depth + encoded,
        BOOK + "%00/../../" + target,
        BOOK + "/" + str(ROOT / target),
        "/" + str(ROOT / target),
        str(ROOT / target).lstrip("/"),
    ]


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def knowledge_check(port: int) -> list[str]:
    """`make voila`: the class command (pre-heating off, so no kernel starts for a test of files)."""
    return voila_class.command("notebooks/knowledge_check.ipynb", port, pool_size=0)


def register(port: int) -> list[str]:
    """`make register`: one user, with Voila's token."""
    return voila_class.plain_command("notebooks/training_register.ipynb", port, "--token")


def console(port: int) -> list[str]:
    """`make session`'s console: the launcher's command for its port."""
    return launch.console_command(port)


APPS = {"knowledge check": knowledge_check, "register": register, "console": console}


@pytest.fixture(scope="module")
def app_urls(book_html, tmp_path_factory) -> dict[str, str]:
    logs = tmp_path_factory.mktemp("voila-files")
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(serving(command, logs / f"{name}.log")).url for name, command in APPS.items()}
        yield urls


def test_every_app_starts_through_the_course_voila():
    """The one launcher: a new app or target cannot start Voila's own file route by accident."""
    for command in APPS.values():
        assert command(1)[: len(voila_book.launcher())] == voila_book.launcher()
    makefile = (ROOT / "Makefile").read_text()
    assert "/voila " not in makefile and "bin)/voila" not in makefile.lower()


@pytest.mark.parametrize("app", APPS)
def test_no_traversal_spelling_reaches_a_file_outside_the_book(app_urls, app):
    url = app_urls[app]
    served = []
    for target, marker in SECRETS.items():
        assert marker in (ROOT / target).read_text(), target  # the marker is really in the file
        for path in traversals(target):
            for route in ("/voila/files/", "/voila/static/", "/voila/templates/lab/static/", "/voila/labextensions/"):
                status, body = raw_get(url, route + path)
                if marker.encode() in body or status in (200, 206, 304):
                    served.append((status, route + path))
    assert served == []


@pytest.mark.parametrize("app", APPS)
def test_the_book_is_served_but_no_hidden_file_in_it(app_urls, app, book_html):
    url = app_urls[app]
    status, body = raw_get(url, "/voila/files/_build/html/index.html")
    assert status == 200 and b"book/index.html" in body
    status, body = raw_get(url, "/voila/files/_build/html/book/welcome.html")
    assert status == 200 and b"<html" in body
    status, _ = raw_get(url, "/voila/files/_build/html/")
    assert status == 200  # the folder's index.html
    assert (book_html / ".buildinfo").exists()
    for hidden in (".buildinfo", "%2ebuildinfo", "book/../.buildinfo"):
        status, body = raw_get(url, "/voila/files/_build/html/" + hidden)
        assert status == 404 and b"Sphinx" not in body, hidden
