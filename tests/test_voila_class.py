"""Voila under a class: past the kernel cap a trainee gets a clear message and a retry link, never a blank page
(and the error page, like every page, is accessible and makes no request to another host)."""

from __future__ import annotations

import pytest

from skintriage.register.voila_class import class_flags, command
from tests.browser import assert_accessible
from tests.voila_server import running_voila

pytestmark = pytest.mark.browser


def test_the_flags_turn_on_culling_preheating_and_the_cap():
    flags = class_flags()
    assert "--preheat_kernel=True" in flags and any(f.startswith("--pool_size=") for f in flags)
    assert any(f.startswith("--MappingKernelManager.cull_idle_timeout=") for f in flags)
    assert "--MappingKernelManager.cull_connected=False" in flags
    assert any(f.startswith("--CappedKernelManager.max_kernels=") for f in flags)


def serve(tmp_path, **options):
    return running_voila(
        lambda port: command("notebooks/knowledge_check.ipynb", port, **options), tmp_path / "voila.log"
    )


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
