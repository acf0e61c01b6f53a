"""The course's triage rules, as data: load, validate and evaluate ``data/triage_rules.yaml``.

The rules are a training aid, not a diagnostic device. ``triage(findings)`` gives the likely category, the
traffic-light action and the reasons (the rules that fired, in plain words). ``static/triage.js`` evaluates the
same rules, exported by :func:`rules_as_json`, with exactly the same meaning:

1. ``category_rules`` are tried in order; the first whose ``when`` matches gives the category and a starting
   action (``default`` if none matches).
2. Every red flag whose ``when`` matches fires; the final action is the most urgent of the category rule's
   action and the fired red flags' actions (``ACTION_ORDER``).
3. ``reasons`` = the category rule's reason, then each fired red flag's reason, in file order.

A ``when`` holds: ``all_of`` (every identifier recorded), ``any_of`` (a list of groups: for each, at least one
identifier recorded), ``none_of`` (no identifier recorded), ``trend`` (one of), and inclusive ``{min, max}``
bounds on ``day_of_onset``, ``days_since_treatment`` and ``days_persisting`` (= days_since_treatment -
day_of_onset). An empty ``when`` always matches.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from . import course
from .bank import BankError, read_yaml, validation_problems
from .schema import ACTION_ORDER, Action, Category, Findings, History, Lesion, Site, Symptom, Trend

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=60)]

#: The finding groups a condition can name, in form order.
GROUPS = ("lesions", "distribution", "symptoms", "history")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class FindingSet(_Strict):
    """Identifiers by group, e.g. ``{lesions: [vesicles], history: [cold_sore_history]}``."""

    lesions: list[Lesion] = []
    distribution: list[Site] = []
    symptoms: list[Symptom] = []
    history: list[History] = []

    def identifiers(self) -> list[tuple[str, str]]:
        return [(group, ident) for group in GROUPS for ident in getattr(self, group)]

    @model_validator(mode="after")
    def _not_empty(self) -> "FindingSet":
        if not self.identifiers():
            raise ValueError("lists no finding identifiers (give at least one under lesions, distribution, "
                             "symptoms or history)")
        return self


class Bounds(_Strict):
    """Inclusive day bounds; either may be left out."""

    min: int | None = Field(default=None, ge=0, le=365)
    max: int | None = Field(default=None, ge=0, le=365)

    @model_validator(mode="after")
    def _ordered(self) -> "Bounds":
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def holds(self, value: int) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class When(_Strict):
    all_of: FindingSet | None = None
    any_of: list[FindingSet] = []
    none_of: FindingSet | None = None
    trend: list[Trend] = []
    day_of_onset: Bounds | None = None
    days_since_treatment: Bounds | None = None
    days_persisting: Bounds | None = None

    def matches(self, findings: Findings) -> bool:
        def has(group: str, ident: str) -> bool:
            return ident in getattr(findings, group)

        if self.all_of and not all(has(g, i) for g, i in self.all_of.identifiers()):
            return False
        for group in self.any_of:
            if not any(has(g, i) for g, i in group.identifiers()):
                return False
        if self.none_of and any(has(g, i) for g, i in self.none_of.identifiers()):
            return False
        if self.trend and findings.trend not in self.trend:
            return False
        if self.day_of_onset and not self.day_of_onset.holds(findings.day_of_onset):
            return False
        if self.days_since_treatment and not self.days_since_treatment.holds(findings.days_since_treatment):
            return False
        persisting = findings.days_since_treatment - findings.day_of_onset
        if self.days_persisting and not self.days_persisting.holds(persisting):
            return False
        return True


class CategoryRule(_Strict):
    id: RuleId
    category: Category
    action: Action
    when: When = When()
    reason: Text


class DefaultRule(_Strict):
    id: RuleId
    category: Category
    action: Action
    reason: Text


class RedFlag(_Strict):
    id: RuleId
    action: Action = Field(description="The action is lifted at least to this when the flag fires.")
    when: When
    reason: Text


class Rules(_Strict):
    edition: Text
    disclaimer: Text
    category_rules: list[CategoryRule] = Field(min_length=1)
    default: DefaultRule
    red_flags: list[RedFlag] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> "Rules":
        ids = [r.id for r in self.category_rules] + [self.default.id] + [r.id for r in self.red_flags]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id {', '.join(duplicates)}")
        return self


@dataclass(frozen=True)
class TriageResult:
    category: str
    action: str
    reasons: list[str]
    fired: list[str] = field(default_factory=list)  # rule ids, in the order of ``reasons``

    def as_dict(self) -> dict:
        return {"category": self.category, "action": self.action, "reasons": list(self.reasons)}


# --- Loading --------------------------------------------------------------------------------------------------

_cache: dict[tuple[str, float], Rules] = {}


def parse_rules(path: Path, data: object) -> Rules:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise BankError([f"{path}: (top level): expected a mapping of rules fields, found {found}"])
    try:
        rules = Rules.model_validate(data)
    except ValidationError as error:
        raise BankError(validation_problems(path, error)) from None
    problems = [
        f"{path}: category_rules: no rule gives category '{c.value}'"
        for c in Category
        if c.value not in {r.category for r in rules.category_rules} | {rules.default.category}
    ]
    if problems:
        raise BankError(problems)
    return rules


def load_rules(path: Path | str | None = None) -> Rules:
    """Load and validate a rules file (default: the course's); problems raise BankError naming file and field."""
    path = Path(path) if path else course.RULES_FILE
    try:
        stamp = path.stat().st_mtime
    except OSError as error:
        raise BankError([f"{path}: cannot read file: {error}"]) from None
    key = (str(path.resolve()), stamp)
    if key not in _cache:
        _cache[key] = parse_rules(path, read_yaml(path))
    return _cache[key]


# --- Evaluating -----------------------------------------------------------------------------------------------


def _urgency(action: str) -> int:
    return ACTION_ORDER.index(action)


def triage(findings: Findings | dict, rules: Rules | None = None) -> TriageResult:
    """Apply the rules to one set of findings (a Findings or a plain mapping, validated first)."""
    if not isinstance(findings, Findings):
        findings = parse_findings(findings, source="<findings>")
    rules = rules or load_rules()
    chosen = next((r for r in rules.category_rules if r.when.matches(findings)), rules.default)
    action = chosen.action
    reasons, fired = [chosen.reason], [chosen.id]
    for flag in rules.red_flags:
        if flag.when.matches(findings):
            reasons.append(flag.reason)
            fired.append(flag.id)
            if _urgency(flag.action) > _urgency(action):
                action = flag.action
    return TriageResult(chosen.category, action, reasons, fired)


def rules_as_json(rules: Rules | None = None) -> str:
    """The rules as compact JSON, the form the browser evaluator reads (None and empty conditions left out)."""
    rules = rules or load_rules()
    data = rules.model_dump(mode="json", exclude_none=True)
    return json.dumps(_drop_empty(data), ensure_ascii=True, separators=(",", ":"))


def rules_json_for_html(rules: Rules | None = None) -> str:
    """:func:`rules_as_json`, safe inside ``<script type="application/json">`` (no ``<``, ``>`` or ``&``)."""
    return script_safe_json(rules_as_json(rules))


def script_safe_json(text: str) -> str:
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _drop_empty(value):
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v != [] and v != {}}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def findings_as_dict(findings: Findings) -> dict:
    """A Findings as plain JSON-able data with sorted lists (the form test vectors and the browser use)."""
    data = findings.model_dump(mode="python")
    return {k: sorted(v) if isinstance(v, (set, frozenset)) else v for k, v in data.items()}


