"""Four false-reassurance paths found in a clinical review, each reproduced as the staff would record it, and the
calm pictures that must stay calm (a rule set that sends every client to a prescriber is useless to a clinic).

The expected bands restate the course's teaching (chapters 3, 5 and 7; CDC nPEP 2025 for the 72-hour window);
they are written here by hand, not read from the rules file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from skintriage.bank.schema import ACTION_ORDER
from skintriage.rules import load_rules, parse_findings, triage

ROOT = Path(__file__).resolve().parents[1]


def rank(action: str) -> int:
    return ACTION_ORDER.index(action)


def cli(findings: dict) -> dict:
    """What `skintriage triage` prints for these findings (the path the issue reproduced the gaps with)."""
    done = subprocess.run(
        [sys.executable, "-m", "skintriage", "triage"],
        input=json.dumps(findings),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


# --- Item 1: bloodborne exposure from reused single-use equipment -----------------------------------------------

HEALING_DAY_1 = {
    "day_of_onset": 0,
    "days_since_treatment": 1,
    "trend": "improving",
    "lesions": ["erythema", "pinpoint_crusts"],
    "history": ["reused_equipment"],
}


@pytest.mark.parametrize("days", [0, 1, 2, 3])
def test_reused_equipment_within_72_hours_is_an_emergency(days):
    """Seen on day 0-3 with no exposure time recorded: the exposure may be under 72 h old, so PEP is still
    possible (CDC nPEP 2025: as soon as possible, no later than 72 h): urgent care now."""
    findings = {**HEALING_DAY_1, "days_since_treatment": days}
    assert cli(findings)["action"] == "emergency"


@pytest.mark.parametrize("hours", [0, 5, 24, 72])
def test_recorded_exposure_within_72_hours_is_an_emergency(hours):
    findings = {
        **HEALING_DAY_1,
        "days_since_treatment": 20,
        "day_of_onset": 0,
        "hours_since_exposure": hours,
        "lesions": [],
    }
    result = triage(findings)
    assert result.action == "emergency", result.fired


@pytest.mark.parametrize("hours, expected", [(73, "same_day"), (168, "same_day"), (169, "review"), (2000, "review")])
def test_later_exposure_still_needs_prompt_testing(hours, expected):
    """After 72 h HIV PEP is no longer started, but hepatitis B protection may still help within about a week of
    a needle exposure (same day); later, testing is still arranged promptly (review within days)."""
    findings = {**HEALING_DAY_1, "days_since_treatment": 1, "hours_since_exposure": hours}
    assert triage(findings).action == expected


def test_recorded_exposure_time_wins_over_the_days_since_treatment():
    """Equipment reused at an earlier visit, found out today: the recorded hours decide, not today's day count."""
    findings = {**HEALING_DAY_1, "days_since_treatment": 30, "hours_since_exposure": 30}
    assert triage(findings).action == "emergency"


def test_old_forms_without_the_exposure_time_still_validate():
    f = parse_findings({"day_of_onset": 0, "days_since_treatment": 2, "trend": "stable"})
    assert f.hours_since_exposure is None


@pytest.mark.parametrize(
    "bad, words",
    [(-1, "greater than or equal to 0"), (9000, "less than or equal to 8760"), ("12", "expected a whole number")],
)
def test_a_bad_exposure_time_is_a_clear_error(bad, words):
    from skintriage.bank.loader import BankError

    with pytest.raises(BankError) as caught:
        parse_findings({**HEALING_DAY_1, "hours_since_exposure": bad})
    assert any(p.startswith("<stdin>: hours_since_exposure: ") and words in p for p in caught.value.problems), (
        caught.value.problems
    )


# --- Item 2: herpes simplex without blisters ---------------------------------------------------------------------


@pytest.mark.parametrize("symptom", ["tingling", "burning", "pain_out_of_proportion"])
@pytest.mark.parametrize("site", ["treated_area", "perioral", "usual_acne_sites"])
def test_spots_with_tingling_burning_or_disproportionate_pain_reach_a_prescriber_today(symptom, site):
    """Pimple-like spots with nerve-type symptoms in the first two weeks, no known cold sores, any site."""
    findings = {
        "day_of_onset": 3,
        "days_since_treatment": 4,
        "trend": "stable",
        "lesions": ["papules"],
        "distribution": [site],
        "symptoms": [symptom],
        "history": ["acne_prone"],
    }
    assert rank(cli(findings)["action"]) >= rank("same_day")


