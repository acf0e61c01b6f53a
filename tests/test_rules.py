"""The triage rules: validation errors name file and field, red flags always lift the action, the CLI works.

The safety tests do not read the rules file to decide what is right: they restate section 3 of
the course's evidence brief (as the course teaches it) as plain Python, and check the rules against it
on thousands of seeded random findings.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import get_args

import pytest
import yaml

from skintriage import course
from skintriage.bank.loader import BankError, parse_case, read_yaml
from skintriage.bank.schema import ACTION_ORDER, Category, Findings, History, Lesion, Site, Symptom
from skintriage.explorer import (
    CATEGORY_NO_PATTERN,
    CATEGORY_OUTRANKED,
    DEFAULT_FINDINGS,
    Explorer,
    category_text,
    result_html,
    summary_text,
)
from skintriage.rules import (
    GROUPS,
    Rules,
    load_rules,
    parse_findings,
    parse_findings_json,
    rules_as_json,
    rules_json_for_html,
    triage,
)
from skintriage.vocab import ACTIONS as ACTION_LABELS
from skintriage.vocab import CATEGORIES as CATEGORY_LABELS
from skintriage.vocab import FINDING_LABELS
from tests.triage_vectors import EDGE_FILE, build_vectors, case_files, edge_cases

ROOT = Path(__file__).resolve().parents[1]
IDS = {
    "lesions": get_args(Lesion),
    "distribution": get_args(Site),
    "symptoms": get_args(Symptom),
    "history": get_args(History),
}


def rank(action: str) -> int:
    return ACTION_ORDER.index(action)


def shipped() -> dict:
    return yaml.safe_load(course.RULES_FILE.read_text(encoding="utf-8"))


def write_rules(tmp_path: Path, data) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def problems_for(tmp_path: Path, data) -> list[str]:
    path = write_rules(tmp_path, data)
    with pytest.raises(BankError) as caught:
        load_rules(path)
    return caught.value.problems


# --- The shipped rules ---------------------------------------------------------------------------------------


def test_shipped_rules_load_and_say_they_are_a_training_aid():
    rules = load_rules()
    assert "training aid" in rules.disclaimer and "not a diagnostic device" in rules.disclaimer
    assert rules.edition
    assert {r.category for r in rules.category_rules} | {rules.default.category} == {c.value for c in Category}


def test_every_rule_has_a_readable_reason():
    rules = load_rules()
    for rule in [*rules.category_rules, rules.default, *rules.red_flags]:
        assert len(rule.reason.split()) >= 6, f"{rule.id}: the reason should be a sentence a trainee can read"
        assert "_" not in rule.reason, f"{rule.id}: the reason shows an identifier instead of words"


def test_rules_json_round_trips_and_is_safe_in_a_script_element():
    rules = load_rules()
    assert Rules.model_validate(json.loads(rules_as_json(rules))) == rules
    embedded = rules_json_for_html(rules)
    assert not set("<>&") & set(embedded)
    assert json.loads(embedded) == json.loads(rules_as_json(rules))


def test_hostile_reason_cannot_break_out_of_the_script_element(tmp_path):
    data = shipped()
    data["category_rules"][0]["reason"] = "</script><script>alert(1)</script> & more"
    rules = load_rules(write_rules(tmp_path, data))
    assert "</script>" not in rules_json_for_html(rules)
    html = Explorer(rules).to_html()
    assert html.count("</script>") == 2  # only the two JSON elements' own closing tags
    result = triage({"day_of_onset": 1, "days_since_treatment": 2, "trend": "stable", "lesions": ["vesicles"]}, rules)
    assert "&lt;/script&gt;" in result_html(result) and "<script>" not in result_html(result)


# --- Validation errors name the file and the field ------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, field, words",
    [
        (
            lambda d: d["category_rules"][0]["when"]["any_of"][0].update(lesions=["vesicles", "blisters"]),
            "category_rules[0].when.any_of[0].lesions[1]",
            "got 'blisters'",
        ),
        (
            lambda d: d["red_flags"][0]["when"]["any_of"][0].update(symptoms=["eye_pain"]),
            "red_flags[0].when.any_of[0].symptoms[0]",
            "got 'eye_pain'",
        ),
        (
            lambda d: d["category_rules"][1]["when"]["all_of"].update(sites=["perioral"]),
            "category_rules[1].when.all_of.sites",
            "unknown field",
        ),
        (
            lambda d: d["category_rules"][0]["when"].update(trend=["better"]),
            "category_rules[0].when.trend[0]",
            "got 'better'",
        ),
        (lambda d: d["category_rules"][0].update(category="herpes"), "category_rules[0].category", "herpes"),
        (lambda d: d["red_flags"][2].update(action="urgent"), "red_flags[2].action", "urgent"),
        (lambda d: d["red_flags"][1].pop("reason"), "red_flags[1].reason", "missing field"),
        (
            lambda d: d["category_rules"][2]["when"].update(day_of_onset={"min": 9, "max": 3}),
            "category_rules[2].when.day_of_onset",
            "min (9) is greater than max (3)",
        ),
        (
            lambda d: d["category_rules"][2]["when"].update(days_persisting={}),
            "category_rules[2].when.days_persisting",
            "give min, max or both",
        ),
        (
            lambda d: d["category_rules"][0]["when"].update(any_of=[{}]),
            "category_rules[0].when.any_of[0]",
            "lists no finding identifiers",
        ),
        (lambda d: d["default"].update(colour="green"), "default.colour", "unknown field"),
        (lambda d: d.pop("disclaimer"), "disclaimer", "missing field"),
        (lambda d: d["red_flags"][3].update(id=d["red_flags"][0]["id"]), "(top level)", "duplicate rule id"),
    ],
)
def test_a_bad_rules_file_names_file_and_field(tmp_path, edit, field, words):
    data = shipped()
    edit(data)
    problems = problems_for(tmp_path, data)
    path = tmp_path / "rules.yaml"
    assert any(p.startswith(f"{path}: {field}: ") and words in p for p in problems), problems


def test_yaml_syntax_error_gives_the_line(tmp_path):
    problems = problems_for(tmp_path, "edition: x\ncategory_rules: [\n  - id: a\n")
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'rules.yaml'}: line ")


def test_rules_file_that_is_not_a_mapping(tmp_path):
    assert problems_for(tmp_path, "- just\n- a list\n") == [
        f"{tmp_path / 'rules.yaml'}: (top level): expected a mapping of rules fields, found a list"
    ]


def test_a_category_with_no_rule_is_reported(tmp_path):
    data = shipped()
    data["category_rules"] = [r for r in data["category_rules"] if r["category"] != "milia"]
    assert f"{tmp_path / 'rules.yaml'}: category_rules: no rule gives category 'milia'" in problems_for(tmp_path, data)


def test_all_problems_are_reported_at_once(tmp_path):
    data = shipped()
    data["category_rules"][0]["when"]["any_of"][0]["lesions"] = ["blisters"]
    data["red_flags"][0]["action"] = "asap"
    assert len(problems_for(tmp_path, data)) == 2


# --- Safety: section 3 of the clinical evidence, restated independently ----------------------------------------

INFECTED_LOOKING = {"pustules", "honey_crusts", "weeping", "vesicles", "punched_out_erosions", "nodules"}
PERSISTING_LESIONS = {
    "erythema",
    "oedema",
    "pinpoint_crusts",
    "flaking",
    "papules",
    "pustules",
    "vesicles",
    "punched_out_erosions",
    "honey_crusts",
    "weeping",
    "nodules",
    "plaques",
    "scale",
}


def section_3_minimum(f: Findings) -> tuple[str, list[str]]:
    """The least action section 3 (as the course teaches it) allows for these findings, and why."""
    floor, why = "monitor", []

    def lift(action: str, because: str) -> None:
        nonlocal floor
        why.append(f"{because} -> {action}")
        if rank(action) > rank(floor):
            floor = action

    persisting = f.days_since_treatment - f.day_of_onset
    if "eye_symptoms" in f.symptoms:
        lift("emergency", "eye symptoms")
    if f.symptoms & {"fever", "unwell"}:
        lift("emergency", "fever or unwell")
    if "periocular" in f.distribution and f.lesions & {"vesicles", "punched_out_erosions"}:
        lift("emergency", "blisters near the eye")
    if "pain_worsening" in f.symptoms:
        lift("same_day", "pain getting worse")
    # The healing reaction failing to settle: redness that began in the first week and is worse after day 2.
    # (Redness around lumps that start weeks later is the late pattern: review, unless other flags fire.)
    if (
        f.trend == "worsening"
        and f.days_since_treatment >= 2
        and f.day_of_onset <= 7
        and f.lesions & {"erythema", "oedema"}
    ):
        lift("same_day", "redness or swelling worse after day 2")
    if "warmth" in f.symptoms:
        lift("same_day", "warmth")
    if "spreading_beyond_treated" in f.distribution:
        lift("same_day", "spreading")
    if "periocular" in f.distribution and (
        f.lesions & INFECTED_LOOKING or f.symptoms & {"drainage", "warmth", "pain_worsening"}
    ):
        lift("same_day", "infected-looking near the eye")
    if f.lesions & {"weeping", "honey_crusts"} or "drainage" in f.symptoms:
        lift("same_day", "pus, weeping or honey crusts")
    if f.lesions & {"vesicles", "punched_out_erosions"}:
        lift("same_day", "grouped blisters or punched-out erosions")
    if "tingling" in f.symptoms and "cold_sore_history" in f.history and "perioral" in f.distribution:
        lift("same_day", "tingling near the lip with cold sores")
    if persisting >= 14 and f.lesions & PERSISTING_LESIONS:
        lift("review", "persisting beyond two weeks")
    if f.day_of_onset >= 14 and f.lesions & {"papules", "pustules", "nodules", "plaques"}:
        lift("review", "appearing weeks after treatment")
    if "antibiotics_failed" in f.history:
        lift("review", "antibiotics failed")
    # Section 5 corrections.
    if "pain_out_of_proportion" in f.symptoms:
        lift("emergency", "pain out of proportion (possible necrotising infection)")
    if "reused_equipment" in f.history:
        hours = f.hours_since_exposure if f.hours_since_exposure is not None else 24 * f.days_since_treatment
        lift(
            "emergency" if hours <= 72 else "same_day" if hours <= 168 else "review",
            f"possible bloodborne exposure {hours} h ago",
        )
    if (
        f.days_since_treatment <= 14
        and f.lesions & {"papules", "pustules"}
        and f.symptoms & {"tingling", "burning", "pain_out_of_proportion"}
    ):
        lift("same_day", "spots with nerve-type symptoms in the first two weeks (herpes without blisters)")
    if f.days_since_treatment <= 14 and "pustules" in f.lesions and "treated_area" in f.distribution:
        lift("same_day", "pus-filled spots across the treated area, whatever other sites are ticked")
    if "white_papules" in f.lesions and (
        "erythema" in f.lesions or f.trend == "worsening" or f.symptoms & {"tenderness", "pain_worsening", "warmth"}
    ):
        lift("review", "white bumps that are red, sore or worse are not milia")
    if f.lesions & {"hyperpigmentation", "linear_marks"}:
        lift("review", "new pigmentation or linear marks")
    return floor, why


def random_findings(rng: random.Random, density: float = 0.15) -> Findings:
    days = rng.choice([0, 1, 2, 3, 4, 5, 7, 8, 13, 14, 15, 20, 28, 45, 90, 365, rng.randint(0, 365)])
    onset = rng.choice([0, days, max(0, days - 14), rng.randint(0, days)])
    data = {
        "day_of_onset": min(onset, days),
        "days_since_treatment": days,
        "trend": rng.choice(["improving", "stable", "worsening"]),
        "hours_since_exposure": rng.choice([None, None, 0, 72, 73, 168, 169, rng.randint(0, 8760)]),
    }
    for group in GROUPS:
        data[group] = [i for i in IDS[group] if rng.random() < density]
    return Findings.model_validate(data)


def test_random_findings_never_fall_below_section_3():
    rng = random.Random(20260301)
    rules = load_rules()
    for _ in range(6000):
        f = random_findings(rng, density=rng.choice([0.05, 0.15, 0.3]))
        floor, why = section_3_minimum(f)
        result = triage(f, rules)
        assert rank(result.action) >= rank(floor), (
            f"{f.model_dump_json()}: rules give {result.action} ({result.fired}) but section 3 requires at least "
            f"{floor}: {why}"
        )
        assert result.reasons and all(r.strip() for r in result.reasons)


SINGLE_FLAGS = [
    ("eye_symptoms", {"symptoms": ["eye_symptoms"]}, "emergency"),
    ("fever", {"symptoms": ["fever"]}, "emergency"),
    ("unwell", {"symptoms": ["unwell"]}, "emergency"),
    ("blisters near the eye", {"lesions": ["vesicles"], "distribution": ["periocular"]}, "emergency"),
    ("pain worsening", {"symptoms": ["pain_worsening"]}, "same_day"),
    ("warmth", {"symptoms": ["warmth"]}, "same_day"),
    ("spreading", {"distribution": ["spreading_beyond_treated"]}, "same_day"),
    ("pustules near the eye", {"lesions": ["pustules"], "distribution": ["periocular"]}, "same_day"),
    ("drainage", {"symptoms": ["drainage"]}, "same_day"),
    ("weeping", {"lesions": ["weeping"]}, "same_day"),
    ("honey crusts", {"lesions": ["honey_crusts"]}, "same_day"),
    ("vesicles", {"lesions": ["vesicles"]}, "same_day"),
    ("punched-out erosions", {"lesions": ["punched_out_erosions"]}, "same_day"),
    (
        "tingling at the lip with cold sores",
        {"symptoms": ["tingling"], "history": ["cold_sore_history"], "distribution": ["perioral"]},
        "same_day",
    ),
    ("antibiotics failed", {"history": ["antibiotics_failed"]}, "review"),
    ("pain out of proportion", {"symptoms": ["pain_out_of_proportion"]}, "emergency"),
    ("reused equipment", {"history": ["reused_equipment"]}, "review"),
    ("hyperpigmentation", {"lesions": ["hyperpigmentation"]}, "review"),
    ("linear marks", {"lesions": ["linear_marks"]}, "review"),
]


@pytest.mark.parametrize("name, extra, minimum", SINGLE_FLAGS, ids=[s[0] for s in SINGLE_FLAGS])
def test_each_red_flag_lifts_the_action_whatever_else_is_present(name, extra, minimum):
    """Add the red flag to many random (often calm) findings: the action is always at least its level."""
    rng = random.Random(zlib.crc32(name.encode()))  # the same draw in every process
    rules = load_rules()
    for _ in range(400):
        base = random_findings(rng, density=rng.choice([0.0, 0.05, 0.2])).model_dump(mode="python")
        for group, ids in extra.items():
            base[group] = set(base[group]) | set(ids)
        f = Findings.model_validate(base)
        result = triage(f, rules)
        assert rank(result.action) >= rank(minimum), f"{name}: {f.model_dump_json()} gave {result.action}"


@pytest.mark.parametrize("days, expected", [(1, "monitor"), (2, "same_day"), (3, "same_day"), (10, "same_day")])
def test_redness_getting_worse_after_day_2_is_same_day(days, expected):
    f = {"day_of_onset": 0, "days_since_treatment": days, "trend": "worsening", "lesions": ["erythema", "oedema"]}
    assert triage(f).action == expected


@pytest.mark.parametrize("onset, days", [(0, 14), (3, 20), (14, 15), (30, 60)])
def test_persisting_or_late_lumps_need_at_least_review(onset, days):
    f = {"day_of_onset": onset, "days_since_treatment": days, "trend": "stable", "lesions": ["nodules"]}
    assert rank(triage(f).action) >= rank("review")


def test_fired_red_flags_are_all_in_the_reasons():
    rules = load_rules()
    f = Findings.model_validate(
        {
            "day_of_onset": 1,
            "days_since_treatment": 3,
            "trend": "worsening",
            "lesions": ["erythema", "honey_crusts"],
            "symptoms": ["warmth", "fever"],
        }
    )
    result = triage(f, rules)
    flags = {r.id: r.reason for r in rules.red_flags}
    for rule_id in ["systemically-unwell", "warmth", "pus-weeping-crusts", "redness-swelling-worsening"]:
        assert rule_id in result.fired and flags[rule_id] in result.reasons
    assert result.action == "emergency" and result.category == "bacterial_infection"
    assert result.as_dict() == {"category": result.category, "action": result.action, "reasons": result.reasons}


# --- Edge cases and vectors --------------------------------------------------------------------------------------


def test_edge_file_is_well_formed():
    edges = edge_cases()
    assert len(edges) >= 20
    ids = [e["id"] for e in edges]
    assert len(ids) == len(set(ids)), "duplicate edge case id"
    for edge in edges:
        assert set(edge) == {"id", "why", "findings", "category", "action"}, edge["id"]
        assert edge["category"] in CATEGORY_LABELS and edge["action"] in ACTION_ORDER, edge["id"]
        assert len(edge["why"].split()) >= 6, f"{edge['id']}: say why this is an edge case"


@pytest.mark.parametrize("edge", edge_cases(), ids=lambda e: e["id"])
def test_edge_case_gives_what_the_course_teaches(edge):
    result = triage(parse_findings(edge["findings"], source=str(EDGE_FILE)))
    assert (result.category, result.action) == (edge["category"], edge["action"]), (
        f"{EDGE_FILE}: {edge['id']} ({edge['why']}): rules give {result.category}/{result.action} via {result.fired}"
    )


def test_vectors_cover_every_case_and_at_least_20_edges():
    vectors = build_vectors()
    assert sum(v["id"].startswith("case:") for v in vectors) == len(case_files())
    assert sum(v["id"].startswith("edge:") for v in vectors) >= 20


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed (the browser test covers triage.js)")
def test_triage_js_agrees_with_python_under_node(tmp_path):
    """A quick check of triage.js without a browser; tests/test_explorer_browser.py repeats it in Chromium."""
    vectors = build_vectors()
    (tmp_path / "rules.json").write_text(rules_as_json())
    (tmp_path / "findings.json").write_text(json.dumps([v["findings"] for v in vectors]))
    script = (
        "const t = require(process.argv[1]); const fs = require('fs');"
        "const rules = JSON.parse(fs.readFileSync(process.argv[2]));"
        "const fs2 = JSON.parse(fs.readFileSync(process.argv[3]));"
        "process.stdout.write(JSON.stringify(fs2.map(f => t.evaluate(rules, f))));"
    )
    out = subprocess.run(
        [
            "node",
            "-e",
            script,
            str(course.STATIC_DIR / "core" / "triage.js"),
            str(tmp_path / "rules.json"),
            str(tmp_path / "findings.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for vector, js in zip(vectors, json.loads(out.stdout), strict=True):
        py = triage(vector["findings"])
        assert js == {**py.as_dict(), "fired": py.fired}, vector["id"]


# --- Findings from outside ---------------------------------------------------------------------------------------

GOOD = {"day_of_onset": 1, "days_since_treatment": 2, "trend": "stable", "lesions": ["erythema"]}


@pytest.mark.parametrize(
    "data, expected",
    [
        ({**GOOD, "lesions": ["spots"]}, "<stdin>: lesions[0]: Input should be"),
        (
            {**GOOD, "trend": "better"},
            "<stdin>: trend: Input should be 'improving', 'stable' or 'worsening' (got 'better')",
        ),
        ({**GOOD, "day_of_onset": "1"}, "<stdin>: day_of_onset: expected a whole number of days, got '1'"),
        ({**GOOD, "day_of_onset": 1.5}, "<stdin>: day_of_onset: expected a whole number of days, got 1.5"),
        ({**GOOD, "lesions": "erythema"}, "<stdin>: lesions: expected a list, got 'erythema'"),
        ({**GOOD, "day_of_onset": 5}, "<stdin>: day_of_onset: day_of_onset (5) is after days_since_treatment (2)"),
        ({**GOOD, "colour": "red"}, "<stdin>: colour: unknown field"),
        ({k: v for k, v in GOOD.items() if k != "trend"}, "<stdin>: trend: missing field"),
        (
            {**GOOD, "days_since_treatment": -1},
            "<stdin>: days_since_treatment: Input should be greater than or equal to 0",
        ),
        ([GOOD], "<stdin>: (top level): expected an object of findings, found a list"),
    ],
)
def test_bad_findings_give_a_clear_message(data, expected):
    with pytest.raises(BankError) as caught:
        parse_findings(data)
    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems


def test_bad_json_and_duplicate_keys():
    with pytest.raises(BankError) as caught:
        parse_findings_json('{"day_of_onset": 1,', "f.json")
    assert caught.value.problems[0].startswith("f.json: line 1, column ")
    with pytest.raises(BankError) as caught:
        parse_findings_json('{"trend": "stable", "trend": "worsening"}', "f.json")
    assert caught.value.problems == ["f.json: (top level): invalid JSON: duplicate key 'trend'"]


# --- Command line -------------------------------------------------------------------------------------------------


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "skintriage", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def run_cli_in_process(monkeypatch, capsys, stdin: str) -> tuple[int, str]:
    """The same command line, run in this process (a subprocess per case would cost a second each)."""
    from skintriage.cli import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main(["triage"])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("path", case_files(), ids=[p.stem for p in case_files()])
def test_cli_prints_each_cases_answer(path, monkeypatch, capsys):
    case = parse_case(path, read_yaml(path))
    code, out = run_cli_in_process(monkeypatch, capsys, case.findings.model_dump_json())
    assert code == 0
    printed = json.loads(out)
    assert list(printed) == ["category", "action", "reasons"]
    assert (printed["category"], printed["action"]) == (case.category, case.action), f"{path}: {printed}"
    assert printed["reasons"] == triage(case.findings).reasons


def test_cli_reads_a_file_argument(tmp_path):
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({**GOOD, "lesions": ["vesicles"], "distribution": ["perioral"]}))
    done = run_cli(str(path))
    assert done.returncode == 0 and json.loads(done.stdout)["action"] == "same_day"


@pytest.mark.parametrize(
    "stdin, expected",
    [
        (json.dumps({**GOOD, "lesions": ["spots"]}), "<stdin>: lesions[0]: Input should be"),
        (json.dumps({**GOOD, "day_of_onset": "1"}), "<stdin>: day_of_onset: expected a whole number of days, got '1'"),
        (
            json.dumps({**GOOD, "day_of_onset": 9}),
            "<stdin>: day_of_onset: day_of_onset (9) is after days_since_treatment (2)",
        ),
        ("{not json", "<stdin>: line 1, column 2: invalid JSON"),
        ("", "<stdin>: line 1, column 1: invalid JSON"),
    ],
)
def test_cli_rejects_bad_findings_with_exit_2(stdin, expected):
    done = run_cli(stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert any(line.startswith(expected) for line in done.stderr.splitlines()), done.stderr


def test_cli_missing_file_and_bad_rules_file(tmp_path):
    done = run_cli(str(tmp_path / "nope.json"))
    assert done.returncode == 2 and done.stderr.startswith(f"{tmp_path / 'nope.json'}: cannot read file")
    data = shipped()
    data["red_flags"][0]["when"]["any_of"][0]["symptoms"] = ["eye_pain"]
    rules = write_rules(tmp_path, data)
    done = run_cli("--rules", str(rules), stdin=json.dumps(GOOD))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{rules}: red_flags[0].when.any_of[0].symptoms[0]: Input should be")


# --- The explorer's static view ---------------------------------------------------------------------------------


def test_every_identifier_has_words_and_every_category_and_action_a_label():
    for group, ids in IDS.items():
        assert set(FINDING_LABELS[group]) == set(ids), group
        assert all("_" not in label for label in FINDING_LABELS[group].values())
    assert set(CATEGORY_LABELS) == {c.value for c in Category}
    assert set(ACTION_LABELS) == set(ACTION_ORDER)
    assert FINDING_LABELS["lesions"]["punched_out_erosions"].startswith("punched-out erosions")


def test_explorer_bundle_has_the_widget_and_static_html():
    bundle = Explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "Training aid, not a diagnostic device." in html
    assert 'aria-live="polite"' in html and 'class="skt-rules"' in html
    assert html.count('type="checkbox"') == sum(len(ids) for ids in IDS.values())
    assert 'name="day_of_onset"' in html and 'name="days_since_treatment"' in html and 'name="trend"' in html
    embedded = html.split('<script type="application/json" class="skt-rules">')[1].split("</script>")[0]
    assert json.loads(embedded) == json.loads(rules_as_json())


def test_explorer_prerenders_the_result_for_its_findings():
    f = {"day_of_onset": 1, "days_since_treatment": 2, "trend": "stable", "lesions": ["vesicles"]}
    explorer = Explorer(findings=f)
    html = explorer.to_html()
    result = triage(f)
    assert summary_text(result) in html and 'data-action="same_day"' in html
    assert 'value="vesicles" checked' in html


def test_the_category_shown_never_sits_beside_an_action_its_rule_does_not_give():
    """Calm day-2 redness plus fever is Emergency: the explorer must not still say "Expected healing reaction".
    Over every vector and property vector: a category is named only beside the action of a rule for it."""
    from tests import property_vectors

    rules = load_rules()
    gives = {(rule.category, rule.action) for rule in rules.category_rules}
    titles = {CATEGORY_LABELS[c]["title"]: c for c in CATEGORY_LABELS}
    forms = [v["findings"] for v in build_vectors()]
    forms += [f for v in property_vectors.load() for f in (v["base"], v["with"])]
    shown = hidden = 0
    for findings in forms:
        result = triage(findings, rules)
        text = category_text(result, rules)
        if text in titles:
            shown += 1
            assert (titles[text], result.action) in gives, (findings, text, result.action)
        else:
            hidden += 1
            assert text in (CATEGORY_OUTRANKED, CATEGORY_NO_PATTERN), text
    assert shown and hidden
    calm = triage(DEFAULT_FINDINGS | {"lesions": ["erythema"]}, rules)
    fever = triage(DEFAULT_FINDINGS | {"lesions": ["erythema"], "symptoms": ["fever"]}, rules)
    assert "Expected healing reaction" in summary_text(calm, rules)
    assert fever.action == "emergency" and fever.category == "expected_healing"
    assert "Expected healing" not in summary_text(fever, rules) + result_html(fever, rules)
    assert CATEGORY_OUTRANKED in summary_text(fever, rules)
    unmatched = triage(DEFAULT_FINDINGS | {"lesions": ["nodules"]}, rules)
    assert unmatched.fired == [rules.default.id] and CATEGORY_NO_PATTERN in result_html(unmatched, rules)


def test_explorer_static_view_has_the_optional_exposure_hours():
    html = Explorer().to_html()
    field = html.split('name="hours_since_exposure"')[1].split(">")[0]
    assert 'value=""' in field and "required" not in field and 'max="8760"' in field
    html = Explorer(findings={**GOOD, "history": ["reused_equipment"], "hours_since_exposure": 30}).to_html()
    assert 'value="30"' in html.split('name="hours_since_exposure"')[1].split(">")[0]
    assert 'data-action="emergency"' in html


def test_widget_records_the_exposure_hours():
    widget = Explorer(findings={**GOOD, "days_since_treatment": 20, "history": ["reused_equipment"]}).widget()
    assert "Amber" in widget.output.value  # no time recorded: counted from the treatment, 20 days ago
    widget.hours.value = "10"
    assert "Emergency: Urgent care now" in widget.output.value
    widget.hours.value = "soon"
    assert "Check the hours" in widget.output.value
    widget.hours.value = ""
    assert "Amber" in widget.output.value


def test_widget_updates_when_a_box_is_ticked():
    widget = Explorer().widget()
    assert "Nothing ticked yet" in widget.output.value and "Monitor" not in widget.output.value
    widget.boxes["lesions"]["erythema"].value = True
    assert "Green: Monitor" in widget.output.value
    widget.boxes["symptoms"]["eye_symptoms"].value = True
    assert "Emergency: Urgent care now" in widget.output.value
    widget.onset.value = 300
    assert "cannot begin after today" in widget.output.value


def test_reasons_agree_with_the_final_action_on_every_vector():
    """The first reason is a rule at the final action; no category rule below it gives (lower-band) advice;
    every fired red flag is still listed, most urgent first."""
    from tests.triage_vectors import build_vectors

    rules = load_rules()
    by_id = {r.id: r for r in [*rules.category_rules, rules.default, *rules.red_flags]}
    flags = {r.id for r in rules.red_flags}
    for vector in build_vectors():
        result = triage(vector["findings"], rules)
        actions = [by_id[i].action for i in result.fired]
        assert actions[0] == result.action, vector["id"]
        assert [rank(a) for a in actions] == sorted((rank(a) for a in actions), reverse=True), vector["id"]
        assert all(i in flags or by_id[i].action == result.action for i in result.fired), vector["id"]
        assert len(result.reasons) == len(result.fired)
