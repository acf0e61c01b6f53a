"""The course's triage rules, as data: load, validate and evaluate ``data/triage_rules.yaml``.

Modules: ``model`` (the rules file's model and loading), ``evaluate`` (triage and the JSON export for the
browser), ``checklist`` (the generated red-flag checklist), ``protocol`` (the printed protocol: band tables and
quoted checklist lines), ``directives`` (their Sphinx directive ``{skt-bands}`` and role ``{skt-sign}``),
``findings_input`` (review forms from outside, bounded) and ``cli`` (``skintriage triage``). The names below are
the subsystem's public API.

The rules are a training aid, not a diagnostic device. ``triage(findings)`` gives the likely category, the
traffic-light action and the reasons (the rules that fired, in plain words). ``static/core/triage.js`` evaluates the
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
never evaluated: they cannot change a triage result. Pages never restate a band or a red flag by hand: the handout,
the facilitator guide and the escalation chapter show them with ``{skt-bands}`` and ``{skt-sign}``
(:func:`band_table_markdown`, :func:`sign_quote`).
"""

from skintriage.rules.checklist import (
    BAND_CLASSES,
    Band,
    Sign,
    checklist,
    checklist_html,
    checklist_markdown,
    escape_markdown,
    show_checklist,
)
from skintriage.rules.cli import register_cli
from skintriage.rules.evaluate import findings_as_dict, rules_as_json, rules_json_for_html, script_safe_json, triage
from skintriage.rules.findings_input import MAX_PRINTED_PROBLEMS, parse_findings, parse_findings_json
from skintriage.rules.model import GROUPS, SUMMARY_MAX, RedFlag, Rules, TriageResult, When, load_rules, parse_rules
from skintriage.rules.protocol import ROUTES, band_table_markdown, sign_quote

__all__ = [
    "BAND_CLASSES",
    "GROUPS",
    "MAX_PRINTED_PROBLEMS",
    "SUMMARY_MAX",
    "Band",
    "ROUTES",
    "RedFlag",
    "Rules",
    "Sign",
    "TriageResult",
    "When",
    "band_table_markdown",
    "checklist",
    "checklist_html",
    "checklist_markdown",
    "escape_markdown",
    "findings_as_dict",
    "load_rules",
    "parse_findings",
    "parse_findings_json",
    "parse_rules",
    "register_cli",
    "rules_as_json",
    "rules_json_for_html",
    "script_safe_json",
    "show_checklist",
    "sign_quote",
    "triage",
]
