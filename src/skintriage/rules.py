"""The course's triage rules, as data: load, validate and evaluate ``data/triage_rules.yaml``.

The rules are a training aid, not a diagnostic device. ``triage(findings)`` gives the likely category, the
traffic-light action and the reasons (the rules that fired, in plain words). ``static/triage.js`` evaluates the
same rules, exported by :func:`rules_as_json`, with exactly the same meaning:

1. ``category_rules`` are tried in order; the first whose ``when`` matches gives the category and a starting
   action (``default`` if none matches).
2. Every red flag whose ``when`` matches fires; the final action is the most urgent of the category rule's
   action and the fired red flags' actions (``ACTION_ORDER``).
3. ``reasons`` agree with the final action: first the rules that decide it (the category rule if its action
   is the final one, then the red flags at that action), then the other fired red flags, most urgent first,
   each band in file order. A category rule's reason is left out when a red flag outranks it: its advice
   ("follow up as routine") would contradict the verdict. The category itself is still given.

A ``when`` holds: ``all_of`` (every identifier recorded), ``any_of`` (a list of groups: for each, at least one
identifier recorded), ``none_of`` (no identifier recorded), ``trend`` (one of), and inclusive ``{min, max}``
bounds on ``day_of_onset``, ``days_since_treatment``, ``days_persisting`` (= days_since_treatment -
day_of_onset) and ``hours_since_exposure`` (the form's value; when it is not recorded, days_since_treatment x 24:
the exposure is taken to be this treatment). An empty ``when`` always matches.

Red flags are principle-first: each states its ``principle``, and none may use ``none_of`` (another finding
must never switch a red flag off) unless ``none_of_because`` says why. Every flag's ``when`` is then monotone:
recording more findings can only make more flags fire, so a red flag can only raise the action.

The red-flag checklist is generated from the same file (:func:`checklist`): every red flag, every ``monitor``
category rule and some other category rules carry a ``summary`` (a short line in plain words), ``bands`` gives
each action's heading, and ``checklist_only`` lists the few signs the review form cannot record. Summaries are
never evaluated: they cannot change a triage result.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError,
                      field_validator, model_validator)

from skintriage import course
from skintriage.bank.loader import BankError, kind_of, read_yaml, shown, validation_problems
from skintriage.inputs.files import InputFileError, decode_utf8, read_regular, read_stream
from skintriage.inputs.messages import bounded, capped, quoted
from skintriage.inputs.text import text_problem
from skintriage.bank.schema import ACTION_ORDER, Action, Category, Findings, History, Lesion, Site, Symptom, Trend

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=60)]

#: The finding groups a condition can name, in form order.
GROUPS = ("lesions", "distribution", "symptoms", "history")

#: Longest checklist line (it is also a trigger line of the traffic-light figure, wrapped on a phone).
SUMMARY_MAX = 80


def _plain_line(value: str) -> str:
    if "_" in value:
        raise ValueError("shows an identifier (an underscore): write the sign in plain words")
    if "\n" in value or "\r" in value:
        raise ValueError("must be one line")
    return value


#: A checklist line in plain words, e.g. "Pain getting worse instead of settling".
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SUMMARY_MAX),
                    AfterValidator(_plain_line)]


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


class HourBounds(Bounds):
    """Inclusive bounds in hours (up to a year)."""

    min: int | None = Field(default=None, ge=0, le=8760)
    max: int | None = Field(default=None, ge=0, le=8760)


def hours_since_exposure(findings: Findings) -> int:
    """The recorded hours since a possible bloodborne exposure, or, if not recorded, the treatment's (days x 24)."""
    if findings.hours_since_exposure is not None:
        return findings.hours_since_exposure
    return findings.days_since_treatment * 24


class When(_Strict):
    all_of: FindingSet | None = None
    any_of: list[FindingSet] = []
    none_of: FindingSet | None = None
    trend: list[Trend] = []
    day_of_onset: Bounds | None = None
    days_since_treatment: Bounds | None = None
    days_persisting: Bounds | None = None
    hours_since_exposure: HourBounds | None = None

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
        if self.hours_since_exposure and not self.hours_since_exposure.holds(hours_since_exposure(findings)):
            return False
        return True


