"""The rules file's model (pydantic), the triage result, and loading ``data/triage_rules.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from skintriage import course
from skintriage.bank.loader import BankError, read_yaml, validation_problems
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
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SUMMARY_MAX), AfterValidator(_plain_line)
]


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
    def _not_empty(self) -> FindingSet:
        if not self.identifiers():
            raise ValueError(
                "lists no finding identifiers (give at least one under lesions, distribution, symptoms or history)"
            )
        return self


class Bounds(_Strict):
    """Inclusive day bounds; either may be left out."""

    min: int | None = Field(default=None, ge=0, le=365)
    max: int | None = Field(default=None, ge=0, le=365)

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
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
    def _monitor_has_summary(self) -> CategoryRule:
        if self.action == "monitor" and self.summary is None:
            raise ValueError(
                f"rule '{self.id}': a monitor rule needs a summary (its line in the checklist's green band)"
            )
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
        default=None, description="Why this flag must let another finding switch it off (none_of); rare."
    )
    reason: Text

    @model_validator(mode="after")
    def _no_switch_off_without_a_reason(self) -> RedFlag:
        if self.when.none_of is not None and self.none_of_because is None:
            raise ValueError(
                f"red flag '{self.id}': uses none_of, so another finding would switch it off; a red "
                "flag may only raise the action (remove none_of, or say why in none_of_because)"
            )
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
    principles: RuleId = Field(
        description="Label of the chapter section that states the principles these rules "
        "encode (e.g. sec-triage-principles)."
    )
    bands: list[BandHeading]
    category_rules: list[CategoryRule] = Field(min_length=1)
    default: DefaultRule
    red_flags: list[RedFlag] = Field(min_length=1)
    checklist_only: list[ChecklistOnlySign] = []

    @model_validator(mode="after")
    def _ids_unique(self) -> Rules:
        ids = (
            [r.id for r in self.category_rules]
            + [self.default.id]
            + [r.id for r in self.red_flags]
            + [s.id for s in self.checklist_only]
        )
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id {', '.join(duplicates)}")
        return self

    @field_validator("bands")
    @classmethod
    def _bands_in_urgency_order(cls, bands: list[BandHeading]) -> list[BandHeading]:
        expected = list(reversed(ACTION_ORDER))
        if [b.action for b in bands] != expected:
            raise ValueError(
                f"give one heading per action, most urgent first ({', '.join(expected)}); "
                f"found {', '.join(b.action for b in bands) or 'none'}"
            )
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
                problems[index] += (
                    f" (red flag '{rule_id}': every red flag needs a summary, its line in the red-flag checklist)"
                )
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
