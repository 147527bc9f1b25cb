"""The rules engine: interprets the rules-as-data in the Corpus over a facts mapping, with reasons and citations.

Every consumer of a decision (the `csec assess` command, the widgets, the scenario checks, the manual's rendering
of a rule in words, the in-page player's JSON) goes through this module, so a threshold edited in YAML changes
them all together. Nothing here hard-codes a threshold or a deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from . import model as m
from .errors import ContentError

# The contract's output names (DESIGN.md "Public contracts"): these rule ids must exist in the data.
CONTRACT_OUTCOMES = ("at_risk", "sex_trafficking", "labor_trafficking")
CONTRACT_ACTIONS = (
    "call_child_protection_hotline", "report_to_law_enforcement", "report_missing_to_law_enforcement_for_ncic",
    "report_missing_to_ncmec", "confirm_whereabouts_every_30_days", "assess_for_cse_on_return", "notify_otip",
    "notify_tribe", "tag_referral_s_csec", "in_person_investigation", "document_in_cws_cms", "determine_services",
)
HOURS_PER_DAY = 24  # a unit conversion, not policy
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z0-9_]+))?\}")
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten"}


class FactsError(ValueError):
    """Facts given to the engine that are not in the vocabulary or have the wrong type; one clear line."""


# --- facts --------------------------------------------------------------------------------------------------

def check_facts(corpus, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a facts mapping against the vocabulary; return it with booleans defaulted to False."""
    vocab: dict[str, m.Fact] = corpus.facts
    if not isinstance(facts, Mapping):
        raise FactsError("facts must be a mapping of fact name to value")
    unknown = sorted(set(facts) - set(vocab))
    if unknown:
        raise FactsError(f"unknown fact {unknown[0]!r} (known: {', '.join(vocab)})")
    out: dict[str, Any] = {}
    for name, fact in vocab.items():
        value = facts.get(name)
        if value is None:
            out[name] = False if fact.type == "bool" else None
        elif fact.type == "bool" and not isinstance(value, bool):
            raise FactsError(f"fact {name!r} must be true or false (got {value!r})")
        elif fact.type == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise FactsError(f"fact {name!r} must be a whole number of years (got {value!r})")
        elif fact.type == "enum" and value not in fact.values:
            raise FactsError(f"fact {name!r} must be one of: {', '.join(fact.values)} (got {value!r})")
        else:
            out[name] = value
    return out


# --- evaluation ---------------------------------------------------------------------------------------------

@dataclass
class Reason:
    rule: str
    holds: bool
    because: str
    facts: list[str]
    cites: list[str]

    def as_dict(self) -> dict:
        return {"rule": self.rule, "holds": self.holds, "because": self.because, "facts": self.facts,
                "cites": self.cites}


@dataclass
class Assessment:
    at_risk: bool
    sex_trafficking: bool
    labor_trafficking: bool
    allegations: list[str]
    csec_data_grid: str | None
    actions: list[dict]
    reasons: list[Reason]
    holds: dict[str, bool] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "at_risk": self.at_risk,
            "sex_trafficking": self.sex_trafficking,
            "labor_trafficking": self.labor_trafficking,
            "allegations": self.allegations,
            "csec_data_grid": self.csec_data_grid,
            "actions": self.actions,
            "reasons": [r.as_dict() for r in self.reasons],
        }

    @property
    def action_ids(self) -> list[str]:
        return [a["id"] for a in self.actions]


def _label(corpus, fact_id: str) -> str:
    fact = corpus.facts.get(fact_id)
    return fact.label if fact else fact_id


def _count_facts(corpus, cond: m.CountTest) -> list[str]:
    if isinstance(cond.count, dict):
        group = cond.count["indicator_group"]
        return [i.id for i in corpus.indicators.values() if i.group == group]
    return list(cond.count)


