/* What pydata-sphinx-theme's Bootstrap bundle (24 KB gzipped) did on this site, without Bootstrap:
 * - "Back to top" shows while scrolling up below the header, and goes to the top;
 * - the "On this page" link of the section being read is marked active (Bootstrap's scrollspy, configured
 *   by the theme's data-bs-* attributes on <body>), then the theme is told, as Bootstrap told it;
 * - the header buttons named only by data-bs-title get it as a native tooltip. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function backToTop() {
    var button = document.getElementById("pst-back-to-top");
    var header = document.querySelector(".bd-header");
    if (!button || !header) return;
    var headerBottom = header.getBoundingClientRect().bottom;
    var last = window.scrollY;
    button.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
    window.addEventListener("scroll", function () {
      button.style.display = last > window.scrollY && window.scrollY > headerBottom ? "block" : "none";
      last = window.scrollY;
    }, { passive: true });
  });

  ready(function sectionInView() {
    var links = Array.prototype.filter.call(
      document.querySelectorAll(".page-toc a.nav-link[href^='#']"),
      function (link) { return document.getElementById(decodeURIComponent(link.hash.slice(1))); }
    );
    if (!links.length) return;
    // the top 40 % of the window, as the theme's data-bs-root-margin="0px 0px -60%" asks
    var line = function () { return window.innerHeight * 0.4; };
    var current = null;
    function update() {
      var active = null;
      links.forEach(function (link) {
        var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (target.getBoundingClientRect().top <= line()) active = link;
      });
      if (active === current) return;
      current = active;
      links.forEach(function (link) { link.classList.remove("active"); });
      for (var link = active; link; ) {
        link.classList.add("active");
        var item = link.closest("li");
        var parentItem = item && item.parentElement.closest("li");
        link = parentItem ? parentItem.querySelector(":scope > a.nav-link") : null;
      }
      document.body.dispatchEvent(new Event("activate.bs.scrollspy", { bubbles: true }));
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; update(); });
    }, { passive: true });
    update();
  });

  ready(function nativeTooltips() {
    document.querySelectorAll("[data-bs-title]:not([title])").forEach(function (el) {
      el.title = el.getAttribute("data-bs-title");
    });
  });
})();
