/* quiz_core.js against Python's QuizState (tests/vectors/quiz_state.json, written by tests/js_vectors.py):
 *   node --test tests/js/quiz_core.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const core = require(path.join(ROOT, "src", "skintriage", "static", "core", "quiz_core.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "quiz_state.json"), "utf-8"));

test("every check sequence gives Python's verdicts, options missed and score lines", () => {
  const answers = Object.fromEntries(vectors.questions.map((q) => [q.id, q.answer]));
  const multiple = Object.fromEntries(vectors.questions.map((q) => [q.id, q.multiple]));
  assert.ok(vectors.sequences.flat().some((step) => step.missed > 0));
  const ids = vectors.questions.map((q) => q.id);
  assert.ok(vectors.sequences.length >= 5);
  vectors.sequences.forEach((steps, s) => {
    const state = {};
    steps.forEach((step, i) => {
      const correct = core.check(state, step.question, answers[step.question], step.chosen);
      assert.equal(correct, step.correct, `sequence ${s}, step ${i}`);
      assert.equal(core.missed(answers[step.question], step.chosen, multiple[step.question]), step.missed,
        `sequence ${s}, step ${i}: options missed`);
      assert.equal(core.summary(state, ids), step.summary, `sequence ${s}, step ${i}`);
    });
  });
});

test("stored progress keeps what fits and drops the rest, entry by entry", () => {
  const hasOption = (q, o) => q === "q1" && ["a", "b"].includes(o);
  const warnings = [];
  const { state, discarded } = core.checkedState(
    { q1: { attempts: 2, firstTry: false, done: true, chosen: ["a"] }, q2: { attempts: "2" }, q9: { attempts: 1 } },
    ["q1", "q2"], hasOption, (message) => warnings.push(message));
  assert.deepEqual(Object.keys(state), ["q1"]);
  assert.equal(discarded, true);
  assert.equal(warnings.length, 2);
  for (const bad of [null, 5, "hello", true, []]) {
    assert.deepEqual(core.checkedState(bad, ["q1"], hasOption).state, {}, JSON.stringify(bad));
  }
  assert.deepEqual(core.checkedState({ q1: { attempts: 1, firstTry: "no" } }, ["q1"], hasOption).state, {});
});
