// "Read and understood" records for a release: kept in this browser's localStorage and offered as a JSON download;
// nothing is sent anywhere (the site makes no request outside its own origin).
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"];
  // The record keeps the ISO timestamp (csec acknowledgements reads it); a reader sees the date in words, local time,
  // as the site writes dates ("December 4, 2026 at 09:05").
  function inWords(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return iso; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return MONTHS[d.getMonth()] + " " + d.getDate() + ", " + d.getFullYear() + " at " + two(d.getHours()) + ":" +
      two(d.getMinutes());
  }
  // A file name that carries the person and the release, so a supervisor's downloads never overwrite each other:
  // acknowledgement-2026-12-dana-example.json (letters and digits of any script kept, everything else a hyphen).
  function fileName(release, name) {
    var slug = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 60);
    return "acknowledgement-" + release + (slug ? "-" + slug : "") + ".json";
  }
  function setup(form) {
    var release = form.getAttribute("data-csec-ack-release");
    var releaseName = form.getAttribute("data-csec-ack-name");
    var version = form.getAttribute("data-csec-ack-version");
    var input = form.querySelector("input[name=name]");
    var status = form.querySelector(".csec-ack-status");
    var download = form.querySelector(".csec-ack-download");
    var link = download.querySelector("a");
    var key = "csec-ack:" + release;
    function offer(record, stored) {
      var blob = new Blob([JSON.stringify(record, null, 2) + "\n"], { type: "application/json" });
      if (link.href && link.href.indexOf("blob:") === 0) { URL.revokeObjectURL(link.href); }
      link.href = URL.createObjectURL(blob);
      link.setAttribute("download", fileName(release, record.name));
      download.hidden = false;
      status.textContent = (stored ? "Recorded: " : "Recorded earlier: ") + record.name + " read and understood " +
        releaseName + " on " + inWords(record.acknowledged_at) + ".";
    }
    var previous = null;
    try { previous = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { previous = null; }
    if (previous && previous.release === release && previous.page_version === version) {
      input.value = previous.name;
      offer(previous, false);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = input.value.replace(/\s+/g, " ").trim();
      if (!name) {
        status.textContent = "Type your name first, then press the button.";
        input.focus();
        return;
      }
      var record = { release: release, name: name, acknowledged_at: new Date().toISOString(), page_version: version };
      try { window.localStorage.setItem(key, JSON.stringify(record)); } catch (e) { /* private mode: download only */ }
      offer(record, true);
    });
  }
  function init() { Array.prototype.forEach.call(document.querySelectorAll("form.csec-ack"), setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
