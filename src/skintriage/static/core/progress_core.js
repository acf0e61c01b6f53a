/* Course progress without the DOM: the stored record (versioned, checked entry by entry when read) and what
 * it says about each page of the course outline (sphinxext.course_outline). Browser-only, so no Python twin;
 * tests/js/progress_core.test.js checks it. In a page it is window.skintriageProgressCore; in Node, require() it.
 *
 * Record: {version: 1, read: {chapterDoc: true}, quizzes: {quizId: {done, total}}, pages: {casesDoc: [quizId]},
 *          last: {doc, anchor} or null}. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageProgressCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var STORE_KEY = "skintriage:progress:v1";
  var VERSION = 1;
  // Quiz ids and anchors: what the build writes, and nothing that could close a selector or an attribute.
  var NAME = /^[A-Za-z0-9_.:/-]{1,200}$/;

  function fresh() { return { version: VERSION, read: {}, quizzes: {}, pages: {}, last: null }; }

  function isCount(value) { return typeof value === "number" && value >= 0 && value <= 1000 && value % 1 === 0; }

  function isName(value) { return typeof value === "string" && NAME.test(value); }

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  /* Keep only well-formed entries about pages that exist in this edition of the course (docs: doc -> kind,
   * "chapter" or "cases"). Anything else, including a record of another version, gives a fresh one. */
  function validate(raw, docs) {
    var clean = fresh();
    if (!raw || typeof raw !== "object" || raw.version !== VERSION) return clean;
    if (raw.read && typeof raw.read === "object") {
      Object.keys(raw.read).forEach(function (doc) {
        if (own(docs, doc) && docs[doc] === "chapter" && raw.read[doc] === true) clean.read[doc] = true;
      });
    }
    if (raw.quizzes && typeof raw.quizzes === "object") {
      Object.keys(raw.quizzes).forEach(function (quiz) {
        var entry = raw.quizzes[quiz];
        if (isName(quiz) && entry && isCount(entry.done) && isCount(entry.total) && entry.done <= entry.total) {
          clean.quizzes[quiz] = { done: entry.done, total: entry.total };
        }
      });
    }
    if (raw.pages && typeof raw.pages === "object") {
      Object.keys(raw.pages).forEach(function (doc) {
        var quizzes = raw.pages[doc];
        if (own(docs, doc) && docs[doc] === "cases" && Array.isArray(quizzes) && quizzes.length <= 500 &&
            quizzes.every(isName)) {
          clean.pages[doc] = quizzes.slice();
        }
      });
    }
    var last = raw.last;
    if (last && typeof last === "object" && typeof last.doc === "string" && own(docs, last.doc) &&
        (last.anchor === "" || isName(last.anchor))) {
      clean.last = { doc: last.doc, anchor: last.anchor };
    }
    return clean;
  }

  /* The record in storage text (null when nothing is stored), or a fresh one when the text is not JSON. */
  function parse(text, docs) {
    try {
      return validate(text ? JSON.parse(text) : null, docs);
    } catch {
      return fresh(); // corrupt: start afresh rather than break the page
    }
  }

  /* A quiz's {done, total} as its page reports it: well-formed, done never above total; else null. */
  function quizReport(detail) {
    detail = detail || {};
    if (!isName(String(detail.quiz)) || !isCount(detail.done) || !isCount(detail.total)) return null;
    return { quiz: String(detail.quiz), done: Math.min(detail.done, detail.total), total: detail.total };
  }

  function quizDone(state, quiz) {
    var entry = own(state.quizzes, quiz) ? state.quizzes[quiz] : null;
    return !!entry && entry.total > 0 && entry.done === entry.total;
  }

  /* {done, total} for a case page, or null if it has never been opened in this browser. */
  function casesProgress(state, doc) {
    var quizzes = own(state.pages, doc) ? state.pages[doc] : null;
    if (!quizzes) return null;
    return { done: quizzes.filter(function (q) { return quizDone(state, q); }).length, total: quizzes.length };
  }

  function pageDone(state, entry) {
    if (entry.kind === "chapter") return own(state.read, entry.doc);
    var p = casesProgress(state, entry.doc);
    return !!p && p.total > 0 && p.done === p.total;
  }

  function statusText(state, entry) {
    if (entry.kind === "chapter") return own(state.read, entry.doc) ? "read" : "not read yet";
    var p = casesProgress(state, entry.doc);
    if (!p) return "not started";
    return p.done + " of " + p.total + " cases done";
  }

  function summaryText(state, outline) {
    var done = outline.filter(function (entry) { return pageDone(state, entry); }).length;
    return done + " of " + outline.length + " parts done (chapters read and case pages completed), kept in this " +
      "browser only.";
  }

  return {
    STORE_KEY: STORE_KEY, VERSION: VERSION, NAME: NAME, fresh: fresh, isCount: isCount, isName: isName,
    validate: validate, parse: parse, quizReport: quizReport, quizDone: quizDone, casesProgress: casesProgress,
    pageDone: pageDone, statusText: statusText, summaryText: summaryText
  };
});
