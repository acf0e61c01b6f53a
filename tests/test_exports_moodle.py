"""The Moodle XML question bank: it parses, and reading it back gives every question, option, grade and
feedback of the bank; hostile case text survives intact and inert."""

from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ET
from fractions import Fraction
from html.parser import HTMLParser

import pytest
import yaml

from skintriage.bank.loader import load_bank
from skintriage.cli import main
from skintriage.exam import knowledge_check as kc
from skintriage.exports.moodle_xml import cdata, moodle_xml, split_grade
from skintriage.web import render
from tests.kc_bank import write_bank

HOSTILE = 'Tom & Jerry ]]> <script>window.__pwned = 1</script> "quoted" <img src=x onerror="window.__pwned = 2">'
# Moodle's grade list (question_bank::ensure_fraction_options_initialised): p/q for q <= 6, p/10, 1/q for q <= 10,
# 1/20, each also negative. Derived here independently of the exporter's own table.
MOODLE_GRADES = sorted(
    {Fraction(p, q) for q in range(1, 7) for p in range(q + 1)}
    | {Fraction(p, 10) for p in range(11)}
    | {Fraction(1, q) for q in range(1, 11)}
    | {Fraction(1, 20)}
)
MOODLE_GRADES = [float(g) for g in MOODLE_GRADES] + [-float(g) for g in MOODLE_GRADES]
SAFE_TAGS = {"p", "strong", "em", "code", "a", "ul", "ol", "li", "br", "img", "blockquote", "pre", "h1", "h2", "h3"}


