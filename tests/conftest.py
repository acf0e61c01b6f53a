"""Shared fixtures: the built book served on localhost, and Playwright pages in Debian's Chromium.

Browser tests need the HTML that `make book` builds (`make test` builds it first). Every page fixture
blocks and records requests to any host other than this machine, so a test can assert the site is offline.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

# Tests never touch the developer's real clinic key (~/.config/skintriage) or register (data/): kernels and
# Voila servers started by the tests inherit these.
os.environ["SKINTRIAGE_KEY_DIR"] = tempfile.mkdtemp(prefix="skintriage-test-keys-")
os.environ["SKINTRIAGE_DATA_DIR"] = tempfile.mkdtemp(prefix="skintriage-test-data-")
os.environ.pop("SKINTRIAGE_DATABASE_URL", None)


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Debian's chromium is not installed: run `apt-get install chromium` (make test does this as root)")


# The real PostgreSQL server and the sqlite/postgresql `db_url` fixture, for every test that stores data.
pytest_plugins = ["tests.postgres"]


def instructor_html() -> Path | None:
    for candidate in (ROOT / "_build_instructor" / "html", ROOT / "_build_instructor" / "_build" / "html"):
        if (candidate / "index.html").exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def instructor_build() -> Path:
    html = instructor_html()
    if html is None:
        pytest.fail("no instructor edition in _build_instructor: run `make instructor` first (`make test` does)")
    return html


BUILD_FIXTURES = {"book_html", "site", "instructor_build"}
BROWSER_FIXTURES = {"chromium_executable", "browser", "page", "phone_page"}
SERVER_FIXTURES = {"postgres_server", "db_url"}


def pytest_collection_modifyitems(config, items):
    """Markers from the fixtures a test uses, so `make unit` (no build, browser or server) can leave them out."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if BUILD_FIXTURES & used:
            item.add_marker(pytest.mark.build)
        if BROWSER_FIXTURES & used:
            item.add_marker(pytest.mark.browser)
        if SERVER_FIXTURES & used:
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return chromium_path()


@pytest.fixture(scope="session")
def book_html() -> Path:
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.fail("no built book in _build/html: run `make book` first (`make test` does)")
    return html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest output readable
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def site(book_html):
    """Base URL of the built book, e.g. http://127.0.0.1:PORT/ ."""
    server = serve(book_html)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS or (parsed.hostname or "").startswith("127.")


def new_page(browser, **context_options):
    """A page in a fresh context that aborts and records every request to another host."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.external_requests = []

    def guard(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            page.external_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser):
    """A 375 px wide touch page, like a phone."""
    page = new_page(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()
