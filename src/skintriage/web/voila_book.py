"""The Voila apps' "Read again" links open the built book: Voila serves ``_build/html`` as files from the
course folder, and ``SKINTRIAGE_SITE_URL`` (read by :func:`skintriage.web.render.site_href`) points there unless
it already names a published copy. ``make voila``, ``make session`` and the tests start Voila with these."""

from __future__ import annotations

from collections.abc import Mapping

BOOK_URL = "/voila/files/_build/html"
# The course folder as Voila's root, so /voila/files/ reaches _build/html (kernels still run beside the
# notebook); only the built book and images are served as files.
FILE_FLAGS = ["--Voila.root_dir=.", "--VoilaConfiguration.file_allowlist=['_build/html/.*', '.*\\.(png|jpg|gif|svg)']"]


def book_env(base: Mapping[str, str]) -> dict[str, str]:
    env = dict(base)
    env.setdefault("SKINTRIAGE_SITE_URL", BOOK_URL)
    return env
