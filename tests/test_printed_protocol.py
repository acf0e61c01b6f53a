"""Every printed or projected copy of the protocol comes from the triage rules (issue 19): the handout's band table,
the facilitator guide's red-flag summary and quoted lines, and the escalation chapter's routes table are rendered
by ``{skt-bands}`` and ``{skt-sign}`` (skintriage.rules.protocol, skintriage.rules.directives), never typed.

The checks read pages as a reader sees them (tests/printed_protocol.py): a band or a sign the rules do not contain,
one in the wrong band, or one left out fails. The same checker is run on the hand-written tables the course
printed before (tests/fixtures/printed/), and finds what the issue found in them.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from docutils.core import publish_parts
from markdown_it import MarkdownIt
from myst_parser.parsers.docutils_ import Parser as MystParser

from skintriage import course
from skintriage.rules import checklist, load_rules
from skintriage.rules.protocol import COLUMNS, ROUTES, band_table_markdown, find_sign, sign_quote
from skintriage.vocab import ACTIONS
from tests.printed_protocol import band_tables, page_problems, quoted_sign_problems, table_problems, words

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "printed"
HANDOUT = ROOT / "book" / "instructor" / "handout.md"
GUIDE = ROOT / "book" / "instructor" / "facilitator_guide.md"


def shipped() -> dict:
    return yaml.safe_load(course.RULES_FILE.read_text(encoding="utf-8"))


def rules_from(tmp_path: Path, data: dict):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_rules(path)


def myst_html(text: str) -> str:
    """MyST Markdown to HTML with docutils alone (no Sphinx): how the generated Markdown really renders."""
    settings = {"report_level": 2, "halt_level": 2, "output_encoding": "unicode", "myst_enable_extensions": []}
    return publish_parts(text, parser=MystParser(), writer_name="html5", settings_overrides=settings)["body"]


# --- The renderer ---------------------------------------------------------------------------------------------


def test_band_table_shows_every_band_and_line_of_the_rules():
    html = myst_html(band_table_markdown())
    [table] = band_tables(html)
    assert table.header == [COLUMNS["band"], COLUMNS["signs"], COLUMNS["route"]]
    assert table_problems(table) == []
    assert [band for band, _ in table.rows] == [b.heading for b in checklist()]
    assert [signs for _, signs in table.rows] == [b.summaries for b in checklist()]
    edition = load_rules().edition
    assert f"triage rules, edition {edition}" in html


def test_band_table_follows_the_rules_file_and_the_checker_sees_the_drift(tmp_path):
    data = shipped()
    moved = next(f for f in data["red_flags"] if f["id"] == "reused-equipment")
    moved["summary"] = "A brand-new review line for this test"
    data["red_flags"] = [f for f in data["red_flags"] if f["id"] != "pain-out-of-proportion"]
    changed = rules_from(tmp_path, data)
    [table] = band_tables(myst_html(band_table_markdown(changed)))
    assert table_problems(table, changed) == []
    review = dict(table.rows)[next(b.heading for b in checklist(changed) if b.action == "review")]
    assert "A brand-new review line for this test" in review
    # The shipped rules' view of that table: one line they do not contain, two they miss.
    problems = table_problems(table)
    assert any("'A brand-new review line for this test'" in p and "not a line of the rules" in p for p in problems)
    assert any(p.startswith("leaves out 'Severe pain out of proportion") for p in problems), problems
    assert any(p.startswith("leaves out 'Single-use equipment may have been reused, more than") for p in problems)


def test_band_table_escapes_every_text_from_the_rules(tmp_path):
    data = shipped()
    hostile = "<script>alert(1)</script> *bold* {cite:p}`x` [a](http://e) | ~s~ $x$ & 1. `code`"
    data["red_flags"][0]["summary"] = hostile[:80]
    data["bands"][0]["heading"] = "Emergency: <b>now</b> | *really*"
    changed = rules_from(tmp_path, data)
    html = myst_html(band_table_markdown(changed))
    assert "<script>" not in html and "<b>now</b>" not in html and "<em>" not in html and "<a " not in html
    [table] = band_tables(html)
    assert table.rows[0][0] == "Emergency: <b>now</b> | *really*"
    assert table.rows[0][1][0] == " ".join(hostile[:80].split())
    assert table_problems(table, changed) == []


def test_columns_and_bands_can_be_chosen_and_unknown_ones_are_refused():
    html = myst_html(band_table_markdown(columns=("band", "who", "how_fast"), actions=["same_day", "emergency"]))
    [table] = band_tables(html)
    assert table.header == ["Band", "Who", "How fast"] and not table.has_signs
    assert [band for band, _ in table.rows] == [b.heading for b in checklist() if b.action in ("emergency", "same_day")]
    assert ROUTES["same_day"].who in html and ROUTES["emergency"].how_fast in html
    with pytest.raises(ValueError, match="unknown column 'colour'"):
        band_table_markdown(columns=("band", "colour"))
    with pytest.raises(ValueError, match="unknown band 'urgent'"):
        band_table_markdown(actions=["urgent"])
    assert set(ROUTES) == {b.action for b in checklist()}, "every band of the rules has its route"


def test_a_quoted_line_is_the_rules_summary_with_its_band():
    for band in checklist():
        for sign in band.signs:
            assert sign_quote(sign.id) == f"\u201c{sign.summary}\u201d ({ACTIONS[band.action]['short']})"
            assert find_sign(sign.id)[1].action == band.action
    with pytest.raises(KeyError, match="no checklist line has the id 'no-such-flag'"):
        sign_quote("no-such-flag")


# --- The checker, on what the course printed by hand before --------------------------------------------------------


def hand_written_tables() -> list:
    html = MarkdownIt("commonmark").enable("table").render((FIXTURES / "hand_written_tables.md").read_text())
    return band_tables(html)


def test_the_checker_fails_the_old_hand_written_handout_for_what_the_issue_found():
    handout, _ = hand_written_tables()
    problems = table_problems(handout)
    # "It lists 'single-use equipment reused' under Review within days ..."
    assert "states 'Single-use equipment reused' under 'Review': not a line of the rules" in problems
    # "... and its Emergency and Same-day rows leave out pain out of proportion, tingling or burning with spots,
    # pus-filled spots across the treated area."
    for left_out in (
        "Severe pain out of proportion to what you can see",
        "Single-use equipment may have been reused, in the last 72 hours",
        "Spots with tingling, burning or severe pain in the first two weeks",
        "Pus-filled spots across the treated area, even if the client gets acne",
        "Single-use equipment may have been reused, 3 to 7 days ago",
    ):
        assert any(p.startswith(f"leaves out {left_out!r}") for p in problems), left_out
    assert "names the band 'Same day', not as the rules do ('Red: prescriber the same day')" in problems


def test_the_checker_fails_the_old_hand_written_routes_table():
    _, routes = hand_written_tables()
    problems = table_problems(routes)
    assert "states the band 'Red: prescriber same day', which is not a band of the rules" in problems
    assert any("out of the rules' order" in p or "leaves out the band" in p for p in problems), problems


def test_no_page_source_holds_a_band_table_written_by_hand():
    """A band table in a page's Markdown is a copy; the pages use ``{skt-bands}`` instead."""
    found = []
    for source in sorted((ROOT / "book").rglob("*.md")):
        lines = source.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            # A pipe table's header row (also inside a directive's fence, which Markdown alone shows as code).
            if n + 1 < len(lines) and line.lstrip().startswith("|") and re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[n + 1]):
                header = [words(cell.strip("* ")) for cell in line.strip().strip("|").split("|")]
                if any(h == "band" or "red flag" in h for h in header):
                    found.append(f"{source.relative_to(ROOT)}:{n + 1}: a band table with header {header}")
    assert not found, "write {skt-bands} instead of a table:\n" + "\n".join(found)
    for source in (HANDOUT, GUIDE, ROOT / "book" / "escalation.md"):
        text = source.read_text(encoding="utf-8")
        assert "```{skt-bands}" in text, f"{source.name} shows the bands generated from the rules"
        for band in checklist():  # a band heading typed into a page is a copy too
            assert band.heading not in text, f"{source.name} types the band heading {band.heading!r}"


