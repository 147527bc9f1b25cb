// The in-page training player: vignettes, quizzes, the at-risk checklist and the trainee's progress, on pages that
// hold a player root (csec/sphinx/player.py writes the roots and their JSON). Plain JavaScript, no dependencies.
// It compares the trainee's choices with the answer key the build exported; it never evaluates a rule (the checklist
// asks window.csec.assess, the rules interpreter, when the page has it). Progress stays in this browser's
// localStorage; nothing is sent anywhere, and results leave only as a file the trainee downloads. Answers and quiz
// questions are script files added to the page when needed (never fetch()), so the site works opened from disk.
// Scoring is a self-check, not an exam: once an answer file is loaded a determined trainee can read it.
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
  var SAYS = { right: "Right: ", missed: "Missed: ", wrong: "Not quite: " };
  function decisionNode(verdict, labelHtml, whyHtml, cites) {
    // Words, not only colour, carry the verdict; a right answer left out is "missed", never shown as wrong.
    return el("li", { class: "csec-" + verdict }, [
      el("strong", { text: SAYS[verdict] }), el("span", { html: labelHtml }),
      el("div", { html: whyHtml }), citesNode(cites)]);
  }

  // --- progress (this browser only) ---------------------------------------------------------------------------
  function load() {
    var d = null;
    try { d = JSON.parse(window.localStorage.getItem(STORE)); } catch (e) { /* unreadable or blocked storage */ }
    if (!d || d.version !== VERSION) d = { version: VERSION, trainee: "", vignettes: {}, quizzes: {} };
    // Records written before drafts, seeds and histories existed simply lack them.
    d.drafts = d.drafts || {};
    d.open = d.open || {};
    d.live = d.live || {};  // a quiz in progress per module, so a reload or a visit elsewhere resumes it
    return d;
  }
  function save(d) {
    try { window.localStorage.setItem(STORE, JSON.stringify(d)); } catch (e) { /* storage full or blocked */ }
    document.querySelectorAll("[data-csec-progress]").forEach(function (r) { if (r.csecRefresh) r.csecRefresh(); });
  }
  function percent(score, total) { return total ? Math.round(100 * score / total) : 0; }
  function better(a, b) { return !b || percent(a.score, a.total) > percent(b.score, b.total); }

  // --- data files ---------------------------------------------------------------------------------------------
  // Answers and questions are scripts beside the page that assign to self.csecData (as Sphinx's searchindex.js
  // does), added to the page when needed: fetch() fails on a page opened from disk, a <script> does not.
  var loading = {};
  function loadData(url, name) {
    var have = (window.csecData || {})[name];
    if (have) return Promise.resolve(have);
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var s = el("script", { src: url });
        s.addEventListener("load", function () {
          var got = (window.csecData || {})[name];
          if (got) resolve(got); else reject(new Error(url + " holds no " + name));
        });
        s.addEventListener("error", function () { reject(new Error(url + " could not be read")); });
        document.head.appendChild(s);
      });
      loading[name].catch(function () { delete loading[name]; });  // a later try loads it afresh
    }
    return loading[name];
  }

  // --- seeds: a different draw and order per trainee, reproducible by a trainer ------------------------------------
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
  function traineeSeed() {
    // Chosen at random the first time this browser takes a quiz, then kept: a trainer who sets the same seed on
    // every machine gives every trainee the same quizzes.
    var s = load();
    if (!s.seed) {
      var n = new Uint32Array(1);
      if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(n);
      else n[0] = Math.floor(Math.random() * 4294967296);
      s.seed = String(100000 + n[0] % 900000);
      save(s);
    }
    return s.seed;
  }

  // --- a vignette ---------------------------------------------------------------------------------------------
  // The same comparison as csec.training.answer.judge_item / judge_deadline, on the exported key; a verdict is
  // "right", "missed" (a right answer not given) or "wrong" (an answer given that does not apply).
  function judge(topic, item, chosen) {
    if (topic === "classification") {
      if (chosen === null) return ["missed", item.missed];
      return chosen === item.expected ? ["right", item.right] : ["wrong", item.wrong];
    }
    if (!(item.expected || chosen)) return null;
    if (item.expected && chosen) return ["right", item.right];
    return item.expected ? ["missed", item.missed] : ["wrong", item.wrong];
  }
  function judgeDeadline(d, chosen, words) {
    if (chosen === d.key) return ["right", d.right];
    if (!chosen) return ["missed", d.missing];
    return ["wrong", d.wrong.replace("{chosen}", words)];
  }
  var HEADINGS = { indicator: "At-risk indicators", red_flag: "Red flags", classification: "Classification",
                   action: "Required actions" };
  var VERDICTS = { missed: "Missed", wrong: "Does not apply", right: "Right" };

  var FORM = null;  // what every vignette on the page asks (labels only), written once per page
  var VIGNETTES = [];  // the page's vignette players, in page order, for the chooser
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
    var key = null;  // the answers: loaded from this site when the trainee first checks
    var narrative = root.querySelector(".csec-narrative");
    var debrief = root.querySelector(".csec-debrief");
    var warning = root.querySelector(".csec-warning");
    var title = root.querySelector(".csec-vignette-title").textContent;
    narrative.hidden = true;
    debrief.hidden = true;
    narrative.setAttribute("tabindex", "-1");
    var status = el("p", { class: "csec-status-line" });
    var controls = {};
    var steps = el("div", { class: "csec-steps", hidden: true });
    // The four steps fold under "Your answers" once checked, so the feedback follows the story, not 24 actions.
    var formLine = el("summary", { text: "Your answers" });
    var form = el("details", { class: "csec-answers", open: "" }, [formLine]);
    steps.appendChild(form);
    var asks = { indicator: FORM.indicator, red_flag: own.red_flags, classification: FORM.classification,
                 action: FORM.action };

    ["indicator", "red_flag"].forEach(function (topic, k) {
      controls[topic] = asks[topic].map(function (item) {
        var c = checkbox(item.label, sid + "-" + topic);
        c.input.value = item.key;
        return { item: item, input: c.input, row: c.row };
      });
      form.appendChild(fieldset("Step " + (k + 1) + " of 4: " + HEADINGS[topic],
        topic === "indicator" ? "Tick each at-risk indicator this vignette shows." : "Tick each red flag present in this vignette.",
        controls[topic].map(function (c) { return c.row; })));
    });
    controls.classification = asks.classification.map(function (item) {
      var name = id("yn");
      var yes = radio("Yes", name, "yes"), no = radio("No", name, "no");
      return { item: item, yes: yes.input, no: no.input,
               row: el("fieldset", { class: "csec-yesno" }, [el("legend", { html: item.label }), yes.row, no.row]) };
    });
    form.appendChild(fieldset("Step 3 of 4: Classification", "Answer each question Yes or No.",
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
    // The actions in short groups (report, document, serve), each its own fieldset: a phone shows one at a time.
    form.appendChild(fieldset("Step 4 of 4: Required actions",
      "Tick every action the policy requires here, and choose its deadline.",
      (FORM.groups || [["", ""]]).map(function (g) {
        var mine = controls.action.filter(function (c) { return !g[0] || (c.item.group || "serve") === g[0]; });
        if (!mine.length) return null;
        return el("fieldset", { class: "csec-action-group" }, [el("legend", { text: g[1] })].concat(
          mine.map(function (c) { return c.row; })));
      })));
    var feedback = el("div", { class: "csec-feedback", "aria-live": "polite" });
    var answer = el("div", { class: "csec-answer", hidden: true });
    var next = el("div", { class: "csec-nav", hidden: true });  // "Next vignette", once this one is checked
    steps.appendChild(button("Check my answers", function () { check(true); }, "csec-primary"));
    steps.appendChild(feedback);

    var gate = button("I understand: show the vignette", function () { open(true); }, "csec-primary");
    warning.after(gate);
    root.insertBefore(status, warning);
    debrief.before(steps);
    debrief.before(answer);
    debrief.after(next);

    function open(focus) {
      narrative.hidden = false;
      steps.hidden = false;
      gate.hidden = true;
      var s = load();
      var d = s.drafts[sid] || {};
      if (!d.opened) { d.opened = true; s.drafts[sid] = d; save(s); }
      if (focus) narrative.focus();  // keyboard users continue from the story, not from the top of the page
    }

    // The trainee's answers are kept as they are given, so a reload or a visit to the glossary loses nothing.
    function answers() {
      var a = { opened: true, checked: false };
      ["indicator", "red_flag", "action"].forEach(function (topic) {
        a[topic] = controls[topic].filter(function (c) { return c.input.checked; }).map(function (c) { return c.item.key; });
      });
      a.classification = {};
      controls.classification.forEach(function (c) {
        if (c.yes.checked || c.no.checked) a.classification[c.item.key] = c.yes.checked;
      });
      a.deadlines = {};
      controls.action.forEach(function (c) { if (c.select && c.select.value) a.deadlines[c.item.key] = c.select.value; });
      return a;
    }
    function restore(a) {
      ["indicator", "red_flag", "action"].forEach(function (topic) {
        controls[topic].forEach(function (c) { c.input.checked = (a[topic] || []).indexOf(c.item.key) >= 0; });
      });
      controls.classification.forEach(function (c) {
        var v = (a.classification || {})[c.item.key];
        c.yes.checked = v === true;
        c.no.checked = v === false;
      });
      controls.action.forEach(function (c) { if (c.select) c.select.value = (a.deadlines || {})[c.item.key] || ""; });
    }
    steps.addEventListener("change", function () {
      var s = load();
      s.drafts[sid] = answers();  // changed since the last check: a reload shows the answers, not stale feedback
      save(s);
      refreshChooser();
    });

    function deadlineWords(value) {
      var hit = FORM.deadlines.filter(function (d) { return d[1] === value; })[0];
      return hit ? hit[0] : value;
    }

    function check(record) {
      var unanswered = controls.classification.filter(function (c) { return !(c.yes.checked || c.no.checked); });
      if (record && unanswered.length) {
        // A check needs an answer: the three Yes/No questions always have one, so an empty form is never scored.
        feedback.textContent = "";
        feedback.appendChild(el("p", { class: "csec-hint", text: "Answer every Yes/No question in step 3 first (" +
          unanswered.length + " left); then press Check my answers." }));
        form.open = true;
        unanswered[0].yes.focus();
        return;
      }
      feedback.textContent = "Checking…";
      loadData(keyUrl, "key:" + sid).then(function (k) { key = k; judgeAll(record); }, function (e) {
        feedback.textContent = "The answers could not be loaded (" + e.message + "). Try again.";
      });
    }
    function judgeAll(record) {
      // Every decision the vignette asks for: each item to find, each Yes/No, each required deadline. The total is
      // the vignette's own (it never moves with what was ticked); an answer given that does not apply costs one.
      var decisions = [];  // [topic, verdict, label, why, cites, counts (one of the vignette's own decisions)]
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
          decisions.push([topic, j[0], c.item.label, j[1], a.cites, a.counts]);
          if (a.deadline && a.expected) {
            var picked = chosen && c.select ? c.select.value : "";
            var d = judgeDeadline(a.deadline, picked, deadlineWords(picked));
            decisions.push([topic, d[0], a.deadline.label, d[1], a.cites, true]);
          }
        });
        var none = key.nothing[topic];
        if (none && decisions.length === before) decisions.push([topic, "none", none.label, none.explanation, none.cites, false]);
      });
      // The total and the weights are the build's (csec.training.answer.SCORING, decision_total): one definition
      // for this page and the Python grader.
      var total = key.total;
      var found = decisions.filter(function (d) { return d[5] && d[1] === "right"; }).length;
      var extra = decisions.filter(function (d) { return !d[5] && d[1] === "wrong"; }).length;
      var score = Math.max(key.scoring.floor, key.scoring.found * found + key.scoring.extra * extra);
      var summary = score + " of " + total + " decisions right." + (score === total ? " Well done." :
        " You found " + found + " of " + total + (extra ? " and chose " + extra + " that " + (extra === 1 ? "does" : "do") +
        " not apply" : "") + ".");
      feedback.textContent = "";
      var heading = el("h4", { tabindex: "-1", text: summary });
      feedback.appendChild(heading);
      // What needs attention first and open; what was right folded away, so feedback stays short on a phone.
      ["missed", "wrong", "right"].forEach(function (verdict) {
        var mine = decisions.filter(function (d) { return d[1] === verdict || (verdict === "right" && d[1] === "none"); });
        if (!mine.length) return;
        var list = el("ul", { class: "csec-decisions" }, mine.map(function (d) {
          return decisionNode(d[1] === "none" ? "right" : d[1], HEADINGS[d[0]] + ": " + d[2], d[3], d[4]);
        }));
        var head = VERDICTS[verdict] + " (" + mine.length + ")";
        feedback.appendChild(verdict === "right" ? el("details", { class: "csec-rights" }, [el("summary", { text: head }), list])
          : el("div", {}, [el("h5", { text: head }), list]));
      });
      answer.textContent = "";
      answer.appendChild(el("p", {}, [el("strong", { text: "About this vignette: " }),
        el("span", { html: key.title + ". " + key.summary })]));
      if (key.what_would_change) answer.appendChild(whatWouldChange(key.what_would_change));
      answer.hidden = false;
      debrief.hidden = false;
      next.hidden = false;
      form.open = false;
      formLine.textContent = "Your answers (open to change them and check again)";
      var s = load();
      s.drafts[sid] = answers();
      s.drafts[sid].checked = true;
      if (record) {
        heading.focus();
        var result = { score: score, total: total, completed_at: new Date().toISOString() };
        var v = s.vignettes[sid] || { module: own.module, title: title, history: [] };
        v.history = (v.history || []).concat([result]);
        v.last = result;
        // A record from before the history was kept has its one score at the top level.
        var prior = v.best || (v.score !== undefined ? { score: v.score, total: v.total, completed_at: v.completed_at } : null);
        v.best = better(result, prior) ? result : prior;
        // score/total/completed_at are the best check (the results files read them): a later, worse check adds to
        // the history and never replaces the best.
        v.score = v.best.score; v.total = v.best.total; v.completed_at = v.best.completed_at;
        s.vignettes[sid] = v;
      }
      save(s);
      showStatus();
      refreshChooser();
    }
    function showStatus() {
      var done = load().vignettes[sid];
      status.textContent = done ? "You checked your answers on this vignette: best " + done.score + " of " + done.total +
        " decisions right" + ((done.history || []).length > 1 ? " in " + done.history.length + " checks" : "") +
        " (saved in this browser)." : "";
      status.hidden = !done;
    }
    function state() {
      var s = load(), v = s.vignettes[sid], d = s.drafts[sid];
      if (v) return "best " + v.score + " of " + v.total;
      return d && d.opened ? "started" : "not started";
    }

    var me = { sid: sid, root: root, title: title, state: state, next: next, module: own.module };
    VIGNETTES.push(me);
    var draft = load().drafts[sid];
    if (draft) {
      restore(draft);
      if (draft.opened) open(false);
      if (draft.checked) check(false);  // the feedback of the last check, shown again without a new attempt
    }
    showStatus();
  }

  // One vignette at a time: a chooser above them shows each one's state and opens it; the others stay in the page,
  // hidden until chosen. The chosen one is remembered per module.
  var chooser = null;
  function refreshChooser() {
    if (!chooser) return;
    VIGNETTES.forEach(function (v, k) { chooser.select.options[k].textContent = v.title + " (" + v.state() + ")"; });
    var done = VIGNETTES.filter(function (v) { return load().vignettes[v.sid]; }).length;
    chooser.count.textContent = "Checked " + done + " of " + VIGNETTES.length + " vignettes.";
  }
  function showVignette(k, focus) {
    VIGNETTES.forEach(function (v, i) { v.root.hidden = i !== k; });
    chooser.select.value = String(k);
    var s = load();
    s.open[VIGNETTES[k].module] = VIGNETTES[k].sid;
    save(s);
    if (focus) {
      var h = VIGNETTES[k].root.querySelector(".csec-vignette-title");
      h.setAttribute("tabindex", "-1");
      h.focus();
    }
  }
  function vignetteChooser() {
    if (!VIGNETTES.length) return;
    var select = el("select", { id: id("v"), class: "csec-chooser-select" }, VIGNETTES.map(function (v, k) {
      return el("option", { value: String(k), text: v.title });
    }));
    var count = el("span", { class: "csec-hint", "aria-live": "polite" });
    var box = el("div", { class: "csec-chooser" }, [
      el("label", { for: select.id, text: "Vignette: " }), select, " ", count]);
    VIGNETTES[0].root.before(box);
    chooser = { select: select, count: count };
    select.addEventListener("change", function () { showVignette(Number(select.value), false); });
    VIGNETTES.forEach(function (v, k) {
      if (k + 1 < VIGNETTES.length) {
        v.next.appendChild(button("Next vignette", function () { showVignette(k + 1, true); }));
      }
    });
    var wanted = load().open[VIGNETTES[0].module];
    var at = VIGNETTES.map(function (v) { return v.sid; }).indexOf(wanted);
    showVignette(at >= 0 ? at : 0, false);
    refreshChooser();
  }

  // --- a quiz -------------------------------------------------------------------------------------------------
  // The same comparison as csec.training.feedback.grade_question, on the exported answer (indexed as the shipped
  // choices are; PICKS are shipped indices).
  function gradeQuestion(q, a, picks) {
    var decisions = [], right;
    if (q.kind === "ordering") {
      right = picks.length === a.order.length && picks.every(function (p, k) { return p === a.order[k]; });
      a.order.forEach(function (want, k) {
        var chosen = k < picks.length ? picks[k] : null;
        var ok = chosen === want;
        decisions.push([ok ? "right" : "wrong", "Position " + (k + 1) + ": " + q.choices[want],
          ok ? a.choices[want].chosen : a.choices[want].missed.replace("{chosen}", chosen === null ? "nothing" : q.choices[chosen])]);
      });
    } else {
      var correct = a.choices.map(function (c, k) { return c.correct ? k : -1; }).filter(function (k) { return k >= 0; });
      right = picks.length === correct.length && correct.every(function (k) { return picks.indexOf(k) >= 0; });
      a.choices.forEach(function (c, k) {
        var chosen = picks.indexOf(k) >= 0;
        if (!(chosen || c.correct)) return;
        decisions.push([chosen ? (c.correct ? "right" : "wrong") : "missed", q.choices[k], chosen ? c.chosen : c.missed]);
      });
    }
    return { right: right, decisions: decisions, summary: !picks.length ? a.none : right ? a.right : a.wrong };
  }

  function quiz(root) {
    var poolUrl = root.getAttribute("data-csec-questions");  // the questions, beside the page
    var keyUrl = root.getAttribute("data-csec-answers");  // their answers, loaded on the first check
    var module = root.getAttribute("data-csec-quiz");
    var n = parseInt(root.getAttribute("data-csec-n"), 10) || 10;
    var pass = parseInt(root.getAttribute("data-csec-pass"), 10) || 80;
    var title = el("h3", { class: "csec-quiz-title", text: "Quiz: " + root.getAttribute("data-csec-title") });
    var about = el("p", { class: "csec-pass", text: "Pass mark: " + pass + "%, as in the LMS. Your best score counts." });
    var scoreLine = el("p", { class: "csec-score", "aria-live": "polite" });
    var stage = el("div", { class: "csec-question" });
    var feedback = el("div", { class: "csec-feedback", "aria-live": "polite" });
    var nav = el("div", { class: "csec-nav" });
    [title, about, scoreLine, stage, nav, feedback].forEach(function (x) { root.appendChild(x); });
    var pool = null, drawn, current, score, results, read, seed;

    function record() { return load().quizzes[module] || { attempts: 0, best: null, history: [] }; }
    function best() {
      var b = record().best;
      return b ? "Your best: " + b.score + " of " + b.total + " (" + percent(b.score, b.total) + "%, " +
        (percent(b.score, b.total) >= pass ? "passed" : "not passed yet") + ") in " + record().attempts +
        " attempt" + (record().attempts === 1 ? "" : "s") + "." : "";
    }
    function ready() {
      // Before a quiz: the best score so far, and the seed that decides the draw and the order of the choices.
      stage.textContent = ""; nav.textContent = ""; feedback.textContent = "";
      scoreLine.textContent = best();
      scoreLine.hidden = !scoreLine.textContent;
      var field = seedField();
      stage.appendChild(field.row);
      nav.appendChild(button("Start the quiz", field.start, "csec-primary"));
    }
    function seedField() {
      // The seed that decides the next draw, shown before every quiz (the first and each new one) so a trainer may
      // set it; starting reads it.
      var input = el("input", { type: "text", id: id("seed"), inputmode: "numeric", value: traineeSeed(), size: "8",
                                class: "csec-seed" });
      return { row: el("div", { class: "csec-choice" }, [
        el("label", { for: input.id, text: "Quiz seed (a trainer may set one): " }), input]),
        start: function () {
          var s = load();
          var wanted = input.value.replace(/\D/g, "");
          if (wanted) { s.seed = wanted; save(s); }
          start();
        } };
    }
    function draw(questions, attempt) {
      // A new draw and a new order of choices per attempt; the same seed and attempt give the same quiz.
      var rng = seeded(hash(module + "/" + seed + "/" + attempt));
      pool = questions;
      return shuffle(pool.slice(), rng).slice(0, n).map(function (q) {
        var order = q.choices.map(function (c, k) { return k; });
        shuffle(order, rng);  // true/false too: a fixed "True" first would score whenever the bank leans true
        return { q: q, order: order };
      });
    }
    // The quiz in progress, kept as it goes (the seed and attempt that make the draw, the questions drawn, where the
    // trainee is, what they picked and whether it was checked, the score so far): a reload, or a link followed and
    // the Back button, brings back the same question with the same score rather than a new quiz.
    var live = null;
    function keep() {
      var s = load();
      if (live) s.live[module] = live; else delete s.live[module];
      save(s);
    }
    function start() {
      seed = traineeSeed();
      var attempt = record().attempts || 0;
      stage.textContent = "";
      stage.appendChild(el("p", { text: "Loading the quiz…" }));
      loadData(poolUrl, "quiz:" + module).then(function (questions) {
        drawn = draw(questions, attempt);
        current = 0; score = 0; results = [];
        live = { seed: seed, attempt: attempt, questions: drawn.map(function (d) { return d.q.id; }), current: 0,
                 score: 0, results: [], picks: null, checked: false };
        keep();
        show();
        var legend = stage.querySelector("legend");
        if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
      }, function (e) {
        stage.textContent = "";
        stage.appendChild(el("p", { text: "The quiz could not be loaded (" + e.message + "). Reload the page to try again." }));
      });
    }
    function resume(saved) {
      // Only the attempt in progress: a quiz finished meanwhile (another tab) or a changed bank starts afresh.
      if (saved.attempt !== (record().attempts || 0)) { live = null; keep(); ready(); return; }
      stage.textContent = "";
      stage.appendChild(el("p", { text: "Loading the quiz…" }));
      loadData(poolUrl, "quiz:" + module).then(function (questions) {
        seed = saved.seed;
        drawn = draw(questions, saved.attempt);
        if (drawn.map(function (d) { return d.q.id; }).join("|") !== (saved.questions || []).join("|") ||
            !(saved.current >= 0 && saved.current < drawn.length)) {
          live = null; keep(); ready(); return;
        }
        live = saved;
        current = saved.current; score = saved.score; results = saved.results.slice();
        show();
        if (saved.picks) setPicks(saved.picks);
        if (saved.checked) {
          feedback.textContent = "Checking…";
          loadData(keyUrl, "quiz-key:" + module).then(function (keys) {
            var q = drawn[current].q;
            showMark(q, gradeQuestion(q, keys[q.id], read()), false);
          }, function (e) {
            feedback.textContent = "The answers could not be loaded (" + e.message + "). Reload the page to try again.";
          });
        }
      }, function (e) {
        stage.textContent = "";
        stage.appendChild(el("p", { text: "The quiz could not be loaded (" + e.message + "). Reload the page to try again." }));
      });
    }
    // What the controls show, as their own values (places on the screen, never the bank's indices).
    function getPicks() {
      return Array.prototype.map.call(stage.querySelectorAll("input, select"), function (x) {
        return x.tagName === "SELECT" ? x.value : x.checked;
      });
    }
    function setPicks(picks) {
      Array.prototype.forEach.call(stage.querySelectorAll("input, select"), function (x, k) {
        if (x.tagName === "SELECT") x.value = typeof picks[k] === "string" ? picks[k] : "";
        else x.checked = picks[k] === true;
      });
    }
    stage.addEventListener("change", function () {
      if (!live || live.checked) return;
      live.picks = getPicks();
      keep();
    });
    function show() {
      stage.textContent = ""; nav.textContent = ""; feedback.textContent = "";
      if (!drawn.length) { stage.appendChild(el("p", { text: "This module has no published quiz questions yet." })); return; }
      var d = drawn[current], q = d.q, name = id("q");
      scoreLine.hidden = false;
      scoreLine.textContent = "Question " + (current + 1) + " of " + drawn.length + ". Score so far: " + score + " of " + current + ".";
      var how = { single: "Choose one answer.", true_false: "True or false?", multiple: "Tick every right answer.",
                  ordering: "Put these in the right order." }[q.kind];
      var rows;
      // Every control's value is its place on the screen, never the bank's index: the markup names no answer.
      if (q.kind === "ordering") {
        rows = q.choices.map(function (c, k) {
          var s = el("select", { id: id("o") }, [el("option", { value: "", text: "Choose…" })].concat(
            d.order.map(function (i, shown) { return el("option", { value: String(shown), html: q.choices[i] }); })));
          return el("div", { class: "csec-choice" }, [el("label", { for: s.id, text: "Position " + (k + 1) + ": " }), s]);
        });
        read = function () {
          return Array.prototype.map.call(stage.querySelectorAll("select"), function (s) { return s.value; })
            .filter(function (v) { return v !== ""; }).map(function (v) { return d.order[Number(v)]; });
        };
      } else {
        rows = d.order.map(function (i, shown) {
          var c = q.kind === "multiple" ? checkbox(q.choices[i], name) : radio(q.choices[i], name, String(shown));
          c.input.value = String(shown);
          c.row.className = "csec-choice";
          return c.row;
        });
        read = function () {
          return Array.prototype.filter.call(stage.querySelectorAll("input"), function (x) { return x.checked; })
            .map(function (x) { return d.order[Number(x.value)]; });
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
      feedback.textContent = "Checking…";
      loadData(keyUrl, "quiz-key:" + module).then(function (keys) { mark(q, keys[q.id], picks); }, function (e) {
        feedback.textContent = "The answers could not be loaded (" + e.message + "). Try again.";
      });
    }
    function mark(q, a, picks) {
      if (live && live.checked) return;  // checked already (a second click while the answers loaded)
      var g = gradeQuestion(q, a, picks);
      score += g.right ? 1 : 0;
      results.push({ id: q.id, right: g.right });
      if (live) {
        live.picks = getPicks(); live.checked = true; live.score = score; live.results = results.slice();
        keep();
      }
      showMark(q, g, true);
    }
    function showMark(q, g, focus) {
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
        if (last) finish();
        else {
          current += 1;
          if (live) { live.current = current; live.picks = null; live.checked = false; keep(); }
          show();
          stage.querySelector("legend").setAttribute("tabindex", "-1");
          stage.querySelector("legend").focus();
        }
      }, "csec-primary");
      nav.appendChild(next);
      if (focus) next.focus();  // not on a resumed page: the reader is where the browser put them
    }
    function finish() {
      var store = load();
      var rec = store.quizzes[module] || { attempts: 0, best: null };
      var result = { score: score, total: drawn.length, percent: percent(score, drawn.length),
                     passed: percent(score, drawn.length) >= pass, seed: seed, attempt: rec.attempts + 1,
                     questions: drawn.map(function (d) { return d.q.id; }),
                     right: results.filter(function (r) { return r.right; }).map(function (r) { return r.id; }),
                     completed_at: new Date().toISOString() };
      rec.attempts += 1;
      rec.last = result;
      rec.history = (rec.history || []).concat([result]);
      if (better(result, rec.best)) rec.best = result;  // a later, lower score never replaces the best
      store.quizzes[module] = rec;
      delete store.live[module];
      live = null;
      save(store);
      stage.textContent = ""; nav.textContent = ""; feedback.textContent = "";
      scoreLine.textContent = "Quiz finished: " + score + " of " + drawn.length + " right. " + best();
      var final = el("h4", { tabindex: "-1", class: "csec-final", text: "Final score: " + score + " of " + drawn.length + "." });
      feedback.appendChild(final);
      feedback.appendChild(el("p", { class: "csec-verdict", text: result.percent + "%: " + (result.passed ?
        "passed (the pass mark is " + pass + "%)." : "not passed yet; the pass mark is " + pass + "%.") }));
      var field = seedField();
      nav.appendChild(field.row);
      nav.appendChild(button("Start a new quiz", field.start));
      final.focus();
    }
    var saved = load().live[module];
    if (saved) resume(saved); else ready();
  }

  // --- the at-risk checklist ----------------------------------------------------------------------------------
  function engine() { return window.csec && typeof window.csec.assess === "function" ? window.csec.assess : null; }
  function checklist(root) {
    var d = data(root, "risk-rule");
    if (!d) return;
    var rule = el("div", { class: "csec-rule-text" }, [el("p", {}, [el("strong", { text: "The rule: " }),
      el("span", { html: d.rule })]), citesNode(d.cites)]);
    // Folded until the trainee opens it: on a phone the open checklist is a screen and a half before the vignettes.
    var box = el("details", { class: "csec-exercise" }, [el("summary", { text: "Open the at-risk checklist" }), rule]);
    root.appendChild(box);
    if (engine()) live(box, d, rule);
    else window.addEventListener("load", function () { if (engine()) live(box, d, rule); });  // it may load later
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

  function progress(outer) {
    var modules = data(outer, "modules") || {};
    var only = outer.getAttribute("data-csec-progress");
    var name = el("input", { type: "text", id: id("name"), autocomplete: "name" });
    var table = el("div", { class: "csec-progress-table" });
    // The summary line says where the trainee stands; the table, the name and the downloads fold under it.
    var line = el("summary", { class: "csec-results-line" });
    var root = el("details", { class: "csec-results" }, [line]);
    root.open = !modules[only];  // open where the page is about progress (all modules), folded on a module page
    outer.appendChild(root);
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
    outer.csecRefresh = function () {
      var s = load();
      name.value = s.trainee || "";
      var shown = modules[only] ? [only] : Object.keys(modules);
      var done = 0, all = 0;
      shown.forEach(function (m) {
        all += modules[m].vignettes.length;
        done += modules[m].vignettes.filter(function (v) { return s.vignettes[v]; }).length;
      });
      var q = modules[only] && s.quizzes[only];
      line.textContent = "Your results: " + done + " of " + all + " vignettes checked" + (!modules[only] ? "" :
        q && q.best ? "; best quiz " + q.best.score + " of " + q.best.total + " (" + percent(q.best.score, q.best.total) + "%)" :
        "; quiz not taken") + ". Open for your downloads.";
      var rows = Object.keys(modules).map(function (m) {
        var done = modules[m].vignettes.filter(function (v) { return s.vignettes[v]; }).length;
        var q = s.quizzes[m];
        return el("tr", {}, [el("td", { text: modules[m].title }), el("td", { text: done + " of " + modules[m].vignettes.length }),
          el("td", { text: q && q.best ? q.best.score + " of " + q.best.total + " (" + percent(q.best.score, q.best.total) + "%)" : "not taken" })]);
      });
      table.textContent = "";
      table.appendChild(el("table", { class: "table" }, [
        el("caption", { text: "Your progress, saved in this browser" }),
        el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: "Module" }), el("th", { scope: "col", text: "Vignettes checked" }),
          el("th", { scope: "col", text: "Best quiz score" })])]), el("tbody", {}, rows)]));
    };
    outer.csecRefresh();
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
    vignetteChooser();
    document.querySelectorAll("[data-csec-quiz]").forEach(quiz);
    document.querySelectorAll("[data-csec-checklist]").forEach(checklist);
    document.querySelectorAll("[data-csec-progress]").forEach(progress);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
