/* The course's triage rules in the browser: the same meaning as skintriage.rules.triage in Python.
 * A training aid, not a diagnostic device.
 *
 *   window.skintriageTriage.evaluate(rules, findings) -> {category, action, reasons, fired}
 *
 * `rules` is the JSON from skintriage.rules.rules_as_json(); `findings` is a plain object like a case's
 * findings: {day_of_onset, days_since_treatment, trend, lesions: [...], distribution: [...], symptoms: [...],
 * history: [...], hours_since_exposure: n or null (optional)}. The first category rule whose `when` matches gives
 * the category and a starting action (else `default`); every matching red flag lifts the action to at least its
 * own. The reasons agree with the final action: the deciding rules first, then the other red flags; an
 * outranked category rule's reason is left out (see skintriage.rules).
 * tests/js/property_vectors.test.js (node --test), tests/test_rules.py (node) and tests/test_explorer_browser.py
 * (Chromium) check this file against Python on the shared test vectors. In Node, require() it. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageTriage = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var ACTION_ORDER = ["monitor", "review", "same_day", "emergency"];
  var GROUPS = ["lesions", "distribution", "symptoms", "history"];
  var BOUNDED = ["day_of_onset", "days_since_treatment", "days_persisting", "hours_since_exposure"];

  function has(findings, group, id) {
    var list = findings[group] || [];
    return list.indexOf(id) !== -1;
  }

  /* [[group, id], ...] for a finding set such as {lesions: ["vesicles"], history: ["cold_sore_history"]} */
  function identifiers(set) {
    var out = [];
    GROUPS.forEach(function (group) {
      (set[group] || []).forEach(function (id) { out.push([group, id]); });
    });
    return out;
  }

  function within(bounds, value) {
    if (bounds.min !== undefined && bounds.min !== null && value < bounds.min) return false;
    if (bounds.max !== undefined && bounds.max !== null && value > bounds.max) return false;
    return true;
  }

  function matches(when, findings) {
    when = when || {};
    var present = function (pair) { return has(findings, pair[0], pair[1]); };
    if (when.all_of && !identifiers(when.all_of).every(present)) return false;
    var groups = when.any_of || [];
    for (var i = 0; i < groups.length; i++) {
      if (!identifiers(groups[i]).some(present)) return false;
    }
    if (when.none_of && identifiers(when.none_of).some(present)) return false;
    if (when.trend && when.trend.length && when.trend.indexOf(findings.trend) === -1) return false;
    var values = {
      day_of_onset: findings.day_of_onset,
      days_since_treatment: findings.days_since_treatment,
      days_persisting: findings.days_since_treatment - findings.day_of_onset,
      /* Not recorded: the exposure is taken to be this treatment (as skintriage.rules.hours_since_exposure). */
      hours_since_exposure: (findings.hours_since_exposure === undefined || findings.hours_since_exposure === null)
        ? findings.days_since_treatment * 24 : findings.hours_since_exposure
    };
    for (var j = 0; j < BOUNDED.length; j++) {
      var name = BOUNDED[j];
      if (when[name] && !within(when[name], values[name])) return false;
    }
    return true;
  }

  function evaluate(rules, findings) {
    var chosen = rules["default"];
    for (var i = 0; i < rules.category_rules.length; i++) {
      if (matches(rules.category_rules[i].when, findings)) {
        chosen = rules.category_rules[i];
        break;
      }
    }
    var action = chosen.action;
    var flags = rules.red_flags.filter(function (flag) { return matches(flag.when, findings); });
    flags.forEach(function (flag) {
      if (ACTION_ORDER.indexOf(flag.action) > ACTION_ORDER.indexOf(action)) action = flag.action;
    });
    // The deciding rules first, then the other red flags, most urgent first (each band in file order); a
    // category rule outranked by a red flag gives no (lower-band) advice.
    var ordered = chosen.action === action ? [chosen] : [];
    for (var band = ACTION_ORDER.length - 1; band >= 0; band--) {
      flags.forEach(function (flag) { if (flag.action === ACTION_ORDER[band]) ordered.push(flag); });
    }
    return {
      category: chosen.category, action: action,
      reasons: ordered.map(function (rule) { return rule.reason; }),
      fired: ordered.map(function (rule) { return rule.id; })
    };
  }

  return { evaluate: evaluate, matches: matches, ACTION_ORDER: ACTION_ORDER, GROUPS: GROUPS };
});
