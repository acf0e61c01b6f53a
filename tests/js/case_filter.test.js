/* case_filter.js: the count line is Python's (tests/vectors/case_filter.json, from skintriage.casesite), and
 * filters keep exactly the cases that match every chosen one:
 *   node --test tests/js/case_filter.test.js */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const filter = require(path.join(ROOT, "src", "skintriage", "static", "core", "case_filter.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "vectors", "case_filter.json"), "utf-8"));

test("the count line is word for word Python's shown_text", () => {
  for (const { count, filtering, text } of vectors.shown) assert.equal(filter.shownText(count, filtering), text);
});

test("a case shows when it matches every chosen filter; an empty choice means any", () => {
  const cases = [
    { category: "bacterial_infection", difficulty: "foundation", skin: "II" },
    { category: "bacterial_infection", difficulty: "advanced", skin: "V" },
    { category: "herpes_simplex", difficulty: "foundation", skin: "V" },
  ];
  const shown = (filters) => cases.filter((c) => filter.matches(c, filter.chosen(filters)));
  assert.equal(shown({ category: "", difficulty: "", skin: "" }).length, 3);
  assert.deepEqual(shown({ category: "bacterial_infection", difficulty: "" }), cases.slice(0, 2));
  assert.deepEqual(shown({ category: "bacterial_infection", skin: "V" }), [cases[1]]);
  assert.deepEqual(shown({ difficulty: "intermediate" }), []);
  assert.deepEqual(filter.chosen({ a: "", b: "x" }), { b: "x" });
});