class CategoryRule(_Strict):
    id: RuleId
    category: Category
    action: Action
    summary: Summary | None = Field(default=None, description="Its line in the red-flag checklist, if any.")
    when: When = When()
    reason: Text

    @model_validator(mode="after")
    def _monitor_has_summary(self) -> "CategoryRule":
        if self.action == "monitor" and self.summary is None:
            raise ValueError(f"rule '{self.id}': a monitor rule needs a summary (its line in the checklist's "
                             "green band)")
        return self


class DefaultRule(_Strict):
    id: RuleId
    category: Category
    action: Action
    reason: Text


class RedFlag(_Strict):
    id: RuleId
    action: Action = Field(description="The action is lifted at least to this when the flag fires.")
    summary: Summary = Field(description="Its line in the red-flag checklist.")
    principle: Text = Field(description="Why this sign escalates, in one sentence (chapter 7's principles).")
    when: When
    none_of_because: Text | None = Field(
        default=None, description="Why this flag must let another finding switch it off (none_of); rare.")
    reason: Text

    @model_validator(mode="after")
    def _no_switch_off_without_a_reason(self) -> "RedFlag":
        if self.when.none_of is not None and self.none_of_because is None:
            raise ValueError(f"red flag '{self.id}': uses none_of, so another finding would switch it off; a red "
                             "flag may only raise the action (remove none_of, or say why in none_of_because)")
        return self


class BandHeading(_Strict):
    action: Action
    heading: Text


class ChecklistOnlySign(_Strict):
    """A sign staff are taught that the review form cannot record: shown in the checklist, never evaluated."""

    id: RuleId
    action: Action
    summary: Summary


class Rules(_Strict):
    edition: Text
    disclaimer: Text
    principles: RuleId = Field(description="Label of the chapter section that states the principles these rules "
                                           "encode (e.g. sec-triage-principles).")
    bands: list[BandHeading]
    category_rules: list[CategoryRule] = Field(min_length=1)
    default: DefaultRule
    red_flags: list[RedFlag] = Field(min_length=1)
    checklist_only: list[ChecklistOnlySign] = []

    @model_validator(mode="after")
    def _ids_unique(self) -> "Rules":
        ids = ([r.id for r in self.category_rules] + [self.default.id] + [r.id for r in self.red_flags]
               + [s.id for s in self.checklist_only])
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id {', '.join(duplicates)}")
        return self

    @field_validator("bands")
    @classmethod
    def _bands_in_urgency_order(cls, bands: list[BandHeading]) -> list[BandHeading]:
        expected = list(reversed(ACTION_ORDER))
        if [b.action for b in bands] != expected:
            raise ValueError(f"give one heading per action, most urgent first ({', '.join(expected)}); "
                             f"found {', '.join(b.action for b in bands) or 'none'}")
        return bands


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
        problems = validation_problems(path, error)
        for index, detail in enumerate(error.errors()):
            loc = detail["loc"]
            if detail["type"] == "missing" and len(loc) == 3 and loc[0] == "red_flags" and loc[2] == "summary":
                rule_id = _rule_id(data, "red_flags", loc[1])
                problems[index] += (f" (red flag '{rule_id}': every red flag needs a summary, its line in the "
                                    "red-flag checklist)")
        raise BankError(problems) from None
    problems = [
        f"{path}: category_rules: no rule gives category '{c.value}'"
        for c in Category
        if c.value not in {r.category for r in rules.category_rules} | {rules.default.category}
    ]
    if problems:
        raise BankError(problems)
    return rules


def _rule_id(data: dict, group: str, index: object) -> str:
    try:
        return str(data[group][index]["id"])
    except (KeyError, IndexError, TypeError):
        return "?"


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
    flags = [flag for flag in rules.red_flags if flag.when.matches(findings)]
    action = max([chosen.action] + [flag.action for flag in flags], key=_urgency)
    # The deciding rules first; a category rule outranked by a red flag gives no (lower-band) advice.
    ordered = ([chosen] if chosen.action == action else []) + sorted(flags, key=lambda f: -_urgency(f.action))
    return TriageResult(chosen.category, action, [r.reason for r in ordered], [r.id for r in ordered])


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


