/* Case lists (skintriage.casesite). An old bookmark into a group page (infections.html#case-<id>) goes on to
 * that case's own page; the case index filters its list by category, difficulty, skin type and setting. */
(function () {
  "use strict";

  function forwardOldAnchor() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (error) { return; }
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
    function apply() {
      var wanted = {};
      selects.forEach(function (select) { if (select.value) wanted[select.dataset.filter] = select.value; });
      var keys = Object.keys(wanted);
      var count = 0;
      items.forEach(function (item) {
        var match = keys.every(function (key) { return item.dataset[key] === wanted[key]; });
        item.hidden = !match;
        if (match) count += 1;
      });
      shown.textContent = count + (count === 1 ? " case" : " cases") +
        (keys.length ? (count === 1 ? " matches" : " match") + " the filters" : "");
    }
    form.hidden = false;
    form.addEventListener("change", apply);
    apply();
  }

  forwardOldAnchor();
  window.addEventListener("hashchange", forwardOldAnchor);
  document.querySelectorAll(".skt-case-index").forEach(setUpFilters);
})();
