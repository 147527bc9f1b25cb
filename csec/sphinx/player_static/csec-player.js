// The in-page training player: vignettes, quizzes, the at-risk checklist and the trainee's progress, on pages that
// hold a player root (csec/sphinx/player.py writes the roots and their JSON). Plain JavaScript, no dependencies.
// It compares the trainee's choices with the answer key the build exported; it never evaluates a rule (the checklist
// asks window.csec.assess, the rules interpreter, when the page has it). Progress stays in this browser's
// localStorage; nothing is sent anywhere, and results leave only as a file the trainee downloads.
(function () {
  "use strict";
  var STORE = "csec-training";  // localStorage key: one namespaced, versioned record
  var VERSION = 1;
  var uid = 0;

  // --- small helpers ------------------------------------------------------------------------------------------
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;  // only ever HTML the build escaped (csec.markup)
      else if (k === "class") node.className = v;
      else if (k === "hidden") node.hidden = !!v;
      else if (k.indexOf("on") === 0) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function id(prefix) { uid += 1; return "csec-" + prefix + "-" + uid; }
  function data(root, kind) {
    var s = root.querySelector('script[type="application/json"][data-csec-' + kind + "]");
    return s ? JSON.parse(s.textContent) : null;
  }
  function button(text, onclick, cls) {
    return el("button", { type: "button", class: "csec-button" + (cls ? " " + cls : ""), text: text, onclick: onclick });
  }
  function checkbox(labelHtml, name) {
    var input = el("input", { type: "checkbox", id: id("c"), name: name || "" });
    return { input: input, row: el("div", { class: "csec-choice" }, [input, el("label", { for: input.id, html: labelHtml })]) };
  }
  function radio(labelHtml, name, value) {
    var input = el("input", { type: "radio", id: id("r"), name: name, value: value });
    return { input: input, row: el("span", { class: "csec-choice csec-inline" }, [input, el("label", { for: input.id, html: labelHtml })]) };
  }
  function fieldset(legendHtml, hint, rows) {
    return el("fieldset", { class: "csec-step" }, [el("legend", { html: legendHtml }),
      hint ? el("p", { class: "csec-hint", text: hint }) : null].concat(rows));
  }

  var CITES = {};
  function citesNode(ids) {
    if (!ids || !ids.length) return null;
    var div = el("div", { class: "csec-cites" }, [ids.length === 1 ? "Source: " : "Sources: "]);
    ids.forEach(function (c, k) {
      if (k) div.appendChild(document.createTextNode("; "));
      var entry = CITES[c];
      div.appendChild(entry ? el("a", { href: entry[1], text: entry[0] }) : document.createTextNode(c));
    });
    return div;
  }
  function decisionNode(ok, labelHtml, whyHtml, cites) {
    // Words, not only colour, carry the verdict.
    return el("li", { class: ok ? "csec-right" : "csec-wrong" }, [
      el("strong", { text: ok ? "Right: " : "Not quite: " }), el("span", { html: labelHtml }),
      el("div", { html: whyHtml }), citesNode(cites)]);
  }

  // --- progress (this browser only) ---------------------------------------------------------------------------
  function load() {
    try {
      var d = JSON.parse(window.localStorage.getItem(STORE));
      if (d && d.version === VERSION) return d;
    } catch (e) { /* unreadable or blocked storage: start afresh */ }
    return { version: VERSION, trainee: "", vignettes: {}, quizzes: {} };
  }
  function save(d) {
    try { window.localStorage.setItem(STORE, JSON.stringify(d)); } catch (e) { /* storage full or blocked */ }
    document.querySelectorAll("[data-csec-progress]").forEach(function (r) { if (r.csecRefresh) r.csecRefresh(); });
  }

  // --- a vignette ---------------------------------------------------------------------------------------------
  // The same comparison as csec.answer.judge_item / judge_deadline, on the exported key.
  function judge(topic, item, chosen) {
    if (topic === "classification") {
      if (chosen === null) return [false, item.missed];
      return chosen === item.expected ? [true, item.right] : [false, item.wrong];
    }
    if (!(item.expected || chosen)) return null;
    if (item.expected && chosen) return [true, item.right];
    return item.expected ? [false, item.missed] : [false, item.wrong];
  }
  function judgeDeadline(d, chosen, words) {
    if (chosen === d.key) return [true, d.right];
    if (!chosen) return [false, d.missing];
    return [false, d.wrong.replace("{chosen}", words)];
  }
  var HEADINGS = { indicator: "At-risk indicators", red_flag: "Red flags", classification: "Classification",
                   action: "Required actions" };

  var FORM = null;  // what every vignette on the page asks (labels only), written once per page
  // "What would change this answer": the given facts that decided it and what to find out next, from the key
  // (csec.training.answer.what_would_change), as text only.
  function whatWouldChange(change) {
    var items = change.decided_by.map(function (c) {
      return el("li", { text: c.label + ": " + c.value + "; had it been " + c.instead + ", these would differ: " +
                              c.changes.join(", ") });
    }).concat(change.find_out.map(function (f) {
      return el("li", { text: "To find out: " + f.label + " (could change " + f.could_change.join(", ") + ")" +
                              (f.questions.length ? "; ask: " + f.questions.join(" / ") : "") });
    }));
    return el("div", { class: "csec-what-would-change" }, [el("h5", { text: "What would change this answer" }),
      items.length ? el("ul", {}, items) : el("p", { text: "No single fact given here would change the answer." })]);
  }

  function vignette(root) {
    var own = data(root, "vignette");
    if (!own || !FORM) return;
    var sid = own.scenario;
    var keyUrl = root.getAttribute("data-csec-key");
    var key = null;  // the answers: fetched from this site when the trainee first checks
    var narrative = root.querySelector(".csec-narrative");
    var debrief = root.querySelector(".csec-debrief");
    var warning = root.querySelector(".csec-warning");
    narrative.hidden = true;
    debrief.hidden = true;
    narrative.setAttribute("tabindex", "-1");
    var status = el("p", { class: "csec-status-line" });
    var controls = {};
    var steps = el("div", { class: "csec-steps", hidden: true });
    var asks = { indicator: FORM.indicator, red_flag: own.red_flags, classification: FORM.classification,
                 action: FORM.action };

    ["indicator", "red_flag"].forEach(function (topic, k) {
      controls[topic] = asks[topic].map(function (item) {
        var c = checkbox(item.label, sid + "-" + topic);
        c.input.value = item.key;
        return { item: item, input: c.input, row: c.row };
      });
      steps.appendChild(fieldset("Step " + (k + 1) + " of 4: " + HEADINGS[topic],
        topic === "indicator" ? "Tick each at-risk indicator this vignette shows." : "Tick each red flag present in this vignette.",
        controls[topic].map(function (c) { return c.row; })));
    });
    controls.classification = asks.classification.map(function (item) {
      var name = id("yn");
      var yes = radio("Yes", name, "yes"), no = radio("No", name, "no");
      return { item: item, yes: yes.input, no: no.input,
               row: el("fieldset", { class: "csec-yesno" }, [el("legend", { html: item.label }), yes.row, no.row]) };
    });
    steps.appendChild(fieldset("Step 3 of 4: Classification", "Answer each question Yes or No.",
      controls.classification.map(function (c) { return c.row; })));
    controls.action = asks.action.map(function (item) {
      var c = checkbox(item.label, sid + "-action");
      c.input.value = item.key;
      var row = el("div", { class: "csec-action" }, [c.row]);
      var select = null;
      if (item.timed) {
        select = el("select", { id: id("d") }, [el("option", { value: "", text: "Choose a deadline" })].concat(
          FORM.deadlines.map(function (d) { return el("option", { value: d[1], html: d[0] }); })));
        row.appendChild(el("div", { class: "csec-deadline-choice" }, [
          el("label", { for: select.id, text: "Deadline for this action: " }), select]));
        select.setAttribute("aria-label", "Deadline for: " + c.row.textContent);
      }
      return { item: item, input: c.input, select: select, row: row };
    });
    steps.appendChild(fieldset("Step 4 of 4: Required actions",
      "Tick every action the policy requires here, and choose its deadline.",
      controls.action.map(function (c) { return c.row; })));
    var feedback = el("div", { class: "csec-feedback", "aria-live": "polite" });
    var answer = el("div", { class: "csec-answer", hidden: true });
    steps.appendChild(button("Check my answers", check, "csec-primary"));
    steps.appendChild(feedback);

    var gate = button("I understand: show the vignette", function () {
      narrative.hidden = false;
      steps.hidden = false;
      gate.remove();
      narrative.focus();  // keyboard users continue from the story, not from the top of the page
    }, "csec-primary");
    warning.after(gate);
    root.insertBefore(status, warning);
    debrief.before(steps);
    debrief.before(answer);

    function deadlineWords(value) {
      var hit = FORM.deadlines.filter(function (d) { return d[1] === value; })[0];
      return hit ? hit[0] : value;
    }

    function check() {
      if (key) return judgeAll();
      feedback.textContent = "Checking…";
      fetch(keyUrl, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (k) { key = k; judgeAll(); }, function (e) {
        feedback.textContent = "The answers could not be loaded from this site (" + e.message + "). Try again in a moment.";
      });
    }
    function judgeAll() {
      var decisions = [];  // [topic, ok, label, why, cites]
      ["indicator", "red_flag", "classification", "action"].forEach(function (topic) {
        var before = decisions.length;
        var answers = {};
        key.items[topic].forEach(function (a) { answers[a.key] = a; });
        controls[topic].forEach(function (c) {
          var a = answers[c.item.key];
          if (!a) return;
          var chosen = topic === "classification" ? (c.yes.checked ? true : c.no.checked ? false : null) : c.input.checked;
          var j = judge(topic, a, chosen);
          if (!j) return;
          decisions.push([topic, j[0], c.item.label, j[1], a.cites]);
          if (a.deadline && chosen) {
            var picked = c.select ? c.select.value : "";
            var d = judgeDeadline(a.deadline, picked, deadlineWords(picked));
            decisions.push([topic, d[0], a.deadline.label, d[1], a.cites]);
          }
        });
        var none = key.nothing[topic];
        if (none && decisions.length === before) decisions.push([topic, true, none.label, none.explanation, none.cites]);
      });
      var score = decisions.filter(function (d) { return d[1]; }).length;
      var summary = score + " of " + decisions.length + " decisions right." +
        (score === decisions.length ? " Well done." : " See what was missed below.");
      feedback.textContent = "";
      var heading = el("h4", { tabindex: "-1", text: summary });
      feedback.appendChild(heading);
      Object.keys(HEADINGS).forEach(function (topic) {
        var mine = decisions.filter(function (d) { return d[0] === topic; });
        if (!mine.length) return;
        feedback.appendChild(el("h5", { text: HEADINGS[topic] }));
        feedback.appendChild(el("ul", { class: "csec-decisions" }, mine.map(function (d) {
          return decisionNode(d[1], d[2], d[3], d[4]);
        })));
      });
      answer.textContent = "";
      answer.appendChild(el("p", {}, [el("strong", { text: "About this vignette: " }),
        el("span", { html: key.title + ". " + key.summary })]));
      if (key.what_would_change) answer.appendChild(whatWouldChange(key.what_would_change));
      answer.hidden = false;
      debrief.hidden = false;
      heading.focus();
      var store = load();
      store.vignettes[sid] = { module: own.module, score: score, total: decisions.length,
                               title: root.querySelector(".csec-vignette-title").textContent,
                               completed_at: new Date().toISOString() };
      save(store);
      showStatus();
    }
    function showStatus() {
      var done = load().vignettes[sid];
      status.textContent = done ? "You checked your answers on this vignette: " + done.score + " of " + done.total +
        " decisions right (saved in this browser)." : "";
      status.hidden = !done;
    }
    showStatus();
  }

  // --- a quiz -------------------------------------------------------------------------------------------------
  function seeded(seed) {  // mulberry32: a small, fast, seedable generator (Math.random cannot be seeded)
    return function () {
      seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  function shuffle(list, rng) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(rng() * (i + 1)), t = list[i];
      list[i] = list[j]; list[j] = t;
    }
    return list;
  }
  // The same comparison as csec.feedback.grade_question, on the exported question key.
  function gradeQuestion(q, picks) {
    var decisions = [], right;
    if (q.kind === "ordering") {
      right = picks.length === q.choices.length && picks.every(function (p, k) { return p === k; });
      q.choices.forEach(function (c, k) {
        var chosen = k < picks.length ? picks[k] : null;
        var ok = chosen === k;
        decisions.push([ok, "Position " + (k + 1) + ": " + c.text,
          ok ? c.chosen : c.missed.replace("{chosen}", chosen === null ? "nothing" : q.choices[chosen].text)]);
      });
    } else {
      var correct = q.choices.map(function (c, k) { return c.correct ? k : -1; }).filter(function (k) { return k >= 0; });
      right = picks.length === correct.length && correct.every(function (k) { return picks.indexOf(k) >= 0; });
      q.choices.forEach(function (c, k) {
        var chosen = picks.indexOf(k) >= 0;
        if (!(chosen || c.correct)) return;
        decisions.push([chosen === c.correct, c.text, chosen ? c.chosen : c.missed]);
      });
    }
    return { right: right, decisions: decisions, summary: !picks.length ? q.none : right ? q.right : q.wrong };
  }

  function quiz(root) {
    var pool = data(root, "questions") || [];
    var poolUrl = root.getAttribute("data-csec-questions");  // the questions and their keys, beside the page
    var module = root.getAttribute("data-csec-quiz");
    var n = parseInt(root.getAttribute("data-csec-n"), 10) || 10;
    var title = el("h3", { class: "csec-quiz-title", text: "Quiz: " + root.getAttribute("data-csec-title") });
    var scoreLine = el("p", { class: "csec-score", "aria-live": "polite" });
    var stage = el("div", { class: "csec-question" });
    var feedback = el("div", { class: "csec-feedback", "aria-live": "polite" });
    var nav = el("div", { class: "csec-nav" });
    root.appendChild(title);
    root.appendChild(scoreLine);
    root.appendChild(stage);
    root.appendChild(nav);
    root.appendChild(feedback);
    var drawn, current, score, results, read;

    function start() {
      var store = load();
      var attempt = (store.quizzes[module] || {}).attempts || 0;
      var rng = seeded(hash(module + "/" + attempt));  // a new draw per attempt, the same one after a reload
      drawn = shuffle(pool.slice(), rng).slice(0, n).map(function (q) {
        var order = q.choices.map(function (c, k) { return k; });
        if (q.kind !== "true_false") shuffle(order, rng);  // "True" before "False" reads naturally
        return { q: q, order: order };
      });
      current = 0; score = 0; results = [];
      show();
    }
    function show() {
      stage.textContent = ""; nav.textContent = ""; feedback.textContent = "";
      if (!drawn.length) { stage.appendChild(el("p", { text: "This module has no published quiz questions yet." })); return; }
      var d = drawn[current], q = d.q, name = id("q");
      scoreLine.textContent = "Question " + (current + 1) + " of " + drawn.length + ". Score so far: " + score + " of " + current + ".";
      var how = { single: "Choose one answer.", true_false: "True or false?", multiple: "Tick every right answer.",
                  ordering: "Put these in the right order." }[q.kind];
      var rows;
      if (q.kind === "ordering") {
        rows = q.choices.map(function (c, k) {
          var s = el("select", { id: id("o") }, [el("option", { value: "", text: "Choose…" })].concat(
            d.order.map(function (i) { return el("option", { value: String(i), html: q.choices[i].text }); })));
          return el("div", { class: "csec-choice" }, [el("label", { for: s.id, text: "Position " + (k + 1) + ": " }), s]);
        });
        read = function () {
          return Array.prototype.map.call(stage.querySelectorAll("select"), function (s) { return s.value; })
            .filter(function (v) { return v !== ""; }).map(Number);  // like the widget: empty positions are dropped
        };
      } else {
        rows = d.order.map(function (i) {
          var c = q.kind === "multiple" ? checkbox(q.choices[i].text, name) : radio(q.choices[i].text, name, String(i));
          c.input.value = String(i);
          c.row.className = "csec-choice";
          return c.row;
        });
        read = function () {
          return Array.prototype.filter.call(stage.querySelectorAll("input"), function (x) { return x.checked; })
            .map(function (x) { return Number(x.value); });
        };
      }
      stage.appendChild(el("fieldset", { class: "csec-step" }, [
        el("legend", { text: "Question " + (current + 1) + " of " + drawn.length }),
        el("div", { class: "csec-stem", html: q.stem }), el("p", { class: "csec-hint", text: how })].concat(rows)));
      nav.appendChild(button("Check answer", submit, "csec-primary"));
    }
    function submit() {
      var q = drawn[current].q, picks = read();
      if (!picks.length) { feedback.textContent = ""; feedback.appendChild(el("p", { text: "Choose an answer first." })); return; }
      var g = gradeQuestion(q, picks);
      score += g.right ? 1 : 0;
      results.push({ id: q.id, right: g.right });
      stage.querySelectorAll("input, select").forEach(function (x) { x.disabled = true; });
      feedback.textContent = "";
      var heading = el("h4", { tabindex: "-1", html: g.summary });
      feedback.appendChild(heading);
      feedback.appendChild(el("ul", { class: "csec-decisions" }, g.decisions.map(function (d) {
        return decisionNode(d[0], d[1], d[2], null);
      })));
      var cites = citesNode(q.cites);
      if (cites) feedback.appendChild(cites);
      scoreLine.textContent = "Question " + (current + 1) + " of " + drawn.length + ". Score so far: " + score + " of " + (current + 1) + ".";
      nav.textContent = "";
      var last = current === drawn.length - 1;
      var next = button(last ? "See my final score" : "Next question", function () {
        if (last) finish(); else { current += 1; show(); stage.querySelector("legend").setAttribute("tabindex", "-1"); stage.querySelector("legend").focus(); }
      }, "csec-primary");
      nav.appendChild(next);
      next.focus();
    }
    function finish() {
      var store = load();
      var record = store.quizzes[module] || { attempts: 0, best: null };
      var result = { score: score, total: drawn.length, questions: drawn.map(function (d) { return d.q.id; }),
                     right: results.filter(function (r) { return r.right; }).map(function (r) { return r.id; }),
                     completed_at: new Date().toISOString() };
      record.attempts += 1;
      record.last = result;
      if (!record.best || score / result.total > record.best.score / record.best.total) record.best = result;
      store.quizzes[module] = record;
      save(store);
      stage.textContent = ""; nav.textContent = ""; feedback.textContent = "";
      scoreLine.textContent = "Quiz finished: " + score + " of " + drawn.length + " right.";
      var final = el("h4", { tabindex: "-1", class: "csec-final", text: "Final score: " + score + " of " + drawn.length + "." });
      feedback.appendChild(final);
      nav.appendChild(button("Start a new quiz", function () { start(); stage.querySelector("legend").setAttribute("tabindex", "-1"); stage.querySelector("legend").focus(); }));
      final.focus();
    }
    if (!poolUrl) { start(); return; }
    stage.appendChild(el("p", { text: "Loading the quiz…" }));
    fetch(poolUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (questions) { pool = questions; start(); }, function (e) {
      stage.textContent = "";
      stage.appendChild(el("p", { text: "The quiz could not be loaded from this site (" + e.message + "). Reload the page to try again." }));
    });
  }

  // --- the at-risk checklist ----------------------------------------------------------------------------------
  function engine() { return window.csec && typeof window.csec.assess === "function" ? window.csec.assess : null; }
  function checklist(root) {
    var d = data(root, "risk-rule");
    if (!d) return;
    var rule = el("div", { class: "csec-rule-text" }, [el("p", {}, [el("strong", { text: "The rule: " }),
      el("span", { html: d.rule })]), citesNode(d.cites)]);
    root.appendChild(rule);
    if (engine()) live(root, d, rule);
    else window.addEventListener("load", function () { if (engine()) live(root, d, rule); });  // it may load later
  }
  function live(root, d, rule) {
    // Only with the rules interpreter on the page: without it the rule's words above are the whole exercise.
    var boxes = [];
    var age = el("input", { type: "number", id: id("age"), min: "0", max: "30", inputmode: "numeric", class: "csec-age" });
    // Nothing is presumed about the youth: no age, not receiving services, until the trainee says so.
    var cws = checkbox("Receiving child welfare services");
    var about = fieldset("About the youth", null, [
      el("div", { class: "csec-choice" }, [el("label", { for: age.id, text: "Age in years: " }), age]), cws.row]);
    root.insertBefore(about, rule);
    d.groups.forEach(function (g) {
      var rows = g.indicators.map(function (ind) {
        var c = checkbox(ind.label);
        c.input.value = ind.id;
        boxes.push(c.input);
        return c.row;
      });
      root.insertBefore(fieldset(g.title, g.needed ? "The rule counts at least " + g.needed + " of these." : null, rows), rule);
    });
    var result = el("div", { class: "csec-feedback", "aria-live": "polite" });
    root.insertBefore(button("Clear all", function () { boxes.forEach(function (b) { b.checked = false; }); update(); }), rule);
    root.insertBefore(result, rule);

    function update() {
      result.textContent = "";
      var facts = { receiving_child_welfare_services: cws.input.checked };
      if (age.value !== "") facts.age = parseInt(age.value, 10);
      boxes.forEach(function (b) { if (b.checked) facts[b.value] = true; });
      var r;
      try { r = engine()(facts); } catch (e) { result.appendChild(el("p", { text: String(e.message || e) })); return; }
      if (r.at_risk === null || r.at_risk === undefined) {
        result.appendChild(el("p", { text: (r.needs || []).indexOf("age") >= 0 ? "Enter the youth's age to see the answer." :
          "The rules cannot answer yet: " + (r.needs || []).join(", ") + "." }));
        return;
      }
      var reason = (r.reasons || []).filter(function (x) { return x.rule === "at_risk"; })[0];
      result.appendChild(el("p", {}, [el("strong", { text: "At risk: " + (r.at_risk ? "yes" : "no") })]));
      if (reason) {
        result.appendChild(el("p", { text: "Why: " + reason.because + "." }));
        var c = citesNode(reason.cites);
        if (c) result.appendChild(c);
      }
    }
    root.addEventListener("change", update);
    root.addEventListener("input", update);
    update();
  }

  // --- progress and the results files -------------------------------------------------------------------------
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a spreadsheet must not read a cell as a formula
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function resultsCsv(store) {
    var rows = [["trainee", "kind", "module", "item", "title", "score", "total", "completed_at"]];
    Object.keys(store.vignettes).sort().forEach(function (sid) {
      var v = store.vignettes[sid];
      rows.push([store.trainee, "vignette", v.module, sid, v.title, v.score, v.total, v.completed_at]);
    });
    Object.keys(store.quizzes).sort().forEach(function (m) {
      var q = store.quizzes[m];
      if (q.best) rows.push([store.trainee, "quiz_best", m, "", "Best quiz score", q.best.score, q.best.total, q.best.completed_at]);
      if (q.last) rows.push([store.trainee, "quiz_last", m, "", "Last quiz score", q.last.score, q.last.total, q.last.completed_at]);
    });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function progress(root) {
    var modules = data(root, "modules") || {};
    var name = el("input", { type: "text", id: id("name"), autocomplete: "name" });
    var table = el("div", { class: "csec-progress-table" });
    root.appendChild(el("div", { class: "csec-choice" }, [
      el("label", { for: name.id, text: "Your name (optional; it goes only into the files you download): " }), name]));
    root.appendChild(table);
    var stamp = function () { return new Date().toISOString().slice(0, 10); };
    root.appendChild(el("div", { class: "csec-nav" }, [
      button("Download my results (JSON)", function () {
        var s = load();
        download("csec-training-results-" + stamp() + ".json", "application/json",
          JSON.stringify({ format: "csec-training-results", version: VERSION, trainee: s.trainee,
                           exported_at: new Date().toISOString(), vignettes: s.vignettes, quizzes: s.quizzes }, null, 2));
      }),
      button("Download my results (CSV)", function () {
        download("csec-training-results-" + stamp() + ".csv", "text/csv", resultsCsv(load()));
      })]));
    root.appendChild(el("p", { class: "csec-hint", text: "Your results are kept in this browser only. Nothing is sent anywhere; hand the downloaded file to your supervisor." }));
    name.addEventListener("change", function () { var s = load(); s.trainee = name.value.trim(); save(s); });
    root.csecRefresh = function () {
      var s = load();
      name.value = s.trainee || "";
      var rows = Object.keys(modules).map(function (m) {
        var done = modules[m].vignettes.filter(function (v) { return s.vignettes[v]; }).length;
        var q = s.quizzes[m];
        return el("tr", {}, [el("td", { text: modules[m].title }), el("td", { text: done + " of " + modules[m].vignettes.length }),
          el("td", { text: q && q.best ? q.best.score + " of " + q.best.total : "not taken" })]);
      });
      table.textContent = "";
      table.appendChild(el("table", { class: "table" }, [
        el("caption", { text: "Your progress, saved in this browser" }),
        el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: "Module" }), el("th", { scope: "col", text: "Vignettes checked" }),
          el("th", { scope: "col", text: "Best quiz score" })])]), el("tbody", {}, rows)]));
    };
    root.csecRefresh();
  }

  function init() {
    document.querySelectorAll('script[type="application/json"][data-csec-cites]').forEach(function (s) {
      var table = JSON.parse(s.textContent);
      Object.keys(table).forEach(function (k) { CITES[k] = table[k]; });
    });
    document.documentElement.classList.add("csec-js");
    var form = document.querySelector('script[type="application/json"][data-csec-form]');
    FORM = form ? JSON.parse(form.textContent) : null;
    document.querySelectorAll("[data-csec-scenario]").forEach(vignette);
    document.querySelectorAll("[data-csec-quiz]").forEach(quiz);
    document.querySelectorAll("[data-csec-checklist]").forEach(checklist);
    document.querySelectorAll("[data-csec-progress]").forEach(progress);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
