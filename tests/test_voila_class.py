"""Voila under a class: past the kernel cap a trainee gets a clear message and a retry link, never a blank page
(and the error page, like every page, is accessible and makes no request to another host)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from skintriage.register.voila_class import class_flags, command
from tests.browser import assert_accessible
from tests.voila_server import ROOT, free_port

pytestmark = pytest.mark.browser


def test_the_flags_turn_on_culling_preheating_and_the_cap():
    flags = class_flags()
    assert "--preheat_kernel=True" in flags and any(f.startswith("--pool_size=") for f in flags)
    assert any(f.startswith("--MappingKernelManager.cull_idle_timeout=") for f in flags)
    assert "--MappingKernelManager.cull_connected=False" in flags
    assert any(f.startswith("--CappedKernelManager.max_kernels=") for f in flags)


@contextlib.contextmanager
def serve(tmp_path, **options):
    port = free_port()
    log = tmp_path / "voila.log"
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "notebooks" / "jupyter-data"))
    with open(log, "w") as out:
        process = subprocess.Popen(
            command("notebooks/knowledge_check.ipynb", port, **options),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "api", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Voila did not start:\n" + log.read_text())
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_past_the_kernel_cap_the_page_says_so_and_offers_a_retry(browser, page, tmp_path):
    from tests.conftest import new_page

    with serve(tmp_path, pool_size=0, max_kernels=1) as url:
        first = new_page(browser)
        first.goto(url, timeout=180_000)
        first.get_by_role("button", name="Submit answers").wait_for(timeout=180_000)  # the one kernel is in use
        response = page.goto(url, timeout=180_000)
        assert response.status == 503
        assert "The knowledge check is full (1 at once)" in page.inner_text("body")
        retry = page.get_by_role("link", name="Try again")
        assert retry.is_visible()
        assert_accessible(page)
        assert page.external_requests == [] and first.external_requests == []
        first.context.close()
