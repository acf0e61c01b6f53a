"""Principle-first triage rules: red flags only raise, calm stays calm.

* Structure: no red flag's ``when`` uses ``none_of`` (another finding would switch it off) unless the YAML says
  why in ``none_of_because``; every red flag states its ``principle``; the rules point to the chapter section
  that states the principles; every same-day or emergency category rule is backed by a red flag.
* Properties, on the seeded vectors of tests/property_vectors.py: in Python, under ``node --test`` with
  static/core/triage.js, and (tests/test_explorer_browser.py) in Chromium. All must agree on every vector.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from skintriage import course
from skintriage.bank.loader import BankError
from skintriage.bank.schema import Findings
from skintriage.rules import load_rules, rules_as_json, triage
from tests import property_vectors as pv
from tests.triage_vectors import build_vectors

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "telling_apart.md"


def shipped() -> dict:
    return yaml.safe_load(course.RULES_FILE.read_text(encoding="utf-8"))


def write_rules(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def full_result(findings: dict, rules=None) -> dict:
    result = triage(findings, rules)
    return {**result.as_dict(), "fired": result.fired}


# --- Structure ----------------------------------------------------------------------------------------------------


def test_no_red_flag_can_be_switched_off_by_another_finding():
    for flag in load_rules().red_flags:
        if flag.when.none_of is not None:
            assert flag.none_of_because and len(flag.none_of_because.split()) >= 8, (
                f"red flag {flag.id} uses none_of: say why in none_of_because, or remove it"
            )
    raw = shipped()["red_flags"]
    assert not [f["id"] for f in raw if "none_of" in f["when"]], "the course's red flags use no none_of at all"


def test_loader_refuses_a_red_flag_with_none_of_and_no_reason(tmp_path):
    data = shipped()
    flag = next(f for f in data["red_flags"] if f["id"] == "pustules-across-treated-area")
    flag["when"]["none_of"] = {"distribution": ["usual_acne_sites"]}
    index = data["red_flags"].index(flag)
    with pytest.raises(BankError) as caught:
        load_rules(write_rules(tmp_path, data))
    assert any(
        p.startswith(f"{tmp_path / 'rules.yaml'}: red_flags[{index}]: ") and "none_of" in p and "only raise" in p
        for p in caught.value.problems
    ), caught.value.problems
    flag["none_of_because"] = "A reason written here would be read by the test above and by reviewers."
    assert load_rules(write_rules(tmp_path, data)).red_flags[index].none_of_because


def test_every_red_flag_states_its_principle(tmp_path):
    for flag in load_rules().red_flags:
        assert len(flag.principle.split()) >= 8 and "_" not in flag.principle, flag.id
    data = shipped()
    del data["red_flags"][0]["principle"]
    with pytest.raises(BankError) as caught:
        load_rules(write_rules(tmp_path, data))
    assert any("red_flags[0].principle: missing field" in p for p in caught.value.problems), caught.value.problems


def test_rules_point_to_the_principles_section_in_chapter_7():
    label = load_rules().principles
    assert label == "sec-triage-principles"
    text = CHAPTER.read_text(encoding="utf-8")
    assert f"({label})=\n## Principles of this course's triage\n" in text
    section = text.split(f"({label})=")[1].split("\n## ")[1]
    assert re.findall(r"^\d+\. \*\*", section, flags=re.M), "the principles are a numbered list"
    for words in ("only raise", "never cancelled", "without blisters", "72 hours", "Calm stays calm"):
        assert words in section, words


def test_same_day_and_emergency_category_rules_are_backed_by_a_red_flag():
    """Otherwise adding a finding that moves the client to another category could lower the action."""
    rules = load_rules()
    flags = {f.id: f for f in rules.red_flags}
    forms = [v["findings"] for v in build_vectors()] + [v[k] for v in pv.load() for k in ("base", "with")]
    checked = set()
    for findings in forms:
        result = triage(findings, rules)
        rule = next((r for r in rules.category_rules if r.id == result.fired[0]), None)
        if rule is None or pv.rank(rule.action) <= pv.rank("review"):
            continue
        checked.add(rule.id)
        backing = [i for i in result.fired[1:] if pv.rank(flags[i].action) >= pv.rank(rule.action)]
        assert backing, f"category rule {rule.id} ({rule.action}) fired with no red flag behind it on {findings}"
    assert len(checked) >= 5


# --- The vectors ---------------------------------------------------------------------------------------------------


def test_vector_file_has_every_trigger_of_the_current_rules():
    """Not a byte comparison with a fresh run: hypothesis also draws constants from the local source code, so a
    fresh run changes whenever any module does. The file must hold exactly the current rules' triggers."""
    in_file = {
        (v["rule"], json.dumps(v["added"], sort_keys=True)) for v in pv.load() if v["property"] == "red_flag_raises"
    }
    current = {(flag.id, json.dumps(trigger, sort_keys=True)) for flag, trigger in pv.triggers(load_rules())}
    assert in_file == current, (
        f"the red flags changed (missing {sorted(current - in_file)[:5]}, stale {sorted(in_file - current)[:5]}): "
        "regenerate with `python -m tests.property_vectors`"
    )