class _Evaluator:
    def __init__(self, corpus, facts: dict[str, Any]):
        self.corpus = corpus
        self.facts = facts
        self.memo: dict[str, tuple[bool, str, list[str]]] = {}

    def rule(self, rule_id: str) -> tuple[bool, str, list[str]]:
        if rule_id not in self.memo:
            rule = self.corpus.rules[rule_id]
            self.memo[rule_id] = self.cond(rule.when)
        return self.memo[rule_id]

    def cond(self, c) -> tuple[bool, str, list[str]]:
        """(holds, why in words, deciding facts)."""
        if isinstance(c, m.All):
            parts = [self.cond(x) for x in c.all]
            failed = [p for p in parts if not p[0]]
            chosen = failed[:1] if failed else parts
            return (not failed, "; ".join(p[1] for p in chosen), _merge(p[2] for p in chosen))
        if isinstance(c, m.AnyOf):
            parts = [self.cond(x) for x in c.any]
            held = [p for p in parts if p[0]]
            chosen = held if held else parts
            return (bool(held), "; ".join(p[1] for p in chosen) if held else " and ".join(p[1] for p in parts),
                    _merge(p[2] for p in chosen))
        if isinstance(c, m.Not):
            holds, why, used = self.cond(c.not_)
            return (not holds, f"not ({why})", used)
        if isinstance(c, m.RuleRef):
            holds, _, used = self.rule(c.rule)
            title = self.corpus.rules[c.rule].title
            return (holds, f"{title}: {'yes' if holds else 'no'}", used)
        if isinstance(c, m.CountTest):
            names = _count_facts(self.corpus, c)
            present = [n for n in names if self.facts.get(n) is True]
            what = (f"of the {c.count['indicator_group']} indicators" if isinstance(c.count, dict)
                    else "of " + ", ".join(_label(self.corpus, n) for n in names))
            listed = f" ({', '.join(_label(self.corpus, n) for n in present)})" if present else ""
            return (len(present) >= c.at_least,
                    f"{len(present)} {what} present{listed}; at least {c.at_least} needed", present or names)
        if isinstance(c, m.FactTest):
            return self.fact(c)
        raise TypeError(f"unknown condition {c!r}")  # pragma: no cover - the model admits no other kind

    def fact(self, c: m.FactTest) -> tuple[bool, str, list[str]]:
        value = self.facts.get(c.fact)
        label = _label(self.corpus, c.fact)
        tests = [(op, getattr(c, attr)) for op, attr in
                 (("eq", "eq"), ("ne", "ne"), ("lt", "lt"), ("le", "le"), ("gt", "gt"), ("ge", "ge"), ("in", "in_"))
                 if getattr(c, attr) is not None]
        if not tests:
            return (value is True, f"{label}: {'yes' if value is True else 'no'}", [c.fact])
        if value is None:
            return (False, f"{label}: not given", [c.fact])
        holds = all(_compare(op, value, target) for op, target in tests)
        words = {"eq": "is", "ne": "is not", "lt": "under", "le": "at most", "gt": "over", "ge": "at least",
                 "in": "one of"}
        spec = ", ".join(f"{words[op]} {target}" for op, target in tests)
        return (holds, f"{label} is {value} ({'' if holds else 'not '}{spec})", [c.fact])


def _compare(op: str, value: Any, target: Any) -> bool:
    return {
        "eq": lambda: value == target, "ne": lambda: value != target, "lt": lambda: value < target,
        "le": lambda: value <= target, "gt": lambda: value > target, "ge": lambda: value >= target,
        "in": lambda: value in target,
    }[op]()


def _merge(lists: Iterator[list[str]]) -> list[str]:
    return list(dict.fromkeys(x for lst in lists for x in lst))


def _facts_of(corpus, cond) -> list[str]:
    names: list[str] = []
    for c in _conditions(cond):
        if isinstance(c, m.FactTest):
            names.append(c.fact)
        elif isinstance(c, m.CountTest):
            names.extend(_count_facts(corpus, c))
    return names


def ordered(corpus, kind: str | None = None) -> list[m.Rule]:
    rules = [r for r in corpus.rules.values() if kind is None or r.kind == kind]
    return sorted(rules, key=lambda r: (r.order, r.id))


def deadline(rule: m.Rule) -> dict:
    """The deadline fields of an action as the contract prints them (days also given in hours)."""
    out: dict[str, Any] = {"within_hours": rule.within_hours}
    if rule.within_days is not None:
        out["within_days"] = rule.within_days
        out["within_hours"] = rule.within_days * HOURS_PER_DAY
    if rule.every_days is not None:
        out["every_days"] = rule.every_days
    return out


