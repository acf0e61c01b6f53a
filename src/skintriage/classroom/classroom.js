// The trainee page of a live session. The seat token lives in localStorage, so a reload, a locked phone or a
// Wi-Fi blip rejoins the same seat; the event stream reconnects by itself and an unsent answer is retried.
(function () {
  "use strict";
  var KEY = "skt-class-seat";
  var token = null;
  var source = null;
  var poll = null;        // the poll on screen: {id, status, answer, ...}
  var retryTimer = null;
  var $ = function (id) { return document.getElementById(id); };

  function say(id, text) { $(id).textContent = text || ""; }

  function storeToken(value) {
    token = value;
    try {
      if (value) { localStorage.setItem(KEY, value); } else { localStorage.removeItem(KEY); }
    } catch { /* private mode: the seat lasts as long as the tab */ }
  }

  function api(path, body) {
    var options = { headers: { "Authorization": "Bearer " + token }, cache: "no-store" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function showJoin(message) {
    if (source) { source.close(); source = null; }
    storeToken(null);
    poll = null;
    $("skc-room").hidden = true;
    $("skc-join").hidden = false;
    say("skc-join-error", message);
    say("skc-connection", "");
  }

  function showRoom() {
    $("skc-join").hidden = true;
    $("skc-room").hidden = false;
  }

  function letterOf(option) { return option.id; }

  function chosen() {
    var boxes = $("skc-options").querySelectorAll("input:checked");
    return Array.prototype.map.call(boxes, function (box) { return box.value; });
  }

  function buildQuestion(p) {
    $("skc-case").innerHTML = p.case_html;  // rendered and escaped by the server from the case bank
    var round = p.round > 1 ? " Round " + p.round + "." : "";
    $("skc-legend").innerHTML = '<span class="skq-number">Question ' + p.number + " of " + p.count + "." +
      round + "</span> " + p.stem_html + ' <span class="skq-hint"></span>';
    $("skc-legend").querySelector(".skq-hint").textContent = p.hint;
    var list = $("skc-options");
    list.innerHTML = "";
    p.options.forEach(function (option) {
      var item = document.createElement("li");
      item.className = "skq-option";
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = p.multiple ? "checkbox" : "radio";
      input.name = "skc-option";
      input.value = letterOf(option);
      input.id = "skc-option-" + option.id;
      input.checked = p.answer.indexOf(option.id) >= 0;
      input.addEventListener("change", function () {
        if (poll && poll.status === "open") { say("skc-status", "Not sent yet: press Send answer."); }
      });
      var letter = document.createElement("span");
      letter.className = "skc-letter";
      letter.textContent = option.id + ".";
      var text = document.createElement("span");
      text.innerHTML = option.html;  // escaped by the server
      label.appendChild(input);
      label.appendChild(letter);
      label.appendChild(text);
      item.appendChild(label);
      list.appendChild(item);
    });
  }

  function answerText(letters) { return letters.length ? letters.join(", ") : "none"; }

  function renderReveal(p) {
    var box = $("skc-reveal");
    if (!p.reveal) { box.innerHTML = ""; return; }
    var parts = ["<h2>The answer</h2>"];
    var optionHtml = {};
    p.options.forEach(function (o) { optionHtml[o.id] = o.html; });
    p.reveal.answer.forEach(function (letter) {
      parts.push('<p class="skc-right">Right: ' + letter + ". " + optionHtml[letter] + "</p>" +
        p.reveal.feedback[letter]);
    });
    p.answer.forEach(function (letter) {
      if (p.reveal.answer.indexOf(letter) < 0) {
        parts.push("<p><strong>Your answer, " + letter + ", is not right:</strong> " + optionHtml[letter] +
          "</p>" + p.reveal.feedback[letter]);
      }
    });
    parts.push(p.reveal.explanation_html);
    box.innerHTML = parts.join("\n");
  }

  function render(state) {
    var seat = state.seat;
    $("skc-seat").textContent = "Session " + seat.code + (seat.name ? ", joined as " + seat.name : ", joined anonymously") + ".";
    var p = state.poll;
    if (!p) {
      poll = null;
      $("skc-waiting").hidden = false;
      $("skc-question").hidden = true;
      return;
    }
    var fresh = !poll || poll.id !== p.id;
    if (fresh) { buildQuestion(p); }
    poll = p;
    $("skc-waiting").hidden = true;
    $("skc-question").hidden = false;
    var open = p.status === "open";
    $("skc-options").querySelectorAll("input").forEach(function (input) {
      input.disabled = !open;
      if (!open) { input.checked = p.answer.indexOf(input.value) >= 0; }
    });
    $("skc-send").disabled = !open;
    if (open) {
      if (fresh) {
        say("skc-status", p.answer.length ? "Answer received: " + answerText(p.answer) +
          ". You can change it until voting closes." : "Voting is open: choose and press Send answer.");
      }
    } else if (p.status === "closed") {
      say("skc-status", p.answer.length ? "Voting is closed. Your answer: " + answerText(p.answer) + "."
        : "Voting is closed. No answer from you this round.");
    } else {
      say("skc-status", p.answer.length ? "Your answer: " + answerText(p.answer) + "." : "You did not answer this round.");
    }
    renderReveal(p);
  }

  function send(letters, pollId) {
    clearTimeout(retryTimer);
    api("/api/answer", { poll: pollId, options: letters }).then(function (result) {
      if (result.status === 200) {
        say("skc-status", "Answer received: " + answerText(result.data.options) + ". You can change it until voting closes.");
        if (poll && poll.id === pollId) { poll.answer = result.data.options; }
      } else if (result.status === 401) {
        showJoin(result.data.error);
      } else if (result.status === 429 || result.status >= 500) {
        say("skc-status", "Not sent yet: the server is busy. Trying again…");
        retryTimer = setTimeout(function () { retry(letters, pollId); }, 1500);
      } else {
        say("skc-status", "Not sent: " + (result.data.error || "the server refused this answer."));
      }
    }).catch(function () {
      say("skc-status", "Not sent yet: connection lost. Trying again…");
      retryTimer = setTimeout(function () { retry(letters, pollId); }, 1500);
    });
  }

  function retry(letters, pollId) {
    // Only while this poll is still on screen and the trainee has not changed their choice since.
    if (poll && poll.id === pollId && poll.status === "open" && chosen().join() === letters.join()) {
      send(letters, pollId);
    }
  }

  function connect() {
    if (source) { source.close(); }
    source = new EventSource("/api/events?seat=" + encodeURIComponent(token));
    source.addEventListener("state", function (event) {
      say("skc-connection", "");
      render(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      say("skc-connection", "Connection lost: reconnecting…");
      if (source.readyState === EventSource.CLOSED) {  // the server answered with an error: check the seat
        setTimeout(resume, 2000);
      }
    });
  }

  function resume() {
    api("/api/me").then(function (result) {
      if (result.status === 200) {
        showRoom();
        render(result.data);
        connect();
      } else if (result.status === 401) {
        showJoin("Your seat is not in an open session any more: join again with the code on the screen.");
      } else {
        setTimeout(resume, 2000);
      }
    }).catch(function () {
      say("skc-connection", "Cannot reach the class server: trying again…");
      setTimeout(resume, 2000);
    });
  }

  function init() {
    var code = new URLSearchParams(location.search).get("code");
    if (code) { $("skc-code").value = code; }
    $("skc-join-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { code: $("skc-code").value.trim() };
      var name = $("skc-name").value.trim();
      if (!body.code) { say("skc-join-error", "Type the session code shown on the screen."); $("skc-code").focus(); return; }
      if (name) { body.name = name; }
      fetch("/api/join", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(function (response) { return response.json().then(function (data) { return { status: response.status, data: data }; }); })
        .then(function (result) {
          if (result.status !== 200) { say("skc-join-error", result.data.error || "Could not join."); return; }
          storeToken(result.data.token);
          say("skc-join-error", "");
          resume();
          $("skc-main").focus();
        })
        .catch(function () { say("skc-join-error", "Cannot reach the class server. Check the address and your Wi-Fi."); });
    });
    $("skc-answer-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (!poll || poll.status !== "open") { return; }
      var letters = chosen();
      if (!letters.length) { say("skc-status", "Choose an answer first."); return; }
      say("skc-status", "Sending…");
      send(letters, poll.id);
    });
    $("skc-leave").addEventListener("click", function () { showJoin(""); $("skc-code").focus(); });
    try { token = localStorage.getItem(KEY); } catch { token = null; }
    if (token) { resume(); } else { showJoin(""); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
