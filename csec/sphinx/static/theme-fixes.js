// Kit fixes for the themes' accessibility faults (see csec/sphinx/theme.py). Local, dependency-free; each part
// says which fault it fixes. Without JavaScript none of these controls exist (the themes hide them), so nothing
// here is needed then.
(function () {
  "use strict";

  // pydata-sphinx-theme makes an overflowing table's scroll container focusable (tabindex=0) but gives it no
  // role or name, so a keyboard user lands on an unnamed element. Name it after the table's caption, or else
  // the heading it sits under.
  function labelTableScrollers() {
    document.querySelectorAll(".pst-scrollable-table-container").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var table = box.querySelector("table");
      var caption = table && table.querySelector("caption");
      var name = caption ? caption.textContent : "";
      if (!name) {
        var section = box.closest("section");
        var heading = section && section.querySelector("h1, h2, h3, h4, h5, h6");
        name = heading ? heading.textContent : document.title;
      }
      name = name.replace(/[#¶]/g, "").replace(/\s+/g, " ").trim();
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table: " + name + " (scrolls sideways)");
    });
  }

  // The colour-mode button cycles light -> dark -> system but its name never says which is on.
  function nameColourMode() {
    var words = { light: "light", dark: "dark", auto: "system setting" };
    function update() {
      var mode = document.documentElement.dataset.mode || "auto";
      document.querySelectorAll(".theme-switch-button").forEach(function (b) {
        b.setAttribute("aria-label", "Color mode: " + (words[mode] || mode));
      });
    }
    update();
    new MutationObserver(update).observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
  }

  // The phone navigation is a <dialog> the theme fills with the sidebar: it has no name and no close button
  // (only Escape or a tap outside it). The button lives in the sidebar, so it travels with it into the dialog.
  function closableNavDialog() {
    var dialog = document.getElementById("pst-primary-sidebar-modal");
    var sidebar = document.getElementById("pst-primary-sidebar");
    if (!dialog || !sidebar) return;
    dialog.setAttribute("aria-label", "Site navigation");
    var secondary = document.getElementById("pst-secondary-sidebar-modal");
    if (secondary) secondary.setAttribute("aria-label", "On this page");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "csec-nav-close";
    close.textContent = "Close navigation";
    close.addEventListener("click", function () {
      var open = close.closest("dialog");
      if (open) open.close();
    });
    sidebar.insertBefore(close, sidebar.firstChild);
    // sphinx-book-theme blurs the menu button on click (to hide its tooltip) before pydata-sphinx-theme records
    // where focus was, so closing the menu dropped keyboard focus to the top of the page. Put it back.
    var toggle = document.querySelector(".primary-toggle");
    dialog.addEventListener("close", function () {
      setTimeout(function () {
        var active = document.activeElement;
        if (toggle && (!active || active === document.body)) toggle.focus();
      }, 0);
    });
  }

  // Sphinx's search fetches each result page for a summary; opened from disk (file://) fetch() always fails, so
  // every result threw an error. From disk the results show without summaries (search itself reads
  // searchindex.js, a script, and works). Set before searchtools.js runs its search, at DOMContentLoaded.
  function noSummariesFromDisk() {
    // documentation_options.js declares it with `const`: a global binding, not a property of window.
    if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
      DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;  // eslint-disable-line no-undef
    }
  }
  noSummariesFromDisk();

  function init() {
    labelTableScrollers();
    nameColourMode();
    closableNavDialog();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
