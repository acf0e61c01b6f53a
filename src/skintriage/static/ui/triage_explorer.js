/* The findings explorer on the static site: the browser half of skintriage.explorer.Explorer.
 * Enhances the markup written by Explorer.to_html(): every change to the form re-evaluates the embedded rules
 * with window.skintriageTriage (core/triage.js) and updates the traffic light, category, reasons and the
 * role="status" live region; reading and checking the form is window.skintriageExplorerCore
 * (core/explorer_core.js). A training aid, not a diagnostic device. No network, no storage. */
(function () {
  "use strict";
  var core = window.skintriageExplorerCore;
  var GROUPS = core.GROUPS;

  function readJson(box, selector) {
    var node = box.querySelector("script." + selector);
    return node ? JSON.parse(node.textContent) : null;
  }

  function gather(form) {
    var hours = form.elements.hours_since_exposure;
    var findings = {
      day_of_onset: core.wholeDays(form.elements.day_of_onset.value),
      days_since_treatment: core.wholeDays(form.elements.days_since_treatment.value),
      trend: form.elements.trend.value,
      hours_since_exposure: hours ? core.exposureHours(hours.value) : null
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

  /* Fill the form from the address query (a case's "Open these findings in the explorer" link). Only boxes
   * and options that exist on this form are set; anything else is named in the note, never used. */
  function prefill(form, note, query) {
    var read = core.readQuery(query, {
      trends: Array.prototype.map.call(form.elements.trend.options, function (o) { return o.value; }),
      has: function (group, id) {
        return !!form.querySelector('input[type="checkbox"][name="' + group + '"][value="' + CSS.escape(id) + '"]');
      }
    });
    if (!read) return false;
    var fields = read.fields, ignored = read.ignored;
    if (!Object.keys(fields).length) {
      note.hidden = false;
      note.textContent = "The link's findings were not recognised, so the form is as it was.";
      return false;
    }
    ["days_since_treatment", "day_of_onset"].forEach(function (name) {
      if (fields[name]) form.elements[name].value = fields[name];
    });
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
    category.appendChild(element("strong", "skt-category-name", core.categoryText(result, labels)));
    container.appendChild(category);
    container.appendChild(element("p", "skt-reasons-title", "Why (the rules that fired):"));
    var list = element("ol", "skt-reasons");
    result.reasons.forEach(function (reason) { list.appendChild(element("li", null, reason)); });
    container.appendChild(list);
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
      var message = core.problem(findings);
      if (message) {
        container.textContent = "";
        var light = element("p", "skt-light");
        light.setAttribute("data-action", "none");
        light.appendChild(element("strong", "skt-light-title", "No result yet"));
        container.appendChild(light);
        live.textContent = message;
        return;
      }
      if (core.isBlank(findings)) {
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
      var text = core.summary(result, labels);
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
