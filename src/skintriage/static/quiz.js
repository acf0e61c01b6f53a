/* Static case quizzes: the browser half of skintriage.quiz.Quiz.
 * Enhances the markup written by quiz_html.py. Same rules as QuizState in Python: a question scores if it is
 * right at its first check, and is completed once right. Progress lives in localStorage only. */
(function () {
  "use strict";
  var STORE_PREFIX = "skintriage:quiz:v1:";

  function loadState(quizId) {
    try {
      var raw = window.localStorage.getItem(STORE_PREFIX + quizId);
      return raw ? JSON.parse(raw) : {};
    } catch (error) {
      return {}; // storage blocked or corrupt: start fresh rather than break the quiz
    }
  }

  function saveState(quizId, state) {
    try {
      window.localStorage.setItem(STORE_PREFIX + quizId, JSON.stringify(state));
    } catch (error) {
      /* storage unavailable (private mode): the quiz still works for this visit */
    }
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
    var state = loadState(key.id);
    var scoreLine = root.querySelector(".skq-score");
    var forms = root.querySelectorAll("form.skq-question");

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

    // Reset erases every answer, so it asks once more first (issue 15, item 8): the first press only arms it.
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
      try { window.localStorage.removeItem(STORE_PREFIX + key.id); } catch (error) { /* nothing stored */ }
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
