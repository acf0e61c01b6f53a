"""The case bank as a Moodle XML question bank: every question a ``multichoice`` question.

One category per case category (the "topics" of the knowledge check's summary). The question text holds
the case (title, vignette, face map) and the stem; each option keeps its feedback; the explanation is the
general feedback. Text from the bank is rendered from Markdown with raw HTML escaped
(:mod:`skintriage.web.render`) and put in CDATA; every other text is XML-escaped.

Grades: Moodle accepts only its own list of answer fractions and, for a multiple-answer question, positive
fractions that add up to 100 %. A right option of a multiple-answer question gets 100/k % (k right options),
a wrong one -100/m % (m wrong options), so ticking everything scores 0; a single-answer question has 100 %
for its answer and 0 for the others.
"""

from __future__ import annotations

import base64
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from skintriage.bank.loader import Bank, load_bank
from skintriage.bank.schema import Case, Question
from skintriage.exam import knowledge_check as kc
from skintriage.web import render

TOP_CATEGORY = "Spots after microneedling"

# Moodle's answer grades as fractions of 1 (question_bank::fraction_options_full: p/q for q <= 6, p/10, 1/q for
# q <= 10, 1/20, and their negatives), written to 7 decimal places as Moodle stores them. Import accepts a
# value within 0.00001 of one of these.
_POSITIVE = [
    "1.0",
    "0.9",
    "0.8333333",
    "0.8",
    "0.75",
    "0.7",
    "0.6666667",
    "0.6",
    "0.5",
    "0.4",
    "0.3333333",
    "0.3",
    "0.25",
    "0.2",
    "0.1666667",
    "0.1428571",
    "0.125",
    "0.1111111",
    "0.1",
    "0.05",
]
MOODLE_FRACTIONS = sorted({0.0, *(float(v) for v in _POSITIVE), *(-float(v) for v in _POSITIVE)})


class ExportError(ValueError):
    """A question that Moodle's multichoice type cannot represent; the message names it."""


def split_grade(count: int, where: str) -> list[float]:
    """``count`` grades from Moodle's list that add up to 1 (within Moodle's rounding to 2 decimal places).

    1/k is in the list for k <= 10; for 11 to 20 options, a mix of 0.1 and 0.05 adds up to exactly 1.
    """
    if count < 1:
        return []
    if count <= 10:
        share = 1 / count
        return [min(MOODLE_FRACTIONS, key=lambda v: abs(v - share))] * count
    if count <= 20:
        doubles = 20 - count  # options at 0.1; the rest at 0.05: 0.1 * d + 0.05 * (count - d) = 1
        return [0.1] * doubles + [0.05] * (count - doubles)
    raise ExportError(f"{where}: {count} options share one grade; Moodle's grades allow at most 20")


def fractions(question: Question, where: str) -> dict[str, float]:
    """Option id -> grade as a fraction of 1."""
    right = [o.id for o in question.options if o.id in question.answer]
    wrong = [o.id for o in question.options if o.id not in question.answer]
    if not question.multiple:
        return {o.id: 1.0 if o.id in question.answer else 0.0 for o in question.options}
    grades = dict(zip(right, split_grade(len(right), where)))
    grades.update(zip(wrong, (-g for g in split_grade(len(wrong), where))))
    return {o.id: grades[o.id] for o in question.options}


def percent(fraction: float) -> str:
    """A grade as Moodle XML writes it: a percentage with at most 5 decimals, e.g. 33.33333 or -50."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cdata(html: str) -> str:
    """HTML inside CDATA; a ``]]>`` in it is split across two sections so it cannot end the first early."""
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(tag: str, html: str, indent: str, fmt: str = "html", files: str = "") -> str:
    return f'{indent}<{tag} format="{fmt}">\n{indent}  <text>{cdata(html)}</text>\n{files}{indent}</{tag}>\n'


def _plain(tag: str, text: str, indent: str) -> str:
    return f"{indent}<{tag}><text>{xml_escape(text)}</text></{tag}>\n"


def face_map_file(case: Case) -> tuple[str, str, bytes]:
    """(file name, alt text, SVG bytes) of the case's face map."""
    from skintriage.figures import face_map_alt, face_map_svg

    distribution, lesions = sorted(case.findings.distribution), sorted(case.findings.lesions)
    svg = face_map_svg(distribution, lesions)
    standalone = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1) if "xmlns=" not in svg else svg
    return f"face-map-{case.id}.svg", face_map_alt(distribution, lesions), standalone.encode("utf-8")


