"""First-load weight of a built page as Chromium fetches it: every request the page makes on load (scripts,
styles, fonts, images above the fold), each costed as the static host would serve it
(skintriage.pageassets.weight). Shared by the budget test and `make bench`."""

from __future__ import annotations

from pathlib import Path

from skintriage.pageassets.weight import FirstLoad, local_file


def first_load(page, base_url: str, root: Path, relative: str) -> FirstLoad:
    """Open ``relative`` in a fresh cache and cost every local file it requested until the network is idle."""
    result = FirstLoad(relative)

    def record(request):
        path = local_file(root, request.url[len(base_url) :] if request.url.startswith(base_url) else request.url)
        if path is None:
            result.unknown.append(request.url)
        else:
            result.add(path)

    page.on("requestfinished", record)
    page.goto(base_url + relative)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", record)
    return result
