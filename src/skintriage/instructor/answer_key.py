"""The instructor edition's answer key: every case and question in the bank, with the right answers.

Only ``book/instructor/answer_key.md`` calls this, and the trainee build never reads that folder
(``exclude_patterns`` in ``_config.yml``), so the key is published in the instructor edition only.
"""

from __future__ import annotations

from pathlib import Path

from skintriage.bank.loader import Bank, load_bank
from skintriage.exam import knowledge_check as kc
from skintriage.pageassets import needs
from skintriage.vocab import ACTIONS
from skintriage.web import render
from skintriage.web.render import escape

ACTION_TITLES = {action: words["title"] for action, words in ACTIONS.items()}


def _question_html(case_id: str, number: int, question, bank: Bank, page_dir: Path | None) -> str:
    rows = []
    for option in question.options:
        right = option.id in question.answer
        mark = "Correct" if right else "Wrong"
        rows.append(
            f'<li class="skt-key-option {"skt-key-right" if right else "skt-key-wrong"}">'
            f'<span class="skt-key-mark">{mark}:</span> {render.markdown_inline(option.text)}'
            f'<div class="skt-key-feedback">{render.markdown_block(option.feedback)}</div></li>'
        )
    return (
        f'<div class="skt-key-question" data-question="{escape(case_id)}/{escape(question.id)}">'
        f"<h4>Q{number} ({escape(kc.KIND_TITLES.get(question.kind, question.kind))}): "
        f"{render.markdown_inline(question.stem)}</h4>"
        f'<ul class="skt-key-options">{"".join(rows)}</ul>'
        f'<div class="skt-key-explanation"><strong>Why:</strong> {render.markdown_block(question.explanation)}</div>'
        f"<p>Teaches: {render.section_link(question.section, bank.sections, page_dir)}</p></div>"
    )


def answer_key_html(bank: Bank, page_dir: Path | None = None) -> str:
    parts = [f'<div class="skt-instructor skt-answer-key" {needs("handout")}>']
    parts.append(
        f"<p>{len(bank)} cases and {sum(len(c.questions) for c in bank.values())} questions; case bank "
        f"<code>{escape(bank.fingerprint[:12])}</code> (training records show the same fingerprint).</p>"
    )
    for category, title in kc.CATEGORY_TITLES.items():
        cases = [c for c in bank.values() if c.category == category]
        if not cases:
            continue
        parts.append(f'<h2 id="key-{escape(category)}">{escape(title)}</h2>')
        for case in cases:
            parts.append(
                f'<section class="skt-key-case" data-case="{escape(case.id)}">'
                f"<h3>{escape(case.title)}</h3>"
                f'<p class="skt-key-meta">Case <code>{escape(case.id)}</code> \u00b7 {escape(case.difficulty)} \u00b7 '
                f"action: <strong>{escape(ACTION_TITLES.get(case.action, case.action))}</strong></p>"
            )
            parts.extend(_question_html(case.id, n, q, bank, page_dir) for n, q in enumerate(case.questions, 1))
            parts.append("</section>")
    parts.append("</div>")
    return "\n".join(parts)


class AnswerKey:
    def __init__(self, bank: Bank | None = None, page_dir: Path | None = None):
        self.bank = bank if bank is not None else load_bank()
        self.page_dir = page_dir

    def _repr_html_(self) -> str:
        return answer_key_html(self.bank, self.page_dir)

    def __repr__(self) -> str:
        return f"<Answer key: {len(self.bank)} cases>"


def answer_key(**options) -> AnswerKey:
    return AnswerKey(**options)


def case_list_html(case_ids: list[str], bank: Bank | None = None, page_dir: Path | None = None) -> str:
    """A short table of the named cases (title, category, action) for the facilitator guide.

    Ids not in the bank are listed as missing rather than failing, so the guide builds while cases are added.
    """
    bank = bank if bank is not None else load_bank()
    rows = []
    for case_id in case_ids:
        case = bank.cases.get(case_id)
        if case is None:
            rows.append(f"<tr><td><code>{escape(case_id)}</code></td><td colspan='3'>(not in the bank)</td></tr>")
            continue
        rows.append(
            f"<tr><td><code>{escape(case.id)}</code></td><td>{escape(case.title)}</td>"
            f"<td>{escape(kc.CATEGORY_TITLES.get(case.category, case.category))}</td>"
            f"<td>{escape(ACTION_TITLES.get(case.action, case.action))}</td></tr>"
        )
    return (
        '<table class="skt-instructor skt-case-list"><thead><tr><th scope="col">Case id</th><th scope="col">Title</th>'
        '<th scope="col">Category</th><th scope="col">Action</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


class CaseList:
    def __init__(self, case_ids: list[str], bank: Bank | None = None):
        self.case_ids = case_ids
        self.bank = bank

    def _repr_html_(self) -> str:
        return case_list_html(self.case_ids, self.bank)


def case_list(*case_ids: str) -> CaseList:
    return CaseList(list(case_ids))
