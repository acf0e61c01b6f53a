"""Voila under a class (skintriage.register.voila_class): past the kernel cap a trainee gets the "room is full"
page, which tries again by itself and opens the exam once a place is free (never a blank page); a kernel left
behind by a page closed without a goodbye is culled, which frees the place. The pages are accessible and make no
request to another host."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

from skintriage.register.voila_class import class_flags, command
from tests.browser import assert_accessible
from tests.conftest import new_page
from tests.voila_server import serving

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/knowledge_check.ipynb"
GENEROUS = 240_000  # ms: a bound for a busy machine, not a speed target (that is `make bench-class`)


def test_the_flags_turn_on_culling_preheating_the_cap_and_patient_timeouts():
    flags = class_flags()
    assert "--preheat_kernel=True" in flags and any(f.startswith("--pool_size=") for f in flags)
    assert any(f.startswith("--VoilaKernelManager.fill_delay=") for f in flags)
    assert any(f.startswith("--MappingKernelManager.cull_idle_timeout=") for f in flags)
    assert "--MappingKernelManager.cull_connected=False" in flags
    assert any(f.startswith("--CappedKernelManager.max_kernels=") for f in flags)
    assert any(f.startswith("--VoilaExecutor.iopub_timeout=") for f in flags)
    assert not any(f.startswith("--preheat_kernel") for f in class_flags(pool_size=0))


def serve(tmp_path, **options):
    return serving(lambda port: command(NOTEBOOK, port, **options), tmp_path / "voila.log")


def kernel_of(page) -> list[str]:
    """Collects the id of the kernel the page talks to (from its own request for the kernel's model)."""
    ids: list[str] = []
    page.on(
        "request",
        lambda request: ids.extend(re.findall(r"/api/kernels/([0-9a-f-]{36})", request.url)[:1] if not ids else []),
    )
    return ids


def kernel_exists(url: str, kernel_id: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}api/kernels/{kernel_id}", timeout=10)
        return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def test_past_the_cap_the_room_is_full_page_waits_until_a_culled_kernel_frees_a_place(browser, page, tmp_path):
    """One place. The second trainee gets the "room is full" page; the first trainee's browser goes away without
    telling Voila (a crash, a lost connection: no beforeunload), so the culler shuts the idle, unconnected kernel
    down; the waiting page, retrying by itself, then gets the exam."""
    # Idle for 20 s: longer than a page takes to load and connect (a kernel nobody is connected to yet, between
    # running the notebook and the page's first message, is idle too).
    with serve(tmp_path, pool_size=0, max_kernels=1, idle_minutes=20 / 60, cull_interval_seconds=1) as served:
        first = new_page(browser)
        ids = kernel_of(first)
        first.goto(served.url, timeout=GENEROUS)
        first.get_by_role("button", name="Submit answers").wait_for(timeout=GENEROUS)  # the one kernel is in use
        assert ids and kernel_exists(served.url, ids[0])
        response = page.goto(served.url, timeout=GENEROUS)
        assert response.status == 503
        assert page.get_by_role("heading", name="The room is full, trying again").is_visible()
        assert "The knowledge check is full (1 at once)" in page.inner_text("body")
        assert page.get_by_role("link", name="Try again now").is_visible()
        assert page.get_by_role("button", name="Stop trying again").is_visible()
        assert_accessible(page)
        assert first.external_requests == []
        first.close()  # Playwright's default: beforeunload handlers do not run, so Voila is not told
        deadline = time.monotonic() + GENEROUS / 1000
        while kernel_exists(served.url, ids[0]):
            assert time.monotonic() < deadline, "the orphaned kernel was never culled"
            time.sleep(1)
        log = (tmp_path / "voila.log").read_text()
        assert re.search(rf"Culling 'idle' kernel .*{ids[0]}", log), log[-2000:]
        page.get_by_role("button", name="Submit answers").wait_for(timeout=GENEROUS)
        assert page.locator(".skt-kc-question").count() > 0
        assert page.external_requests == []
        first.context.close()


def test_stop_trying_again_stops_the_retries(page, tmp_path):
    with serve(tmp_path, pool_size=0, max_kernels=0) as served:
        page.clock.install()  # the page's timers run on a clock the test moves
        page.goto(served.url, timeout=GENEROUS)
        page.get_by_role("button", name="Stop trying again").click()
        assert "Stopped" in page.inner_text("#skt-retry-status")
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.clock.run_for(30_000)  # three retry periods
        assert navigations == [] and "Stopped" in page.inner_text("#skt-retry-status")