def assess(corpus, facts: Mapping[str, Any]) -> Assessment:
    """Evaluate every rule over FACTS (validated first; raises FactsError) and assemble the contract's answer."""
    checked = check_facts(corpus, facts)
    ev = _Evaluator(corpus, checked)
    reasons: list[Reason] = []
    for rule in ordered(corpus):
        holds, because, used = ev.rule(rule.id)
        # "Otherwise" explains a near miss (e.g. labor without force: child labor, not trafficking), so it is
        # only said when some fact the rule looks at is present.
        if not holds and rule.otherwise and any(checked.get(f) is True for f in _facts_of(corpus, rule.when)):
            because = f"{because}. {rule.otherwise}"
        reasons.append(Reason(rule.id, holds, because, used, list(rule.cites)))
    holds = {r.rule: r.holds for r in reasons}
    grid = [r.value for r in ordered(corpus, "data_grid") if holds[r.id]]
    actions = [{"id": r.id, "title": r.title, **deadline(r), "cites": list(r.cites)}
               for r in ordered(corpus, "action") if holds[r.id]]
    return Assessment(
        at_risk=holds["at_risk"],
        sex_trafficking=holds["sex_trafficking"],
        labor_trafficking=holds["labor_trafficking"],
        allegations=[r.id for r in ordered(corpus, "allegation") if holds[r.id]],
        csec_data_grid=grid[0] if grid else None,
        actions=actions,
        reasons=reasons,
        holds=holds,
    )


# --- rendering rules in words (the manual, the quizzes) -------------------------------------------------------

def _conditions(c) -> Iterator[Any]:
    yield c
    children = c.all if isinstance(c, m.All) else c.any if isinstance(c, m.AnyOf) else (
        [c.not_] if isinstance(c, m.Not) else [])
    for child in children:
        yield from _conditions(child)


def placeholders(corpus, rule: m.Rule) -> dict[str, Any]:
    """Values a rule's text may name: {at_least:GROUP} or {at_least:N}, {lt:FACT} (etc.), and its deadlines."""
    values: dict[str, Any] = {}
    counts = 0
    # Follow referenced rules too, so "under {lt:age}" in sex_trafficking reads the age from the `minor` rule.
    seen, queue, conds = {rule.id}, [rule.when], []
    while queue:
        for c in _conditions(queue.pop(0)):
            conds.append(c)
            if isinstance(c, m.RuleRef) and c.rule not in seen and c.rule in corpus.rules:
                seen.add(c.rule)
                queue.append(corpus.rules[c.rule].when)
    for c in conds:
        if isinstance(c, m.CountTest):
            counts += 1
            values[f"at_least:{counts}"] = c.at_least
            if isinstance(c.count, dict):
                values[f"at_least:{c.count['indicator_group']}"] = c.at_least
        elif isinstance(c, m.FactTest):
            for op in ("lt", "le", "gt", "ge", "eq", "ne"):
                if getattr(c, op) is not None and not isinstance(getattr(c, op), bool):
                    values[f"{op}:{c.fact}"] = getattr(c, op)
    for key in ("within_hours", "within_days", "every_days"):
        if getattr(rule, key) is not None:
            values[key] = getattr(rule, key)
    return values


def render_rule(corpus, rule_id: str) -> str:
    """The rule's plain-language text with every placeholder filled from the data."""
    rule = corpus.rules[rule_id]
    values = placeholders(corpus, rule)
    return _PLACEHOLDER.sub(lambda mt: str(values[mt.group(0)[1:-1]]), rule.text)


def describe(corpus, rule_id: str) -> str:
    """The rule's condition in words, generated from the data (shown beside the plain-language text)."""
    return _describe(corpus, corpus.rules[rule_id].when)


