/* The knowledge check as a static self-assessment: the browser half of skintriage.exam.static_page.
 * Draws the same set as knowledge_check.draw() in Python for the same seed (mulberry32 and the same steps),
 * scores all-or-nothing, and writes a record in the same format as knowledge_check.Record with
 * mode "self-assessment". Case text is cloned from inert <template>s rendered (escaped) in Python; every
 * other string is set with textContent. Nothing is sent anywhere: the record is a download. On the website the
 * answers in progress are kept in this browser, one draft per learner (see "the answers in progress" below).
 *
 * Optional hooks let a host page keep progress and report the result (the SCORM package's adapter does):
 * window.skintriageKnowledgeCheckHooks = {
 *   learnerName: "Kay Board",        // the learner's name from the host: fills the name field, read-only
 *   draftScope: null,                // null: nothing is kept in this browser (the host is the only store);
 *                                    // a name ([a-z0-9.-]): this page's drafts, apart from the website's "site"
 *   resume: function () {...},       // returns saved progress (see progress() below) or null
 *   onProgress: function (progress) {...},         // after the check starts and after every answer
 *   onSubmit: function (record, progress) {...},   // once, when the answers are submitted
 *   onResumeRejected: function (saved) {...},      // the saved progress did not fit this bank
 *   allowRestart: false              // hides "Start a new check" after submission
 * }
 * A host that gives resume and no draftScope keeps nothing in this browser either. A host may also set, on the
 * .skt-kc element, data-result-note (replaces the summary's self-assessment note), data-name-note (the name
 * field's note) and data-kept-note (what the exam says about keeping the answers).
 * Without hooks the page behaves exactly as on the website. */
