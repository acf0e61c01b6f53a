/* Static case quizzes: the browser half of skintriage.quiz.Quiz.
 * Enhances the markup written by skintriage.quiz.html_view. Same rules as QuizState in Python: a question scores if it is
 * right at its first check, and is completed once right. Progress lives in localStorage only. */
(function () {
  "use strict";
  var STORE_PREFIX = "skintriage:quiz:v1:";

  // Problems with stored progress go to the console for whoever maintains the site, never to the trainee.
  function warn(message) {
    try { window.console.warn("skintriage quiz: " + message); } catch { /* no console */ }
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
    } catch {
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

  // The quiz state without the DOM (checks, score, stored-progress check) is quiz_core.js, loaded first.
  var core = window.skintriageQuizCore;
  var sameSet = core.sameSet;
  function checkedState(stored, questions, hasOption) { return core.checkedState(stored, questions, hasOption, warn); }

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
    var missed = core.missed(answer, chosen, form.dataset.multiple === "true");
    if (missed > 0) {
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

    var questionIds = key.questions.map(function (q) { return q.id; });
    function showScore(prefix) {
      var t = core.tally(state, questionIds);
      var done = t.done, total = t.total;
      scoreLine.textContent = (prefix || "") + core.summary(state, questionIds);
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
        renderFeedback(form, answers[questionId], chosen);
        core.check(state, questionId, answers[questionId], chosen);
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

    // Reset erases every answer, so it asks once more first: the first press only arms it.
    var reset = root.querySelector(".skq-reset");
    var resetLabel = reset.textContent;
    function disarm() {
      reset.removeAttribute("data-armed");
      reset.textContent = resetLabel;
    }
    reset.addEventListener("click", function () {
      if (!reset.hasAttribute("data-armed")) {
        reset.setAttribute("data-armed", "true");
        reset.textContent = "Yes, erase my answers";
        showScore("Press \u201cYes, erase my answers\u201d to clear this quiz, or carry on to keep them. ");
        return;
      }
      disarm();
      state = {};
      try {
        window.localStorage.removeItem(STORE_PREFIX + key.id);
      } catch (error) {
        warn("could not clear stored progress (" + error.name + ")");
      }
      forms.forEach(clearForm);
      showScore("Quiz reset. ");
    });
    reset.addEventListener("blur", function () {
      if (reset.hasAttribute("data-armed")) { disarm(); showScore(); }
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