def _describe(corpus, c) -> str:
    if isinstance(c, m.All):
        return "all of: " + "; ".join(f"({_describe(corpus, x)})" if isinstance(x, (m.All, m.AnyOf)) else
                                      _describe(corpus, x) for x in c.all)
    if isinstance(c, m.AnyOf):
        return "any of: " + "; ".join(f"({_describe(corpus, x)})" if isinstance(x, (m.All, m.AnyOf)) else
                                      _describe(corpus, x) for x in c.any)
    if isinstance(c, m.Not):
        return f"not {_describe(corpus, c.not_)}"
    if isinstance(c, m.RuleRef):
        return corpus.rules[c.rule].title
    if isinstance(c, m.CountTest):
        names = ", ".join(_label(corpus, n) for n in _count_facts(corpus, c))
        return f"at least {c.at_least} of: {names}"
    if isinstance(c, m.FactTest):
        label = _label(corpus, c.fact)
        parts = []
        for op, words in (("eq", "is"), ("ne", "is not"), ("lt", "under"), ("le", "at most"), ("gt", "over"),
                          ("ge", "at least"), ("in_", "one of")):
            target = getattr(c, op)
            if target is not None:
                parts.append(f"{label} {words} {target}")
        return " and ".join(parts) if parts else label
    raise TypeError(c)  # pragma: no cover


# --- load-time checks (called by csec.content.load; reported by `csec validate`) ------------------------------

