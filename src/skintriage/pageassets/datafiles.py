"""Data files a page fetches, written by the build beside the page: the knowledge check's question file.

The page names the file (``data-src``); the build writes it from the shipped bank and refuses a page that
names another bank's file, so the page and its questions always come from the same bank.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.errors import ExtensionError

from skintriage import course

_KC_SRC = re.compile(r'<div class="skt-kc"[^>]*\bdata-src="([^"]+)"')


def _write_data_files(app, pagename, templatename, context, doctree) -> None:
    match = _KC_SRC.search(context.get("body") or "")
    if not match:
        return
    from skintriage.bank.loader import load_bank
    from skintriage.exam.static_page import questions_file, questions_file_name

    bank = load_bank()
    if match.group(1) != questions_file_name(bank):
        raise ExtensionError(
            f"page {pagename}: the knowledge check names {match.group(1)!r}, but the shipped "
            f"bank's question file is {questions_file_name(bank)!r}; rebuild from a clean cache"
        )
    folder = Path(pagename).parent
    data = questions_file(bank, page_dir=course.course_root() / folder)
    target = Path(app.outdir) / folder / match.group(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def setup(app) -> dict:
    app.connect("html-page-context", _write_data_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
