/* Case lists (skintriage.casesite). An old bookmark into a group page (infections.html#case-<id>) goes on to
 * that case's own page; the case index filters its list by category, difficulty, skin type and setting
 * (which cases match, and the count line: core/case_filter.js, loaded first where a page has an index). */
(function () {
  "use strict";

  function forwardOldAnchor() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch { return; }
    if (!id) return;
    var item = document.getElementById(id);
    if (!item || !item.closest(".skt-case-group")) return;
    var link = item.querySelector("a[href]");
    if (link) window.location.replace(link.href);
  }

  function setUpFilters(root) {
    var form = root.querySelector(".skt-case-filters");
    var items = root.querySelectorAll(".skt-case-list > li");
    var shown = root.querySelector(".skt-case-shown");
    var selects = form.querySelectorAll("select");
    var filter = window.skintriageCaseFilter;
    function apply() {
      var filters = {};
      selects.forEach(function (select) { filters[select.dataset.filter] = select.value; });
      var wanted = filter.chosen(filters);
      var count = 0;
      items.forEach(function (item) {
        var match = filter.matches(item.dataset, wanted);
        item.hidden = !match;
        if (match) count += 1;
      });
      shown.textContent = filter.shownText(count, Object.keys(wanted).length > 0);
    }
    form.hidden = false;
    form.addEventListener("change", apply);
    apply();
  }

  forwardOldAnchor();
  window.addEventListener("hashchange", forwardOldAnchor);
  document.querySelectorAll(".skt-case-index").forEach(setUpFilters);
})();
