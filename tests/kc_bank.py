"""A small synthetic case bank for knowledge-check tests: every category, every question kind.

The real bank grows while the course is written; unit tests of drawing and scoring use this one so that
their expectations do not move. Tests that need the real bank (notebook, Voila) use ``load_bank()``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from skintriage.bank.schema import Category, QuestionKind

BIB = """@misc{testref,
  author = {Tester, Ann},
  title  = {A reference for tests},
  year   = {2024}
}
"""

SECTIONS = ["sec-kc-one", "sec-kc-two"]


def _question(kind: str, index: int) -> dict:
    options = [
        {"id": f"o{i}", "text": f"Option {i} for {kind}", "feedback": f"SECRET-FEEDBACK-{kind}-{i}"} for i in range(4)
    ]
    answer = ["o0", "o2"] if kind == QuestionKind.red_flags.value else "o1"
    return {
        "id": f"q-{kind.replace('_', '-')}",
        "kind": kind,
        "stem": f"Stem {index} asking {kind}?",
        "options": options,
        "answer": answer,
        "explanation": f"SECRET-EXPLANATION-{kind}-{index}",
        "section": SECTIONS[index % 2],
        "references": ["testref"],
    }


def case_data(category: str, number: int) -> dict:
    kinds = [k.value for k in QuestionKind]
    return {
        "id": f"{category.replace('_', '-')}-{number}",
        "title": f"Case {number} of {category}",
        "topics": ["test"],
        "difficulty": "foundation",
        "client": {"age": 30, "fitzpatrick": "II"},
        "procedure": {"device": "pen"},
        "vignette": f"A client with **{category}** <script>alert(1)</script>.",
        "findings": {"day_of_onset": 1, "days_since_treatment": 2, "trend": "stable"},
        "category": category,
        "action": "review",
        "questions": [_question(kind, number + i) for i, kind in enumerate(kinds)],
        "references": ["testref"],
        # Placeholder findings: the loader would otherwise refuse a case the triage rules disagree with.
        "differs_from_rules": "Synthetic test case: its findings are placeholders, not a clinical picture.",
    }


def write_bank(root: Path, cases_per_category: int = 2) -> tuple[Path, Path, Path]:
    """Write cases, a bibliography and a one-page book under ``root``; return (cases_dir, bib, book)."""
    cases = root / "cases"
    book = root / "book"
    cases.mkdir(parents=True, exist_ok=True)
    book.mkdir(parents=True, exist_ok=True)
    bib = book / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    (book / "chapter.md").write_text(
        "# Chapter\n\n(sec-kc-one)=\n## Section one\n\n(sec-kc-two)=\n## Section two\n", encoding="utf-8"
    )
    for category in Category:
        for number in range(1, cases_per_category + 1):
            data = case_data(category.value, number)
            (cases / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return cases, bib, book