def question_html(case: Case, question: Question, image: tuple[str, str] | None) -> str:
    figure = ""
    if image:
        name, alt = image
        figure = f'<p><img src="@@PLUGINFILE@@/{render.escape(name)}" alt="{render.escape(alt)}" width="360"></p>'
    return (
        f"<p><strong>{render.escape(case.title)}</strong></p>\n"
        f"{render.markdown_block(case.vignette)}\n{figure}\n"
        f"<p>{render.markdown_inline(question.stem)}</p>"
    )


def question_xml(case: Case, question: Question, image: tuple[str, str, bytes] | None = None) -> str:
    """One multichoice question; ``image`` is the case's face map from :func:`face_map_file`, if wanted."""
    where = f"{case.id}/{question.id}"
    grades = fractions(question, where)
    files = ""
    if image:
        name, alt, data = image
        files = (
            f'    <file name={quoteattr(name)} path="/" encoding="base64">'
            f"{base64.b64encode(data).decode('ascii')}</file>\n"
        )
    hint = "Select all that apply." if question.multiple else "Select one answer."
    parts = [
        '  <question type="multichoice">\n',
        _plain("name", where, "    "),
        _text("questiontext", question_html(case, question, image[:2] if image else None), "    ", files=files),
        _text("generalfeedback", render.markdown_block(question.explanation), "    "),
        "    <defaultgrade>1</defaultgrade>\n",
        "    <penalty>0.3333333</penalty>\n",
        "    <hidden>0</hidden>\n",
        f"    <single>{'false' if question.multiple else 'true'}</single>\n",
        "    <shuffleanswers>true</shuffleanswers>\n",
        "    <answernumbering>abc</answernumbering>\n",
        "    <showstandardinstruction>0</showstandardinstruction>\n",
        _text("correctfeedback", "<p>Correct.</p>", "    "),
        _text("partiallycorrectfeedback", f"<p>Partly correct. {hint}</p>", "    "),
        _text("incorrectfeedback", "<p>Not quite: read the feedback on each option you chose.</p>", "    "),
        "    <shownumcorrect/>\n",
    ]
    for option in question.options:
        parts.append(
            f'    <answer fraction="{percent(grades[option.id])}" format="html">\n'
            f"      <text>{cdata(render.markdown_inline(option.text))}</text>\n"
            f'      <feedback format="html">\n        <text>{cdata(render.markdown_block(option.feedback))}</text>\n'
            "      </feedback>\n    </answer>\n"
        )
    tags = [case.category, question.kind, case.difficulty, *case.topics]
    tag_list = "".join(f"      <tag><text>{xml_escape(t)}</text></tag>\n" for t in dict.fromkeys(tags))
    parts.append(f"    <tags>\n{tag_list}    </tags>\n")
    parts.append("  </question>\n")
    return "".join(parts)


def category_path(category: str) -> str:
    title = kc.CATEGORY_TITLES.get(category, category)
    # Moodle splits category paths at "/"; a title with one would make a sub-category.
    return f"$course$/top/{TOP_CATEGORY}/{title.replace('/', '-')}"


def moodle_xml(bank: Bank | None = None, *, face_maps: bool = True) -> str:
    """The whole bank as one Moodle XML document (UTF-8 text)."""
    bank = bank if bank is not None else load_bank()
    order = [c for c in kc.CATEGORY_TITLES] + sorted({c.category for c in bank.values()} - set(kc.CATEGORY_TITLES))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for category in order:
        cases = bank.by_category(category)
        if not cases:
            continue
        title = render.escape(kc.CATEGORY_TITLES.get(category, category))
        parts.append(
            '  <question type="category">\n'
            f"    <category><text>{xml_escape(category_path(category))}</text></category>\n"
            f'    <info format="html"><text>{cdata(f"<p>Cases of {title}.</p>")}</text></info>\n'
            "  </question>\n"
        )
        for case in cases:
            image = face_map_file(case) if face_maps else None  # drawn once, embedded in each question
            for question in case.questions:
                parts.append(question_xml(case, question, image))
    parts.append("</quiz>\n")
    return "".join(parts)


def write_moodle_xml(out: Path, bank: Bank | None = None, **options) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(moodle_xml(bank, **options), encoding="utf-8")
    return out
