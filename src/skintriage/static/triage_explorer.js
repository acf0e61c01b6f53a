/* The findings explorer on the static site: the browser half of skintriage.explorer.Explorer.
 * Enhances the markup written by Explorer.to_html(): every change to the form re-evaluates the embedded rules
 * with window.skintriageTriage (triage.js) and updates the traffic light, category, reasons and the
 * role="status" live region. A training aid, not a diagnostic device. No network, no storage. */
(function () {
  "use strict";
  var GROUPS = ["lesions", "distribution", "symptoms", "history"];

  function readJson(box, selector) {
    var node = box.querySelector("script." + selector);
    return node ? JSON.parse(node.textContent) : null;
  }

  function wholeDays(input) {
    var text = (input.value || "").trim();
    if (!/^\d{1,3}$/.test(text)) return null;
    var value = parseInt(text, 10);
    return value >= 0 && value <= 365 ? value : null;
  }

  /* The optional exposure time: blank is "not recorded" (null); anything else must be 0-8760 whole hours. */
  function exposureHours(input) {
    if (!input) return null;
    var text = (input.value || "").trim();
    if (text === "") return null;
    if (!/^\d{1,4}$/.test(text)) return NaN;
    var value = parseInt(text, 10);
    return value <= 8760 ? value : NaN;
  }

  function gather(form) {
    var findings = {
      day_of_onset: wholeDays(form.elements.day_of_onset),
      days_since_treatment: wholeDays(form.elements.days_since_treatment),
      trend: form.elements.trend.value,
      hours_since_exposure: exposureHours(form.elements.hours_since_exposure)
    };
    GROUPS.forEach(function (group) {
      findings[group] = Array.prototype.filter
        .call(form.querySelectorAll('input[type="checkbox"][name="' + group + '"]'), function (box) {
          return box.checked;
        })
        .map(function (box) { return box.value; })
        .sort();
    });
    return findings;
  }

  function problem(findings) {
    if (findings.days_since_treatment === null || findings.day_of_onset === null) {
      return "Check the days: enter whole numbers from 0 to 365.";
    }
    if (typeof findings.hours_since_exposure === "number" && isNaN(findings.hours_since_exposure)) {
      return "Check the hours: enter a whole number from 0 to 8760, or leave the hours since the exposure blank " +
        "if not known.";
    }
    if (findings.day_of_onset > findings.days_since_treatment) {
      return "Check the days: the spots cannot begin after today (the day they began is later than the days " +
        "since treatment).";
    }
    return null;
  }

  function blank(findings) {
    return GROUPS.every(function (group) { return !findings[group].length; });
  }

  /* Fill the form from an address fragment such as "#days_since_treatment=4&trend=worsening&lesions=a,b"
   * (a case's "Open these findings in the explorer" link). Every value is checked against the form itself:
   * only boxes and options that exist are set; anything else is named in the note, never used. */
  function prefill(form, note, query) {
    var text = (query || "").replace(/^\?/, "");
    if (text.indexOf("=") === -1 || text.length > 2000) return false;
    var params = new URLSearchParams(text);
    var ignored = [];
    var numbers = { days_since_treatment: true, day_of_onset: true };
    var HOURS_MAX = 8760;
    var fields = {};
    params.forEach(function (value, name) {
      if (numbers[name]) {
        if (/^\d{1,3}$/.test(value) && parseInt(value, 10) <= 365) fields[name] = value;
        else ignored.push(name + "=" + value);
      } else if (name === "hours_since_exposure") {
        if (/^\d{1,4}$/.test(value) && parseInt(value, 10) <= HOURS_MAX) fields.hours_since_exposure = value;
        else ignored.push(name + "=" + value);
      } else if (name === "trend") {
        var known = Array.prototype.some.call(form.elements.trend.options, function (o) { return o.value === value; });
        if (known) fields.trend = value; else ignored.push(name + "=" + value);
      } else if (GROUPS.indexOf(name) !== -1) {
        fields[name] = [];
        value.split(",").forEach(function (id) {
          var box = id && form.querySelector('input[type="checkbox"][name="' + name + '"][value="' + CSS.escape(id) + '"]');
          if (box) fields[name].push(id); else if (id) ignored.push(id);
        });
      } else {
        ignored.push(name);
      }
    });
    if (!Object.keys(fields).length) {
      note.hidden = false;
      note.textContent = "The link's findings were not recognised, so the form is as it was.";
      return false;
    }
    Object.keys(numbers).forEach(function (name) { if (fields[name]) form.elements[name].value = fields[name]; });
    if (fields.trend) form.elements.trend.value = fields.trend;
    if (form.elements.hours_since_exposure) form.elements.hours_since_exposure.value = fields.hours_since_exposure || "";
    GROUPS.forEach(function (group) {
      Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"][name="' + group + '"]'), function (box) {
        box.checked = (fields[group] || []).indexOf(box.value) !== -1;
      });
    });
    note.hidden = false;
    note.textContent = "Filled in from the case you came from. Change one finding at a time and watch the result." +
      (ignored.length ? " Not recognised, so left out: " + ignored.slice(0, 10).join(", ") + "." : "");
    return true;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The category only when its own category rule decides the action: beside an escalation a red flag forced,
   * "Expected healing reaction" would reassure (skintriage.explorer.category_text says the same). */
  function categoryText(result, labels) {
    var deciding = result.fired[0];
    if (labels.category_rules.indexOf(deciding) >= 0) return labels.categories[result.category];
    return deciding === labels.default_rule ? labels.no_pattern : labels.outranked;
  }

  function renderResult(container, result, labels) {
    var action = labels.actions[result.action];
    container.textContent = "";
    var light = element("p", "skt-light");
    light.setAttribute("data-action", result.action);
    var icon = element("span", "skt-light-icon");
    icon.setAttribute("aria-hidden", "true");
    light.appendChild(icon);
    light.appendChild(document.createTextNode(" "));
    var words = element("span", "skt-light-text");
    words.appendChild(element("strong", "skt-light-title", action.light + ": " + action.title));
    words.appendChild(document.createTextNode(" "));
    words.appendChild(element("span", "skt-light-detail", "(" + action.text + ")"));
    light.appendChild(words);
    container.appendChild(light);

    var category = element("p", "skt-category", "Likely category: ");
    category.appendChild(element("strong", "skt-category-name", categoryText(result, labels)));
    container.appendChild(category);
    container.appendChild(element("p", "skt-reasons-title", "Why (the rules that fired):"));
    var list = element("ol", "skt-reasons");
    result.reasons.forEach(function (reason) { list.appendChild(element("li", null, reason)); });
    container.appendChild(list);
  }

  function summary(result, labels) {
    var action = labels.actions[result.action];
    var count = result.reasons.length;
    return action.light + ": " + action.title + ". Likely category: " + categoryText(result, labels) +
      ". " + count + " reason" + (count !== 1 ? "s" : "") + ".";
  }

  function enhance(box) {
    if (box.getAttribute("data-skt-ready") === "true") return;
    var triage = window.skintriageTriage;
    var rules = readJson(box, "skt-rules");
    var labels = readJson(box, "skt-labels");
    var form = box.querySelector("form.skt-form");
    var live = box.querySelector(".skt-live");
    var container = box.querySelector(".skt-result");
    var note = box.querySelector(".skt-prefill-note");
    if (!triage || !rules || !labels || !form || !live || !container) return;
    box.setAttribute("data-skt-ready", "true");

    function update() {
      var findings = gather(form);
      var message = problem(findings);
      if (message) {
        container.textContent = "";
        var light = element("p", "skt-light");
        light.setAttribute("data-action", "none");
        light.appendChild(element("strong", "skt-light-title", "No result yet"));
        container.appendChild(light);
        live.textContent = message;
        return;
      }
      if (blank(findings)) {
        // An empty form is not "Green: monitor": ask for findings instead of giving a verdict.
        container.textContent = "";
        var prompt = element("p", "skt-light");
        prompt.setAttribute("data-action", "none");
        prompt.appendChild(element("strong", "skt-light-title", labels.prompt));
        container.appendChild(prompt);
        if (live.textContent !== labels.prompt) live.textContent = labels.prompt;
        box.removeAttribute("data-action");
        box.removeAttribute("data-category");
        return;
      }
      var result = triage.evaluate(rules, findings);
      renderResult(container, result, labels);
      var text = summary(result, labels);
      if (live.textContent !== text) live.textContent = text;
      box.setAttribute("data-action", result.action);
      box.setAttribute("data-category", result.category);
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    if (note) {
      prefill(form, note, window.location.search);
    }
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".skt-explorer"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  /* triage.js may load after this file: try again once everything has loaded. */
  window.addEventListener("load", start);
})();