# --- The red-flag checklist -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sign:
    """One checklist line: the summary and the rule (or checklist-only sign) it comes from."""

    id: str
    summary: str
    source: str  # "red_flag", "category_rule" or "checklist_only"


@dataclass(frozen=True)
class Band:
    """One band of the checklist: an action, its heading and its signs."""

    action: str
    heading: str
    signs: tuple[Sign, ...]

    @property
    def summaries(self) -> list[str]:
        return [s.summary for s in self.signs]


def checklist(rules: Rules | None = None) -> list[Band]:
    """The red-flag checklist from the rules: one band per action, most urgent first.

    Each band lists, in file order, the summaries of its red flags, then of its category rules (those that have
    one), then its checklist-only signs. The default rule is not a sign and has no summary.
    """
    rules = rules or load_rules()
    bands = []
    for heading in rules.bands:
        action = heading.action
        signs = [Sign(f.id, f.summary, "red_flag") for f in rules.red_flags if f.action == action]
        signs += [Sign(r.id, r.summary, "category_rule") for r in rules.category_rules
                  if r.action == action and r.summary is not None]
        signs += [Sign(s.id, s.summary, "checklist_only") for s in rules.checklist_only if s.action == action]
        bands.append(Band(action, heading.heading, tuple(signs)))
    return bands


#: The admonition class of each band (the book theme's colours; the heading words come from the rules).
BAND_CLASSES = {"emergency": "danger", "same_day": "error", "review": "warning", "monitor": "tip"}

# Every ASCII punctuation character that can start markup in CommonMark or MyST (roles, targets, comments,
# math, directives); a backslash makes each one literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-.!|~$&:%^=])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown (MyST or CommonMark) inline text: every markup character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def checklist_markdown(rules: Rules | None = None) -> str:
    """The checklist as MyST Markdown: one admonition per band, its signs as a bulleted list (all escaped)."""
    parts = []
    for band in checklist(rules):
        lines = [f"```{{admonition}} {escape_markdown(band.heading)}", f":class: {BAND_CLASSES[band.action]}", ""]
        lines += [f"- {escape_markdown(summary)}" for summary in band.summaries]
        lines.append("```")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def checklist_html(rules: Rules | None = None) -> str:
    """The checklist as HTML (the same structure Sphinx gives an admonition), every text escaped."""
    parts = ['<div class="skt-checklist">']
    for band in checklist(rules):
        parts.append(f'<div class="admonition {BAND_CLASSES[band.action]}" data-action="{band.action}">')
        parts.append(f'<p class="admonition-title">{html.escape(band.heading)}</p>')
        parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in band.summaries) + "</ul>")
        parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts)


def show_checklist(rules: Rules | None = None, html_output: bool = False):
    """Display the checklist in a notebook cell: MyST Markdown (the book renders it with the cell metadata
    ``mystnb: markdown_format: myst``), or HTML with ``html_output=True``."""
    from IPython.display import HTML, Markdown

    return HTML(checklist_html(rules)) if html_output else Markdown(checklist_markdown(rules))


# --- Findings from outside (CLI, JSON) ------------------------------------------------------------------------


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
        raise BankError([f"{source}: (top level): nested too deeply (more than {MAX_JSON_DEPTH} levels): a "
                         "findings form is one object of lists"])
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise BankError([bounded(f"{source}: line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}")]) from None
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


# --- Command line ---------------------------------------------------------------------------------------------


def _read_findings_text(source: str) -> str:
    try:
        if source == "<stdin>":
            data = read_stream(sys.stdin.buffer, MAX_FINDINGS_BYTES)
        else:
            data = read_regular(Path(source), MAX_FINDINGS_BYTES)
        return decode_utf8(data)
    except InputFileError as error:
        raise BankError([bounded(f"{source}: {error}")]) from None


def _run_triage(args: argparse.Namespace) -> int:
    source = "<stdin>" if args.file in (None, "-") else args.file
    if not source.strip():
        print("skintriage triage: the file name is empty: give a JSON file, or - for standard input",
              file=sys.stderr)
        return 2
    try:
        findings = parse_findings_json(_read_findings_text(source), source)
        result = triage(findings, load_rules(args.rules))
    except BankError as error:
        for problem in capped(error.problems, MAX_PRINTED_PROBLEMS):
            print(bounded(problem), file=sys.stderr)
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
