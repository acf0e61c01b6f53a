/* The findings explorer's pure logic, without the DOM: reading the form's numbers, what is wrong with them,
 * whether anything is ticked, the line announced after each change, and reading a case's "open in the
 * explorer" address. Twin of skintriage.explorer (is_blank, summary_text; readQuery reads what explorer_query
 * writes): tests/js/explorer_core.test.js checks it against tests/vectors/explorer.json.
 * In a page it is window.skintriageExplorerCore; in Node, require() it. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageExplorerCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var GROUPS = ["lesions", "distribution", "symptoms", "history"];
  var DAYS_MAX = 365;
  var HOURS_MAX = 8760; // a year of hours: explorer.EXPOSURE_MAX
  var DAY_FIELDS = ["days_since_treatment", "day_of_onset"];

  /* A day count as typed: 0-365 whole days, else null. */
  function wholeDays(text) {
    text = String(text === undefined || text === null ? "" : text).trim();
    if (!/^\d{1,3}$/.test(text)) return null;
    var value = parseInt(text, 10);
    return value <= DAYS_MAX ? value : null;
  }

  /* The optional exposure time: blank is "not recorded" (null); anything else must be 0-8760 whole hours
   * (NaN when it is not). */
  function exposureHours(text) {
    text = String(text === undefined || text === null ? "" : text).trim();
    if (text === "") return null;
    if (!/^\d{1,4}$/.test(text)) return NaN;
    var value = parseInt(text, 10);
    return value <= HOURS_MAX ? value : NaN;
  }

  /* What the trainee must correct before the rules can say anything, or null. */
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

  /* True when no finding is ticked in any group (the days and trend alone say nothing): explorer.is_blank. */
  function isBlank(findings) {
    return GROUPS.every(function (group) { return !(findings[group] || []).length; });
  }

  /* The category only when its own category rule decides the action: beside an escalation a red flag forced,
   * "Expected healing reaction" would reassure. explorer.category_text. */
  function categoryText(result, labels) {
    var deciding = result.fired[0];
    if (labels.category_rules.indexOf(deciding) >= 0) return labels.categories[result.category];
    return deciding === labels.default_rule ? labels.no_pattern : labels.outranked;
  }

  /* The one line a screen reader announces when the result changes: explorer.summary_text. `labels` is the
   * JSON the page carries (explorer.browser_labels). */
  function summary(result, labels) {
    var action = labels.actions[result.action];
    var count = result.reasons.length;
    return action.light + ": " + action.title + ". Likely category: " + categoryText(result, labels) +
      ". " + count + " reason" + (count !== 1 ? "s" : "") + ".";
  }

  /* The fields of an address query such as "days_since_treatment=4&trend=worsening&lesions=a,b" (written by
   * explorer.explorer_query), each checked against what the form offers (known.trends: the trend values;
   * known.has(group, id): whether the form has that box). Returns {fields, ignored}: numbers stay text as
   * typed, groups are lists of ids; whatever does not fit is listed in `ignored`, never used. null when the
   * text is no query at all (no "=", or longer than any link the course writes). */
  function readQuery(query, known) {
    var text = String(query || "").replace(/^\?/, "");
    if (text.indexOf("=") === -1 || text.length > 2000) return null;
    var fields = {};
    var ignored = [];
    new URLSearchParams(text).forEach(function (value, name) {
      if (DAY_FIELDS.indexOf(name) !== -1) {
        if (wholeDays(value) !== null && value === value.trim()) fields[name] = value;
        else ignored.push(name + "=" + value);
      } else if (name === "hours_since_exposure") {
        var hours = exposureHours(value);
        if (typeof hours === "number" && !isNaN(hours) && value === value.trim()) fields.hours_since_exposure = value;
        else ignored.push(name + "=" + value);
      } else if (name === "trend") {
        if (known.trends.indexOf(value) !== -1) fields.trend = value;
        else ignored.push(name + "=" + value);
      } else if (GROUPS.indexOf(name) !== -1) {
        fields[name] = [];
        value.split(",").forEach(function (id) {
          if (id && known.has(name, id)) fields[name].push(id);
          else if (id) ignored.push(id);
        });
      } else {
        ignored.push(name);
      }
    });
    return { fields: fields, ignored: ignored };
  }

  return {
    GROUPS: GROUPS, DAYS_MAX: DAYS_MAX, HOURS_MAX: HOURS_MAX, wholeDays: wholeDays, exposureHours: exposureHours,
    problem: problem, isBlank: isBlank, categoryText: categoryText, summary: summary, readQuery: readQuery
  };
});
