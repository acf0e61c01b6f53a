"""Fuzz the two doors hostile input comes through: case files (`skintriage validate`) and findings forms
(`skintriage triage`). Mutations of valid inputs must either be accepted or refused with BankError lines
that are short, single lines and few; any other exception is a failure (it would be a traceback).

Run by tests/test_fuzz_inputs.py in a subprocess with a time bound (a hang fails the test rather than the
run); `SKINTRIAGE_FUZZ_EXAMPLES` sets the examples per strategy (`make bench` raises it).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skintriage.bank.loader import MAX_PROBLEMS_PER_FILE, BankError, load_bank
from skintriage.inputs.messages import MAX_LINE
from skintriage.rules import MAX_PRINTED_PROBLEMS, load_rules, parse_findings_json, triage

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BIB = ROOT / "book" / "references.bib"
MINI_BOOK = FIXTURES / "mini_book"
CASE_TEXT = (FIXTURES / "cases" / "valid-case.yaml").read_text(encoding="utf-8")
FINDINGS = {
    "day_of_onset": 1,
    "days_since_treatment": 2,
    "trend": "worsening",
    "lesions": ["vesicles"],
    "distribution": ["perioral"],
    "symptoms": ["tingling"],
    "history": ["cold_sore_history"],
}
EXAMPLES = int(os.environ.get("SKINTRIAGE_FUZZ_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=False, suppress_health_check=list(HealthCheck)
)

# Characters that mean something to YAML, JSON, Markdown or a terminal, and look-alikes.
HOSTILE_CHARS = list("&*!?<>[]{}|:#-'\"\\%@`,~=+\t\n\r 0123456789.eE") + [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\u0085",
    "\u200b",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ud800",
    "é",
    "Ａ",
]
FRAGMENTS = [
    "&a x",
    "*a",
    "<<: {a: 1}",
    "? [a, b]\n: 1",
    "!!python/object:os.system",
    "!!binary aGk=",
    "9" * 40,
    "1e999",
    "-.inf",
    ".nan",
    "true",
    "null",
    "~",
    "[" * 40,
    "{" * 40,
    "'unclosed",
    '"\\ud800"',
    '"\\0"',
    "[x](https://evil.example)",
    "[x](//evil.example)",
    "[x](javascript:alert(1))",
    "<https://evil.example>",
    "\u200b\u200b",
    "\u202eabc",
    "---\nid: two",
    "%YAML 1.1\n---",
    "2024-01-01",
    "0x1F",
    "0o17",
    "1_000",
]
text_fragment = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(st.sampled_from(HOSTILE_CHARS), max_size=30),
    st.text(max_size=20),
)


def check_refusal(problems: list[str], per_source_cap: int) -> None:
    assert problems, "BankError without a problem"
    for line in problems:
        assert isinstance(line, str) and "\n" not in line and len(line) <= MAX_LINE, repr(line[:300])
    assert len(problems) <= per_source_cap + 1, len(problems)


def try_case_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "valid-case.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_bank(Path(tmp), bib=BIB, book=MINI_BOOK)
        except BankError as error:
            check_refusal(error.problems, MAX_PROBLEMS_PER_FILE)


@st.composite
def mutated_case(draw) -> str:
    text = CASE_TEXT
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["insert", "delete", "replace-value", "repeat"]))
        at = draw(st.integers(0, len(text)))
        if how == "insert":
            text = text[:at] + draw(text_fragment) + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        elif how == "repeat":
            end = min(len(text), at + draw(st.integers(1, 80)))
            text = text[:at] + text[at:end] * draw(st.integers(2, 50)) + text[end:]
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            key, colon, _ = lines[index].partition(": ")
            if colon:
                lines[index] = f"{key}: {draw(text_fragment)}"
            text = "\n".join(lines)
    return text


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text_fragment),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(text_fragment, inner, max_size=5)),
    max_leaves=20,
)


@st.composite
def mutated_findings(draw) -> str:
    data = dict(FINDINGS)
    for _ in range(draw(st.integers(1, 3))):
        field = draw(st.sampled_from(list(FINDINGS) + ["extra"]))
        if draw(st.booleans()):
            data[field] = draw(json_value)
        else:
            data.pop(field, None)
    text = json.dumps(data)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(text_fragment) + text[at:]
    return text


def try_findings_text(text: str) -> None:
    try:
        findings = parse_findings_json(text, "form.json")
    except BankError as error:
        check_refusal(error.problems, MAX_PRINTED_PROBLEMS * 100)  # the CLI prints at most 10 of them
        return
    result = triage(findings, load_rules())
    assert result.category and result.action


@SETTINGS
@given(mutated_case())
def fuzz_case_files(text: str) -> None:
    try_case_text(text)


@SETTINGS
@given(mutated_findings())
def fuzz_findings(text: str) -> None:
    try_findings_text(text)


def main() -> int:
    for fuzz in (fuzz_case_files, fuzz_findings):
        fuzz()
        print(f"{fuzz.__name__}: {EXAMPLES} examples, no traceback", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
