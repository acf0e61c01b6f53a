/* Static case quizzes: the browser half of skintriage.quiz.Quiz.
 * Enhances the markup written by quiz_html.py. Same rules as QuizState in Python: a question scores if it is
 * right at its first check, and is completed once right. Progress lives in localStorage only. */
(function () {
  "use strict";
  var STORE_PREFIX = "skintriage:quiz:v1:";

  // Problems with stored progress go to the console for whoever maintains the site, never to the trainee.
  function warn(message) {
    try { window.console.warn("skintriage quiz: " + message); } catch (error) { /* no console */ }
  }

  function loadState(quizId) {
    var raw;
    try {
      raw = window.localStorage.getItem(STORE_PREFIX + quizId);
    } catch (error) {
      warn("storage unavailable (" + error.name + "): progress is kept for this visit only");
      return {};
    }
    if (raw === null || raw === undefined) return {};
    try {
      return JSON.parse(raw);
    } catch (error) {
      warn("stored progress for " + quizId + " is not JSON: discarded");
      return undefined;
    }
  }

  function saveState(quizId, state) {
    try {
      window.localStorage.setItem(STORE_PREFIX + quizId, JSON.stringify(state));
    } catch (error) {
      /* storage full or unavailable (private mode): the quiz still works for this visit */
      warn("progress not saved (" + error.name + ")");
    }
  }

  function isWholeNumber(value) {
    return typeof value === "number" && Math.floor(value) === value && value >= 0 && value <= 1e6;
  }

  // Stored progress is only trusted in the shape saveState writes:
  // {questionId: {attempts: n >= 0, firstTry: boolean, done: boolean, chosen: [option ids of that question]}}.
  // Whatever does not fit (hand edits, older versions, other scripts) is discarded, entry by entry.
  function checkedState(stored, questions, hasOption) {
    var state = {};
    if (stored === null || typeof stored !== "object" || Array.isArray(stored)) {
      if (stored !== undefined) warn("stored progress is not an object of questions: discarded");
      return { state: state, discarded: true };
    }
    var discarded = false;
    Object.keys(stored).forEach(function (questionId) {
      var entry = stored[questionId];
      var fits = questions.indexOf(questionId) !== -1 && entry !== null && typeof entry === "object" &&
        !Array.isArray(entry) && isWholeNumber(entry.attempts) &&
        (entry.firstTry === undefined || typeof entry.firstTry === "boolean") &&
        (entry.done === undefined || typeof entry.done === "boolean") &&
        (entry.firstTry === undefined || entry.attempts >= 1) &&
        (entry.chosen === undefined || (Array.isArray(entry.chosen) && entry.chosen.every(function (id) {
          return typeof id === "string" && hasOption(questionId, id);
        })));
      if (fits) {
        state[questionId] = {
          attempts: entry.attempts, firstTry: entry.firstTry, done: entry.done === true,
          chosen: (entry.chosen || []).slice()
        };
      } else {
        discarded = true;
        warn("stored progress for question " + JSON.stringify(questionId).slice(0, 80) + " does not fit: discarded");
      }
    });
    return { state: state, discarded: discarded };
  }

  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    return a.every(function (item) { return b.indexOf(item) !== -1; });
  }

  function paragraph(text, className) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function renderFeedback(form, answer, chosen) {
    var box = form.querySelector(".skq-feedback");
    box.textContent = "";
    var correct = sameSet(chosen, answer);
    var verdict = document.createElement("p");
    verdict.className = "skq-verdict";
    var strong = document.createElement("strong");
    strong.textContent = correct ? "Correct." : "Not quite.";
    verdict.appendChild(strong);
    box.appendChild(verdict);
    chosen.forEach(function (optionId) {
      var input = form.querySelector('input[value="' + CSS.escape(optionId) + '"]');
      if (!input) return;
      var right = answer.indexOf(optionId) !== -1;
      var item = document.createElement("div");
      item.className = "skq-fb " + (right ? "skq-fb-right" : "skq-fb-wrong");
      var head = document.createElement("p");
      var mark = document.createElement("strong");
      mark.textContent = right ? "Right: " : "Wrong: ";
      head.appendChild(mark);
      head.appendChild(document.createTextNode(input.labels[0].textContent));
      item.appendChild(head);
      var template = input.parentNode.querySelector("template.skq-option-feedback");
      if (template) item.appendChild(template.content.cloneNode(true));
      box.appendChild(item);
    });
    var missed = answer.filter(function (id) { return chosen.indexOf(id) === -1; }).length;
    if (form.dataset.multiple === "true" && missed > 0) {
      box.appendChild(paragraph("You missed " + missed + " correct option" + (missed > 1 ? "s." : ".")));
    }
    if (correct) {
      box.appendChild(form.querySelector("template.skq-explanation-template").content.cloneNode(true));
    } else {
      box.appendChild(paragraph("Try again: read the feedback, change your answer and check it again."));
    }
    form.classList.toggle("skq-is-correct", correct);
    form.classList.toggle("skq-is-wrong", !correct);
    return correct;
  }

  function chosenIn(form) {
    return Array.prototype.map.call(form.querySelectorAll("input:checked"), function (input) {
      return input.value;
    });
  }

  function clearForm(form) {
    form.querySelectorAll("input").forEach(function (input) { input.checked = false; });
    form.querySelector(".skq-feedback").textContent = "";
    form.classList.remove("skq-is-correct", "skq-is-wrong");
  }

  function setUp(root) {
    var key = JSON.parse(root.querySelector("script.skq-key").textContent);
    var answers = {};
    key.questions.forEach(function (q) { answers[q.id] = q.answer; });
    var scoreLine = root.querySelector(".skq-score");
    var forms = root.querySelectorAll("form.skq-question");
    var checked = checkedState(loadState(key.id), Object.keys(answers), function (questionId, optionId) {
      var form = root.querySelector('form.skq-question[data-question="' + CSS.escape(questionId) + '"]');
      return !!form && !!form.querySelector('input[value="' + CSS.escape(optionId) + '"]');
    });
    var state = checked.state;
    if (checked.discarded) saveState(key.id, state); // replace what did not fit with what did

    function showScore(prefix) {
      var total = key.questions.length;
      var score = 0;
      var done = 0;
      key.questions.forEach(function (q) {
        var s = state[q.id];
        if (s && s.firstTry) score += 1;
        if (s && s.done) done += 1;
      });
      scoreLine.textContent = (prefix || "") + "Score: " + score + " of " + total + " right first time. " +
        "Completed: " + done + " of " + total + ".";
      // Course progress (progress.js) listens: a case counts as done once all its questions are completed.
      root.dispatchEvent(new CustomEvent("skq:progress", {
        bubbles: true, detail: { quiz: key.id, done: done, total: total }
      }));
    }

    forms.forEach(function (form) {
      var questionId = form.dataset.question;
      var saved = state[questionId];
      if (saved && saved.chosen && saved.chosen.length) {
        saved.chosen.forEach(function (optionId) {
          var input = form.querySelector('input[value="' + CSS.escape(optionId) + '"]');
          if (input) input.checked = true;
        });
        renderFeedback(form, answers[questionId], saved.chosen);
      }

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var chosen = chosenIn(form);
        if (!chosen.length) {
          var box = form.querySelector(".skq-feedback");
          box.textContent = "";
          box.appendChild(paragraph("Choose an answer first."));
          return;
        }
        var correct = renderFeedback(form, answers[questionId], chosen);
        var s = state[questionId] || { attempts: 0 };
        s.attempts += 1;
        if (s.firstTry === undefined) s.firstTry = correct;
        s.done = s.done || correct;
        s.chosen = chosen;
        state[questionId] = s;
        saveState(key.id, state);
        showScore();
      });

      form.querySelector(".skq-retry").addEventListener("click", function () {
        clearForm(form);
        if (state[questionId]) {
          state[questionId].chosen = [];
          saveState(key.id, state);
        }
        var first = form.querySelector("input");
        if (first) first.focus();
      });
    });

    root.querySelector(".skq-reset").addEventListener("click", function () {
      state = {};
      try {
        window.localStorage.removeItem(STORE_PREFIX + key.id);
      } catch (error) {
        warn("could not clear stored progress (" + error.name + ")");
      }
      forms.forEach(clearForm);
      showScore("Quiz reset. ");
    });

    showScore();
    root.classList.add("skq-ready");
  }

  function init() {
    document.querySelectorAll(".skq-quiz").forEach(function (root) {
      if (root.classList.contains("skq-ready")) return;
      try {
        setUp(root);
      } catch (error) {
        root.insertBefore(paragraph("This quiz could not start: " + error.message, "skq-error"), root.firstChild);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
