"""The red-flag checklist lives once, as data: every sign's words are a ``summary`` in the triage rules, and the
chapter's checklist, the traffic-light figure (its lines and its alt text) and the built page all show exactly
those words. Summaries are never evaluated, so they cannot change a triage result.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from skintriage import course, figures
from skintriage.bank.loader import BankError
from skintriage.bank.schema import ACTION_ORDER
from skintriage.rules import (
    BAND_CLASSES,
    SUMMARY_MAX,
    checklist,
    checklist_html,
    checklist_markdown,
    escape_markdown,
    load_rules,
    parse_findings,
    show_checklist,
    triage,
)
from tests.triage_vectors import build_vectors

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "telling_apart.md"
URGENCY = list(reversed(ACTION_ORDER))  # most urgent first


def shipped() -> dict:
    return yaml.safe_load(course.RULES_FILE.read_text(encoding="utf-8"))


def write_rules(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_for(tmp_path: Path, data: dict) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_rules(write_rules(tmp_path, data))
    return caught.value.problems


def words(text: str) -> str:
    """Lower case, whitespace collapsed: how a summary is compared with wrapped or folded text."""
    return " ".join(text.lower().split())


def all_summaries() -> list[str]:
    return [s for band in checklist() for s in band.summaries]


# --- The data ------------------------------------------------------------------------------------------------


def test_every_red_flag_and_monitor_rule_has_a_plain_summary():
    rules = load_rules()
    for flag in rules.red_flags:
        assert flag.summary, f"red flag {flag.id} has no summary"
    for rule in rules.category_rules:
        if rule.action == "monitor":
            assert rule.summary, f"monitor rule {rule.id} has no summary (green band)"
    summaries = all_summaries()
    assert len(summaries) == len(set(summaries)), "two checklist lines say the same thing"
    for summary in summaries:
        assert len(summary) <= SUMMARY_MAX and summary == summary.strip() and "_" not in summary, summary
        assert summary[0].isupper() and not summary.endswith("."), f"a checklist line, not a sentence: {summary!r}"


def test_a_red_flag_without_a_summary_names_file_field_and_rule(tmp_path):
    data = shipped()
    flag = data["red_flags"][4]
    del flag["summary"]
    problems = problems_for(tmp_path, data)
    path = tmp_path / "rules.yaml"
    assert any(
        p.startswith(f"{path}: red_flags[4].summary: missing field") and f"'{flag['id']}'" in p for p in problems
    ), problems


@pytest.mark.parametrize(
    "edit, field, words_",
    [
        (
            lambda d: next(r for r in d["category_rules"] if r["id"] == "milia").pop("summary"),
            "category_rules[",
            "a monitor rule needs a summary",
        ),
        (
            lambda d: d["red_flags"][0].update(summary="x" * (SUMMARY_MAX + 1)),
            "red_flags[0].summary",
            f"at most {SUMMARY_MAX} characters",
        ),
        (lambda d: d["red_flags"][1].update(summary="Pain_worsening"), "red_flags[1].summary", "plain words"),
        (lambda d: d["red_flags"][2].update(summary="   "), "red_flags[2].summary", "at least 1 character"),
        (lambda d: d["bands"].reverse(), "bands", "most urgent first"),
        (lambda d: d["checklist_only"][0].update(action="soon"), "checklist_only[0].action", "soon"),
        (lambda d: d["checklist_only"][0].update(id=d["red_flags"][0]["id"]), "(top level)", "duplicate rule id"),
    ],
)
def test_bad_checklist_data_names_file_and_field(tmp_path, edit, field, words_):
    data = shipped()
    edit(data)
    path = tmp_path / "rules.yaml"
    problems = problems_for(tmp_path, data)
    assert any(p.startswith(f"{path}: {field}") and words_ in p for p in problems), problems


def test_summaries_never_change_a_triage_result(tmp_path):
    data = shipped()
    for group in ("category_rules", "red_flags", "checklist_only"):
        for rule in data[group]:
            if "summary" in rule:
                rule["summary"] = "Something else entirely"
    for rule in data["category_rules"]:
        if rule["action"] != "monitor":
            rule.pop("summary", None)
    changed = load_rules(write_rules(tmp_path, data))
    for vector in build_vectors():
        assert triage(vector["findings"], changed) == triage(vector["findings"]), vector["id"]
    rng = random.Random(20260)
    groups = {
        "lesions": ["erythema", "oedema", "papules", "pustules", "vesicles", "nodules", "scale"],
        "symptoms": ["itch", "warmth", "fever", "eye_symptoms", "pain_worsening"],
        "distribution": ["periocular", "perioral", "spreading_beyond_treated", "usual_acne_sites"],
        "history": ["product_in_channels", "cold_sore_history", "antibiotics_failed"],
    }
    for _ in range(300):
        since = rng.randint(0, 40)
        findings = parse_findings(
            {
                "day_of_onset": rng.randint(0, since),
                "days_since_treatment": since,
                "trend": rng.choice(["improving", "stable", "worsening"]),
                **{g: rng.sample(ids, rng.randint(0, 2)) for g, ids in groups.items()},
            }
        )
        assert triage(findings, changed) == triage(findings)


# --- The checklist --------------------------------------------------------------------------------------------


def test_bands_in_urgency_order_with_headings():
    bands = checklist()
    assert [b.action for b in bands] == URGENCY == ["emergency", "same_day", "review", "monitor"]
    assert [b.heading.split(":")[0] for b in bands] == ["Emergency", "Red", "Amber", "Green"]
    assert all(b.signs for b in bands), "every band lists at least one sign"


def test_every_red_flag_appears_once_in_its_own_band_in_file_order():
    rules = load_rules()
    bands = {b.action: b for b in checklist(rules)}
    for action in ACTION_ORDER:
        flags = [f.id for f in rules.red_flags if f.action == action]
        category = [r.id for r in rules.category_rules if r.action == action and r.summary]
        only = [s.id for s in rules.checklist_only if s.action == action]
        assert [s.id for s in bands[action].signs] == flags + category + only, action
    monitor = [r.summary for r in rules.category_rules if r.action == "monitor"]
    assert bands["monitor"].summaries == monitor


def test_markdown_is_myst_admonitions_and_escapes_everything():
    text = checklist_markdown()
    for band in checklist():
        assert f":class: {BAND_CLASSES[band.action]}" in text
    assert text.index("Emergency") < text.index("Red") < text.index("Amber") < text.index("Green")
    hostile = "*bold* {cite:p}`x` <b>hi</b> [a](http://e) _u_ $x$ % c #h | ~s~ & 1."
    escaped = escape_markdown(hostile)
    rendered = MarkdownIt("commonmark").render(f"- {escaped}\n")
    assert rendered == f"<ul>\n<li>{html.escape(hostile, quote=False)}</li>\n</ul>\n"


def test_html_renderer_escapes(tmp_path):
    data = shipped()
    data["red_flags"][0]["summary"] = "<script>alert(1)</script> & more"
    rules = load_rules(write_rules(tmp_path, data))
    out = checklist_html(rules)
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in out
    assert out.count('class="admonition-title"') == 4
    assert show_checklist()._repr_markdown_() == checklist_markdown()
    assert "<li>" in show_checklist(html_output=True)._repr_html_()


# --- The figure and its alt text --------------------------------------------------------------------------------


def chart_lines(fig) -> list[list[str]]:
    """Each level's bulleted lines, wrapped lines joined, top box first."""
    boxes = [t.get_text() for ax in fig.axes for t in ax.texts if "\u2022" in t.get_text()]
    out = []
    for box in boxes:
        items: list[str] = []
        for line in box.split("\n"):
            if line.startswith("\u2022 "):
                items.append(line[2:])
            elif line.startswith("\u2192 "):
                continue  # the level's note ("and record product name and batch"), not a sign
            else:
                items[-1] += " " + line.strip()
        out.append(items)
    return out