def test_vectors_cover_every_red_flag_and_every_benign_finding():
    vectors = pv.load()
    assert {v["rule"] for v in vectors if v["property"] == "red_flag_raises"} == {f.id for f in load_rules().red_flags}
    benign = {(g, i) for g, ids in pv.BENIGN.items() for i in ids}
    assert {
        (g, ids[0]) for v in vectors if v["property"] == "benign_keeps_calm" for g, ids in v["added"].items()
    } == benign
    for v in vectors:
        assert Findings.model_validate(v["base"]) and Findings.model_validate(v["with"]), v["id"]


def check_vector(rules, v: dict) -> None:
    before, after = triage(v["base"], rules), triage(v["with"], rules)
    if v["property"] == "red_flag_raises":
        assert v["rule"] in after.fired, f"{v['id']}: the flag did not fire on its trigger"
        assert pv.rank(after.action) >= pv.rank(v["floor"]), f"{v['id']}: {after.action} is below {v['floor']}"
        assert pv.rank(after.action) >= pv.rank(before.action), (
            f"{v['id']}: adding the red flag lowered {before.action} to {after.action} ({before.fired} -> {after.fired})"
        )
    else:
        assert before.action == "monitor", f"{v['id']}: base is not calm"
        if after.action != "monitor":
            ((group, ids),) = v["added"].items()
            assert pv.explains_raise(rules, v["base"], v["with"], (group, ids[0])), (
                f"{v['id']}: adding {ids[0]} raised a calm form to {after.action} ({after.fired}) and no rule names it"
            )


def test_property_vectors_hold_in_python():
    rules = load_rules()
    for v in pv.load():
        check_vector(rules, v)


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed (the browser test covers triage.js)")
def test_property_vectors_agree_under_node_test(tmp_path):
    rules = load_rules()
    python = {
        v["id"]: {"base": full_result(v["base"], rules), "with": full_result(v["with"], rules)} for v in pv.load()
    }
    (tmp_path / "rules.json").write_text(rules_as_json(rules), encoding="utf-8")
    (tmp_path / "python.json").write_text(json.dumps(python), encoding="utf-8")
    done = subprocess.run(
        ["node", "--test", str(ROOT / "tests" / "js" / "property_vectors.test.js")],
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "SKT_RULES": str(tmp_path / "rules.json"),
            "SKT_PYTHON_RESULTS": str(tmp_path / "python.json"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# pass 2" in done.stdout and "# fail 0" in done.stdout, done.stdout[-2000:]


# --- Live hypothesis runs (bounded, seeded), beyond the fixed file ------------------------------------------------

TRIGGERS = pv.triggers(load_rules())


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(st.data())
def test_any_red_flag_added_to_any_form_never_lowers_the_action(data):
    flag, trigger = data.draw(st.sampled_from(TRIGGERS))
    ids = data.draw(pv.identifier_sets(max_size=6))
    timing = data.draw(pv.timing_within(flag.when))
    base = pv.as_form({**timing, **ids})
    check_vector(
        load_rules(),
        {
            "id": f"live:{flag.id}",
            "property": "red_flag_raises",
            "rule": flag.id,
            "floor": flag.action,
            "base": base,
            "with": pv.as_form(pv.with_added(base, trigger)),
        },
    )


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(st.data())
def test_any_benign_finding_keeps_a_calm_form_calm_unless_a_rule_says_why(data):
    base = data.draw(pv.calm_forms())
    rules = load_rules()
    if triage(base, rules).action != "monitor":
        return
    group = data.draw(st.sampled_from(sorted(pv.BENIGN)))
    ident = data.draw(st.sampled_from(pv.BENIGN[group]))
    check_vector(
        rules,
        {
            "id": f"live:{ident}",
            "property": "benign_keeps_calm",
            "added": {group: [ident]},
            "base": base,
            "with": pv.as_form(pv.with_added(base, {group: [ident]})),
        },
    )
