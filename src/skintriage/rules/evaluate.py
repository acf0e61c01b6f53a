"""Evaluating the rules on a review form, and exporting them as JSON for ``static/core/triage.js``."""

from __future__ import annotations

import json

from skintriage.bank.schema import ACTION_ORDER, Findings
from skintriage.rules.findings_input import parse_findings
from skintriage.rules.model import Rules, TriageResult, load_rules


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
