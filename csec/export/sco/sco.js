/* The quiz SCO: runs one module's quiz from the JSON block #csec-quiz-data and reports its score to a SCORM 1.2
   LMS (API discovery, LMSInitialize, score, lesson status, LMSCommit, LMSFinish). Small on purpose: the page's
   player can replace it, reading the same JSON. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("csec-quiz-data").textContent);
  var form = document.getElementById("csec-quiz");
  var started = new Date();
  var finished = false;
  var api = findAPI();

  // SCORM 1.2 discovery: the API object is on this window or an ancestor frame, else on the opener's chain.
  function findIn(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win.API) { return win.API; }
      } catch (e) {
        return null;  // a frame of another origin: the LMS is not up there
      }
      if (!win.parent || win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }

  function findAPI() {
    return findIn(window) || (window.opener ? findIn(window.opener) : null);
  }

  function lms(method, element, value) {
    if (!api) { return ""; }
    try {
      return String(value === undefined ? api[method](element === undefined ? "" : element)
                                        : api[method](element, value));
    } catch (e) {
      return "";
    }
  }

  function sessionTime() {
    var cs = Math.round((new Date() - started) / 10);
    function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }
    return pad(Math.floor(cs / 360000), 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  function node(tag, className, html) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    // Every HTML string in the data was escaped and rendered by the exporter; none comes from the learner.
    if (html !== undefined) { el.innerHTML = html; }
    return el;
  }

  function render() {
    data.questions.forEach(function (q, qi) {
      var fs = node("fieldset", "csec-q");
      fs.setAttribute("data-question", q.id);
      fs.appendChild(node("legend", "", (qi + 1) + ". " + q.stem));
      if (q.kind === "ordering") {
        fs.appendChild(node("p", "csec-hint", "Number the steps in order (1 = first)."));
        q.display.forEach(function (ci) {
          var row = node("label", "csec-choice");
          var select = node("select");
          select.setAttribute("data-choice", String(ci));
          select.appendChild(node("option", "", "&mdash;")).value = "";
          for (var p = 1; p <= q.choices.length; p++) {
            select.appendChild(node("option", "", String(p))).value = String(p);
          }
          row.appendChild(select);
          row.appendChild(node("span", "", " " + q.choices[ci].html));
          fs.appendChild(row);
          fs.appendChild(feedbackBox(fs, ci));
        });
      } else {
        q.choices.forEach(function (c, ci) {
          var row = node("label", "csec-choice");
          var input = node("input");
          input.type = q.kind === "multiple" ? "checkbox" : "radio";
          input.name = "q" + qi;
          input.value = String(ci);
          input.setAttribute("data-choice", String(ci));
          row.appendChild(input);
          row.appendChild(node("span", "", " " + c.html));
          fs.appendChild(row);
          fs.appendChild(feedbackBox(fs, ci));
        });
      }
      fs.appendChild(node("p", "csec-verdict"));
      form.appendChild(fs);
    });
    var submit = node("button", "", "Submit answers");
    submit.type = "submit";
    form.appendChild(submit);
  }

  function feedbackBox(fs, ci) {
    var box = node("div", "csec-feedback");
    box.setAttribute("data-feedback", String(ci));
    box.hidden = true;
    return box;
  }

  // A question scores only when answered exactly: every choice ticked or not as it should be, every step in place.
  function grade(q, fs) {
    var right = true;
    q.choices.forEach(function (c, ci) {
      var control = fs.querySelector("[data-choice='" + ci + "']");
      var ok = q.kind === "ordering" ? control.value === String(ci + 1) : control.checked === c.correct;
      // Feedback for every step, every ticked choice and every right choice that was missed.
      var shown = q.kind === "ordering" || control.checked || !ok;
      right = right && ok;
      var box = fs.querySelector("[data-feedback='" + ci + "']");
      if (shown) {
        box.innerHTML = c.feedback;
        box.className = "csec-feedback " + (ok ? "csec-right" : "csec-wrong");
        box.hidden = false;
      }
    });
    fs.querySelector(".csec-verdict").textContent = right ? "Correct." : "Not quite: see the feedback above.";
    return right;
  }

  function submit(event) {
    event.preventDefault();
    if (finished) { return; }
    var right = 0;
    data.questions.forEach(function (q) {
      if (grade(q, form.querySelector("fieldset[data-question='" + q.id + "']"))) { right++; }
    });
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    // Whole points, rounded down, so the score never reads higher than the answers earned.
    var raw = Math.floor(100 * right / data.questions.length);
    var mastery = parseInt(lms("LMSGetValue", "cmi.student_data.mastery_score"), 10);
    if (isNaN(mastery)) { mastery = data.mastery_score; }
    var status = raw >= mastery ? "passed" : "failed";
    lms("LMSSetValue", "cmi.core.score.min", "0");
    lms("LMSSetValue", "cmi.core.score.max", "100");
    lms("LMSSetValue", "cmi.core.score.raw", String(raw));
    lms("LMSSetValue", "cmi.core.lesson_status", status);
    finish();
    document.getElementById("csec-result").textContent = "Score: " + raw + " out of 100 (" + right + " of " +
      data.questions.length + " right; " + mastery + " needed to pass): " + status + ".";
  }

  function finish() {
    if (finished) { return; }
    finished = true;
    lms("LMSSetValue", "cmi.core.session_time", sessionTime());
    lms("LMSCommit", "");
    lms("LMSFinish", "");
  }

  render();
  form.addEventListener("submit", submit);
  window.addEventListener("pagehide", finish);
  var connected = api && lms("LMSInitialize", "") === "true";
  if (connected) {
    var status = lms("LMSGetValue", "cmi.core.lesson_status");
    if (status === "not attempted" || status === "") {
      lms("LMSSetValue", "cmi.core.lesson_status", "incomplete");
      lms("LMSCommit", "");
    }
  } else {
    api = null;
  }
  document.getElementById("csec-lms").textContent = connected ? "Your LMS records your score when you submit."
    : "No LMS connection: your answers are checked here but not recorded.";
}());
