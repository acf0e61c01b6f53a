"""Property vectors for the triage rules, generated with hypothesis and written to a fixed file.

Two properties, stated as the course teaches them:

* **Red flags only raise.** For every red flag and every smallest set of findings that makes it fire (its
  "trigger"), adding the trigger to a valid form (with the days, hours and trend moved into the flag's window)
  never lowers the action and always reaches at least the flag's band.
* **Calm stays calm.** Adding a benign finding (one that is part of expected healing, a minor flare or the
  client's background) to a calm form (one the rules answer ``monitor``) keeps it at monitor, unless a rule
  says why: a rule that fires on the new form at its final action names that finding, or the calm form's own
  rule names it as something it excludes (``none_of``).

``python -m tests.property_vectors`` writes ``tests/vectors/property_findings.json``. Generation is seeded
(hypothesis ``derandomize``: no randomness from the clock), but hypothesis also mixes in constants it finds in
the local source code, so rerun it after changing the red flags, not after every edit; tests/test_properties.py
checks the file holds every current trigger, then runs every vector through the Python evaluator, through
``static/core/triage.js`` under ``node --test`` (tests/js/property_vectors.test.js), and in Chromium; all must agree.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import get_args

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from skintriage.bank.schema import ACTION_ORDER, Findings, History, Lesion, Site, Symptom
from skintriage.rules import GROUPS, RedFlag, Rules, When, findings_as_dict, load_rules, triage

VECTOR_FILE = Path(__file__).parent / "vectors" / "property_findings.json"

#: Bounded so the whole file is generated (and checked) in seconds.
EXAMPLES_PER_TRIGGER = 6
EXAMPLES_PER_BENIGN = 8

IDS = {
    "lesions": get_args(Lesion),
    "distribution": get_args(Site),
    "symptoms": get_args(Symptom),
    "history": get_args(History),
}

#: Findings that on their own belong to expected healing, a minor acne-like flare or the client's background.
#: Written here by hand (not read from the rules): adding one must not raise a calm form unless a rule says why.
BENIGN = {
    "lesions": ["erythema", "oedema", "pinpoint_crusts", "flaking", "comedones"],
    "distribution": ["treated_area", "usual_acne_sites"],
    "symptoms": ["tenderness", "itch"],
    "history": ["acne_prone", "darker_skin", "occlusive_product", "cold_sore_history"],
}


def rank(action: str) -> int:
    return ACTION_ORDER.index(action)


# --- Triggers: the smallest finding sets that make each red flag fire -----------------------------------------


def triggers(rules: Rules) -> list[tuple[RedFlag, dict[str, list[str]]]]:
    """(flag, {group: [ids]}) for every red flag and every choice of one identifier per any_of group."""
    out = []
    for flag in rules.red_flags:
        required = flag.when.all_of.identifiers() if flag.when.all_of else []
        choices = [group.identifiers() for group in flag.when.any_of] or [[None]]
        seen = set()
        for combo in itertools.product(*choices):
            pairs = sorted(set(required) | set(p for p in combo if p))
            key = tuple(pairs)
            if key in seen:
                continue
            seen.add(key)
            trigger: dict[str, list[str]] = {}
            for group, ident in pairs:
                trigger.setdefault(group, []).append(ident)
            out.append((flag, trigger))
    return out


# --- Strategies -----------------------------------------------------------------------------------------------


def identifier_sets(max_size: int = 4):
    return st.fixed_dictionaries({g: st.lists(st.sampled_from(IDS[g]), max_size=max_size, unique=True) for g in GROUPS})


@st.composite
def timing_within(draw, when: When) -> dict:
    """days_since_treatment, day_of_onset, trend and (sometimes) hours_since_exposure inside a when's windows."""

    def lo(bounds, default=0):
        return bounds.min if bounds and bounds.min is not None else default

    def hi(bounds, default):
        return bounds.max if bounds and bounds.max is not None else default

    ds, on, per, hrs = when.days_since_treatment, when.day_of_onset, when.days_persisting, when.hours_since_exposure
    ds_lo = max(lo(ds), lo(on) + lo(per))
    ds_hi = min(hi(ds, 365), hi(on, 365) + hi(per, 365))
    hours = draw(st.one_of(st.none(), st.integers(0, 8760)))
    if hrs is not None:
        # Either record hours inside the window, or leave them out and put the treatment day inside it.
        day_lo, day_hi = -(-lo(hrs) // 24), hi(hrs, 8760) // 24
        by_days = max(ds_lo, day_lo) <= min(ds_hi, day_hi) and draw(st.booleans())
        if by_days:
            hours, ds_lo, ds_hi = None, max(ds_lo, day_lo), min(ds_hi, day_hi)
        else:
            hours = draw(st.integers(lo(hrs), hi(hrs, 8760)))
    assert ds_lo <= ds_hi, f"no day fits {when}"
    days = draw(st.integers(ds_lo, ds_hi))
    onset_lo = max(lo(on), days - hi(per, days))
    onset_hi = min(hi(on, days), days - lo(per), days)
    onset = draw(st.integers(onset_lo, onset_hi))
    trend = draw(st.sampled_from(when.trend or ["improving", "stable", "worsening"]))
    return {"day_of_onset": onset, "days_since_treatment": days, "trend": trend, "hours_since_exposure": hours}


def with_added(findings: dict, added: dict[str, list[str]]) -> dict:
    out = dict(findings)
    for group, ids in added.items():
        out[group] = sorted(set(out.get(group, [])) | set(ids))
    return out


def as_form(data: dict) -> dict:
    """Validated and in the shared plain form (sorted lists; hours null when not recorded)."""
    return findings_as_dict(Findings.model_validate(data))


@st.composite
def calm_forms(draw) -> dict:
    """Forms the course teaches as calm: settling healing, a settling flare at the usual sites, quiet milia."""
    kind = draw(st.sampled_from(["healing", "flare", "milia"]))
    trend = draw(st.sampled_from(["improving", "stable"]))
    if kind == "healing":
        days = draw(st.integers(0, 7))
        lesions = draw(st.lists(st.sampled_from(["erythema", "oedema", "pinpoint_crusts", "flaking"]), unique=True))
        data = {
            "day_of_onset": 0,
            "days_since_treatment": days,
            "trend": trend,
            "lesions": lesions,
            "distribution": draw(st.lists(st.sampled_from(["treated_area", "periocular", "perioral"]), unique=True)),
        }
    elif kind == "flare":
        days = draw(st.integers(1, 13))
        lesions = draw(st.lists(st.sampled_from(["comedones", "papules", "pustules"]), min_size=1, unique=True))
        data = {
            "day_of_onset": draw(st.integers(0, days)),
            "days_since_treatment": days,
            "trend": trend,
            "lesions": lesions,
            "distribution": ["usual_acne_sites"],
            "history": draw(st.lists(st.sampled_from(["acne_prone", "occlusive_product"]), min_size=1, unique=True)),
        }
    else:
        days = draw(st.integers(7, 120))
        data = {
            "day_of_onset": draw(st.integers(0, days)),
            "days_since_treatment": days,
            "trend": trend,
            "lesions": ["white_papules"],
        }
    data["history"] = sorted(
        set(data.get("history", [])) | set(draw(st.lists(st.sampled_from(["darker_skin", "acne_prone"]), unique=True)))
    )
    return as_form(data)


# --- Explanations -----------------------------------------------------------------------------------------------


def _names(when: When, ident: tuple[str, str], *, excluded: bool = False) -> bool:
    if excluded:
        return bool(when.none_of) and ident in when.none_of.identifiers()
    sets = ([when.all_of] if when.all_of else []) + list(when.any_of)
    return any(ident in s.identifiers() for s in sets)


def explains_raise(rules: Rules, base: dict, with_: dict, ident: tuple[str, str]) -> str | None:
    """The id of a rule that says why adding ``ident`` raised a calm form, or None."""
    before, after = triage(base, rules), triage(with_, rules)
    by_id = {r.id: r for r in [*rules.category_rules, *rules.red_flags]}
    for rule_id in after.fired:
        rule = by_id.get(rule_id)
        if rule is not None and rule.action == after.action and _names(rule.when, ident):
            return rule_id
    calm_rule = by_id.get(before.fired[0])
    if calm_rule is not None and _names(calm_rule.when, ident, excluded=True):
        return calm_rule.id
    return None


# --- Generation ---------------------------------------------------------------------------------------------------

_BASE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def generate(rules: Rules | None = None) -> list[dict]:
    rules = rules or load_rules()
    vectors: list[dict] = []
    for flag, trigger in triggers(rules):
        found: list[dict] = []

        @settings(_BASE, max_examples=EXAMPLES_PER_TRIGGER)
        @given(identifier_sets(), timing_within(flag.when))
        def collect(ids, timing):
            found.append((as_form({**timing, **ids}), as_form(with_added({**timing, **ids}, trigger))))  # noqa: B023 (runs at once, in this iteration)

        collect()
        # And the densest form: every other identifier recorded, so any finding that could switch the flag off
        # is present (the timing of the first example, which hypothesis draws as the simplest in the window).
        timing = {k: found[0][1][k] for k in ("day_of_onset", "days_since_treatment", "trend", "hours_since_exposure")}
        everything = {g: sorted(set(IDS[g]) - set(trigger.get(g, []))) for g in GROUPS}
        found.append((as_form({**timing, **everything}), as_form(with_added({**timing, **everything}, trigger))))
        label = "+".join(f"{g}.{i}" for g, ids in trigger.items() for i in ids)
        for n, (base, with_) in enumerate(found):
            vectors.append(
                {
                    "id": f"flag:{flag.id}:{label}:{n}",
                    "property": "red_flag_raises",
                    "rule": flag.id,
                    "floor": flag.action,
                    "added": trigger,
                    "base": base,
                    "with": with_,
                }
            )
    for group, ids in BENIGN.items():
        for ident in ids:
            found = []

            @settings(_BASE, max_examples=EXAMPLES_PER_BENIGN)
            @given(calm_forms())
            def collect_calm(base):
                assume(triage(base, rules).action == "monitor")
                found.append((base, as_form(with_added(base, {group: [ident]}))))  # noqa: B023 (runs at once, in this iteration)

            collect_calm()
            for n, (base, with_) in enumerate(found):
                vectors.append(
                    {
                        "id": f"benign:{group}.{ident}:{n}",
                        "property": "benign_keeps_calm",
                        "added": {group: [ident]},
                        "base": base,
                        "with": with_,
                    }
                )
    return vectors


def dump(vectors: list[dict]) -> str:
    return json.dumps(vectors, indent=None, separators=(",", ":"), sort_keys=True).replace('},{"', '},\n{"') + "\n"


def load() -> list[dict]:
    return json.loads(VECTOR_FILE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    vectors = generate()
    VECTOR_FILE.write_text(dump(vectors), encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {VECTOR_FILE}")
