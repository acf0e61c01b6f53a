/* The case quizzes' state, without the DOM: the twin of skintriage.quiz.core.QuizState in Python (a question
 * scores if it is right at its first check, and is completed once right; missed_options), and the check of
 * stored progress.
 * tests/js/quiz_core.test.js replays check sequences that Python recorded (tests/vectors/quiz_state.json).
 * In a page it is window.skintriageQuizCore; in Node, require() it. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageQuizCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function isWholeNumber(value) {
    return typeof value === "number" && Math.floor(value) === value && value >= 0 && value <= 1e6;
  }

  // Stored progress is only trusted in the shape saveState writes:
  // {questionId: {attempts: n >= 0, firstTry: boolean, done: boolean, chosen: [option ids of that question]}}.
  // Whatever does not fit (hand edits, older versions, other scripts) is discarded, entry by entry.
  function checkedState(stored, questions, hasOption, warn) {
    warn = warn || function () {};
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

  /* One check of a question: updates (or creates) its entry in `state`; true when `chosen` is the answer. */
  function check(state, questionId, answer, chosen) {
    var correct = sameSet(chosen, answer);
    var entry = state[questionId] || { attempts: 0 };
    entry.attempts += 1;
    if (entry.firstTry === undefined) entry.firstTry = correct;
    entry.done = entry.done || correct;
    entry.chosen = chosen.slice();
    state[questionId] = entry;
    return correct;
  }

  /* Correct options left unchosen, counted on multiple-answer questions only: quiz.core.missed_options. */
  function missed(answer, chosen, multiple) {
    if (!multiple) return 0;
    return answer.filter(function (id, i) { return chosen.indexOf(id) === -1 && answer.indexOf(id) === i; }).length;
  }

  function tally(state, questionIds) {
    var score = 0, done = 0;
    questionIds.forEach(function (id) {
      var entry = state[id];
      if (entry && entry.firstTry) score += 1;
      if (entry && entry.done) done += 1;
    });
    return { score: score, done: done, total: questionIds.length };
  }

  /* The score line, word for word QuizState.summary(). */
  function summary(state, questionIds) {
    var t = tally(state, questionIds);
    return "Score: " + t.score + " of " + t.total + " right first time. Completed: " + t.done + " of " + t.total + ".";
  }

  return {
    checkedState: checkedState, sameSet: sameSet, check: check, missed: missed, tally: tally, summary: summary
  };
});
