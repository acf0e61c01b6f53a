"""Scope of practice: the course teaches non-prescribing staff to recognise, record and escalate.

A right answer may mention a medicine only as something a prescriber decides; named drugs appear nowhere
in the chapters or cases (the bibliography may name them in titles).
"""

from __future__ import annotations

import re
from pathlib import Path

from skintriage import load_bank

ROOT = Path(__file__).resolve().parents[1]
NAMED_DRUGS = re.compile(
    r"\b(a?cyclovir|aciclovir|valaciclovir|famciclovir|flucloxacillin|clarithromycin|erythromycin|doxycycline|"
    r"fusidic|mupirocin|clindamycin|cefalexin|cephalexin|methotrexate|hydrocortisone|prednisolone|"
    r"isotretinoin|chlorphenamine|cetirizine|loratadine)\b",
    re.I,
)
MEDICINE = r"(antibiotic|antiviral|steroid|antihistamine|medicine|medication|tablet|prophylaxis)s?"
# Staff doing something with a medicine: "give her an antihistamine", "start antibiotics", "apply a steroid cream".
MEDICINE_ACTION = re.compile(
    rf"\b(give|start|apply|take|buy|prescribe|recommend|supply|offer|arrange|use|suggest)\b[^.;]*\b{MEDICINE}\b", re.I
)


def test_right_answers_leave_medicines_to_a_prescriber():
    bank = load_bank()
    problems = []
    for case in bank.values():
        for question in case.questions:
            for option in question.options:
                if (
                    option.id in question.answer
                    and MEDICINE_ACTION.search(option.text)
                    and "prescriber" not in option.text.lower()
                ):
                    problems.append(f"{bank.files[case.id].name}: {question.id}/{option.id}: {option.text}")
    assert not problems, "right answers that put a medicine in staff hands:\n" + "\n".join(problems)


def test_wrong_medicine_options_say_why_in_their_feedback():
    """A tempting wrong answer ('give a steroid cream') must be corrected, not just marked wrong."""
    bank = load_bank()
    problems = []
    for case in bank.values():
        for question in case.questions:
            for option in question.options:
                staff_act = MEDICINE_ACTION.search(option.text) and "prescriber" not in option.text.lower()
                if option.id not in question.answer and staff_act:
                    feedback = option.feedback.lower()
                    if not any(word in feedback for word in ("prescri", "role", "scope", "decision", "decide")):
                        problems.append(f"{bank.files[case.id].name}: {question.id}/{option.id}: {option.feedback}")
    assert not problems, "wrong medicine options whose feedback does not explain the scope:\n" + "\n".join(problems)


# A medicine a client is ASKED about before treatment (history, never something staff give) may be named where
# the screening questions are taught, and nowhere else: clients know it by name, so staff must ask by name.
SCREENING_QUESTIONS = {("book/prevention.md", "isotretinoin")}


def test_no_named_drugs_in_chapters_or_cases():
    places = [*ROOT.glob("book/**/*.md"), *ROOT.glob("src/skintriage/data/**/*.yaml")]
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in places
        for m in NAMED_DRUGS.finditer(p.read_text())
        if (p.relative_to(ROOT).as_posix(), m.group(0).lower()) not in SCREENING_QUESTIONS
    ]
    assert not found, "named drugs in course text:\n" + "\n".join(found)


def test_a_screening_drug_is_named_only_as_history_to_ask_about():
    """Where isotretinoin is named, the sentence is about asking and a prescriber deciding, never giving it."""
    for file, drug in SCREENING_QUESTIONS:
        text = (ROOT / file).read_text()
        sentences = [s for s in re.split(r"(?<=[.;])\s", text) if drug in s.lower()]
        assert sentences, f"{file} no longer names {drug}: drop it from SCREENING_QUESTIONS"
        for sentence in sentences:
            assert not MEDICINE_ACTION.search(sentence) or "prescriber" in sentence.lower(), sentence
        paragraph = text[text.lower().index(drug) - 300 : text.lower().index(drug) + 400].lower()
        assert "prescriber" in paragraph, f"{file}: {drug} named without a prescriber deciding"
