/* exam_core.js against Python (tests/vectors/exam_core.json, written by tests/js_vectors.py):
 *   node --test tests/js/exam_core.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const core = require(path.join(ROOT, "src", "skintriage", "static", "core", "exam_core.js"));
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

test("the per-topic tally has Python's numbers in Python's order", () => {
  const { questions, order, per_category } = vectors.per_category;
  assert.deepEqual(core.perCategory({ questions }, order), per_category);
});

test("every CSV cell is neutralised as Python's csv_safe (tests/vectors/csv_cells.json)", () => {
  const cells = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "csv_cells.json"), "utf-8")).vectors;
  assert.ok(cells.length >= 5);
  for (const { cell, written, why } of cells) assert.equal(core.csvSafe(cell), written, why);
});

const POOL = vectors.pool.map((q) => ({ ...q, options: ["a", "b", "c"], multiple: q.kind === "red_flags" }));
const BY_KEY = Object.fromEntries(POOL.map((q) => [q.key, q]));

test("a stored draft keeps what fits this bank and names what it drops", () => {
  const single = POOL.find((q) => !q.multiple).key;
  const multiple = POOL.find((q) => q.multiple).key;
  const warned = [];
  const draft = core.checkedDraft({
    version: 2, name: "Kay", seed: 42,
    answers: { [single]: ["a"], [multiple]: ["a", "c"], "case-1/nope": ["a"], [POOL[1].key]: ["z"], constructor: [] },
  }, BY_KEY, (what) => warned.push(what));
  assert.deepEqual(draft, { name: "Kay", seed: 42, answers: { [single]: ["a"], [multiple]: ["a", "c"] } });
  assert.equal(warned.length, 3);
  assert.deepEqual(core.draftRecord(draft), { version: 2, ...draft });
  assert.equal(core.checkedDraft({ ...core.draftRecord(draft), answers: { [single]: ["a", "b"] } }, BY_KEY)
    .answers[single], undefined, "two answers to a one-answer question");

  const bad = [];
  const partial = core.checkedDraft({ version: 2, name: 5, seed: -1, answers: [] }, BY_KEY, (what) => bad.push(what));
  assert.deepEqual(partial, { name: "", seed: null, answers: {} });
  assert.deepEqual(bad, ["name", "question set", "answers"]);
  assert.equal(core.checkedDraft(null, BY_KEY), null);
  for (const raw of [5, "x", [], { version: 3 }]) assert.equal(core.checkedDraft(raw, BY_KEY, () => {}), null);
  // The old single draft for everybody (version 1) is never read.
  assert.equal(core.checkedDraft({ version: 1, name: "Kay", seed: 42, answers: {} }, BY_KEY, () => {}), null);
});

test("a draft is one learner's: its key names the page, the bank version and the learner", () => {
  const fp = "1b30a4b2c4191a1b" + "f".repeat(48);
  const key = core.draftKey("site", fp, "Kay Board");
  assert.match(key, /^skintriage:kc-draft:v2:site:1b30a4b2c4191a1b:[0-9a-f]{8}$/);
  assert.equal(key, "skintriage:kc-draft:v2:site:1b30a4b2c4191a1b:" + key.slice(-8));
  assert.ok(!key.toLowerCase().includes("kay") && !key.toLowerCase().includes("board"), "no name in clear");
  // One learner however the name is typed; another learner, page or bank version is another key.
  for (const same of ["kay board", "  Kay   BOARD ", "Kay\u00a0Board", "\uff2bay Board"]) {
    assert.equal(core.draftKey("site", fp, same), key, JSON.stringify(same));
  }
  assert.equal(core.learnerKey("  Kay   BOARD "), "kay board");
  const others = [core.draftKey("site", fp, "Ann Archer"), core.draftKey("site", fp, "Kay Boards"),
    core.draftKey("scorm-1.2", fp, "Kay Board"), core.draftKey("site", "0".repeat(64), "Kay Board")];
  assert.equal(new Set([key, ...others]).size, 5);
  assert.deepEqual(core.LEGACY_DRAFT_KEYS, ["skintriage:kc-draft:v1"]);
  assert.ok(key.startsWith(core.DRAFT_PREFIX) && !core.LEGACY_DRAFT_KEYS.some((k) => key.startsWith(k)));
  // Pinned, so that a change of the hash (which would orphan every trainee's draft) is a decision.
  assert.equal(core.draftKey("site", "0".repeat(16), ""), "skintriage:kc-draft:v2:site:0000000000000000:811c9dc5");
});

test("a stored draft is given only to the learner whose name it holds", () => {
  const stored = { version: 2, name: "Ann Archer", seed: 7, answers: {} };
  assert.deepEqual(core.checkedDraft(stored, BY_KEY, () => {}, " ann  archer"), { name: "Ann Archer", seed: 7, answers: {} });
  for (const other of ["Ben Brook", "Ann", "", "   "]) {
    const warned = [];
    assert.equal(core.checkedDraft(stored, BY_KEY, (what) => warned.push(what), other), null, JSON.stringify(other));
    assert.deepEqual(warned, ["draft (another learner's)"]);
  }
  assert.equal(core.checkedDraft({ ...stored, name: 5 }, BY_KEY, () => {}, "Ann Archer"), null);
  assert.equal(core.checkedDraft({ ...stored, name: undefined }, BY_KEY, () => {}, "Ann Archer"), null);
});

test("a host's saved progress is taken whole only when it fits the drawn set", () => {
  const drawn = core.draw(POOL, 5, 7);
  const saved = { name: "Kay", seed: 7, n: 5, submitted: false, answers: drawn.map((q) => (q.multiple ? [0, 2] : [1])) };
  assert.equal(core.validProgress(saved, POOL, 5), true);
  assert.equal(core.validProgress({ ...saved, answers: saved.answers.map(() => []) }, POOL, 5), true);
  const broken = [
    null, {}, { ...saved, name: " " }, { ...saved, name: "x".repeat(201) }, { ...saved, seed: 1.5 },
    { ...saved, seed: 2 ** 32 }, { ...saved, n: 4 }, { ...saved, answers: saved.answers.slice(1) },
    { ...saved, answers: saved.answers.map(() => [3]) }, { ...saved, answers: saved.answers.map(() => ["0"]) },
  ];
  broken.forEach((bad, i) => assert.equal(core.validProgress(bad, POOL, 5), false, `case ${i}`));
  const single = drawn.findIndex((q) => !q.multiple);
  const twoForOne = saved.answers.map((chosen, i) => (i === single ? [0, 1] : chosen));
  assert.equal(core.validProgress({ ...saved, answers: twoForOne }, POOL, 5), false);
});
