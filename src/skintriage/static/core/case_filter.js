/* The case index's filter without the DOM: which cases a choice of filters keeps, and the line that says how
 * many. tests/js/case_filter.test.js checks it (the first line, with no filter chosen, is the one
 * skintriage.casesite writes: tests/vectors/case_filter.json). In a page it is window.skintriageCaseFilter;
 * in Node, require() it. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.skintriageCaseFilter = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* The filters actually chosen: {name: value} without the empty "any" choices. */
  function chosen(filters) {
    var wanted = {};
    Object.keys(filters).forEach(function (name) { if (filters[name]) wanted[name] = filters[name]; });
    return wanted;
  }

  /* Does a case (its data-* values, e.g. {category: "bacterial", skin: "v-vi"}) match every chosen filter? */
  function matches(item, wanted) {
    return Object.keys(wanted).every(function (name) { return item[name] === wanted[name]; });
  }

  function shownText(count, filtering) {
    return count + (count === 1 ? " case" : " cases") +
      (filtering ? (count === 1 ? " matches" : " match") + " the filters" : "");
  }

  return { chosen: chosen, matches: matches, shownText: shownText };
});
