// The in-page rules interpreter: evaluates the rules JSON (csec/player_data.py) over a facts mapping and returns
// the same object as `csec assess --json`, or throws an Error with the same words as Python's FactsError.
// It mirrors csec/rules.py step by step (three-valued logic, reasons, needs); tests/test_interpreters_agree.py holds
// the two to one answer. Plain ES2019, no dependencies: a <script> defines window.csec.assess(facts) over
// window.csec.rules (csec-rules-data.js); in Node, require() gives {assess(data, facts), pyRepr}.
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    var csec = root.csec = root.csec || {};
    // Read the data at call time, so the data file may load before or after this one.
    csec.assess = function (facts) { return api.assess(csec.rules, facts); };
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var TESTS = {
    eq: function (v, t) { return v === t; },
    ne: function (v, t) { return v !== t; },
    lt: function (v, t) { return v < t; },
    le: function (v, t) { return v <= t; },
    gt: function (v, t) { return v > t; },
    ge: function (v, t) { return v >= t; },
    in: function (v, t) { return t.indexOf(v) >= 0; }
  };
  var OUTCOMES = ["at_risk", "sex_trafficking", "labor_trafficking"]; // the contract's output names
  var NONPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u; // str.isprintable() is false

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  // --- Python's repr(), so refusal messages quote a value exactly as `csec assess` does ---------------------
  function hex(n, width) { var s = n.toString(16); while (s.length < width) s = "0" + s; return s; }

  function pyStr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    Array.from(s).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (ch === quote || ch === "\\") out += "\\" + ch;
      else if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (c < 0x20 || c === 0x7f) out += "\\x" + hex(c, 2);
      else if (c < 0x7f || !NONPRINTABLE.test(ch)) out += ch;
      else if (c <= 0xff) out += "\\x" + hex(c, 2);
      else if (c <= 0xffff) out += "\\u" + hex(c, 4);
      else out += "\\U" + hex(c, 8);
    });
    return out + quote;
  }

  function pyFloat(x) {
    // Shortest round-trip digits (as both languages pick them), laid out as Python's repr does.
    var m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
    var digits = m[2] + (m[3] || ""), exp = Number(m[4]);
    if (exp >= -4 && exp < 16) {
      if (exp < 0) return m[1] + "0." + "0".repeat(-exp - 1) + digits;
      var whole = digits.slice(0, exp + 1);
      while (whole.length < exp + 1) whole += "0";
      return m[1] + whole + "." + (digits.slice(exp + 1) || "0");
    }
    var mantissa = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
    var e = String(Math.abs(exp));
    return m[1] + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length < 2 ? "0" + e : e);
  }

  function pyRepr(v) {
    if (v === null || v === undefined) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
    if (typeof v === "string") return pyStr(v);
    if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return pyStr(k) + ": " + pyRepr(v[k]); }).join(", ") + "}";
  }

  function cut(value) {
    var chars = Array.from(pyRepr(value));
    return chars.length <= 60 ? chars.join("") : chars.slice(0, 60).join("") + "...";
  }

  function byCodePoint(a, b) { // Python's sorted() order for strings
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  function factsError(message) {
    var e = new Error(message);
    e.name = "FactsError";
    return e;
  }

  function merge(lists) {
    var seen = new Set(), out = [];
    lists.forEach(function (list) {
      list.forEach(function (x) { if (!seen.has(x)) { seen.add(x); out.push(x); } });
    });
    return out;
  }

  function yesNo(value) { return value === null ? "unknown" : value ? "yes" : "no"; }

  function show(value) {
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (Array.isArray(value)) return value.map(show).join(" or ");
    return String(value);
  }

  // --- the interpreter over one data object ------------------------------------------------------------------
  function Engine(data) {
    if (!data || data.format !== "csec-rules" || data.version !== 1) {
      throw new Error("csec rules data missing or not csec-rules version 1 (is csec-rules-data.js on this page?)");
    }
    this.data = data;
    this.facts = new Map(data.facts.map(function (f) { return [f.id, f]; }));
    this.rules = new Map(data.rules.map(function (r) { return [r.id, r]; }));
  }

  Engine.prototype.check = function (facts) {
    if (facts === null || facts === undefined) facts = {};
    if (typeof facts !== "object" || Array.isArray(facts)) {
      throw factsError("facts must be a mapping of fact name to value");
    }
    var vocab = this.facts;
    var unknown = Object.keys(facts).filter(function (k) { return !vocab.has(k); }).sort(byCodePoint);
    if (unknown.length) {
      throw factsError("unknown fact " + cut(unknown[0]) + " (known: " + Array.from(vocab.keys()).join(", ") + ")");
    }
    var out = {};
    this.data.facts.forEach(function (fact) {
      var name = fact.id, value = has(facts, name) ? facts[name] : null, what = "fact " + pyStr(name) + " must be ";
      if (value === null || value === undefined) {
        out[name] = fact.type === "bool" ? false : null;
      } else if (fact.type === "bool" && typeof value !== "boolean") {
        throw factsError(what + "true or false (got " + cut(value) + ")");
      } else if (fact.type === "int" && !(typeof value === "number" && Number.isInteger(value))) {
        throw factsError(what + "a whole number (got " + cut(value) + ")");
      } else if (fact.type === "int" && !(fact.minimum <= value && value <= fact.maximum)) {
        throw factsError(what + "from " + fact.minimum + " to " + fact.maximum + " (got " + value + ")");
      } else if (fact.type === "enum" && !(typeof value === "string" && fact.values.indexOf(value) >= 0)) {
        throw factsError(what + "one of: " + fact.values.join(", ") + " (got " + cut(value) + ")");
      } else {
        out[name] = value;
      }
    });
    return out;
  };

  Engine.prototype.label = function (id) { return this.facts.has(id) ? this.facts.get(id).label : id; };

  Engine.prototype.countFacts = function (c) {
    if (Array.isArray(c.count)) return c.count.slice();
    var group = c.count.indicator_group;
    return this.data.indicators.filter(function (i) { return i.group === group; }).map(function (i) { return i.id; });
  };

  // The facts a rule's own condition looks at (rule references not followed), as Python's _facts_of.
  Engine.prototype.factsOf = function (c) {
    var self = this;
    if (c.all || c.any) return [].concat.apply([], (c.all || c.any).map(function (x) { return self.factsOf(x); }));
    if (has(c, "not")) return this.factsOf(c.not);
    if (has(c, "count")) return this.countFacts(c);
    if (has(c, "fact")) return [c.fact];
    return [];
  };

  function Evaluation(engine, facts) {
    this.e = engine;
    this.facts = facts;
    this.memo = new Map();
  }

  Evaluation.prototype.rule = function (id) {
    if (!this.memo.has(id)) this.memo.set(id, this.cond(this.e.rules.get(id).when));
    return this.memo.get(id);
  };

  Evaluation.prototype.cond = function (c) {
    var self = this, e = this.e;
    if (c.all || c.any) {
      var isAll = !!c.all;
      var parts = (c.all || c.any).map(function (x) { return self.cond(x); });
      // all: one false part decides; any: one true part decides; else an undecided part leaves it undecided.
      var deciding = !isAll;
      var decided = parts.filter(function (p) { return p.value === deciding; });
      var undecided = parts.filter(function (p) { return p.value === null; });
      var chosen, value;
      if (decided.length) { chosen = isAll ? decided.slice(0, 1) : decided; value = deciding; }
      else if (undecided.length) { chosen = undecided; value = null; }
      else { chosen = parts; value = !deciding; }
      var joiner = !isAll && value === false ? " and " : "; ";
      return {
        value: value,
        why: chosen.map(function (p) { return p.why; }).join(joiner),
        facts: merge(chosen.map(function (p) { return p.facts; })),
        missing: merge(chosen.map(function (p) { return p.missing; }))
      };
    }
    if (has(c, "not")) {
      var inner = this.cond(c.not);
      return { value: inner.value === null ? null : !inner.value, why: "not (" + inner.why + ")",
               facts: inner.facts, missing: inner.missing };
    }
    if (has(c, "rule")) {
      var ref = this.rule(c.rule);
      return { value: ref.value, why: e.rules.get(c.rule).title + ": " + yesNo(ref.value), facts: ref.facts,
               missing: ref.missing };
    }
    if (has(c, "count")) {
      var names = e.countFacts(c);
      var present = names.filter(function (n) { return self.facts[n] === true; });
      var labels = function (ids) { return ids.map(function (n) { return e.label(n); }).join(", "); };
      var what = Array.isArray(c.count) ? "of " + labels(names) : "of the " + c.count.indicator_group + " indicators";
      var listed = present.length ? " (" + labels(present) + ")" : "";
      return { value: present.length >= c.at_least,
               why: present.length + " " + what + " present" + listed + "; at least " + c.at_least + " needed",
               facts: present.length ? present : names, missing: [] };
    }
    return this.fact(c);
  };

  Evaluation.prototype.fact = function (c) {
    var value = this.facts[c.fact], label = this.e.label(c.fact);
    var tests = this.e.data.operators.filter(function (op) { return has(c, op.name); });
    if (!tests.length) return { value: value === true, why: label + ": " + yesNo(value === true), facts: [c.fact], missing: [] };
    if (value === null || value === undefined) {
      if (this.e.facts.get(c.fact).when_missing === "unknown") {
        return { value: null, why: label + ": not given", facts: [c.fact], missing: [c.fact] };
      }
      return { value: false, why: label + ": not recorded", facts: [c.fact], missing: [] };
    }
    var holds = tests.every(function (op) { return TESTS[op.name](value, c[op.name]); });
    var spec = tests.map(function (op) { return op.words + " " + show(c[op.name]); }).join(", ");
    return { value: holds, why: label + " is " + show(value) + " (" + (holds ? "" : "not ") + spec + ")",
             facts: [c.fact], missing: [] };
  };

  function listed(rules, holds) { // the rules that hold, or null when one is undecided (the list is incomplete)
    if (rules.some(function (r) { return holds[r.id] === null; })) return null;
    return rules.filter(function (r) { return holds[r.id]; });
  }

  Engine.prototype.assess = function (given) {
    var e = this, checked = this.check(given), ev = new Evaluation(this, checked);
    var ofKind = function (kind) { return e.data.rules.filter(function (r) { return r.kind === kind; }); };
    ofKind("conflict").forEach(function (rule) {
      var result = ev.rule(rule.id);
      if (result.value !== true) return;
      var named = e.data.facts.filter(function (f) { return result.facts.indexOf(f.id) >= 0; });
      var where = rule.cites.map(function (c) { return e.data.cite_labels[c]; }).join("; ");
      throw factsError("facts " + named.map(function (f) { return pyStr(f.id); }).join(" and ") +
                       " contradict each other: " + rule.text + " (" + where + ")");
    });
    var reasons = [], holds = {};
    this.data.rules.forEach(function (rule) {
      if (rule.kind === "conflict") return;
      var result = ev.rule(rule.id), because = result.why;
      // "Otherwise" explains a near miss, so it is only said when some fact the rule looks at is present.
      if (result.value === false && rule.otherwise &&
          e.factsOf(rule.when).some(function (f) { return checked[f] === true; })) {
        because += ". " + rule.otherwise;
      }
      holds[rule.id] = result.value;
      reasons.push({ rule: rule.id, holds: result.value, because: because, facts: result.facts,
                     cites: rule.cites.slice() });
    });
    var grids = ofKind("data_grid"), allegations = ofKind("allegation"), actions = ofKind("action");
    var answered = OUTCOMES.map(function (id) { return e.rules.get(id); }).concat(grids, allegations, actions);
    var missing = merge(answered.filter(function (r) { return holds[r.id] === null; })
      .map(function (r) { return ev.rule(r.id).missing; }));
    var alleged = listed(allegations, holds), required = listed(actions, holds);
    var grid = grids.filter(function (r) { return holds[r.id]; });
    return {
      at_risk: holds.at_risk, sex_trafficking: holds.sex_trafficking, labor_trafficking: holds.labor_trafficking,
      allegations: alleged && alleged.map(function (r) { return r.id; }),
      csec_data_grid: grid.length ? grid[0].value : null,
      actions: required && required.map(function (r) {
        return Object.assign({ id: r.id, title: r.title }, r.deadline, { cites: r.cites.slice() });
      }),
      needs: this.data.facts.map(function (f) { return f.id; }).filter(function (f) { return missing.indexOf(f) >= 0; }),
      reasons: reasons,
      rules_as_of: this.data.rules_as_of
    };
  };

  var engines = new WeakMap(); // one index per data object, built on first use
  function assess(data, facts) {
    var engine = data && typeof data === "object" ? engines.get(data) : undefined;
    if (!engine) {
      engine = new Engine(data);
      engines.set(data, engine);
    }
    return engine.assess(facts);
  }

  return { assess: assess, pyRepr: pyRepr };
});
