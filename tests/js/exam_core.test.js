/* exam_core.js against Python (tests/vectors/exam_core.json, written by tests/js_vectors.py):
 *   node --test tests/js/exam_core.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const core = require(path.join(ROOT, "src", "skintriage", "static", "exam_core.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "exam_core.json"), "utf-8"));

test("mulberry32 gives Python's sequence for every seed", () => {
  for (const { seed, values } of vectors.mulberry32) {
    const random = core.mulberry32(seed);
    assert.deepEqual(values.map(() => random()), values, `seed ${seed}`);
  }
});

test("the seeded draw picks Python's questions in Python's order", () => {
  assert.ok(vectors.draws.length >= 20);
  for (const { seed, n, keys } of vectors.draws) {
    // the draw must not depend on the order the page lists its questions in
    const shuffled = vectors.pool.slice().reverse();
    assert.deepEqual(core.draw(shuffled, n, seed).map((q) => q.key), keys, `seed ${seed}, n ${n}`);
  }
});

test("percentages round half up to one decimal as Python's percent_of", () => {
  for (const { correct, total, percent } of vectors.percent_of) {
    assert.equal(core.percentOf(correct, total), percent, `${correct} of ${total}`);
  }
});

test("names become the same file-name part as Python's safe_name", () => {
  for (const { name, safe } of vectors.safe_name) {
    assert.equal(core.safeName(name), safe, JSON.stringify(name));
  }
});

test("a record's CSV is byte for byte Python's to_csv", () => {
  const { record, fields, csv } = vectors.record_csv;
  assert.equal(core.recordCsv(record, fields), csv);
});

test("buildRecord scores all-or-nothing and keeps the given time", () => {
  const drawn = [
    { key: "c/q1", case_id: "c", question_id: "q1", category: "x", kind: "k", section: "s", stem: "?", answer: ["a"] },
    { key: "c/q2", case_id: "c", question_id: "q2", category: "x", kind: "k", section: "s", stem: "?", answer: ["a", "b"] },
  ];
  const data = { format: "f", mode: "self-assessment", pass_mark: 80, bank_fingerprint: "0" };
  const record = core.buildRecord(data, drawn, { "c/q1": ["a"], "c/q2": ["a"] }, "Kay", 3, "2026-12-02T09:00:00+00:00");
  assert.equal(record.correct, 1);
  assert.equal(record.score_percent, 50);
  assert.equal(record.passed, false);
  assert.equal(record.submitted_at, "2026-12-02T09:00:00+00:00");
  assert.equal(core.fileStem(record), "knowledge-check_kay_20261202T090000");
});
