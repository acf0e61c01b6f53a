"""The self-assessment knowledge check for the static site: HTML that ``static/ui/knowledge_check.js`` runs.

A static page has no kernel, so it must ship the whole bank, answers included, to the browser: this page is a
self-assessment, never a training record (that is the Voilà notebook). The page itself holds only the settings;
the question pool, answer key and texts (rendered from Markdown with raw HTML disabled) are one JSON file,
:func:`questions_file`, that the course's Sphinx extension writes beside the page and the script fetches
when the trainee starts. The browser draws the same set as :func:`knowledge_check.draw` for the
same seed, and writes records in the same format as :class:`knowledge_check.Record`.
"""

from __future__ import annotations

from pathlib import Path

from skintriage.bank.loader import Bank, load_bank
from skintriage.exam import knowledge_check as kc
from skintriage.pageassets import needs
from skintriage.quiz.core import answer_hint, script_json
from skintriage.web import render
from skintriage.web.render import escape


def page_data(
    bank: Bank, *, n_questions: int, pass_mark: float, page_dir: Path | None = None, link_sections: bool = True
) -> dict:
    """``link_sections=False`` names each question's section without a link (a page outside the site)."""
    questions = []
    for item in kc.pool(bank):
        question = item.question
        section = bank.sections.get(question.section)
        linked = section is not None and link_sections
        questions.append(
            {
                "key": item.key,
                "case_id": item.case_id,
                "question_id": question.id,
                "category": item.category,
                "kind": item.kind,
                "multiple": question.multiple,
                "hint": answer_hint(question),  # the case quizzes' words, so the two never drift apart
                "stem": question.stem,
                "section": question.section,
                "section_title": section.title if section else question.section,
                "section_href": render.site_href(section.docname, question.section, page_dir) if linked else "",
                "options": [o.id for o in question.options],
                "answer": sorted(question.answer),
            }
        )
    return {
        "format": kc.RECORD_FORMAT,
        "mode": kc.MODE_SELF,
        "bank_fingerprint": bank.fingerprint,
        "n_questions": n_questions,
        "pass_mark": pass_mark,
        "fields": kc.CSV_FIELDS,
        "categories": kc.CATEGORY_TITLES,
        "questions": questions,
    }


def question_texts(bank: Bank) -> dict:
    """Every case's and question's text as HTML, rendered from Markdown with raw HTML disabled (so safe to
    parse in the browser), keyed as the page's script looks them up."""
    texts: dict[str, dict] = {"cases": {}, "stems": {}, "labels": {}, "feedback": {}, "explanations": {}}
    for case in bank.values():
        texts["cases"][case.id] = (
            f'<p class="skt-kc-case-title"><strong>{escape(case.assessment_title)}</strong></p>'
            f"{render.markdown_block(case.vignette)}"
        )
        for question in case.questions:
            key = f"{case.id}/{question.id}"
            texts["stems"][key] = render.markdown_inline(question.stem)
            texts["labels"][key] = {o.id: render.markdown_inline(o.text) for o in question.options}
            texts["feedback"][key] = {o.id: render.markdown_block(o.feedback) for o in question.options}
            texts["explanations"][key] = render.markdown_block(question.explanation)
    return texts


def questions_file_name(bank: Bank) -> str:
    """Named by the bank's fingerprint, so a browser never mixes a cached old bank with a new page."""
    return f"knowledge_check_questions-{bank.fingerprint[:12]}.json"


def questions_file(bank: Bank, *, page_dir: Path | None = None) -> dict:
    """The one JSON file the page fetches when the trainee starts: the question pool and its texts."""
    data = page_data(bank, n_questions=kc.DEFAULT_N, pass_mark=kc.DEFAULT_PASS_MARK, page_dir=page_dir)
    return {"bank_fingerprint": bank.fingerprint, "questions": data["questions"], "texts": question_texts(bank)}