(function () {
  "use strict";

  // The pure logic (draw, scoring, record, CSV, file names) lives in exam_core.js, loaded before this file.
  var core = window.skintriageExamCore;
  var draw = core.draw, mulberry32 = core.mulberry32, buildRecord = core.buildRecord;
  var csvSafe = core.csvSafe, recordCsv = core.recordCsv, fileStem = core.fileStem;

  function download(filename, mime, text) {
    var url = URL.createObjectURL(new Blob([text], { type: mime }));
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // --- the answers in progress, kept in this browser until submit or "Start again" -----------------------
  //
  // Browsers are shared (a clinic's front-desk PC), so a draft belongs to one learner: its key names the page
  // (the website's "site", see draftScope), the bank version and the learner (core.draftKey). The learner is
  // known only once they type their name, so nothing is shown before that: a reload, or the next person at
  // the PC, finds an empty start form; whoever enters the same name again gets that name's question set and
  // answers back. That is what a trainee on a shared PC expects (their own answers after a reload, nobody
  // else's ever), and it cannot attach one person's answers to another's name. The old single draft for
  // everybody ("skintriage:kc-draft:v1") is removed unread wherever this script runs.

  // What is discarded from storage is said in the console (for whoever maintains the site), not to the trainee.
  function warnDiscarded(what) {
    try { window.console.warn("skintriage knowledge check: stored " + what + " does not fit: discarded"); } catch { /* no console */ }
  }

  function forgetLegacyDrafts() {
    core.LEGACY_DRAFT_KEYS.forEach(function (key) {
      try { window.localStorage.removeItem(key); } catch { /* storage unavailable: nothing to forget */ }
    });
  }

  // key: core.draftKey(...) for this learner, or null when this page keeps nothing in the browser.
  function readDraft(key, byKey, name) {
    if (!key) return null;
    var raw;
    try {
      raw = JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      if (error.name === "SyntaxError") warnDiscarded("draft (not JSON)");
      return null;
    }
    return core.checkedDraft(raw, byKey, warnDiscarded, name);
  }

  function writeDraft(key, draft) {
    if (!key) return;
    try {
      if (draft) {
        window.localStorage.setItem(key, JSON.stringify(core.draftRecord(draft)));
      } else {
        window.localStorage.removeItem(key);
      }
    } catch {
      /* storage unavailable: the check still works, it just cannot survive a reload */
    }
  }

  // --- the page -------------------------------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The question texts arrive as HTML strings in the fetched question file (rendered from Markdown with raw
  // HTML disabled); a <template> parses each inertly. A page that inlines <template>s works as before.
  var TEXTS = { "skt-kc-stem": "stems", "skt-kc-label": "labels", "skt-kc-feedback": "feedback",
    "skt-kc-explanation": "explanations" };

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = typeof html === "string" ? html : "";
    return holder.content;
  }

  function template(root, className, key, option) {
    if (root.sktTexts) {
      var entry = (root.sktTexts[TEXTS[className]] || {})[key];
      return fragment(option !== undefined ? entry && entry[option] : entry);
    }
    var selector = "template." + className;
    if (key !== undefined) selector += '[data-key="' + CSS.escape(key) + '"]';
    if (option !== undefined) selector += '[data-option="' + CSS.escape(option) + '"]';
    var found = root.querySelector(selector);
    return found ? found.content.cloneNode(true) : document.createDocumentFragment();
  }

  function caseTemplate(root, caseId) {
    if (root.sktTexts) return fragment(root.sktTexts.cases[caseId]);
    var found = root.querySelector('template.skt-kc-case[data-case="' + CSS.escape(caseId) + '"]');
    return found ? found.content.cloneNode(true) : document.createDocumentFragment();
  }

  function setUp(root) {
    var data = JSON.parse(root.querySelector("script.skt-kc-data").textContent);
    var byKey = {};
    function index() { data.questions.forEach(function (q) { byKey[q.key] = q; }); }
    if (data.texts) root.sktTexts = data.texts;  // a page that carries its questions inline (SCORM)
    if (data.questions) index();

    // The question pool and its texts: one JSON file, fetched once when the trainee starts.
    function load() {
      if (data.questions) return Promise.resolve();
      return fetch(root.dataset.src).then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      }).then(function (file) {
        if (file.bank_fingerprint !== data.bank_fingerprint) {
          throw new Error("the question file belongs to another version of the course; reload the page");
        }
        root.sktTexts = file.texts;
        data.questions = file.questions;
        index();
      });
    }
    var start = root.querySelector(".skt-kc-start");
    var exam = root.querySelector(".skt-kc-exam");
    var list = root.querySelector(".skt-kc-questions");
    var status = root.querySelector(".skt-kc-status");
    var summary = root.querySelector(".skt-kc-summary");
    var nameInput = root.querySelector("#skt-kc-name");
    var seedInput = root.querySelector("#skt-kc-seed");
    var startError = root.querySelector(".skt-kc-start-error");
    var unanswered = root.querySelector(".skt-kc-unanswered");
    var counter = root.querySelector(".skt-kc-count");
    var state = null;
    var hooks = window.skintriageKnowledgeCheckHooks || {};
    function callHook(name, a, b) {
      if (typeof hooks[name] !== "function") return;
      try { hooks[name](a, b); } catch (error) { if (window.console) console.error(error); }
    }
    forgetLegacyDrafts();
    // Where this page keeps drafts: the website's "site" when no host says otherwise; none at all (null) when
    // the host keeps progress itself (an LMS is then the only store) or names no usable scope.
    var draftScope = null;
    if (hooks.draftScope === undefined) {
      if (typeof hooks.resume !== "function") draftScope = "site";
    } else if (typeof hooks.draftScope === "string" && /^[a-z0-9.-]{1,40}$/i.test(hooks.draftScope)) {
      draftScope = hooks.draftScope;
    }
    function draftKeyFor(name) {
      return draftScope && core.learnerKey(name) ? core.draftKey(draftScope, data.bank_fingerprint, name) : null;
    }
    // A name the host gives (the LMS's learner) is the learner's name: shown, not editable, used on resume.
    var hostName = typeof hooks.learnerName === "string" ? hooks.learnerName.trim().slice(0, 200) : "";
    function resetName() {
      nameInput.value = hostName;
      nameInput.readOnly = !!hostName;
    }
    resetName();
    var nameNote = root.querySelector(".skt-kc-name-note");
    if (nameNote && root.dataset.nameNote) nameNote.textContent = root.dataset.nameNote;
    var keptNote = root.querySelector(".skt-kc-kept");
    if (keptNote && root.dataset.keptNote) keptNote.textContent = root.dataset.keptNote;

    function newSeed() { seedInput.value = String(100000 + Math.floor(Math.random() * 900000)); }
    newSeed();

    function renderQuestion(q, index, total) {
      var item = element("li", "skt-kc-question");
      item.dataset.key = q.key;
      item.id = "skt-kc-q" + (index + 1); // the unanswered warning links here
      item.tabIndex = -1;
      var caseBox = element("div", "skt-kc-case");
      caseBox.appendChild(caseTemplate(root, q.case_id));
      item.appendChild(caseBox);
      var fieldset = element("fieldset");
      var legend = element("legend");
      legend.id = "skt-kc-q" + index + "-legend";
      legend.appendChild(element("span", "skt-kc-number", "Question " + (index + 1) + " of " + total + ". "));
      var stem = element("span", "skt-kc-stem");
      stem.appendChild(template(root, "skt-kc-stem", q.key));
      legend.appendChild(stem);
      if (q.hint) legend.appendChild(element("span", "skt-kc-hint", " " + q.hint));
      fieldset.appendChild(legend);
      var options = element("ul", "skt-kc-options");
      q.options.forEach(function (optionId, j) {
        var li = element("li", "skt-kc-option");
        var input = element("input");
        input.type = q.multiple ? "checkbox" : "radio";
        input.name = "skt-kc-q" + index;
        input.id = "skt-kc-q" + index + "-o" + j;
        input.value = optionId;
        var label = element("label");
        label.htmlFor = input.id;
        label.appendChild(template(root, "skt-kc-label", q.key, optionId));
        li.appendChild(input);
        li.appendChild(label);
        options.appendChild(li);
      });
      fieldset.appendChild(options);
      item.appendChild(fieldset);
      return item;
    }

    function begin(event) {
      event.preventDefault();
      var name = hostName || nameInput.value.trim();
      if (!name) {
        startError.textContent = "Enter your name to start.";
        nameInput.setAttribute("aria-invalid", "true");
        nameInput.focus();
        return;
      }
      nameInput.removeAttribute("aria-invalid");
      startError.textContent = "";
      var button = root.querySelector(".skt-kc-begin");
      button.disabled = true;
      status.textContent = "Loading the questions…";
      load().then(function () {
        button.disabled = false;
        beginExam(name);
      }, function (error) {
        button.disabled = false;
        status.textContent = "";
        startError.textContent = "The questions could not be loaded (" + error.message + "). Check the connection, then press Start again.";
      });
    }

    function beginExam(name) {
      // This learner's own unsubmitted answers, if this browser keeps them: their set wins over the number typed.
      var draft = readDraft(draftKeyFor(name), byKey, name);
      if (draft && draft.seed !== null) {
        seedInput.value = String(draft.seed);
        startExam(name, draft.seed, draft.answers);
        status.textContent = "Welcome back, " + name + ": your answers so far are back (" +
          (state.drawn.length - blankNumbers().length) + " of " + state.drawn.length + " answered, question set " +
          draft.seed + "). Use Start again to clear them.";
        callHook("onProgress", progress());
        root.querySelector("#skt-kc-exam-heading").focus();
        return;
      }
      var seed = parseInt(seedInput.value, 10);
      if (!(seed >= 0 && seed <= 4294967295)) {
        newSeed();
        seed = parseInt(seedInput.value, 10);
      }
      startExam(name, seed, {});
      status.textContent = state.drawn.length + " questions, question set " + seed +
        ". Submit when you have answered them all.";
      callHook("onProgress", progress());
      root.querySelector("#skt-kc-exam-heading").focus();
    }

    function startExam(name, seed, answers) {
      var n = parseInt(root.dataset.n, 10) || 20;
      var drawn = draw(data.questions, n, seed);
      state = { name: name, seed: seed, drawn: drawn, confirmed: null, record: null, draftKey: draftKeyFor(name) };
      list.textContent = "";
      drawn.forEach(function (q, i) { list.appendChild(renderQuestion(q, i, drawn.length)); });
      drawn.forEach(function (q, i) {
        (answers[q.key] || []).forEach(function (optionId) {
          var input = list.querySelector('input[name="skt-kc-q' + i + '"][value="' + CSS.escape(optionId) + '"]');
          if (input) input.checked = true;
        });
      });
      unanswered.textContent = "";
      start.hidden = true;
      summary.hidden = true;
      exam.hidden = false;
      updateCounter();
      saveDraft();
    }

    function blankNumbers() {
      var answers = given();
      var blank = [];
      state.drawn.forEach(function (q, i) { if (!answers[q.key].length) blank.push(i + 1); });
      return blank;
    }

    function updateCounter() {
      if (!state) return;
      var total = state.drawn.length;
      counter.textContent = (total - blankNumbers().length) + " of " + total + " answered";
    }

    // Only a started check is kept (its learner and set are known); nothing is kept while a name is typed.
    function saveDraft() {
      if (!state || state.record) return;
      writeDraft(state.draftKey, { name: state.name, seed: state.seed, answers: given() });
    }

    // Progress in a compact form (a SCORM 1.2 LMS keeps only 4096 characters): the drawn set follows from
    // the seed, so answers are option positions per drawn question.
    function progress() {
      return {
        name: state.name, seed: state.seed, n: state.drawn.length, submitted: !!state.record,
        answers: state.drawn.map(function (q, i) {
          var inputs = list.querySelectorAll('input[name="skt-kc-q' + i + '"]');
          var chosen = [];
          Array.prototype.forEach.call(inputs, function (x, j) { if (x.checked) chosen.push(j); });
          return chosen;
        })
      };
    }

    // Saved progress is data from outside the page: anything malformed is ignored, never half-applied.
    function validProgress(saved) {
      return core.validProgress(saved, data.questions, parseInt(root.dataset.n, 10) || 20);
    }

    function resume(saved) {
      if (!validProgress(saved)) return false;
      var name = hostName || saved.name.trim();
      nameInput.value = name;
      seedInput.value = String(saved.seed);
      startExam(name, saved.seed, {});
      saved.answers.forEach(function (chosen, i) {
        var inputs = list.querySelectorAll('input[name="skt-kc-q' + i + '"]');
        chosen.forEach(function (j) { inputs[j].checked = true; });
      });
      updateCounter();
      saveDraft();
      if (saved.submitted) {
        finish(given(), false);
      } else {
        var done = saved.answers.filter(function (chosen) { return chosen.length; }).length;
        status.textContent = "Welcome back: your answers so far are restored (" + done + " of " +
          state.drawn.length + " answered, question set " + saved.seed + ").";
        root.querySelector("#skt-kc-exam-heading").focus();
      }
      return true;
    }

    function given() {
      var answers = {};
      state.drawn.forEach(function (q, i) {
        var inputs = list.querySelectorAll('input[name="skt-kc-q' + i + '"]');
        answers[q.key] = Array.prototype.filter.call(inputs, function (x) { return x.checked; })
          .map(function (x) { return x.value; });
      });
      return answers;
    }

    function submit(event) {
      event.preventDefault();
      if (!state || state.record) return;
      var answers = given();
      var blank = blankNumbers();
      // A second Submit with the same gaps submits; different gaps warn again.
      if (blank.length && state.confirmed !== blank.join(",")) {
        state.confirmed = blank.join(",");
        unanswered.textContent = "";
        unanswered.appendChild(element("strong", null, blank.length + (blank.length === 1 ? " question has" :
          " questions have") + " no answer"));
        unanswered.appendChild(document.createTextNode(" and will count as wrong: "));
        blank.forEach(function (number, i) {
          if (i) unanswered.appendChild(document.createTextNode(", "));
          var link = element("a", null, "question " + number);
          link.href = "#skt-kc-q" + number;
          unanswered.appendChild(link);
        });
        unanswered.appendChild(document.createTextNode(". Answer them, or press Submit answers again to submit anyway."));
        return;
      }
      finish(answers, true);
    }

    function finish(answers, report) {
      state.record = buildRecord(data, state.drawn, answers, state.name, state.seed);
      writeDraft(state.draftKey, null); // submitted: nothing in progress any more
      Array.prototype.forEach.call(exam.querySelectorAll("input, button"), function (x) { x.disabled = true; });
      unanswered.textContent = "";
      if (hooks.allowRestart === false) root.querySelector(".skt-kc-again").hidden = true;
      showSummary(state.record);
      if (report) callHook("onSubmit", state.record, progress());
    }

    function showSummary(record) {
      var verdict = record.passed ? "pass" : "not yet a pass";
      var result = summary.querySelector(".skt-kc-result");
      result.textContent = "";
      result.appendChild(element("strong", "skt-kc-score",
        "Score: " + record.correct + " of " + record.total + " (" + record.score_percent + " %)"));
      result.appendChild(document.createTextNode(": " + verdict + " (pass mark " + record.pass_mark +
        " %). " + (root.dataset.resultNote || "Self-assessment only: this is not a training record.")));
      var when = new Date(record.submitted_at);
      summary.querySelector(".skt-kc-result-meta").textContent = "Name: " + record.name + ". Taken: " +
        when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "long" }) +
        ". Question set " + record.seed + " (" + record.total + " questions), case bank " +
        record.bank_fingerprint.slice(0, 12) + ".";
      document.body.classList.add("skt-kc-has-result");

      var topics = summary.querySelector(".skt-kc-topics");
      topics.textContent = "";
      core.perCategory(record, Object.keys(data.categories)).forEach(function (topic) {
        var right = topic.correct, total = topic.total;
        var pct = Math.round((100 * right) / total);
        var li = element("li", "skt-kc-topic");
        li.appendChild(element("span", "skt-kc-topic-label",
          (data.categories[topic.category] || topic.category) + ": " + right + " of " + total + " (" + pct + " %)"));
        var bar = element("span", "skt-kc-bar");
        bar.setAttribute("aria-hidden", "true");
        var fill = element("span", "skt-kc-bar-fill " + (pct >= data.pass_mark ? "skt-kc-good" : "skt-kc-low"));
        fill.style.width = pct + "%";
        bar.appendChild(fill);
        li.appendChild(bar);
        topics.appendChild(li);
      });

      var missedBox = summary.querySelector(".skt-kc-missed");
      missedBox.textContent = "";
      var missed = record.questions.filter(function (r) { return !r.is_correct; });
      summary.querySelector(".skt-kc-missed-heading").textContent =
        missed.length ? "Questions missed (" + missed.length + ")" : "Questions missed: none";
      missed.forEach(function (r) {
        var q = byKey[r.case_id + "/" + r.question_id];
        var box = element("div", "skt-kc-missed-item");
        var heading = element("h4", null, "Question " + r.number + ": ");
        heading.appendChild(template(root, "skt-kc-stem", q.key));
        box.appendChild(heading);
        box.appendChild(element("p", null, "You chose:"));
        var chosen = element("ul");
        if (!r.answer_given.length) chosen.appendChild(element("li", null, "No answer given."));
        r.answer_given.forEach(function (optionId) {
          var li = element("li");
          li.appendChild(template(root, "skt-kc-label", q.key, optionId));
          li.appendChild(template(root, "skt-kc-feedback", q.key, optionId));
          chosen.appendChild(li);
        });
        box.appendChild(chosen);
        box.appendChild(element("p", null, "The right answer:"));
        var right = element("ul");
        q.answer.forEach(function (optionId) {
          var li = element("li");
          li.appendChild(template(root, "skt-kc-label", q.key, optionId));
          right.appendChild(li);
        });
        box.appendChild(right);
        var explanation = element("div", "skt-kc-explanation");
        explanation.appendChild(template(root, "skt-kc-explanation", q.key));
        box.appendChild(explanation);
        var more = element("p", null, "Read again: ");
        if (q.section_href) {
          var link = element("a", null, q.section_title);
          link.href = q.section_href;
          more.appendChild(link);
        } else {
          more.appendChild(document.createTextNode(q.section_title));
        }
        box.appendChild(more);
        missedBox.appendChild(box);
      });

      summary.hidden = false;
      status.textContent = "Submitted. Score " + record.correct + " of " + record.total + " (" +
        record.score_percent + " %): " + verdict + ".";
      summary.querySelector("#skt-kc-summary-heading").focus();
    }

    start.addEventListener("submit", begin);
    exam.addEventListener("submit", submit);
    exam.addEventListener("change", function () {
      updateCounter();
      saveDraft();
      if (state && !state.record) callHook("onProgress", progress());
    });
    root.querySelector(".skt-kc-restart").addEventListener("click", function () {
      if (!window.confirm("Start again? Your answers so far will be cleared.")) return;
      if (state) writeDraft(state.draftKey, null);
      state = null;
      list.textContent = "";
      exam.hidden = true;
      start.hidden = false;
      resetName();
      newSeed();
      status.textContent = "Cleared. Ready for a new check.";
      nameInput.focus();
    });
    root.querySelector(".skt-kc-print").addEventListener("click", function () { window.print(); });
    Array.prototype.forEach.call(root.querySelectorAll(".skt-kc-download"), function (button) {
      button.addEventListener("click", function () {
        if (!state || !state.record) return;
        var stem = fileStem(state.record);
        if (button.dataset.format === "csv") {
          download(stem + ".csv", "text/csv", recordCsv(state.record, data.fields));
        } else {
          download(stem + ".json", "application/json", JSON.stringify(state.record, null, 2) + "\n");
        }
        status.textContent = "Record downloaded (" + button.dataset.format.toUpperCase() + ").";
      });
    });
    root.querySelector(".skt-kc-again").addEventListener("click", function () {
      state = null;
      document.body.classList.remove("skt-kc-has-result");
      list.textContent = "";
      exam.hidden = true;
      summary.hidden = true;
      start.hidden = false;
      Array.prototype.forEach.call(exam.querySelectorAll("button"), function (x) { x.disabled = false; });
      resetName(); // the next check may be the next person's: never start it under the last one's name
      newSeed();
      status.textContent = "Ready for a new check.";
      nameInput.focus();
    });

    // A host's saved progress (an LMS's suspend data) is restored at once; it needs the questions, so they are
    // fetched now only when there is something to restore. A draft in this browser waits for its learner's name.
    var saved = null;
    if (typeof hooks.resume === "function") {
      try { saved = hooks.resume(); } catch { saved = null; }
    }
    if (saved) {
      status.textContent = "Loading your answers so far…";
      load().then(function () {
        status.textContent = "";
        if (!resume(saved)) callHook("onResumeRejected", saved);
      }, function (error) {
        status.textContent = "";
        startError.textContent = "Your saved answers could not be loaded (" + error.message + "). Press Start to try again.";
      });
    }
  }

  // Exposed for tests: the same draw as Python.
  window.skintriageKnowledgeCheck = { draw: draw, mulberry32: mulberry32, csvSafe: csvSafe, recordCsv: recordCsv };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".skt-kc"), function (root) {
      if (root.dataset.ready) return;
      root.dataset.ready = "true";
      setUp(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