# --- The directive and the role in a Sphinx build -----------------------------------------------------------------


def sphinx_build(tmp_path: Path, page: str) -> tuple[bool, str, str]:
    from io import StringIO

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "skintriage.rules.directives"]\n')
    (src / "index.md").write_text(page)
    warnings = StringIO()
    app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None, warning=warnings)
    app.build()
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    return app.statuscode == 0 and not warnings.getvalue(), html, warnings.getvalue()


def test_directive_and_role_in_a_sphinx_build(tmp_path):
    page = textwrap.dedent(
        """\
        # Page

        ```{skt-bands}
        ```

        Say {skt-sign}`pain-worsening` and {skt-sign}`airway-swelling`.

        ```{skt-bands}
        :columns: band how_fast
        :bands: monitor
        ```
        """
    )
    ok, html, warnings = sphinx_build(tmp_path, page)
    assert ok, warnings
    full, partial = band_tables(html)
    assert table_problems(full) == []
    assert partial.rows == [(next(b.heading for b in checklist() if b.action == "monitor"), [])]
    assert quoted_sign_problems(html) == []
    assert "\u201cPain getting worse instead of settling\u201d (same day)" in BeautifulSoup(html, "html.parser").text
    assert len(BeautifulSoup(html, "html.parser").select("span.skt-sign")) == 2