def check_corpus(corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    for rule in corpus.rules.values():
        errors.extend(_check_rule(corpus, rule))
    errors.extend(_check_cycles(corpus))
    if not errors:  # placeholders are only meaningful once every condition is well formed
        for rule in corpus.rules.values():
            errors.extend(_check_text(corpus, corpus.origin("rules", rule.id), rule))
    have = set(corpus.rules)
    any_origin = next(iter(corpus.origins.values()), None)
    for required in (*CONTRACT_OUTCOMES, *CONTRACT_ACTIONS):
        if corpus.rules and required not in have and any_origin is not None:
            first = corpus.origin("rules", next(iter(corpus.rules)))
            errors.append(first.doc.error((), f"required rule {required!r} is missing from the rules"))
    if errors:
        return errors
    for scenario in corpus.scenarios.values():
        errors.extend(_check_scenario(corpus, scenario))
    return errors


def _check_rule(corpus, rule: m.Rule) -> list[ContentError]:
    origin = corpus.origin("rules", rule.id)
    errors: list[ContentError] = []

    def walk(c, path: tuple) -> None:
        if isinstance(c, m.All):
            for i, x in enumerate(c.all):
                walk(x, path + ("all", i))
        elif isinstance(c, m.AnyOf):
            for i, x in enumerate(c.any):
                walk(x, path + ("any", i))
        elif isinstance(c, m.Not):
            walk(c.not_, path + ("not",))
        elif isinstance(c, m.RuleRef):
            if c.rule not in corpus.rules:
                errors.append(origin.error(f"unknown rule {c.rule!r} (known: {', '.join(sorted(corpus.rules))})",
                                           *path, "rule"))
        elif isinstance(c, m.CountTest):
            if isinstance(c.count, dict):
                group = c.count["indicator_group"]
                if group not in corpus.indicator_groups:
                    errors.append(origin.error(f"unknown indicator group {group!r} (known: "
                                               f"{', '.join(corpus.indicator_groups)})", *path, "count"))
                    return
                size = len(_count_facts(corpus, c))
            else:
                for i, name in enumerate(c.count):
                    fact = corpus.facts.get(name)
                    if fact is None or fact.type != "bool":
                        errors.append(origin.error(f"count needs boolean facts; {name!r} is "
                                                   f"{'unknown' if fact is None else fact.type}", *path, "count", i))
                size = len(c.count)
            if c.at_least > size:
                errors.append(origin.error(f"at_least {c.at_least} can never hold: only {size} facts are counted",
                                           *path, "at_least"))
        elif isinstance(c, m.FactTest):
            errors.extend(_check_fact_test(corpus, origin, c, path))

    walk(rule.when, ("when",))
    if rule.kind == "data_grid":
        codes = {k: v for k, v in corpus.cwscms_codes.items() if v.kind == "data_grid_type"}
        if rule.value not in codes:
            errors.append(origin.error(f"data_grid rule needs a value naming a CSEC data grid type (known: "
                                       f"{', '.join(codes)})", "value" if rule.value else "kind"))
    elif rule.value is not None:
        errors.append(origin.error("only data_grid rules take a value", "value"))
    if rule.kind != "action" and any(getattr(rule, k) is not None for k in ("within_hours", "within_days",
                                                                              "every_days")):
        errors.append(origin.error("only action rules take deadlines", "kind"))
    return errors


def _check_fact_test(corpus, origin, c: m.FactTest, path: tuple) -> list[ContentError]:
    fact = corpus.facts.get(c.fact)
    if fact is None:
        return [origin.error(f"unknown fact {c.fact!r} (known: {', '.join(corpus.facts)})", *path, "fact")]
    ops = {op: getattr(c, attr) for op, attr in (("eq", "eq"), ("ne", "ne"), ("lt", "lt"), ("le", "le"),
                                                 ("gt", "gt"), ("ge", "ge"), ("in", "in_"))
           if getattr(c, attr) is not None}
    if not ops and fact.type != "bool":
        return [origin.error(f"fact {c.fact!r} is {fact.type}; compare it (eq, lt, in, ...)", *path, "fact")]
    errors = []
    for op, target in ops.items():
        targets = target if op == "in" else [target]
        for t in targets:
            ok = ((fact.type == "bool" and isinstance(t, bool) and op in ("eq", "ne", "in")) or
                  (fact.type == "int" and isinstance(t, int) and not isinstance(t, bool)) or
                  (fact.type == "enum" and t in fact.values and op in ("eq", "ne", "in")))
            if not ok:
                allowed = f" (values: {', '.join(fact.values)})" if fact.type == "enum" else ""
                errors.append(origin.error(f"{op} {t!r} does not fit {fact.type} fact {c.fact!r}{allowed}",
                                           *path, op))
    return errors


def _check_text(corpus, origin, rule: m.Rule) -> list[ContentError]:
    values = placeholders(corpus, rule)
    errors = []
    for match in _PLACEHOLDER.finditer(rule.text):
        if match.group(0)[1:-1] not in values:
            errors.append(origin.error(f"placeholder {match.group(0)} names nothing in this rule (available: "
                                       f"{', '.join('{' + k + '}' for k in values) or 'none'})", "text"))
    # A threshold written as a number in prose would go stale when the data changes; require the placeholder.
    for where, text in (("text", rule.text), ("title", rule.title)):
        errors.extend(_stale_numbers(origin, where, _PLACEHOLDER.sub("", text), values))
    return errors


def _stale_numbers(origin, where: str, bare: str, values: dict[str, Any]) -> list[ContentError]:
    errors, said = [], set()
    # Named placeholders ({at_least:other}) are suggested before positional ones ({at_least:2}).
    for key, value in sorted(values.items(), key=lambda kv: kv[0].split(":")[-1].isdigit()):
        if isinstance(value, bool) or not isinstance(value, int) or value in said:
            continue
        word = _NUMBER_WORDS.get(value)
        if re.search(rf"(?<![\d.§-]){value}(?![\d.-])", bare) or (word and re.search(rf"\b{word}\b", bare, re.I)):
            said.add(value)
            errors.append(origin.error(f"{where} states {value} directly; write {{{key}}} in the text so it "
                                       f"follows the data", where))
    return errors


def _check_cycles(corpus) -> list[ContentError]:
    graph = {r.id: [c.rule for c in _conditions(r.when) if isinstance(c, m.RuleRef)] for r in corpus.rules.values()}
    state: dict[str, int] = {}
    errors: list[ContentError] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt]
                errors.append(corpus.origin("rules", node).error(f"rules refer to each other in a cycle: "
                                                                 f"{' -> '.join(cycle)}", "when"))
            elif state.get(nxt) is None:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for rid in graph:
        if state.get(rid) is None:
            visit(rid, [rid])
    return errors


def _check_scenario(corpus, s: m.Scenario) -> list[ContentError]:
    origin = corpus.origin("scenarios", s.id)
    try:
        result = assess(corpus, s.facts)
    except FactsError as e:
        return [origin.error(str(e), "facts")]
    got = {
        "at_risk": result.at_risk, "sex_trafficking": result.sex_trafficking,
        "labor_trafficking": result.labor_trafficking, "allegations": sorted(result.allegations),
        "csec_data_grid": result.csec_data_grid, "actions": sorted(result.action_ids),
    }
    want = s.expected.model_dump()
    want["allegations"] = sorted(want["allegations"])
    want["actions"] = sorted(want["actions"])
    errors = []
    for key, expected in want.items():
        if got[key] != expected:
            errors.append(origin.error(f"expected {key} {expected!r} but the rules give {got[key]!r}",
                                       "expected", key))
    return errors
