/* progress_core.js: the stored course progress is kept only in the shape it is written, entry by entry, and
 * says the same about each page whatever else is stored (browser-only logic: no Python twin).
 *   node --test tests/js/progress_core.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const core = require(path.join(ROOT, "src", "skintriage", "static", "core", "progress_core.js"));

const DOCS = { "book/01": "chapter", "book/02": "chapter", "book/cases/infections": "cases" };
const OUTLINE = [
  { doc: "book/01", kind: "chapter", title: "One", href: "01.html" },
  { doc: "book/02", kind: "chapter", title: "Two", href: "02.html" },
  { doc: "book/cases/infections", kind: "cases", title: "Infections", href: "cases/infections.html" },
];
const GOOD = {
  version: 1,
  read: { "book/01": true },
  quizzes: { "case-a": { done: 4, total: 4 }, "case-b": { done: 1, total: 3 } },
  pages: { "book/cases/infections": ["case-a", "case-b"] },
  last: { doc: "book/02", anchor: "sec-x" },
};

test("a well-formed record is kept as it is", () => {
  assert.deepEqual(core.validate(GOOD, DOCS), GOOD);
  assert.deepEqual(core.parse(JSON.stringify(GOOD), DOCS), GOOD);
});

test("nothing stored, not JSON, another version or not an object: a fresh record", () => {
  for (const text of [null, "", "{not json", "5", "null", '"x"', "[]", JSON.stringify({ ...GOOD, version: 2 })]) {
    assert.deepEqual(core.parse(text, DOCS), core.fresh(), String(text));
  }
});

test("each malformed or unknown entry is dropped on its own", () => {
  const raw = {
    version: 1,
    read: { "book/01": true, "book/02": "yes", "book/cases/infections": true, "book/gone": true, constructor: true },
    quizzes: {
      "case-a": { done: 4, total: 4 },
      "case-over": { done: 5, total: 4 },
      "case-neg": { done: -1, total: 4 },
      "case-frac": { done: 1.5, total: 4 },
      '"><img src=x>': { done: 1, total: 1 },
      "case-null": null,
    },
    pages: { "book/cases/infections": ["case-a", 7], "book/01": ["case-a"], "book/gone": [] },
    last: { doc: "book/02", anchor: "<script>" },
  };
  const clean = core.validate(raw, DOCS);
  assert.deepEqual(clean.read, { "book/01": true });
  assert.deepEqual(clean.quizzes, { "case-a": { done: 4, total: 4 } });
  assert.deepEqual(clean.pages, {});
  assert.equal(clean.last, null);
  assert.equal(core.validate({ ...GOOD, last: { doc: "toString", anchor: "" } }, DOCS).last, null);
  assert.deepEqual(core.validate({ ...GOOD, last: { doc: "book/01", anchor: "" } }, DOCS).last,
    { doc: "book/01", anchor: "" });
});

test("what the record says about each page", () => {
  const state = core.validate(GOOD, DOCS);
  assert.equal(core.quizDone(state, "case-a"), true);
  assert.equal(core.quizDone(state, "case-b"), false);
  assert.equal(core.quizDone(state, "hasOwnProperty"), false);
  assert.deepEqual(core.casesProgress(state, "book/cases/infections"), { done: 1, total: 2 });
  assert.equal(core.casesProgress(core.fresh(), "book/cases/infections"), null);
  assert.deepEqual(OUTLINE.map((e) => core.pageDone(state, e)), [true, false, false]);
  assert.deepEqual(OUTLINE.map((e) => core.statusText(state, e)), ["read", "not read yet", "1 of 2 cases done"]);
  assert.equal(core.statusText(core.fresh(), OUTLINE[2]), "not started");
  assert.equal(core.summaryText(state, OUTLINE),
    "1 of 3 parts done (chapters read and case pages completed), kept in this browser only.");
});

test("a quiz's progress report is taken only when well formed, done capped at total", () => {
  assert.deepEqual(core.quizReport({ quiz: "case-a", done: 9, total: 4 }), { quiz: "case-a", done: 4, total: 4 });
  for (const bad of [undefined, {}, { quiz: "a b", done: 1, total: 1 }, { quiz: "case-a", done: "1", total: 1 },
    { quiz: "case-a", done: 1, total: 1001 }]) {
    assert.equal(core.quizReport(bad), null, JSON.stringify(bad));
  }
});
