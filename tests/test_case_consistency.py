"""Every case in the bank gives its own answer under the course's triage rules; a disagreement fails the build.

One test per case file (so each disagreement names its file), plus a check that this covers the whole bank.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skintriage.bank.loader import load_bank, parse_case, read_yaml
from skintriage.rules import load_rules, triage
from tests.triage_vectors import case_files

CASE_FILES = case_files()


def test_there_are_cases_to_check():
    assert CASE_FILES, "no case files found in src/skintriage/data/cases"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_agrees_with_the_rules(path: Path):
    case = parse_case(path, read_yaml(path))
    result = triage(case.findings, load_rules())
    fired = "\n".join(f"  - [{rule}] {reason}" for rule, reason in zip(result.fired, result.reasons))
    assert (result.category, result.action) == (case.category, case.action), (
        f"{path}: the case says category={case.category}, action={case.action}, but the triage rules give "
        f"category={result.category}, action={result.action}.\nRules that fired:\n{fired}\n"
        "Fix the case's findings or answer, or (if the rules are clinically wrong) the rules file."
    )


def test_every_case_in_the_bank_is_checked():
    """The loader sees the same cases as the parametrised test above (none skipped, none extra)."""
    bank = load_bank()
    assert sorted(bank.files[case_id].name for case_id in bank) == sorted(p.name for p in case_files())
    assert set(case_files()) == set(CASE_FILES), "case files changed while the tests ran: run them again"