class StaticCheck:
    """Displayed by a hidden code cell; the book's html builder takes its text/html."""

    def __init__(
        self,
        bank: Bank | None = None,
        *,
        n_questions: int = kc.DEFAULT_N,
        pass_mark: float = kc.DEFAULT_PASS_MARK,
        page_dir: Path | None = None,
        link_sections: bool = True,
        inline_questions: bool = False,
    ):
        self.bank = bank if bank is not None else load_bank()
        # A page that cannot fetch (a SCORM package opened from disk) carries its questions inline instead.
        self.inline_questions = inline_questions
        self.n_questions = n_questions
        self.pass_mark = pass_mark
        self.page_dir = page_dir
        self.link_sections = link_sections

    def to_html(self) -> str:
        data = page_data(
            self.bank,
            n_questions=self.n_questions,
            pass_mark=self.pass_mark,
            page_dir=self.page_dir,
            link_sections=self.link_sections,
        )
        if self.inline_questions:
            total = len(data["questions"])
            data["texts"] = question_texts(self.bank)
            source = ""
        else:
            total = len(data.pop("questions"))  # fetched with their texts when the trainee starts
            source = f' data-src="{escape(questions_file_name(self.bank))}"'
        return f"""<div class="skt-kc" {needs("knowledge-check")} data-n="{self.n_questions}" data-pass-mark="{self.pass_mark:g}"
{source}>
<script type="application/json" class="skt-kc-data">{script_json(data)}</script>
<form class="skt-kc-start" novalidate>
<h2 class="skt-kc-heading">Start the self-assessment</h2>
<p>{min(self.n_questions, total)} questions are drawn from the {total} questions in the course's cases. You see no
feedback until you submit. The pass mark is {self.pass_mark:g} %.</p>
<p><label for="skt-kc-name">Your name <span class="skt-kc-name-note">(your unsubmitted answers are kept in this browser
under it: enter the same name to get them back; it is also in the record file you download)</span></label><br>
<input type="text" id="skt-kc-name" name="name" autocomplete="off" required></p>
<p><label for="skt-kc-seed">Question set number (the same number always gives the same questions)</label><br>
<input type="number" id="skt-kc-seed" name="seed" min="0" max="4294967295" step="1" inputmode="numeric"></p>
<p class="skt-kc-start-error" role="alert"></p>
<p><button type="submit" class="skt-kc-begin">Start the check</button></p>
</form>
<form class="skt-kc-exam" hidden novalidate aria-labelledby="skt-kc-exam-heading">
<h2 id="skt-kc-exam-heading" tabindex="-1">Questions</h2>
<ol class="skt-kc-questions"></ol>
<p class="skt-kc-unanswered" role="alert"></p>
<p class="skt-kc-count"></p>
<p class="skt-kc-exam-actions"><button type="submit" class="skt-kc-submit">Submit answers</button>
<button type="button" class="skt-kc-restart">Start again</button></p>
<p class="skt-kc-kept">Your answers are kept in this browser under your name until you submit: after a reload,
enter the same name to get them back.</p>
</form>
<div class="skt-kc-status" role="status" aria-live="polite" aria-atomic="true"></div>
<section class="skt-kc-summary" hidden aria-labelledby="skt-kc-summary-heading">
<h2 id="skt-kc-summary-heading" tabindex="-1">Your result</h2>
<p class="skt-kc-result"></p>
<p class="skt-kc-result-meta"></p>
<h3>Score by topic</h3>
<ul class="skt-kc-topics"></ul>
<h3 class="skt-kc-missed-heading">Questions missed</h3>
<div class="skt-kc-missed"></div>
<h3>Your self-assessment record</h3>
<p>The record uses the same format as the training record, marked <code>"mode": "self-assessment"</code>.
It is saved only if you download it.</p>
<p><button type="button" class="skt-kc-download" data-format="json">Download record (JSON)</button>
<button type="button" class="skt-kc-download" data-format="csv">Download record (CSV)</button>
<button type="button" class="skt-kc-print">Print or save as PDF</button>
<button type="button" class="skt-kc-again">Start a new check</button></p>
</section>
<noscript><p>The self-assessment needs JavaScript in your browser.</p></noscript>
</div>"""

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Knowledge check self-assessment: {self.n_questions} questions>"


def static_check(**options) -> StaticCheck:
    return StaticCheck(**options)
