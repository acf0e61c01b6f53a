/* Course progress, kept in this browser only: chapters marked as read, cases whose quiz is completed, and
 * where the trainee was last, for "Continue where you left off" on the start page.
 * The course outline (numbered chapters and case pages, in toc order) comes from the page itself
 * (sphinxext.course_outline). Stored data is versioned and checked entry by entry when read: anything
 * malformed or unknown is dropped, never trusted and never fatal. */
(function () {
  "use strict";
  var STORE_KEY = "skintriage:progress:v1";
  var VERSION = 1;
  var NAME = /^[A-Za-z0-9_.:\/-]{1,200}$/;

  function readOutline() {
    var node = document.getElementById("skt-course-outline");
    if (!node) return null;
    try {
      var data = JSON.parse(node.textContent);
      return data && Array.isArray(data.outline) ? data : null;
    } catch (error) {
      return null;
    }
  }

  function fresh() { return { version: VERSION, read: {}, quizzes: {}, pages: {}, last: null }; }

  function isCount(value) { return typeof value === "number" && value >= 0 && value <= 1000 && value % 1 === 0; }

  /* Keep only well-formed entries about pages that exist in this edition of the course. */
  function validate(raw, docs) {
    var clean = fresh();
    if (!raw || typeof raw !== "object" || raw.version !== VERSION) return clean;
    if (raw.read && typeof raw.read === "object") {
      Object.keys(raw.read).forEach(function (doc) {
        if (docs[doc] === "chapter" && raw.read[doc] === true) clean.read[doc] = true;
      });
    }
    if (raw.quizzes && typeof raw.quizzes === "object") {
      Object.keys(raw.quizzes).forEach(function (quiz) {
        var entry = raw.quizzes[quiz];
        if (NAME.test(quiz) && entry && isCount(entry.done) && isCount(entry.total) && entry.done <= entry.total) {
          clean.quizzes[quiz] = { done: entry.done, total: entry.total };
        }
      });
    }
    if (raw.pages && typeof raw.pages === "object") {
      Object.keys(raw.pages).forEach(function (doc) {
        var quizzes = raw.pages[doc];
        if (docs[doc] === "cases" && Array.isArray(quizzes) && quizzes.length <= 500 &&
            quizzes.every(function (q) { return typeof q === "string" && NAME.test(q); })) {
          clean.pages[doc] = quizzes.slice();
        }
      });
    }
    var last = raw.last;
    if (last && typeof last === "object" && docs[last.doc] &&
        (last.anchor === "" || (typeof last.anchor === "string" && NAME.test(last.anchor)))) {
      clean.last = { doc: last.doc, anchor: last.anchor };
    }
    return clean;
  }

  function load(docs, fallback) {
    var raw;
    try {
      raw = window.localStorage.getItem(STORE_KEY);
    } catch (error) {
      return fallback || fresh(); // storage blocked: keep what this visit knows
    }
    try {
      return validate(raw ? JSON.parse(raw) : null, docs);
    } catch (error) {
      return fresh(); // corrupt: start afresh rather than break the page
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* storage unavailable (private mode): progress lasts for this visit only */
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function quizDone(state, quiz) {
    var entry = state.quizzes[quiz];
    return !!entry && entry.total > 0 && entry.done === entry.total;
  }

  /* {done, total} for a case page, or null if it has never been opened in this browser. */
  function casesProgress(state, doc) {
    var quizzes = state.pages[doc];
    if (!quizzes) return null;
    return { done: quizzes.filter(function (q) { return quizDone(state, q); }).length, total: quizzes.length };
  }

  function pageDone(state, entry) {
    if (entry.kind === "chapter") return !!state.read[entry.doc];
    var p = casesProgress(state, entry.doc);
    return !!p && p.total > 0 && p.done === p.total;
  }

  function statusText(state, entry) {
    if (entry.kind === "chapter") return state.read[entry.doc] ? "read" : "not read yet";
    var p = casesProgress(state, entry.doc);
    if (!p) return "not started";
    return p.done + " of " + p.total + " cases done";
  }

  function setUp() {
    var data = readOutline();
    if (!data) return;
    var docs = {};
    data.outline.forEach(function (entry) { docs[entry.doc] = entry.kind; });
    var state = load(docs, state);
    var here = data.page;
    var kind = docs[here];
    var article = document.querySelector("article.bd-article") || document.querySelector("main");

    // --- case pages: which quizzes this page holds, and each case's completion --------------------------
    // A group page lists its cases (one page each); each list item's id is its case's quiz id.
    if (kind === "cases" && article) {
      state = load(docs, state);
      var holders = article.querySelectorAll(".skq-quiz[data-quiz-id]");
      var quizzes = holders.length ? Array.prototype.map.call(holders, function (q) { return q.dataset.quizId; })
        : Array.prototype.map.call(article.querySelectorAll('li[id^="case-"]'), function (li) { return li.id; });
      quizzes = quizzes.filter(function (q) { return NAME.test(q); });
      state.pages[here] = quizzes;
      save(state);
    }

    function markCase(quiz) {
      var root = document.querySelector('.skq-quiz[data-quiz-id="' + CSS.escape(quiz) + '"]');
      var section = root && root.closest(".skt-case");
      // on a case's own page its title; on a group page, the case's entry in the list
      var listed = document.querySelector('li[id="' + CSS.escape(quiz) + '"] > a');
      var title = (section && section.querySelector(".skt-case-title")) || listed;
      if (!title) return;
      var badge = title.querySelector(".skt-done-badge");
      if (quizDone(state, quiz)) {
        if (!badge) title.appendChild(element("span", "skt-done-badge", "Done"));
      } else if (badge) {
        badge.remove();
      }
    }

    document.addEventListener("skq:progress", function (event) {
      var detail = event.detail || {};
      if (!NAME.test(String(detail.quiz)) || !isCount(detail.done) || !isCount(detail.total)) return;
      state = load(docs, state); // another tab may have written meanwhile
      state.quizzes[detail.quiz] = { done: Math.min(detail.done, detail.total), total: detail.total };
      save(state);
      markCase(detail.quiz);
      markSidebar();
    });
    Object.keys(state.quizzes).forEach(markCase);

    // --- chapters: a button at the end to mark the chapter as read ---------------------------------------
    if (kind === "chapter" && article) {
      var box = element("div", "skt-read-box");
      var button = element("button", "skt-read-toggle");
      button.type = "button";
      var note = element("p", "skt-read-note");
      note.setAttribute("role", "status");
      function paint() {
        var read = !!state.read[here];
        button.setAttribute("aria-pressed", read ? "true" : "false");
        button.textContent = read ? "Read \u2713 (press to undo)" : "Mark this chapter as read";
      }
      button.addEventListener("click", function () {
        state = load(docs, state);
        if (state.read[here]) {
          delete state.read[here];
          note.textContent = "Marked as not read yet.";
        } else {
          state.read[here] = true;
          note.textContent = "Marked as read. Your progress is on the start page.";
        }
        save(state);
        paint();
        markSidebar();
      });
      paint();
      box.appendChild(button);
      box.appendChild(note);
      article.appendChild(box);
    }

    // --- the sidebar: a tick after each page that is done ------------------------------------------------
    function markSidebar() {
      var byHref = {};
      data.outline.forEach(function (entry) { byHref[entry.href.split("#")[0]] = entry; });
      document.querySelectorAll("nav.bd-docs-nav a.reference.internal").forEach(function (link) {
        var entry = byHref[(link.getAttribute("href") || "").split("#")[0]];
        if (!entry) return;
        var mark = link.querySelector(".skt-nav-done");
        if (pageDone(state, entry)) {
          if (!mark) {
            mark = element("span", "skt-nav-done");
            mark.appendChild(element("span", null, " \u2713"));
            mark.firstChild.setAttribute("aria-hidden", "true");
            mark.appendChild(element("span", "skt-visually-hidden", " (done)"));
            link.appendChild(mark);
          }
        } else if (mark) {
          mark.remove();
        }
      });
    }
    markSidebar();

    // --- where the trainee is: the last heading or case scrolled past ------------------------------------
    if (kind && article) {
      var targets = article.querySelectorAll("section[id], .skt-case-title[id]");
      var pending = false;
      function remember() {
        pending = false;
        var anchor = "";
        Array.prototype.forEach.call(targets, function (target) {
          if (target.getBoundingClientRect().top <= 120 && NAME.test(target.id)) anchor = target.id;
        });
        state = load(docs, state);
        state.last = { doc: here, anchor: anchor };
        save(state);
      }
      remember();
      window.addEventListener("scroll", function () {
        if (pending) return;
        pending = true;
        window.setTimeout(remember, 400);
      }, { passive: true });
      window.addEventListener("pagehide", remember);
    }

    // A case's own page is not in the outline: "Continue" leads back to it through its group page's
    // #case- anchor, which forwards to this page.
    var ownQuiz = !kind && article ? article.querySelector(".skq-quiz[data-quiz-id]") : null;
    if (ownQuiz && NAME.test(ownQuiz.dataset.quizId)) {
      var group = null;
      Array.prototype.forEach.call(document.querySelectorAll(".skt-case-count a[href]"), function (a) {
        var href = (a.getAttribute("href") || "").split("#")[0];
        data.outline.forEach(function (entry) {
          if (entry.kind === "cases" && entry.href.split("#")[0] === href) group = entry;
        });
      });
      if (group) {
        state = load(docs, state);
        state.last = { doc: group.doc, anchor: ownQuiz.dataset.quizId };
        save(state);
      }
    }

    // --- the start page: the progress view and "Continue where you left off" -----------------------------
    var view = document.getElementById("skt-progress");
    if (view) renderView(view, data, state);
  }

  function renderView(view, data, state) {
    view.textContent = "";
    var byDoc = {};
    data.outline.forEach(function (entry) { byDoc[entry.doc] = entry; });
    var continueBox = element("p", "skt-continue");
    if (state.last && byDoc[state.last.doc]) {
      var target = byDoc[state.last.doc];
      var link = element("a", "skt-continue-link", "Continue where you left off: " + target.title);
      link.href = target.href + (state.last.anchor ? "#" + state.last.anchor : "");
      continueBox.appendChild(link);
    } else if (data.outline.length) {
      var first = element("a", "skt-continue-link", "Start with " + data.outline[0].title);
      first.href = data.outline[0].href;
      continueBox.appendChild(first);
    }
    view.appendChild(continueBox);

    var done = data.outline.filter(function (entry) { return pageDone(state, entry); }).length;
    view.appendChild(element("p", "skt-progress-summary",
      done + " of " + data.outline.length + " parts done (chapters read and case pages completed), kept in this browser only."));
    var list = element("ul", "skt-progress-list");
    data.outline.forEach(function (entry) {
      var item = element("li", pageDone(state, entry) ? "skt-progress-done" : "skt-progress-open");
      var link = element("a", null, entry.title);
      link.href = entry.href;
      item.appendChild(link);
      item.appendChild(element("span", "skt-progress-status", ": " + statusText(state, entry)));
      list.appendChild(item);
    });
    view.appendChild(list);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