# --- Findings from outside (CLI, JSON) ------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"duplicate key {', '.join(repr(d) for d in duplicates)}")
    return dict(pairs)


def parse_findings_json(text: str, source: str = "<stdin>") -> Findings:
    """Parse JSON text holding one findings object; problems raise BankError, one line each."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise BankError([f"{source}: line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}"]) from None
    except ValueError as error:
        raise BankError([f"{source}: (top level): invalid JSON: {error}"]) from None
    return parse_findings(data, source)


def parse_findings(obj: object, source: str = "<stdin>") -> Findings:
    """Validate one findings object strictly (no "3" for 3, no unknown identifiers or fields)."""
    if isinstance(obj, Findings):
        return obj
    if not isinstance(obj, dict):
        found = "nothing" if obj is None else f"a {type(obj).__name__}"
        raise BankError([f"{source}: (top level): expected an object of findings, found {found}"])
    try:
        # Round-trip through JSON so strict mode accepts lists for the identifier sets.
        return Findings.model_validate_json(json.dumps(obj), strict=True)
    except (TypeError, ValueError) as error:
        if not isinstance(error, ValidationError):
            raise BankError([f"{source}: (top level): not JSON data: {error}"]) from None
        problems = []
        for line, detail in zip(validation_problems(Path(source), error), error.errors()):
            if not detail["loc"] and "day_of_onset" in detail["msg"]:
                line = line.replace(": (top level): ", ": day_of_onset: ", 1)
                line += " (the spots cannot start after today)"
            elif "(got " not in line and not isinstance(detail.get("input"), (dict, type(None))):
                line += f" (got {json.dumps(detail['input'])})"
            problems.append(line)
        raise BankError(problems) from None


# --- Command line ---------------------------------------------------------------------------------------------


def _run_triage(args: argparse.Namespace) -> int:
    source = "<stdin>" if args.file in (None, "-") else args.file
    try:
        if source == "<stdin>":
            text = sys.stdin.read()
        else:
            try:
                text = Path(source).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise BankError([f"{source}: cannot read file: {error}"]) from None
        findings = parse_findings_json(text, source)
        result = triage(findings, load_rules(args.rules))
    except BankError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


def register_cli(commands) -> None:
    """Add ``skintriage triage [FILE]`` to the CLI's subcommands."""
    parser = commands.add_parser(
        "triage",
        help="apply the course's triage rules to one findings object (JSON); a training aid, not a diagnosis",
        description="Read one findings object as JSON from FILE (or standard input) and print the likely "
        "category, the action and the reasons as JSON. A training aid, not a diagnostic device.",
    )
    parser.add_argument("file", nargs="?", help="JSON file of findings (default or '-': standard input)")
    parser.add_argument("--rules", type=Path, default=None, help="rules file (default: the course's)")
    parser.set_defaults(run=_run_triage)
