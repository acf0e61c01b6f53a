/* Course progress, kept in this browser only: chapters marked as read, cases whose quiz is completed, and
 * where the trainee was last, for "Continue where you left off" on the start page.
 * The course outline (numbered chapters and case pages, in toc order) comes from the page itself
 * (sphinxext.course_outline). Stored data is versioned and checked entry by entry when read: anything
 * malformed or unknown is dropped, never trusted and never fatal. */
(function () {
  "use strict";
  // The record, its checks and what it says about each page: core/progress_core.js, loaded first.
  var core = window.skintriageProgressCore;
  var NAME = core.NAME;
  var quizDone = core.quizDone, pageDone = core.pageDone, statusText = core.statusText;

  function readOutline() {
    var node = document.getElementById("skt-course-outline");
    if (!node) return null;
    try {
      var data = JSON.parse(node.textContent);
      return data && Array.isArray(data.outline) ? data : null;
    } catch {
      return null;
    }
  }

  function load(docs, fallback) {
    var raw;
    try {
      raw = window.localStorage.getItem(core.STORE_KEY);
    } catch {
      return fallback || core.fresh(); // storage blocked: keep what this visit knows
    }
    return core.parse(raw, docs);
  }

  function save(state) {
    try {
      window.localStorage.setItem(core.STORE_KEY, JSON.stringify(state));
    } catch {
      /* storage unavailable (private mode): progress lasts for this visit only */
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
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
      var report = core.quizReport(event.detail);
      if (!report) return;
      state = load(docs, state); // another tab may have written meanwhile
      state.quizzes[report.quiz] = { done: report.done, total: report.total };
      save(state);
      markCase(report.quiz);
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

    view.appendChild(element("p", "skt-progress-summary", core.summaryText(state, data.outline)));
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