def test_chart_lines_are_exactly_the_checklist():
    fig = figures.traffic_light_chart()
    assert chart_lines(fig) == [b.summaries for b in checklist()]


def test_chart_follows_the_rules_file(tmp_path):
    data = shipped()
    data["red_flags"][0]["summary"] = "A brand-new sign for testing the chart"
    rules = load_rules(write_rules(tmp_path, data))
    assert chart_lines(figures.traffic_light_chart(rules))[0][0] == "A brand-new sign for testing the chart"


def chapter_alt_text() -> str:
    text = CHAPTER.read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\}[^\n]*\n---\n(.*?)\n---\n(.*?)```", text, flags=re.S)
    metadata = [yaml.safe_load(meta) for meta, code in cells if "traffic_light_chart()" in code]
    assert len(metadata) == 1, "one traffic-light figure cell in the chapter"
    return metadata[0]["mystnb"]["image"]["alt"]


def test_chapter_alt_text_names_every_summary():
    alt = words(chapter_alt_text())
    missing = [s for s in all_summaries() if words(s) not in alt]
    assert not missing, f"the figure's alt text in {CHAPTER.name} misses {missing}"


def test_chapter_alt_text_is_the_generated_one():
    assert words(chapter_alt_text()) == words(figures.traffic_light_alt()), (
        f"update the alt text of fig-traffic-light in {CHAPTER.name} to:\n{figures.traffic_light_alt()}"
    )


# --- The chapter --------------------------------------------------------------------------------------------------


def test_chapter_shows_the_generated_checklist_not_a_copy():
    text = CHAPTER.read_text(encoding="utf-8")
    assert "(sec-red-flags)=\n## The red-flag checklist" in text
    section = text.split("(sec-red-flags)=")[1].split("\n## ")[1]
    assert "show_checklist()" in section and "markdown_format: myst" in section
    assert "tags: [remove-input]" in section
    assert "{admonition}" not in section, "the bands are generated: no hand-written checklist admonitions"
    for band in checklist():
        assert band.heading not in section, f"hand-written band heading {band.heading!r}"


def test_built_page_shows_every_summary(book_html):
    page = book_html / "book" / "telling_apart.html"
    assert page.exists(), page
    source = page.read_text(encoding="utf-8")
    assert 'id="sec-red-flags"' in source
    after = source.split('id="sec-red-flags"', 1)[1]
    after = re.sub(r"<(script|style)\b.*?</\1>", " ", after, flags=re.S)
    section = words(html.unescape(re.sub(r"<[^>]+>", " ", after)))
    for band in checklist():
        assert words(band.heading) in section, band.heading
        for summary in band.summaries:
            assert words(summary) in section, f"{summary!r} is not on the built page: rebuild the book"
    assert "\\" not in section.split("key points")[0], "Markdown escapes shown as text"
    for cls in BAND_CLASSES.values():  # the theme's admonition colours (docutils writes "danger admonition")
        assert f'class="{cls} admonition"' in after or f'class="admonition {cls}"' in after, cls
