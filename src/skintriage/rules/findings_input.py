"""Review forms from outside (the CLI, JSON): bounded, strictly typed, one plain message per problem."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import (
    ValidationError,
)

from skintriage.bank.loader import BankError, kind_of, shown, validation_problems
from skintriage.bank.schema import Findings
from skintriage.inputs.messages import bounded, quoted
from skintriage.inputs.text import text_problem


def _no_duplicate_keys(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"duplicate key {', '.join(repr(d) for d in duplicates)}")
    return dict(pairs)


#: Largest findings input read (a review form is well under 1 KB), deepest JSON nesting, problems printed.
MAX_FINDINGS_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16
MAX_PRINTED_PROBLEMS = 10
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(text: str, limit: int) -> bool:
    """Whether brackets outside JSON strings nest deeper than ``limit`` (json.loads would recurse)."""
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def parse_findings_json(text: str, source: str = "<stdin>") -> Findings:
    """Parse JSON text holding one findings object; problems raise BankError, one line each."""
    if _too_deep(text, MAX_JSON_DEPTH):
        raise BankError(
            [
                f"{source}: (top level): nested too deeply (more than {MAX_JSON_DEPTH} levels): a "
                "findings form is one object of lists"
            ]
        )
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise BankError(
            [bounded(f"{source}: line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}")]
        ) from None
    except ValueError as error:  # a duplicate key, or a number too long to read
        raise BankError([bounded(f"{source}: (top level): invalid JSON: {error}")]) from None
    return parse_findings(data, source)


def _text_problems(obj: object, where: str = "") -> list[str]:
    """Strings (keys too) that are not clean text, e.g. a lone surrogate from "\\ud800" in JSON."""
    if isinstance(obj, str):
        problem = text_problem(obj, visible=False)
        return [f"{where or '(top level)'}: {problem}"] if problem else []
    if isinstance(obj, dict):
        found = []
        for key, value in obj.items():
            name = f"{where}.{key}" if where else str(key)
            key_problem = text_problem(str(key), visible=False)
            found += [f"{quoted(str(key))}: key {key_problem}"] if key_problem else _text_problems(value, name)
        return found
    if isinstance(obj, list):
        return [p for index, item in enumerate(obj) for p in _text_problems(item, f"{where}[{index}]")]
    return []


def parse_findings(obj: object, source: str = "<stdin>") -> Findings:
    """Validate one findings object strictly (no "3" for 3, no unknown identifiers or fields)."""
    if isinstance(obj, Findings):
        return obj
    if not isinstance(obj, dict):
        found = "nothing" if obj is None else kind_of(obj)
        raise BankError([f"{source}: (top level): expected an object of findings, found {found}"])
    bad_text = _text_problems(obj)
    if bad_text:
        raise BankError([bounded(f"{source}: {line}") for line in bad_text])
    try:
        # Round-trip through JSON so strict mode accepts lists for the identifier sets.
        return Findings.model_validate_json(json.dumps(obj), strict=True)
    except (TypeError, ValueError) as error:
        if not isinstance(error, ValidationError):
            raise BankError([bounded(f"{source}: (top level): not JSON data: {error}")]) from None
        problems = []
        for line, detail in zip(validation_problems(Path(source), error), error.errors()):
            if not detail["loc"] and "day_of_onset" in detail["msg"]:
                line = line.replace(": (top level): ", ": day_of_onset: ", 1)
                line += " (the spots cannot start after today)"
            elif "got " not in line and not isinstance(detail.get("input"), (dict, list, type(None))):
                line += f" (got {shown(detail['input'])})"
            problems.append(bounded(line))
        raise BankError(problems) from None
