"""Measure what the course promises on speed and size; `make bench` runs it. Never part of `make test`.

- a clean build (no jupyter-cache, no Sphinx environment) and an unchanged rebuild, in seconds;
- the weight of the pages a trainee downloads on a phone: each page's HTML, the course's own JS/CSS each page
  loads (gzip, as skintriage.pageassets.weight costs it), the site.

Targets are printed beside each measurement; the script exits 1 if one is missed, so it can gate a release.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HTML = ROOT / "_build" / "html"
JB = [str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", ".", "--builder", "html", "-W", "-n", "--keep-going"]

TARGETS = {
    "clean_build_s": 300.0,  # a fresh clone builds in CI time to spare on a 2-core machine
    "unchanged_rebuild_s": 30.0,  # jupyter-cache: nothing re-executes when nothing changed
    "largest_page_kb": 800.0,  # a case page (10+ quizzes and face maps) on a phone connection
    "quiz_assets_kb": 60.0,  # skintriage's own JS + CSS that one page loads (gzip), on the page that loads most
}


def timed_build() -> float:
    start = time.perf_counter()
    subprocess.run(JB, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def kb(path: Path) -> float:
    return path.stat().st_size / 1024


LINK = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"?#]+)[^"]*"')


def course_assets_per_page(html: Path) -> dict[str, int]:
    """For each built page, the served (gzip) bytes of the course's own JS/CSS files it links."""
    from skintriage.course import STATIC_DIR
    from skintriage.pageassets import THEME_STATIC_DIR
    from skintriage.pageassets.weight import served_size, site_pages

    course = {
        p.name for folder in (STATIC_DIR, THEME_STATIC_DIR) for p in folder.iterdir() if p.suffix in (".js", ".css")
    }
    sizes = {name: served_size(html / "_static" / name) for name in course if (html / "_static" / name).exists()}
    result = {}
    for page in site_pages(html):
        linked = {url.rsplit("/", 1)[-1] for url in LINK.findall(page.read_text(encoding="utf-8"))}
        result[page.relative_to(html).as_posix()] = sum(sizes[name] for name in linked & set(sizes))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-clean", action="store_true", help="do not delete caches for a clean build")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()

    results: dict[str, float] = {}
    if not args.skip_clean:
        shutil.rmtree(ROOT / ".jupyter_cache", ignore_errors=True)
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        results["clean_build_s"] = timed_build()
    results["unchanged_rebuild_s"] = timed_build()

    pages = {p.relative_to(HTML).as_posix(): kb(p) for p in HTML.rglob("*.html")}
    largest = max(pages, key=pages.get)
    results["largest_page_kb"] = pages[largest]
    per_page = course_assets_per_page(HTML)
    heaviest_assets = max(per_page, key=per_page.get)
    results["quiz_assets_kb"] = per_page[heaviest_assets] / 1024
    results["site_total_kb"] = sum(kb(p) for p in HTML.rglob("*") if p.is_file())

    missed = []
    print(f"{'measure':24} {'value':>10} {'target':>10}")
    for name, value in results.items():
        target = TARGETS.get(name)
        flag = "" if target is None or value <= target else "  MISSED"
        if flag:
            missed.append(name)
        print(f"{name:24} {value:10.1f} {target if target is not None else '':>10}{flag}")
    print(f"largest page: {largest}; most course assets: {heaviest_assets}")
    for name, size in sorted(pages.items(), key=lambda item: -item[1])[:6]:
        print(f"  {size:8.1f} KB  {name}")
    if args.json:
        report = {"results": results, "targets": TARGETS, "pages_kb": pages, "course_assets_per_page": per_page}
        args.json.write_text(json.dumps(report, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
