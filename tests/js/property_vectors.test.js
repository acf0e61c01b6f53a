/* The property vectors (tests/vectors/property_findings.json) through the browser evaluator, static/core/triage.js,
 * with Node's built-in test runner. tests/test_properties.py runs it:
 *
 *   SKT_RULES=rules.json SKT_PYTHON_RESULTS=python.json node --test tests/js/property_vectors.test.js
 *
 * SKT_RULES is skintriage.rules.rules_as_json(); SKT_PYTHON_RESULTS maps each vector id to Python's results for
 * its base and with forms. Every vector must give exactly Python's results, and the property must hold here too:
 * a red flag's trigger never lowers the action and reaches at least the flag's band; a benign finding keeps a
 * calm form at monitor unless a rule that names it says why. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const triage = require(path.join(ROOT, "src", "skintriage", "static", "core", "triage.js"));
const ORDER = triage.ACTION_ORDER;

function readEnvJson(name) {
  const file = process.env[name];
  if (!file) throw new Error(name + " is not set: run this file from tests/test_properties.py");
  return JSON.parse(fs.readFileSync(file, "utf-8"));
}

const rules = readEnvJson("SKT_RULES");
const python = readEnvJson("SKT_PYTHON_RESULTS");
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "property_findings.json"), "utf-8"));

function rank(action) { return ORDER.indexOf(action); }

function names(when, group, id, excluded) {
  const sets = excluded ? (when.none_of ? [when.none_of] : []) : (when.all_of ? [when.all_of] : []).concat(when.any_of || []);
  return sets.some((set) => (set[group] || []).indexOf(id) !== -1);
}

/* The id of a rule that says why adding (group, id) raised a calm form (as tests/property_vectors.py). */
function explainsRaise(before, after, group, id) {
  const byId = {};
  rules.category_rules.concat(rules.red_flags).forEach((rule) => { byId[rule.id] = rule; });
  for (const ruleId of after.fired) {
    const rule = byId[ruleId];
    if (rule && rule.action === after.action && names(rule.when || {}, group, id, false)) return ruleId;
  }
  const calm = byId[before.fired[0]];
  if (calm && names(calm.when || {}, group, id, true)) return calm.id;
  return null;
}

test("there are vectors for both properties", () => {
  assert.ok(vectors.filter((v) => v.property === "red_flag_raises").length >= rules.red_flags.length);
  assert.ok(vectors.some((v) => v.property === "benign_keeps_calm"));
  assert.equal(Object.keys(python).length, vectors.length);
});

test("triage.js gives Python's result on every vector, and the properties hold", () => {
  for (const v of vectors) {
    const before = triage.evaluate(rules, v.base);
    const after = triage.evaluate(rules, v.with);
    assert.deepEqual({ base: before, with: after }, python[v.id], v.id + ": triage.js and Python disagree");
    if (v.property === "red_flag_raises") {
      assert.ok(after.fired.indexOf(v.rule) !== -1, v.id + ": the flag did not fire on its own trigger");
      assert.ok(rank(after.action) >= rank(v.floor), v.id + ": below the flag's band (" + after.action + ")");
      assert.ok(rank(after.action) >= rank(before.action), v.id + ": adding a red flag lowered the action");
    } else {
      assert.equal(before.action, "monitor", v.id + ": the base form is not calm");
      if (after.action !== "monitor") {
        const group = Object.keys(v.added)[0];
        assert.ok(explainsRaise(before, after, group, v.added[group][0]),
          v.id + ": a benign finding raised a calm form to " + after.action + " and no rule names it");
      }
    }
  }
});
