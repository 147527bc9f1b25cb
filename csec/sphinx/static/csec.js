// Filter buttons for the red-flags chart: show the rows of one type of exploitation. Local, dependency-free;
// without JavaScript the whole chart shows. Button labels are the table's own column headings.
(function () {
  "use strict";
  function setup(table) {
    var heads = table.querySelectorAll("thead th");
    var types = [];
    heads.forEach(function (th) {
      var m = /(?:^|\s)csec-col-(\S+)/.exec(th.className);
      if (m) types.push({ id: m[1], label: th.textContent.trim() });
    });
    if (!types.length) return;
    var bar = document.createElement("div");
    bar.className = "csec-filter";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Show red flags for");
    var count = document.createElement("span");
    count.className = "csec-filter-count";
    count.setAttribute("aria-live", "polite");
    var rows = table.querySelectorAll("tbody tr");
    var buttons = [];
    function apply(type) {
      var shown = 0;
      rows.forEach(function (tr) {
        var keep = !type || tr.classList.contains("csec-type-" + type);
        tr.classList.toggle("csec-hidden", !keep);
        if (keep) shown += 1;
      });
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.type === (type || ""))); });
      count.textContent = shown + " of " + rows.length + " shown";
    }
    [{ id: "", label: "All" }].concat(types).forEach(function (t) {
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.type = t.id;
      b.textContent = t.label;
      b.addEventListener("click", function () { apply(t.id); });
      buttons.push(b);
      bar.appendChild(b);
    });
    bar.appendChild(count);
    table.parentNode.insertBefore(bar, table);
    apply("");
  }
  function init() { document.querySelectorAll("table.csec-red-flags").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