def read_back(text: str) -> dict:
    """The questions of a Moodle XML file, by name, with the category each was filed under."""
    quiz = ET.fromstring(text.encode("utf-8"))
    assert quiz.tag == "quiz"
    questions, category = {}, None
    for question in quiz.findall("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            continue
        assert question.get("type") == "multichoice"
        name = question.findtext("name/text")
        assert name not in questions, f"question {name} exported twice"
        questions[name] = {
            "category": category,
            "text": question.findtext("questiontext/text"),
            "files": {f.get("name"): base64.b64decode(f.text) for f in question.findall("questiontext/file")},
            "general": question.findtext("generalfeedback/text"),
            "single": question.findtext("single"),
            "answers": [
                (a.findtext("text"), float(a.get("fraction")), a.findtext("feedback/text"))
                for a in question.findall("answer")
            ],
            "tags": [t.text for t in question.findall("tags/tag/text")],
        }
    return questions


def moodle_score(fractions: list[float], chosen: list[int], single: bool) -> float:
    """How Moodle's multichoice type grades a response: the chosen grades added up, kept within 0..1."""
    if single:
        return max(0.0, fractions[chosen[0]]) if chosen else 0.0
    return min(1.0, max(0.0, sum(fractions[i] for i in chosen)))


def assert_allowed(grade: float, where: str):
    assert min(abs(grade - allowed) for allowed in MOODLE_GRADES) < 0.00001, f"{where}: {grade} not a Moodle grade"


def compare_with_bank(bank, questions: dict):
    expected = {f"{case.id}/{q.id}" for case in bank.values() for q in case.questions}
    assert set(questions) == expected
    for case in bank.values():
        for question in case.questions:
            where = f"{case.id}/{question.id}"
            got = questions[where]
            title = kc.CATEGORY_TITLES[case.category]
            assert got["category"].endswith("/" + title), where
            assert render.markdown_block(case.vignette) in got["text"], where
            assert f"<strong>{render.escape(case.title)}</strong>" in got["text"], where
            assert render.markdown_inline(question.stem) in got["text"], where
            assert got["general"] == render.markdown_block(question.explanation), where
            assert got["single"] == ("false" if question.multiple else "true"), where
            assert [a[0] for a in got["answers"]] == [render.markdown_inline(o.text) for o in question.options]
            assert [a[2] for a in got["answers"]] == [render.markdown_block(o.feedback) for o in question.options]
            grades = [a[1] / 100 for a in got["answers"]]
            for grade in grades:
                assert_allowed(grade, where)
            right = [i for i, o in enumerate(question.options) if o.id in question.answer]
            everything = list(range(len(question.options)))
            single = not question.multiple
            # The right answer scores full marks; any wrong option alone scores nothing; guessing all scores 0.
            assert moodle_score(grades, right, single) == pytest.approx(1, abs=0.005), where
            for i in set(everything) - set(right):
                assert moodle_score(grades, [i], single) == 0, where
            if not single:
                assert [g > 0 for g in grades] == [i in right for i in everything], where
                assert round(sum(g for g in grades if g > 0), 2) == 1, where  # Moodle's own check on save
                if len(right) < len(everything):
                    assert round(sum(g for g in grades if g < 0), 2) == -1, where
                assert moodle_score(grades, everything, single) == pytest.approx(0, abs=0.005), where
            # The face map travels with the question as a file that the text points to.
            ((name, svg),) = got["files"].items()
            assert f'src="@@PLUGINFILE@@/{name}"' in got["text"], where
            assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
            assert b"<script" not in svg.lower()
            assert {case.category, question.kind} <= set(got["tags"])


def test_the_shipped_bank_round_trips():
    bank = load_bank()
    compare_with_bank(bank, read_back(moodle_xml(bank)))


def test_a_synthetic_bank_with_every_category_and_kind_round_trips(tmp_path):
    cases, bib, book = write_bank(tmp_path)
    bank = load_bank(cases, bib=bib, book=book)
    questions = read_back(moodle_xml(bank))
    compare_with_bank(bank, questions)
    categories = {q["category"] for q in questions.values()}
    assert categories == {f"$course$/top/Spots after microneedling/{t}" for t in kc.CATEGORY_TITLES.values()}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse_html(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser


def test_hostile_text_survives_intact_and_inert(tmp_path):
    cases, bib, book = write_bank(tmp_path, cases_per_category=1)
    path = cases / "milia-1.yaml"
    data = yaml.safe_load(path.read_text())
    data["title"] = f"Title {HOSTILE}"
    data["vignette"] = f"Vignette {HOSTILE}"
    question = data["questions"][0]
    question["stem"] = f"Stem {HOSTILE}"
    question["options"][0]["text"] = f"Option {HOSTILE}"
    question["options"][0]["feedback"] = f"Feedback {HOSTILE}"
    question["explanation"] = f"Explanation {HOSTILE}"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    bank = load_bank(cases, bib=bib, book=book)
    text = moodle_xml(bank)
    questions = read_back(text)  # well-formed despite "]]>" and "&" in the data
    compare_with_bank(bank, questions)

    got = questions[f"milia-1/{question['id']}"]
    fields = {
        "Title": got["text"],
        "Vignette": got["text"],
        "Stem": got["text"],
        "Option": got["answers"][0][0],
        "Feedback": got["answers"][0][2],
        "Explanation": got["general"],
    }
    for label, fragment in fields.items():
        parsed = parse_html(fragment)
        # Inert: only harmless formatting tags and no event-handler attributes reach Moodle's HTML.
        assert set(parsed.tags) <= SAFE_TAGS, (label, parsed.tags)
        assert not [a for a in parsed.attributes if a.startswith("on")], label
        # Intact: what a reader sees is the author's text, character for character.
        assert f"{label} {HOSTILE}" in html.unescape("".join(parsed.text)).replace("\n", " "), label


@pytest.mark.parametrize("raw", ["a]]>b", "]]>", "x]]]]>y", "<![CDATA[ & ]]>"])
def test_cdata_splits_its_terminator_safely(raw):
    parsed = ET.fromstring(f"<t>{cdata(raw)}</t>")
    assert parsed.text == raw


def test_grades_always_add_up_and_are_moodle_grades():
    for count in range(1, 21):
        grades = split_grade(count, "test")
        assert len(grades) == count and round(sum(grades), 2) == 1, count
        for grade in grades:
            assert_allowed(grade, f"{count} options")
    with pytest.raises(ValueError, match="at most 20"):
        split_grade(21, "case-x/q1")


def test_cli_writes_the_file_and_reports_a_bad_bank_without_a_traceback(tmp_path, capsys):
    out = tmp_path / "out" / "bank.xml"
    assert main(["export", "moodle-xml", "--out", str(out)]) == 0
    assert read_back(out.read_text(encoding="utf-8"))
    assert "questions from" in capsys.readouterr().out
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.yaml").write_text("id: [unclosed\n")
    assert main(["export", "moodle-xml", "--cases", str(bad), "--out", str(tmp_path / "x.xml")]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "Traceback" not in err and not (tmp_path / "x.xml").exists()


def question_page(questions: dict) -> str:
    """Every question's HTML on one page, as Moodle would show it, with its face map file in place."""
    parts = []
    for got in questions.values():
        text = got["text"]
        for name, data in got["files"].items():
            inline = "data:image/svg+xml;base64," + base64.b64encode(data).decode()
            text = text.replace(f"@@PLUGINFILE@@/{name}", inline)
        answers = "".join(f"<li>{label}<div>{feedback}</div></li>" for label, _, feedback in got["answers"])
        parts.append(f"<section>{text}<ul>{answers}</ul>{got['general']}</section>")
    head = '<!DOCTYPE html><html lang="en"><head><title>Questions</title></head><body><main>'
    return head + "".join(parts) + "</main></body></html>"


@pytest.mark.browser
def test_the_questions_shown_in_a_browser_run_nothing_and_request_nothing(page, tmp_path):
    """The exported HTML in a real browser: no script runs, no event handler fires, no request leaves."""
    cases, bib, book = write_bank(tmp_path, cases_per_category=1)
    path = cases / "milia-1.yaml"
    data = yaml.safe_load(path.read_text())
    data["vignette"] = f"Vignette {HOSTILE}"
    data["questions"][0]["options"][0]["feedback"] = f"Feedback {HOSTILE}"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    hostile = read_back(moodle_xml(load_bank(cases, bib=bib, book=book)))
    shipped = read_back(moodle_xml(load_bank()))
    for questions in (hostile, shipped):
        page.goto("about:blank")
        page.set_content(question_page(questions))
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("main script").count() == 0
        assert page.evaluate("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        if questions is hostile:  # the would-be markup is shown as the text it is
            shown = page.inner_text("main")
            assert f"Vignette {HOSTILE}" in shown and f"Feedback {HOSTILE}" in shown
    assert page.external_requests == []
    assert page.console_errors == []
