"""Bad case files are rejected with one clear line naming the file and the field, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from skintriage.bank.loader import BankError, load_bank

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BIB = ROOT / "book" / "references.bib"
MINI_BOOK = FIXTURES / "mini_book"


def valid_case() -> dict:
    return yaml.safe_load((FIXTURES / "cases" / "valid-case.yaml").read_text())


def load(folder: Path):
    return load_bank(folder, bib=BIB, book=MINI_BOOK)


def write(folder: Path, name: str, data) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def test_the_fixture_case_is_valid(tmp_path):
    write(tmp_path, "valid-case", valid_case())
    bank = load(tmp_path)
    assert list(bank) == ["valid-case"]
    assert len(bank.fingerprint) == 64


def _unknown_key(case):
    case["diagnosis"] = "herpes"


def _missing_field(case):
    del case["vignette"]


def _wrong_type(case):
    case["findings"]["day_of_onset"] = "two"


def _answer_not_an_option(case):
    case["questions"][0]["answer"] = "shingles"


def _empty_options(case):
    case["questions"][1]["options"] = []


def _unknown_reference(case):
    case["questions"][0]["references"] = ["wu2022", "made-up-2099"]


def _unknown_section(case):
    case["questions"][2]["section"] = "sec-nowhere"


def _unknown_lesion(case):
    case["findings"]["lesions"] = ["erythema", "boils"]


def _onset_after_today(case):
    case["findings"]["day_of_onset"] = 5
    case["findings"]["days_since_treatment"] = 2


def _bad_category(case):
    case["category"] = "purge"


def _bad_action(case):
    case["action"] = "panic"


def _duplicate_option_id(case):
    case["questions"][0]["options"][1]["id"] = "purge"


def _missing_option_feedback(case):
    del case["questions"][0]["options"][2]["feedback"]


def _id_not_file_name(case):
    case["id"] = "another-name"


def _no_questions(case):
    case["questions"] = []


def _blank_stem(case):
    case["questions"][0]["stem"] = "   "


def _revealing_neutral_title(case):
    case["neutral_title"] = "Spots that antibiotics did not touch"


MUTATIONS = [
    (_unknown_key, "diagnosis", "unknown field"),
    (_missing_field, "vignette", "missing field"),
    (_wrong_type, "findings.day_of_onset", "expected a whole number of days, got 'two'"),
    (_answer_not_an_option, "questions[0]", "answer shingles is not among the options"),
    (_empty_options, "questions[1].options", "at least 2"),
    (_unknown_reference, "questions[0].references[1]", "unknown reference key 'made-up-2099'"),
    (_unknown_section, "questions[2].section", "sec-nowhere"),
    (_unknown_lesion, "findings.lesions", "boils"),
    (_onset_after_today, "findings", "day_of_onset (5) is after days_since_treatment (2)"),
    (_bad_category, "category", "purge"),
    (_bad_action, "action", "panic"),
    (_duplicate_option_id, "questions[0]", "duplicate option id purge"),
    (_missing_option_feedback, "questions[0].options[2].feedback", "missing field"),
    (_id_not_file_name, "id", "must match the file name"),
    (_no_questions, "questions", "at least 1"),
    (_blank_stem, "questions[0].stem", "at least 1 character"),
    (_revealing_neutral_title, "neutral_title", "names an answer or diagnosis: antibiotic"),
]


@pytest.mark.parametrize("mutate, field, words", MUTATIONS, ids=[m[0].__name__.strip("_") for m in MUTATIONS])
def test_bad_field_is_named(tmp_path, mutate, field, words):
    case = valid_case()
    mutate(case)
    path = write(tmp_path, "valid-case", case)
    with pytest.raises(BankError) as raised:
        load(tmp_path)
    problems = raised.value.problems
    assert any(p.startswith(f"{path}: {field}") and words in p for p in problems), problems


RAW_FILES = [
    ("id: x\ntitle: [unclosed\n", "YAML error"),
    ("id: valid-case\nid: again\n", "duplicate key 'id'"),
    ("", "(top level): expected a mapping of case fields, found an empty file"),
    ("- just\n- a list\n", "(top level): expected a mapping of case fields, found a list"),
]


@pytest.mark.parametrize("text, words", RAW_FILES, ids=["syntax", "duplicate-key", "empty", "list"])
def test_unreadable_file_is_named(tmp_path, text, words):
    path = write(tmp_path, "valid-case", text)
    with pytest.raises(BankError) as raised:
        load(tmp_path)
    assert any(p.startswith(str(path)) and words in p for p in raised.value.problems), raised.value.problems


def test_duplicate_id_names_both_files(tmp_path):
    write(tmp_path, "valid-case", valid_case())
    other = valid_case()
    write(tmp_path, "zz-copy", other)  # same id in a second file
    with pytest.raises(BankError) as raised:
        load(tmp_path)
    text = "\n".join(raised.value.problems)
    assert "zz-copy.yaml: id: duplicate id 'valid-case'" in text
    assert "valid-case.yaml" in text


def test_one_bad_file_fails_the_whole_bank(tmp_path):
    """A bad case is never skipped: nothing loads, and every problem is reported at once."""
    write(tmp_path, "valid-case", valid_case())
    bad = valid_case()
    bad["id"] = "second"
    bad["difficulty"] = "easy"
    del bad["title"]
    write(tmp_path, "second", bad)
    with pytest.raises(BankError) as raised:
        load(tmp_path)
    problems = raised.value.problems
    assert any("second.yaml: difficulty" in p for p in problems)
    assert any("second.yaml: title: missing field" in p for p in problems)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "skintriage", *args], capture_output=True, text=True)


def test_cli_reports_problems_without_traceback(tmp_path):
    case = valid_case()
    case["questions"][0]["answer"] = "nope"
    path = write(tmp_path, "valid-case", case)
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    assert f"{path}: questions[0]: answer nope is not among the options" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_validates_the_shipped_bank_by_default():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "cases valid" in result.stdout


def test_neutral_title_is_optional_and_used_for_assessment(tmp_path):
    case = valid_case()
    write(tmp_path, "valid-case", case)
    derived = load(tmp_path)["valid-case"]
    assert derived.neutral_title is None
    assert str(derived.client.age) in derived.assessment_title
    case["neutral_title"] = "A client back on the fifth day"
    write(tmp_path, "valid-case", case)
    assert load(tmp_path)["valid-case"].assessment_title == "A client back on the fifth day"


def test_every_assessment_title_in_the_shipped_bank_gives_nothing_away():
    from skintriage.bank.schema import giveaways

    bank = load_bank()
    revealing = {
        case.id: giveaways(case.assessment_title) for case in bank.values() if giveaways(case.assessment_title)
    }
    assert not revealing, f"assessment titles that name an answer: {revealing}"
    # and the check is not vacuous: many real titles would fail it
    assert sum(bool(giveaways(case.title)) for case in bank.values()) >= 5
