/* The knowledge check's pure logic, shared by the website's self-assessment and the SCORM package, and twin
 * of skintriage.exam.knowledge_check in Python: the seeded draw (mulberry32), scoring, the record, its CSV and
 * per-topic tally, file names; the key of a learner's stored draft and its check, and the check of a host's saved
 * progress. No DOM. tests/js/exam_core.test.js checks it against vectors Python writes
 * (tests/vectors/exam_core.json). In a page it is window.skintriageExamCore; in Node, require() it. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageExamCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // --- the seeded draw (mirror of knowledge_check.py) ------------------------------------------------------

  function mulberry32(seed) {
    var state = seed >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(random, items) {
    items = items.slice();
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  function draw(questions, n, seed) {
    var random = mulberry32(seed);
    var pool = questions.slice().sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    var order = shuffle(random, pool);
    n = Math.min(n, order.length);
    var chosen = [], taken = {}, usedCases = {}, openCategories = {}, openKinds = {};
    var openCount = 0;
    order.forEach(function (q) {
      if (!openCategories[q.category]) { openCategories[q.category] = true; openCount++; }
      if (!openKinds[q.kind]) { openKinds[q.kind] = true; openCount++; }
    });
    function take(q) {
      chosen.push(q);
      taken[q.key] = true;
      usedCases[q.case_id] = true;
      if (openCategories[q.category]) { openCategories[q.category] = false; openCount--; }
      if (openKinds[q.kind]) { openKinds[q.kind] = false; openCount--; }
    }
    while (openCount > 0 && chosen.length < n) {
      var best = null, bestScore = 0;
      order.forEach(function (q) {
        if (taken[q.key]) return;
        var covers = (openCategories[q.category] ? 1 : 0) + (openKinds[q.kind] ? 1 : 0);
        if (!covers) return;
        var score = covers * 2 + (usedCases[q.case_id] ? 0 : 1);
        if (score > bestScore) { best = q; bestScore = score; }
      });
      if (!best) break;
      take(best);
    }
    [true, false].forEach(function (freshCaseOnly) {
      order.forEach(function (q) {
        if (chosen.length >= n || taken[q.key] || (freshCaseOnly && usedCases[q.case_id])) return;
        take(q);
      });
    });
    return shuffle(random, chosen);
  }

  // --- records (mirror of knowledge_check.Record) ----------------------------------------------------------

  function percentOf(correct, total) {
    return total ? Math.floor((1000 * correct) / total + 0.5) / 10 : 0;
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function isoNow() {
    var d = new Date();
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) +
      ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(offset / 60)) + ":" +
      pad(offset % 60);
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) !== -1; });
  }

  function buildRecord(data, drawn, given, name, seed, submittedAt) {
    var results = drawn.map(function (q, index) {
      var answer = (given[q.key] || []).slice().sort();
      return {
        number: index + 1, case_id: q.case_id, question_id: q.question_id, category: q.category, kind: q.kind,
        section: q.section, stem: q.stem, answer_given: answer, correct_answer: q.answer.slice(),
        is_correct: sameSet(answer, q.answer)
      };
    });
    var correct = results.filter(function (r) { return r.is_correct; }).length;
    var percent = percentOf(correct, results.length);
    return {
      format: data.format, mode: data.mode, name: name, submitted_at: submittedAt || isoNow(), seed: seed,
      n_questions: results.length, pass_mark: data.pass_mark, bank_fingerprint: data.bank_fingerprint,
      correct: correct, total: results.length, score_percent: percent, passed: percent >= data.pass_mark,
      questions: results
    };
  }

  // A cell starting with =, +, -, @, tab or CR is a formula to a spreadsheet: prefix ' (as csv_safe in Python).
  function csvSafe(text) {
    return /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
  }

  function csvCell(value) {
    var text = csvSafe(typeof value === "boolean" ? (value ? "true" : "false") : String(value));
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function recordCsv(record, fields) {
    var lines = [fields.join(",")];
    record.questions.forEach(function (result) {
      var row = {};
      Object.keys(record).forEach(function (key) { if (key !== "questions") row[key] = record[key]; });
      Object.keys(result).forEach(function (key) { row[key] = result[key]; });
      row.answer_given = result.answer_given.join(";");
      row.correct_answer = result.correct_answer.join(";");
      lines.push(fields.map(function (field) { return csvCell(row[field]); }).join(","));
    });
    return lines.join("\n") + "\n";
  }

  // A name as a file-name part: letters and digits kept (whole code points, as Python's str.isalnum), anything
  // else "-", trimmed of "-", at most 40 code points (mirror of knowledge_check.safe_name).
  function safeName(name) {
    var safe = Array.from(name.trim().toLowerCase()).map(function (c) {
      return /^[\p{L}\p{N}]$/u.test(c) ? c : "-";
    }).join("").replace(/^-+|-+$/g, "");
    return Array.from(safe || "trainee").slice(0, 40).join("");
  }

  function fileStem(record) {
    var stamp = record.submitted_at.replace(/[:-]/g, "").slice(0, 15);
    return "knowledge-check_" + safeName(record.name) + "_" + stamp;
  }

  /* [{category, correct, total}] in the order of `order` (the schema's categories), then any other category
   * sorted: the twin of Record.per_category. */
  function perCategory(record, order) {
    var per = new Map();
    record.questions.forEach(function (r) {
      var counts = per.get(r.category) || [0, 0];
      counts[1] += 1;
      if (r.is_correct) counts[0] += 1;
      per.set(r.category, counts);
    });
    var known = order.filter(function (c) { return per.has(c); });
    var others = Array.from(per.keys()).filter(function (c) { return order.indexOf(c) === -1; }).sort();
    return known.concat(others).map(function (c) {
      return { category: c, correct: per.get(c)[0], total: per.get(c)[1] };
    });
  }

  // --- what the browser kept: checked before it is used -----------------------------------------------------

  var DRAFT_VERSION = 2;
  var SEED_MAX = 4294967295;
  // A draft is kept per page scope (the website: "site"), bank version and learner: one learner's answers in
  // progress are never offered to another learner on the same browser. Version 1 was one draft for everybody
  // under one key; knowledge_check.js removes it unread.
  var DRAFT_PREFIX = "skintriage:kc-draft:v2:";
  var LEGACY_DRAFT_KEYS = ["skintriage:kc-draft:v1"];

  function isSeed(value) { return Number.isInteger(value) && value >= 0 && value <= SEED_MAX; }

  /* Who a name stands for: "  Kay  BOARD " and "kay board" are one learner (NFKC, spacing, case ignored). */
  function learnerKey(name) {
    return String(name || "").normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
  }

  // FNV-1a over the UTF-16 code units, as 8 hex digits: the storage key names no learner in clear. Two names
  // with one hash cannot mix: the draft holds its learner's name and checkedDraft compares it.
  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return ("0000000" + hash.toString(16)).slice(-8);
  }

  /* The localStorage key of one learner's draft: scope (which page keeps it), the bank version, the learner. */
  function draftKey(scope, fingerprint, name) {
    return DRAFT_PREFIX + scope + ":" + String(fingerprint).slice(0, 16) + ":" + fnv1a(learnerKey(name));
  }

  /* A stored draft (parsed JSON), checked field by field against the questions (byKey: key -> {options,
   * multiple}): what fits is kept, each part that does not is named to warn(what) and dropped. null when there
   * is no draft, it is not one of this version, or it is not the draft of the learner called `name`. */
  function checkedDraft(raw, byKey, warn, name) {
    warn = warn || function () {};
    if (raw === null || raw === undefined) return null;
    if (typeof raw !== "object" || Array.isArray(raw) || raw.version !== DRAFT_VERSION) {
      warn("draft");
      return null;
    }
    var draft = { name: "", seed: null, answers: {} };
    if (typeof raw.name === "string" && raw.name.length <= 200) draft.name = raw.name;
    else if (raw.name !== undefined) warn("name");
    if (name !== undefined && (!learnerKey(name) || learnerKey(draft.name) !== learnerKey(name))) {
      warn("draft (another learner's)");
      return null;
    }
    if (isSeed(raw.seed)) draft.seed = raw.seed;
    else if (raw.seed !== undefined && raw.seed !== null) warn("question set");
    if (raw.answers && typeof raw.answers === "object" && !Array.isArray(raw.answers)) {
      Object.keys(raw.answers).forEach(function (key) {
        var chosen = raw.answers[key];
        var q = Object.prototype.hasOwnProperty.call(byKey, key) ? byKey[key] : null;
        if (q && Array.isArray(chosen) && chosen.every(function (id) { return q.options.indexOf(id) !== -1; }) &&
            (q.multiple || chosen.length <= 1)) {
          draft.answers[key] = chosen.slice();
        } else {
          warn("answer for " + JSON.stringify(key).slice(0, 80));
        }
      });
    } else if (raw.answers !== undefined) {
      warn("answers");
    }
    return draft;
  }

  /* A draft as stored: only the fields checkedDraft reads back. */
  function draftRecord(draft) {
    return { version: DRAFT_VERSION, name: draft.name, seed: draft.seed, answers: draft.answers };
  }

  /* Whether progress a host saved (the SCORM adapter: {name, seed, n, submitted, answers: [[option positions]]})
   * fits the set draw(questions, n, seed) gives; what does not fit is refused whole, never half-applied. */
  function validProgress(saved, questions, n) {
    if (!saved || typeof saved !== "object") return false;
    if (typeof saved.name !== "string" || !saved.name.trim() || saved.name.length > 200) return false;
    if (!isSeed(saved.seed)) return false;
    var drawn = draw(questions, n, saved.seed);
    if (saved.n !== drawn.length || !Array.isArray(saved.answers) || saved.answers.length !== drawn.length) return false;
    return saved.answers.every(function (chosen, i) {
      var count = drawn[i].options.length;
      return Array.isArray(chosen) && chosen.length <= (drawn[i].multiple ? count : 1) &&
        chosen.every(function (j) { return Number.isInteger(j) && j >= 0 && j < count; });
    });
  }

  return {
    mulberry32: mulberry32, shuffle: shuffle, draw: draw, percentOf: percentOf, sameSet: sameSet,
    buildRecord: buildRecord, csvSafe: csvSafe, csvCell: csvCell, recordCsv: recordCsv, safeName: safeName,
    fileStem: fileStem, perCategory: perCategory, isSeed: isSeed, learnerKey: learnerKey, draftKey: draftKey,
    DRAFT_PREFIX: DRAFT_PREFIX, LEGACY_DRAFT_KEYS: LEGACY_DRAFT_KEYS, checkedDraft: checkedDraft,
    draftRecord: draftRecord, validProgress: validProgress
  };
});
