"""Issue 10: CSV records from Python and from the browser neutralise cells a spreadsheet would run as a
formula (=, +, -, @, tab, carriage return), checked against one shared vector file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from skintriage import course
from skintriage.exam import knowledge_check as kc

VECTORS = json.loads((Path(__file__).parent / "vectors" / "csv_cells.json").read_text(encoding="utf-8"))["vectors"]
SCRIPT = course.STATIC_DIR / "core" / "exam_core.js"
EVIL_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("vector", VECTORS, ids=[v["why"] for v in VECTORS])
def test_python_cells(vector):
    assert kc.csv_safe(vector["cell"]) == vector["written"]


def test_browser_cells_match_the_vectors(page):
    page.set_content("<!doctype html><html lang='en'><head><title>csv</title></head><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    written = page.evaluate("cells => cells.map(window.skintriageExamCore.csvSafe)", [v["cell"] for v in VECTORS])
    assert written == [v["written"] for v in VECTORS]


def _record(bank, name: str) -> kc.Record:
    items = kc.draw(bank, 5, seed=3)
    return kc.score(bank, items, {items[0].key: items[0].question.answer}, name=name, seed=3)


@pytest.fixture(scope="module")
def bank():
    from skintriage.bank.loader import load_bank

    return load_bank()


def test_python_record_csv_has_no_formula(bank):
    rows = list(csv.DictReader(io.StringIO(_record(bank, EVIL_NAME).to_csv())))
    assert rows and all(row["name"] == "'" + EVIL_NAME for row in rows)
    assert all(not value.startswith(kc.CSV_FORMULA_STARTS) for row in rows for value in row.values())
    # The JSON record keeps the name as given: only the spreadsheet view is neutralised.
    assert json.loads(_record(bank, EVIL_NAME).to_json())["name"] == EVIL_NAME


def test_browser_record_csv_equals_python(page, bank):
    record = _record(bank, EVIL_NAME)
    page.set_content("<!doctype html><html lang='en'><head><title>csv</title></head><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    in_js = page.evaluate("([r, f]) => window.skintriageExamCore.recordCsv(r, f)", [record.to_dict(), kc.CSV_FIELDS])
    js_rows = list(csv.DictReader(io.StringIO(in_js)))
    assert js_rows[0]["name"] == "'" + EVIL_NAME
    assert js_rows == list(csv.DictReader(io.StringIO(record.to_csv())))


def test_downloaded_csv_from_the_built_page_has_no_formula(page, site):
    """As a trainee would: a formula as the name on the built knowledge-check page, submit, download CSV."""
    page.goto(site + "book/knowledge_check.html")
    page.wait_for_selector(".skt-kc[data-ready='true']")
    page.fill("#skt-kc-name", EVIL_NAME)
    page.click(".skt-kc-begin")
    page.wait_for_selector(".skt-kc-exam:not([hidden])")
    page.click(".skt-kc-submit")
    if not page.locator(".skt-kc-summary:not([hidden])").count():  # blank answers: confirm by submitting again
        page.click(".skt-kc-submit")
    page.wait_for_selector(".skt-kc-summary:not([hidden])")
    with page.expect_download() as download:
        page.click('.skt-kc-download[data-format="csv"]')
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows and all(row["name"] == "'" + EVIL_NAME for row in rows)
    assert all(not value.startswith(kc.CSV_FORMULA_STARTS) for row in rows for value in row.values())
    with page.expect_download() as download:
        page.click('.skt-kc-download[data-format="json"]')
    assert json.loads(open(download.value.path(), encoding="utf-8").read())["name"] == EVIL_NAME
    assert page.console_errors == []