@pytest.mark.parametrize(
    "markup, message",
    [
        ("{skt-sign}`no-such-flag`", "skt-sign: \"no checklist line has the id 'no-such-flag'"),
        ("```{skt-bands}\n:bands: urgent\n```", "skt-bands: unknown band 'urgent'"),
        ("```{skt-bands}\n:columns: band colour\n```", "skt-bands: unknown column 'colour'"),
    ],
)
def test_an_unknown_id_band_or_column_is_a_build_warning(tmp_path, markup, message):
    ok, _, warnings = sphinx_build(tmp_path, f"# Page\n\n{markup}\n")
    assert not ok and message in warnings, warnings


# --- The built instructor edition ----------------------------------------------------------------------------------


def built_pages(instructor_build: Path) -> dict[str, str]:
    book = instructor_build / "book"
    pages = sorted(book.glob("*.html")) + sorted((book / "instructor").glob("*.html"))
    return {str(p.relative_to(instructor_build)): p.read_text(encoding="utf-8") for p in pages}


def test_built_pages_state_no_band_or_sign_the_rules_do_not_contain(instructor_build):
    problems = [f"{name}: {p}" for name, html in built_pages(instructor_build).items() for p in page_problems(html)]
    assert not problems, "rebuild, or generate the table from the rules:\n" + "\n".join(problems)


def full_tables(html: str) -> list:
    return [t for t in band_tables(html) if t.has_signs]


def test_built_handout_prints_the_rules_bands(instructor_build):
    html = (instructor_build / "book/instructor/handout.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    [handout] = soup.select(".skt-handout")
    tables = full_tables(str(handout))
    assert len(tables) == 1, "the handout has one band table"
    assert table_problems(tables[0]) == []
    assert f"edition {load_rules().edition}" in handout.get_text(" "), "a printed copy says which rules it shows"
    text = words(handout.get_text(" "))
    for step in ("look and compare", "record", "escalate and hand over", "stay in scope", "clinic prescriber"):
        assert step in text, step


def test_built_facilitator_guide_summarises_and_quotes_the_rules(instructor_build):
    html = (instructor_build / "book/instructor/facilitator_guide.html").read_text(encoding="utf-8")
    tables = full_tables(html)
    assert len(tables) == 1, "the guide summarises the red flags in one table generated from the rules"
    assert table_problems(tables[0]) == [] and quoted_sign_problems(html) == []
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("span.skt-sign"), "the guide quotes the rules' lines, not its own words"


def test_built_facilitator_guide_does_not_tie_herpes_without_blisters_to_cold_sores_at_the_lip(instructor_build):
    html = (instructor_build / "book/instructor/facilitator_guide.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    [term] = [dt for dt in soup.find_all("dt") if "Herpes always blisters" in dt.get_text()]
    entry = term.find_next_sibling("dd")
    quoted = {span.get_text() for span in entry.select("span.skt-sign")}
    rules = load_rules()
    no_blisters = [f for f in rules.red_flags if "without blisters" in f.principle]
    tied = [f for f in rules.red_flags if f.when.all_of and ({"cold_sore_history"} & set(f.when.all_of.history))]
    assert no_blisters and tied
    for flag in no_blisters:
        assert sign_quote(flag.id) in quoted, f"the herpes misconception quotes {flag.id}"
    for flag in tied:
        assert sign_quote(flag.id) not in quoted, f"herpes without blisters is not tied to {flag.id}"
    assert not re.search(r"tingling by the lip in a client with cold sores", entry.get_text(), re.I)
    cited = {a["href"].split("#cite-")[1] for a in entry.select("a[href*='#cite-']")}
    assert {"cao2022", "bae2024", "cohen2019"} <= cited, cited


# --- The handout on paper -------------------------------------------------------------------------------------------

PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_handout_prints_on_one_a4_side_with_every_line_of_the_rules(browser, instructor_build):
    from tests.conftest import new_page, serve

    server = serve(instructor_build)
    page = new_page(browser)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/book/instructor/handout.html")
        page.wait_for_load_state("networkidle")
        # As the print stylesheet asks (@page A4, 12 mm), with no margins, and with a print dialog's 10 mm.
        ten_mm = {side: "10mm" for side in ("top", "right", "bottom", "left")}
        for options in ({"prefer_css_page_size": True}, {}, {"margin": ten_mm}):
            pdf = page.pdf(format="A4", **options)
            assert len(PDF_PAGE.findall(pdf)) == 1, f"the handout takes more than one A4 side ({options})"
        page.emulate_media(media="print")
        printed = page.locator(".skt-handout").inner_text()  # what is displayed: hidden text is left out
        for band in checklist():
            assert band.heading in printed, band.heading
            for summary in band.summaries:
                assert summary in printed, f"{summary!r} is not on the printed handout"
        smallest = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('.skt-handout td, .skt-handout th, .skt-handout p')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 8 * 96 / 72 - 0.01, f"print smaller than 8 pt ({smallest:.1f} px) is hard to read"
        assert not page.locator(".bd-header").is_visible(), "the theme's header is not printed"
    finally:
        page.context.close()
        server.shutdown()
