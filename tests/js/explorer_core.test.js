/* explorer_core.js against Python's skintriage.explorer (tests/vectors/explorer.json, written by
 * tests/js_vectors.py), and its checks of what a trainee types or a link carries:
 *   node --test tests/js/explorer_core.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const core = require(path.join(ROOT, "src", "skintriage", "static", "core", "explorer_core.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "explorer.json"), "utf-8"));
const known = {
  trends: vectors.known.trends,
  has: (group, id) => (vectors.known.findings[group] || []).includes(id),
};

test("a case's explorer link, as Python writes it, reads back as that case's findings", () => {
  assert.ok(vectors.forms.length >= 20);
  for (const { query, fields } of vectors.forms) {
    const read = core.readQuery(query, known);
    assert.deepEqual(read, { fields, ignored: [] }, query);
    assert.deepEqual(core.readQuery("?" + query, known), read, "a leading ? is the same query");
  }
});

test("blank means what Python's is_blank means", () => {
  assert.ok(vectors.forms.some((f) => f.blank) && vectors.forms.some((f) => !f.blank));
  for (const { findings, blank } of vectors.forms) assert.equal(core.isBlank(findings), blank, JSON.stringify(findings));
});

test("the announced line is word for word Python's summary_text", () => {
  for (const { result, summary } of vectors.results) assert.equal(core.summary(result, vectors.labels), summary);
});

test("a link's unknown or out-of-range parts are named and never used", () => {
  const read = core.readQuery(
    "days_since_treatment=400&day_of_onset=-1&trend=sideways&lesions=papules,<img>,&hours_since_exposure=8761&colour=red",
    known);
  assert.deepEqual(read.fields, { lesions: ["papules"] });
  assert.deepEqual(read.ignored,
    ["days_since_treatment=400", "day_of_onset=-1", "trend=sideways", "<img>", "hours_since_exposure=8761", "colour"]);
  assert.equal(core.readQuery("no-query-here", known), null);
  assert.equal(core.readQuery("a=" + "x".repeat(2000), known), null, "longer than any link the course writes");
  assert.deepEqual(core.readQuery("lesions=constructor,__proto__", known).fields, { lesions: [] });
});

test("typed numbers: whole days 0-365, hours blank or 0-8760", () => {
  assert.deepEqual(["0", " 7 ", "365", "366", "-1", "1.5", "", "1e2", "0x10"].map(core.wholeDays),
    [0, 7, 365, null, null, null, null, null, null]);
  assert.deepEqual(["", "  ", "0", "8760"].map(core.exposureHours), [null, null, 0, 8760]);
  for (const bad of ["8761", "-1", "2.5", "abc", "12345"]) assert.ok(Number.isNaN(core.exposureHours(bad)), bad);
});

test("the form's problems, in the order the trainee must fix them", () => {
  const ok = { days_since_treatment: 3, day_of_onset: 1, hours_since_exposure: null };
  assert.equal(core.problem(ok), null);
  assert.match(core.problem({ ...ok, day_of_onset: null }), /^Check the days: enter whole numbers/);
  assert.match(core.problem({ ...ok, hours_since_exposure: NaN }), /^Check the hours: .* 0 to 8760/);
  assert.match(core.problem({ ...ok, day_of_onset: 4 }), /^Check the days: the spots cannot begin after today/);
  assert.match(core.problem({ ...ok, day_of_onset: 4, hours_since_exposure: NaN }), /^Check the hours/);
});
