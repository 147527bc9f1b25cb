/* The module's SCO: runs its vignettes (practice) and quiz (scored) from the JSON block #csec-quiz-data and reports
   to a SCORM 1.2 LMS: score and lesson status, one cmi.interactions.n per question and vignette decision, and
   resume (cmi.core.entry, cmi.core.lesson_location, cmi.suspend_data). It honours cmi.core.lesson_mode and
   cmi.core.credit, and never lowers a recorded pass. Small on purpose: the page's player can replace it. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("csec-quiz-data").textContent);
  var IDS = data.option_ids;  // the one character that names an option in a SCORM 1.2 response
  var SUSPEND_LIMIT = 4096;  // cmi.suspend_data is a CMIString4096 (SCORM 1.2 RTE 3.4.2.5)
  var form = document.getElementById("csec-quiz");
  var started = new Date();
  var finished = false;
  var api = findAPI();
  var lmsState = {connected: false, mode: "normal", credit: "credit", recording: false, counts: false,
                  status: "", raw: NaN};
  // What the learner has done, saved as cmi.suspend_data: q = one answer per question, v = one list of answers per
  // vignette, t = per vignette the deadline chosen for each timed action ("-" for none), c = "1" per checked
  // vignette, s = 1 once the quiz is submitted, h = which content the answers are for.
  var state = {h: contentHash(), q: [], v: [], t: [], c: "", s: 0};
  var where = "";

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

  function get(element) { return lms("LMSGetValue", element); }
  function set(element, value) { return lms("LMSSetValue", element, value); }

  function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }

  function sessionTime() {
    var cs = Math.round((new Date() - started) / 10);
    return pad(Math.floor(cs / 360000), 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  function clock() {
    var now = new Date();
    return pad(now.getHours(), 2) + ":" + pad(now.getMinutes(), 2) + ":" + pad(now.getSeconds(), 2);
  }

  // FNV-1a: a short, stable digest (the content's identity; the seed of a learner's choice order).
  function fnv(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  function contentHash() {
    var ids = data.questions.map(function (q) { return q.id + ":" + q.choices.length; });
    data.vignettes.forEach(function (v) {
      v.decisions.forEach(function (d) {
        ids.push(d.id + ":" + d.options.length + (d.timed ? ":" + d.timed.map(Number).join("") : ""));
      });
    });
    return fnv(ids.join("|")).toString(36);
  }

  // Each learner sees the choices in an order of their own (seeded by their LMS id, so a relaunch shows the same
  // order); a list of steps is never shown in its right order.
  function shuffled(q, learner) {
    var order = q.choices.map(function (c, i) { return i; });
    if (q.kind === "true_false") { return order; }
    var seed = fnv(learner + "|" + q.id);
    for (var i = order.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      var j = seed % (i + 1);
      var t = order[i]; order[i] = order[j]; order[j] = t;
    }
    if (q.kind === "ordering" && order.every(function (c, i) { return c === i; })) {
      order.push(order.shift());
    }
    return order;
  }

  function node(tag, className, html) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    // Every HTML string in the data was escaped and rendered by the exporter; none comes from the learner.
    if (html !== undefined) { el.innerHTML = html; }
    return el;
  }

  function feedbackBox(attr, ci, className) {
    var box = node("div", className);
    box.setAttribute(attr, String(ci));
    box.hidden = true;
    return box;
  }

  // --- the vignettes ------------------------------------------------------------------------------------------

  function renderVignettes() {
    var holder = document.getElementById("csec-vignettes");
    data.vignettes.forEach(function (v, vi) {
      var section = node("section", "csec-vignette");
      section.id = "csec-v" + (vi + 1);
      section.setAttribute("data-vignette", v.id);
      section.appendChild(node("h3", "", v.title));
      section.appendChild(node("p", "csec-warning", "<strong>Content warning.</strong> " + v.warning));
      section.appendChild(node("div", "csec-narrative", v.narrative));
      var vform = node("form", "csec-vform");
      vform.noValidate = true;
      v.decisions.forEach(function (d) {
        if (d.kind === "deadline") { return; }  // asked beside its action, in the actions' fieldset
        var fs = node("fieldset", "csec-q");
        fs.setAttribute("data-decision", d.id);
        fs.appendChild(node("legend", "", d.prompt));
        if (d.kind === "true_false") {
          [["t", "Yes"], ["f", "No"]].forEach(function (pair) {
            var row = node("label", "csec-choice");
            var input = node("input");
            input.type = "radio";
            input.name = d.id;
            input.value = pair[0];
            row.appendChild(input);
            row.appendChild(node("span", "", " " + pair[1]));
            fs.appendChild(row);
          });
          fs.appendChild(feedbackBox("data-explain", 0, "csec-explain"));
        } else {
          d.options.forEach(function (o, oi) {
            var row = node("label", "csec-choice");
            var input = node("input");
            input.type = "checkbox";
            input.setAttribute("data-option", String(oi));
            row.appendChild(input);
            row.appendChild(node("span", "", " " + o.html));
            fs.appendChild(row);
            fs.appendChild(feedbackBox("data-explain", oi, "csec-explain"));
            if (d.timed && d.timed[oi]) { fs.appendChild(deadlineChoice(v, vi, oi, input)); }
          });
        }
        vform.appendChild(fs);
      });
      var check = node("button", "", "Check my answers");
      check.type = "submit";
      vform.appendChild(check);
      vform.appendChild(node("p", "csec-vresult"));
      var debrief = node("div", "csec-debrief", "<h4>Debrief</h4>" + v.debrief);
      debrief.hidden = true;
      vform.appendChild(debrief);
      vform.addEventListener("submit", function (event) {
        event.preventDefault();
        checkVignette(vi, true);
        save(true);
      });
      section.appendChild(vform);
      holder.appendChild(section);
    });
    holder.hidden = data.vignettes.length === 0;
  }

  // Every timed action is offered a deadline (so the choices never tell which actions are required); the deadline of
  // a required one is a decision of its own, recorded and graded, and given only when its action is ticked.
  function deadlineChoice(v, vi, oi, action) {
    var box = node("div", "csec-deadline");
    var mine = v.decisions.filter(function (d) { return d.kind === "deadline" && d.action === oi; })[0];
    if (mine) { box.setAttribute("data-decision", mine.id); }
    var label = node("label");
    var select = node("select");
    select.id = "csec-v" + (vi + 1) + "-deadline-" + oi;
    select.setAttribute("data-deadline-for", String(oi));
    label.htmlFor = select.id;
    label.textContent = "Deadline for this action: ";
    select.setAttribute("aria-label", "Deadline for: " + action.parentNode.textContent.trim());
    select.appendChild(node("option", "", "Choose a deadline")).value = "";
    v.deadlines.forEach(function (html, k) { select.appendChild(node("option", "", html)).value = IDS.charAt(k); });
    box.appendChild(label);
    box.appendChild(select);
    if (mine) { box.appendChild(feedbackBox("data-explain", 0, "csec-explain")); }
    return box;
  }

  function decisionSet(vi, d) {
    return document.querySelector("#csec-v" + (vi + 1) + " [data-decision='" + d.id + "']");
  }

  function actionsOf(v) { return v.decisions.filter(function (d) { return d.timed; })[0]; }

  function readDecision(d, fs) {
    if (d.kind === "deadline") { return fs.querySelector("select").value; }
    if (d.kind === "true_false") {
      var on = fs.querySelector("input:checked");
      return on ? on.value : "";
    }
    return d.options.map(function (o, oi) {
      return fs.querySelector("[data-option='" + oi + "']").checked ? IDS.charAt(oi) : "";
    }).join("");
  }

  function writeDecision(d, fs, answer) {
    if (d.kind === "deadline") {
      fs.querySelector("select").value = answer;
      return;
    }
    if (d.kind === "true_false") {
      Array.prototype.forEach.call(fs.querySelectorAll("input"), function (input) {
        input.checked = input.value === answer;
      });
      return;
    }
    d.options.forEach(function (o, oi) {
      fs.querySelector("[data-option='" + oi + "']").checked = answer.indexOf(IDS.charAt(oi)) >= 0;
    });
  }

  function pattern(options) {
    return options.map(function (o, i) { return o.correct ? IDS.charAt(i) : ""; }).join("");
  }

  function checkVignette(vi, record) {
    var v = data.vignettes[vi];
    var right = 0;
    v.decisions.forEach(function (d) {
      var fs = decisionSet(vi, d);
      var answer = readDecision(d, fs);
      var ok;
      if (d.kind === "deadline") {
        // As the site judges it: a deadline counts only for a ticked action; none chosen is missed, not wrong.
        var ticked = decisionSet(vi, actionsOf(v)).querySelector("[data-option='" + d.action + "']").checked;
        var response = ticked ? answer : "";
        var want = pattern(d.options);
        ok = response === want;
        var said = fs.querySelector("[data-explain='0']");
        said.innerHTML = response === "" ? "Missed. " + d.options[IDS.indexOf(want)].missed :
          (ok ? "Right. " : "Not quite. ") + d.options[IDS.indexOf(response)].chosen;
        said.className = "csec-explain " + (ok ? "csec-right" : "csec-wrong");
        said.hidden = false;
        if (record) { interaction(d.id, "choice", response, want, ok, 0, d.objectives); }
      } else if (d.kind === "true_false") {
        var expected = d.options[0].correct ? "t" : "f";
        ok = answer === expected;
        var box = fs.querySelector("[data-explain='0']");
        box.innerHTML = (answer === "" ? "Not answered. " : ok ? "Right. " : "Not quite. ") + d.options[0].chosen;
        box.className = "csec-explain " + (ok ? "csec-right" : "csec-wrong");
        box.hidden = false;
        if (record) { interaction(d.id, "true-false", answer, expected, ok, 0, d.objectives); }
      } else {
        ok = answer === pattern(d.options);
        d.options.forEach(function (o, oi) {
          var ticked = answer.indexOf(IDS.charAt(oi)) >= 0;
          var box = fs.querySelector("[data-explain='" + oi + "']");
          if (ticked || o.correct) {
            box.innerHTML = ticked ? o.chosen : o.missed;
            box.className = "csec-explain " + (ticked === o.correct ? "csec-right" : "csec-wrong");
            box.hidden = false;
          }
        });
        if (record) {
          interaction(d.id, "choice", answer.split("").join(","), pattern(d.options).split("").join(","), ok, 0,
                      d.objectives);
        }
      }
      if (ok) { right++; }
    });
    var section = document.getElementById("csec-v" + (vi + 1));
    Array.prototype.forEach.call(section.querySelectorAll("input, select, button"), function (el) {
      el.disabled = true;
    });
    section.querySelector(".csec-vresult").textContent = right + " of " + v.decisions.length +
      " decisions right: see the notes above and the debrief.";
    section.querySelector(".csec-debrief").hidden = false;
    state.c = state.c.substring(0, vi) + "1" + state.c.substring(vi + 1);
  }

  // --- the quiz -----------------------------------------------------------------------------------------------

  function renderQuiz(learner) {
    data.questions.forEach(function (q, qi) {
      var fs = node("fieldset", "csec-q");
      fs.setAttribute("data-question", q.id);
      fs.appendChild(node("legend", "", (qi + 1) + ". " + q.stem));
      var order = shuffled(q, learner);
      if (q.kind === "ordering") {
        fs.appendChild(node("p", "csec-hint", "Number the steps in order (1 = first)."));
      }
      order.forEach(function (ci) {
        var row = node("label", "csec-choice");
        var control;
        if (q.kind === "ordering") {
          control = node("select");
          control.appendChild(node("option", "", "&mdash;")).value = "";
          for (var p = 1; p <= q.choices.length; p++) {
            control.appendChild(node("option", "", String(p))).value = String(p);
          }
        } else {
          control = node("input");
          control.type = q.kind === "multiple" ? "checkbox" : "radio";
          control.name = "q" + qi;
          control.value = String(ci);
        }
        control.setAttribute("data-choice", String(ci));
        row.appendChild(control);
        row.appendChild(node("span", "", " " + q.choices[ci].html));
        fs.appendChild(row);
        fs.appendChild(feedbackBox("data-feedback", ci, "csec-feedback"));
      });
      fs.appendChild(node("p", "csec-verdict"));
      form.appendChild(fs);
    });
    var submit = node("button", "", "Submit answers");
    submit.type = "submit";
    form.appendChild(submit);
  }

  function questionSet(q) { return form.querySelector("fieldset[data-question='" + q.id + "']"); }

  // An ordering answer is each step's chosen place, one character per step ("-" for none); any other answer is the
  // characters of the ticked choices.
  function readQuestion(q, fs) {
    return q.choices.map(function (c, ci) {
      var control = fs.querySelector("[data-choice='" + ci + "']");
      if (q.kind === "ordering") { return control.value ? IDS.charAt(parseInt(control.value, 10)) : "-"; }
      return control.checked ? IDS.charAt(ci) : "";
    }).join("");
  }

  function writeQuestion(q, fs, answer) {
    q.choices.forEach(function (c, ci) {
      var control = fs.querySelector("[data-choice='" + ci + "']");
      if (q.kind === "ordering") {
        var place = IDS.indexOf(answer.charAt(ci));
        control.value = place > 0 ? String(place) : "";
      } else {
        control.checked = answer.indexOf(IDS.charAt(ci)) >= 0;
      }
    });
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

  function recordQuestion(q, fs, right) {
    var answer = readQuestion(q, fs);
    if (q.kind === "ordering") {
      // A sequencing response lists the steps in the places the learner gave them.
      var placed = [];
      q.choices.forEach(function (c, ci) {
        var place = IDS.indexOf(answer.charAt(ci));
        if (place > 0) { placed[place - 1] = IDS.charAt(ci); }
      });
      var steps = q.choices.map(function (c, ci) { return IDS.charAt(ci); });
      interaction(q.id, "sequencing", placed.filter(Boolean).join(","), steps.join(","), right, 1, q.objectives);
    } else if (q.kind === "true_false") {
      var truth = q.choices.filter(function (c) { return c.correct; })[0];
      var says = function (c) { return c && /^\s*true\s*$/i.test(c.html) ? "t" : "f"; };
      var chosen = q.choices.filter(function (c, ci) { return answer.indexOf(IDS.charAt(ci)) >= 0; })[0];
      interaction(q.id, "true-false", chosen ? says(chosen) : "", says(truth), right, 1, q.objectives);
    } else {
      interaction(q.id, "choice", answer.split("").join(","), pattern(q.choices).split("").join(","), right, 1,
                  q.objectives);
    }
  }

  function submit(event) {
    event.preventDefault();
    if (finished || state.s) { return; }
    var right = 0;
    data.questions.forEach(function (q) {
      var fs = questionSet(q);
      var ok = grade(q, fs);
      recordQuestion(q, fs, ok);
      if (ok) { right++; }
    });
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    // Whole points, rounded down, so the score never reads higher than the answers earned.
    var raw = Math.floor(100 * right / data.questions.length);
    var mastery = parseInt(get("cmi.student_data.mastery_score"), 10);
    if (isNaN(mastery)) { mastery = data.mastery_score; }
    var status = raw >= mastery ? "passed" : "failed";
    // A pass on record stays a pass: a later attempt may raise the score, never lower the status or the score.
    var keptPass = lmsState.status === "passed" && status === "failed";
    if (lmsState.counts) {
      if (!keptPass) { set("cmi.core.lesson_status", status); }
      if (!(lmsState.status === "passed" && raw < lmsState.raw)) {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", String(raw));
      }
    }
    state.s = 1;
    finish();
    document.getElementById("csec-result").textContent = "Score: " + raw + " out of 100 (" + right + " of " +
      data.questions.length + " right; " + mastery + " needed to pass): " + status + "." +
      (lmsState.counts && keptPass ? " Your earlier pass stays on record." : "") +
      (lmsState.connected && !lmsState.counts ? " This attempt is not recorded: your result on record stays." : "");
  }

  // --- what the LMS records -----------------------------------------------------------------------------------

  function interaction(id, type, response, correct, right, weighting, objectives) {
    if (!lmsState.recording) { return; }
    var n = parseInt(get("cmi.interactions._count"), 10) || 0;
    var at = "cmi.interactions." + n + ".";
    set(at + "id", id);
    objectives.forEach(function (objective, k) { set(at + "objectives." + k + ".id", objective); });
    set(at + "time", clock());
    set(at + "type", type);
    set(at + "weighting", String(weighting));
    set(at + "student_response", response);
    set(at + "result", right ? "correct" : "wrong");
    set(at + "correct_responses.0.pattern", correct);
  }

  function collect() {
    state.q = data.questions.map(function (q) { return readQuestion(q, questionSet(q)); });
    state.v = data.vignettes.map(function (v, vi) {
      return v.decisions.map(function (d) { return readDecision(d, decisionSet(vi, d)); });
    });
    state.t = data.vignettes.map(function (v, vi) {
      return deadlineSelects(vi).map(function (s) { return s.value || "-"; }).join("");
    });
  }

  function deadlineSelects(vi) {
    return Array.prototype.slice.call(document.querySelectorAll("#csec-v" + (vi + 1) + " select[data-deadline-for]"));
  }

  function save(commit) {
    if (!lmsState.recording) { return; }
    collect();
    var text = JSON.stringify(state);
    // Within the limit by construction (a few characters per answer); if a huge module ever went past it, keep the
    // answers on record rather than send what an LMS would refuse or cut.
    if (text.length <= SUSPEND_LIMIT) { set("cmi.suspend_data", text); }
    if (where) { set("cmi.core.lesson_location", where); }
    if (commit) { lms("LMSCommit", ""); }
  }

  function restore(text) {
    var saved;
    try { saved = JSON.parse(text); } catch (e) { return false; }
    if (!saved || saved.h !== state.h) { return false; }  // answers to other content: start afresh
    data.questions.forEach(function (q, qi) {
      if (typeof saved.q[qi] === "string") { writeQuestion(q, questionSet(q), saved.q[qi]); }
    });
    data.vignettes.forEach(function (v, vi) {
      var chosen = String((saved.t || [])[vi] || "");
      deadlineSelects(vi).forEach(function (s, k) {
        var c = chosen.charAt(k);
        s.value = c && c !== "-" ? c : "";
      });
      v.decisions.forEach(function (d, di) {
        var answer = saved.v[vi] && saved.v[vi][di];
        if (typeof answer === "string") { writeDecision(d, decisionSet(vi, d), answer); }
      });
      if (String(saved.c || "").charAt(vi) === "1") { checkVignette(vi, false); }
    });
    state.c = String(saved.c || "");
    if (saved.s) {
      state.s = 1;
      data.questions.forEach(function (q) { grade(q, questionSet(q)); });
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    }
    return true;
  }

  function finish() {
    if (finished) { return; }
    finished = true;
    if (lmsState.recording) {
      // Left before submitting: suspend, so the LMS offers to resume where the learner was.
      set("cmi.core.exit", state.s ? "" : "suspend");
      save(false);
    }
    if (lmsState.connected) { set("cmi.core.session_time", sessionTime()); }
    lms("LMSCommit", "");
    lms("LMSFinish", "");
  }

  function start() {
    lmsState.connected = !!api && lms("LMSInitialize", "") === "true";
    if (!lmsState.connected) { api = null; }
    var learner = lmsState.connected ? get("cmi.core.student_id") : String(Math.random());
    if (lmsState.connected) {
      lmsState.mode = get("cmi.core.lesson_mode") || "normal";
      lmsState.credit = get("cmi.core.credit") || "credit";
      lmsState.status = get("cmi.core.lesson_status");
      lmsState.raw = parseFloat(get("cmi.core.score.raw"));
      // Browse and review never write a status, a score or an interaction; no-credit never a status or a score.
      lmsState.recording = lmsState.mode === "normal";
      lmsState.counts = lmsState.recording && lmsState.credit === "credit";
    }
    renderVignettes();
    renderQuiz(learner);
    var message = "No LMS connection: your answers are checked here but not recorded.";
    if (lmsState.connected) {
      var entry = get("cmi.core.entry");
      var resumed = (entry === "resume" || lmsState.mode === "review") && restore(get("cmi.suspend_data"));
      where = resumed ? get("cmi.core.lesson_location") : "";
      if (lmsState.mode === "review") {
        Array.prototype.forEach.call(document.querySelectorAll("input, select, button"), function (el) {
          el.disabled = true;
        });
        message = "Review: your answers are shown as you left them; nothing here changes your result on record.";
      } else if (lmsState.mode === "browse") {
        message = "Browse: your answers are checked here but not recorded.";
      } else if (!lmsState.counts) {
        message = "This attempt is not for credit: your result on record stays as it is.";
      } else {
        message = resumed ? "Welcome back: your answers are as you left them." :
          "Your LMS records your score when you submit.";
      }
      if (lmsState.recording && (lmsState.status === "not attempted" || lmsState.status === "")) {
        set("cmi.core.lesson_status", "incomplete");
        lms("LMSCommit", "");
      }
      var there = where && document.getElementById(where);
      if (there) { there.scrollIntoView(); }
    }
    document.getElementById("csec-lms").textContent = message;
    // Where the learner is and what they answered, kept as they go (the LMS stores it on commit and at exit).
    document.addEventListener("focusin", function (event) {
      var section = event.target.closest && event.target.closest("section.csec-vignette, #csec-quiz-section");
      if (section && section.id !== where) { where = section.id; }
    });
    document.addEventListener("change", function () { save(false); });
    form.addEventListener("submit", submit);
    window.addEventListener("pagehide", finish);
  }

  start();
}());
