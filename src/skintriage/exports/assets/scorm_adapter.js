/* SCORM adapter for the knowledge check (skintriage.exports.scorm). Loaded before knowledge_check.js, it
 * finds the LMS's run-time API, starts the session and gives the check its hooks: the learner's name,
 * saved progress (cmi.suspend_data), progress after every answer, and the result on submission (score,
 * pass or fail against the pass mark, session time). Opened without an LMS it reports nothing and says so.
 * The package keeps nothing in the browser (draftScope null), LMS or not: in an LMS the LMS is the only store,
 * because browsers are shared (a clinic's front-desk PC) and a draft kept there would reach the next learner;
 * without an LMS the check is a one-visit self-assessment, as the notice says.
 * The package's SCORM version is the <html data-scorm-version> attribute: "1.2" or "2004". */
(function () {
  "use strict";

  var root = document.documentElement;
  var version = root.getAttribute("data-scorm-version") === "2004" ? "2004" : "1.2";
  var fingerprint = root.getAttribute("data-bank-fingerprint") || "";
  var SAVE_FORMAT = 1;
  var SCORM = version === "2004" ? {
    api: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
    finish: "Terminate", error: "GetLastError", errorText: "GetErrorString", limit: 64000,
    name: "cmi.learner_name", suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time"
  } : {
    api: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", error: "LMSGetLastError", errorText: "LMSGetErrorString", limit: 4096,
    name: "cmi.core.student_name", suspend: "cmi.suspend_data", exit: "cmi.core.exit", time: "cmi.core.session_time"
  };

  // --- finding the API (SCORM 1.2 RTE 3.3.6.1 / SCORM 2004 RTE 3.1.3.1): parents, then the opener's --------

  function searchUp(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win[SCORM.api]) return win[SCORM.api];
      } catch {
        return null; // a frame from another origin: the API cannot be there for us
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var api = searchUp(window);
    if (!api) {
      try { if (window.top && window.top.opener) api = searchUp(window.top.opener); } catch { api = null; }
    }
    return api;
  }

  // --- talking to the LMS ----------------------------------------------------------------------------------

  var api = findApi();
  var connected = false;
  var finished = false;
  var started = Date.now();
  var lastError = "";

  function call(method, ...args) {
    try {
      var result = String(api[method].apply(api, args));
      if (result === "false") lastError = describeError();
      return result;
    } catch (error) {
      lastError = String(error && error.message || error);
      return "false";
    }
  }
  function describeError() {
    try {
      var code = api[SCORM.error]();
      return code && code !== "0" ? "error " + code + ": " + api[SCORM.errorText](code) : "";
    } catch { return ""; }
  }
  function get(element) { return connected ? call(SCORM.get, element) : ""; }
  function set(element, value) { return connected && call(SCORM.set, element, String(value)) === "true"; }
  function commit() { return connected && call(SCORM.commit, "") === "true"; }

  function pad(number, width) { var text = String(number); while (text.length < width) text = "0" + text; return text; }

  // SCORM 1.2 CMITimespan HHHH:MM:SS.SS; SCORM 2004 an ISO 8601 duration.
  function sessionTime() {
    var centis = Math.max(0, Math.round((Date.now() - started) / 10));
    var hours = Math.floor(centis / 360000), minutes = Math.floor(centis / 6000) % 60, seconds = (centis % 6000) / 100;
    if (version === "2004") return "PT" + hours + "H" + minutes + "M" + seconds.toFixed(2) + "S";
    return pad(Math.min(hours, 9999), 4) + ":" + pad(minutes, 2) + ":" + pad(seconds.toFixed(2), 5);
  }

  // "Board, Kay" (the usual LMS form) becomes "Kay Board".
  function displayName(lmsName) {
    var parts = String(lmsName || "").split(",");
    return (parts.length === 2 ? parts[1].trim() + " " + parts[0].trim() : String(lmsName || "")).trim();
  }

  function saveProgress(progress) {
    var text = JSON.stringify({ v: SAVE_FORMAT, bank: fingerprint.slice(0, 16), p: progress });
    if (text.length > SCORM.limit) {
      say("Your progress is too long for your learning platform to keep. Finish the check in this visit.");
      return false;
    }
    return set(SCORM.suspend, text) && set(SCORM.exit, "suspend") && commit();
  }

  function readProgress() {
    var text = get(SCORM.suspend);
    if (!text) return null;
    try {
      var saved = JSON.parse(text);
      if (saved && saved.v === SAVE_FORMAT && saved.bank === fingerprint.slice(0, 16)) return saved.p;
    } catch { /* not ours or damaged: start afresh */ }
    say("Your saved progress is from another version of this check, so the check starts afresh.");
    return null;
  }

  function reportResult(record) {
    var ok = set(version === "2004" ? "cmi.score.raw" : "cmi.core.score.raw", record.score_percent) &&
      set(version === "2004" ? "cmi.score.min" : "cmi.core.score.min", 0) &&
      set(version === "2004" ? "cmi.score.max" : "cmi.core.score.max", 100);
    if (version === "2004") {
      ok = set("cmi.score.scaled", Math.round(record.score_percent * 10) / 1000) && ok;
      ok = set("cmi.success_status", record.passed ? "passed" : "failed") && ok;
      ok = set("cmi.completion_status", "completed") && ok;
      ok = set(SCORM.exit, "normal") && ok;
    } else {
      ok = set("cmi.core.lesson_status", record.passed ? "passed" : "failed") && ok;
      ok = set(SCORM.exit, "") && ok;
    }
    ok = set(SCORM.time, sessionTime()) && ok;
    return commit() && ok;
  }

  function end() {
    if (!connected || finished) return;
    finished = true;
    set(SCORM.time, sessionTime());
    commit();
    call(SCORM.finish, "");
  }

  // --- what the trainee is told ----------------------------------------------------------------------------

  var notice = null;
  function say(text) {
    if (!notice) notice = document.getElementById("skt-lms-status");
    if (notice) notice.textContent = text;
  }

  // --- start -----------------------------------------------------------------------------------------------

  var hooks = { draftScope: null };
  var check = document.querySelector(".skt-kc");
  function note(name, text) { if (check) check.setAttribute(name, text); }
  note("data-name-note", "(it is in the record file you download)");
  note("data-kept-note", "Nothing is kept in this browser: a reload starts afresh, so finish the check in this visit.");
  if (api && call(SCORM.init, "") === "true") {
    connected = true;
    if (version === "2004") {
      var completion = get("cmi.completion_status");
      if (completion === "unknown" || completion === "not attempted" || completion === "") {
        set("cmi.completion_status", "incomplete");
      }
    } else {
      var status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
    }
    commit();
    var learner = displayName(get(SCORM.name));
    hooks = {
      learnerName: learner,
      draftScope: null,
      allowRestart: false,
      resume: readProgress,
      onResumeRejected: function () {
        say("Your saved progress could not be used with this version of the check, so the check starts afresh.");
      },
      onProgress: function (progress) {
        if (!saveProgress(progress)) {
          say("Your learning platform did not save your progress" + (lastError ? " (" + lastError + ")" : "") +
            ". Finish the check in this visit.");
        }
      },
      onSubmit: function (record, progress) {
        saveProgress(progress);
        if (reportResult(record)) {
          say("Your result was sent to your learning platform: " + record.score_percent + " %, " +
            (record.passed ? "passed" : "not yet passed") + " (pass mark " + record.pass_mark + " %).");
        } else {
          say("Your learning platform did not accept the result" + (lastError ? " (" + lastError + ")" : "") +
            ". Download your record below and give it to your trainer.");
        }
      }
    };
    note("data-result-note", "This result is sent to your learning platform.");
    if (learner) note("data-name-note", "(from your learning platform)");
    note("data-kept-note", "Your answers are saved to your learning platform as you go, so you can leave and come back.");
    window.addEventListener("pagehide", end);
    window.addEventListener("beforeunload", end);
  }
  window.skintriageKnowledgeCheckHooks = hooks;
  window.skintriageScorm = { connected: connected, version: version };

  function announce() {
    if (api && !connected) {
      say("Your learning platform did not start a session" + (lastError ? " (" + lastError + ")" : "") +
        ": nothing is saved or reported. Take the check as a self-assessment, or ask your trainer.");
      return;
    }
    say(connected
      ? "Connected to your learning platform. Your answers are saved as you go, so you can leave and come back; " +
        "your score and whether you passed are sent to it when you submit."
      : "No learning platform found: this check works as a self-assessment. Nothing is saved or reported; " +
        "download your record at the end if you need one.");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { if (!notice || !notice.textContent) announce(); });
  } else {
    announce();
  }
})();