def test_pain_out_of_proportion_is_urgent_care_now():
    """Pain far worse than what is seen can be the first sign of a deep, fast-spreading infection."""
    findings = {
        "day_of_onset": 1,
        "days_since_treatment": 2,
        "trend": "stable",
        "lesions": ["erythema"],
        "symptoms": ["pain_out_of_proportion"],
    }
    assert triage(findings).action == "emergency"


# --- Item 3: infection signs are not switched off by an acne site -------------------------------------------------


@pytest.mark.parametrize("trend", ["improving", "stable", "worsening"])
def test_pustules_across_the_treated_area_stay_same_day_when_acne_sites_are_ticked_too(trend):
    findings = {
        "day_of_onset": 3,
        "days_since_treatment": 5,
        "trend": trend,
        "lesions": ["pustules"],
        "distribution": ["treated_area", "usual_acne_sites"],
        "history": ["acne_prone"],
    }
    assert cli(findings)["action"] == "same_day"


# --- Item 4: inflamed "milia" are not milia ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [{"lesions": ["erythema"]}, {"symptoms": ["tenderness"]}, {"trend": "worsening"}],
    ids=["red", "tender", "worsening"],
)
def test_white_bumps_that_are_red_sore_or_worse_are_not_milia_to_monitor(extra):
    findings = {"day_of_onset": 10, "days_since_treatment": 16, "trend": "stable", "lesions": ["white_papules"]}
    for key, value in extra.items():
        findings[key] = findings.get(key, []) + value if isinstance(value, list) else value
    result = cli(findings)
    assert rank(result["action"]) >= rank("review"), result
    assert result["category"] != "milia", result


# --- Specificity: the calm pictures stay calm ----------------------------------------------------------------------

CALM = [
    (
        "settling expected healing, day 3",
        {
            "day_of_onset": 0,
            "days_since_treatment": 3,
            "trend": "improving",
            "lesions": ["erythema", "oedema", "pinpoint_crusts"],
            "distribution": ["treated_area"],
            "symptoms": ["tenderness"],
        },
        "expected_healing",
    ),
    (
        "expected healing with flaking on day 6, darker skin",
        {
            "day_of_onset": 0,
            "days_since_treatment": 6,
            "trend": "improving",
            "lesions": ["erythema", "flaking"],
            "distribution": ["treated_area"],
            "history": ["darker_skin"],
        },
        "expected_healing",
    ),
    (
        "settling acne flare at the usual sites",
        {
            "day_of_onset": 3,
            "days_since_treatment": 6,
            "trend": "improving",
            "lesions": ["comedones", "papules", "pustules"],
            "distribution": ["usual_acne_sites"],
            "history": ["acne_prone"],
        },
        "acneiform_flare",
    ),
    (
        "stable acne flare after a heavy balm",
        {
            "day_of_onset": 4,
            "days_since_treatment": 7,
            "trend": "stable",
            "lesions": ["comedones", "papules"],
            "distribution": ["usual_acne_sites"],
            "history": ["occlusive_product"],
        },
        "acneiform_flare",
    ),
    (
        "quiet milia, week 3",
        {"day_of_onset": 10, "days_since_treatment": 21, "trend": "stable", "lesions": ["white_papules"]},
        "milia",
    ),
    (
        "quiet milia weeks later",
        {
            "day_of_onset": 21,
            "days_since_treatment": 42,
            "trend": "stable",
            "lesions": ["white_papules"],
            "distribution": ["treated_area"],
        },
        "milia",
    ),
]


@pytest.mark.parametrize("name, findings, category", CALM, ids=[c[0] for c in CALM])
def test_calm_pictures_stay_calm(name, findings, category):
    result = triage(findings, load_rules())
    assert (result.category, result.action) == (category, "monitor"), result.fired
