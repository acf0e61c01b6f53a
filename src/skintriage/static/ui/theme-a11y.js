/* Accessibility mends for the book theme's own markup (sphinx-book-theme / pydata-sphinx-theme):
 * the sidebar's expand/collapse toggles are <summary> elements holding only an icon, so screen readers
 * announce nothing. Name each after the page it expands. */
(function () {
  "use strict";
  function nameToggles() {
    document.querySelectorAll("nav details > summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
      var link = summary.parentNode.parentNode.querySelector(":scope > a");
      var page = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Sub-pages of " + page);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameToggles);
  } else {
    nameToggles();
  }
})();
