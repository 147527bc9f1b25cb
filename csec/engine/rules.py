"""The rules engine: interprets the rules-as-data in the Corpus over a facts mapping, with reasons and citations.

Every consumer of a decision (the `csec assess` command, the widgets, the scenario checks, the manual's rendering
of a rule in words, the in-page player's JSON) goes through this module, so a threshold edited in YAML changes
them all together. Nothing here hard-codes a threshold or a deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from csec.core import model as m
from csec.core.deadline import FIELDS as DEADLINE_FIELDS
from csec.core.deadline import Deadline, action_fields
from csec.core.site_view import rules_as_of

# The contract's output names (DESIGN.md "Public contracts"): these rule ids must exist in the data.
CONTRACT_OUTCOMES = ("at_risk", "sex_trafficking", "labor_trafficking")
CONTRACT_ACTIONS = (
    "call_child_protection_hotline", "report_to_law_enforcement", "report_missing_to_law_enforcement_for_ncic",
    "report_missing_to_ncmec", "confirm_whereabouts_every_30_days", "assess_for_cse_on_return", "notify_otip",
    "notify_tribe", "tag_referral_s_csec", "in_person_investigation", "document_in_cws_cms", "determine_services",
)
# The contract's duty that a county layer supplies: the report to the county's own child abuse hotline (in Los
# Angeles, the Child Protection Hotline). The statewide baseline read alone (--county none) is not held to it.
COUNTY_CONTRACT_ACTIONS = ("call_child_protection_hotline",)
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z0-9_]+))?\}")
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten"}


class FactsError(ValueError):
    """Facts given to the engine that are not in the vocabulary or have the wrong type; one clear line."""


# --- the operators: one table for the evaluator, the describer and the checks ---------------------------------

@dataclass(frozen=True)
class Operator:
    name: str  # as written in YAML: {fact: age, lt: 18}
    attr: str  # the FactTest field that holds it
    words: str  # how a condition reads: "Age in years under 18"
    test: Callable[[Any, Any], bool]
    types: tuple[str, ...]  # the fact types it applies to


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("eq", "eq", "is", lambda v, t: v == t, ("bool", "int", "enum")),
    Operator("ne", "ne", "is not", lambda v, t: v != t, ("bool", "int", "enum")),
    Operator("lt", "lt", "under", lambda v, t: v < t, ("int",)),
    Operator("le", "le", "at most", lambda v, t: v <= t, ("int",)),
    Operator("gt", "gt", "over", lambda v, t: v > t, ("int",)),
    Operator("ge", "ge", "at least", lambda v, t: v >= t, ("int",)),
    Operator("in", "in_", "one of", lambda v, t: v in t, ("bool", "int", "enum")),
)}


def operators_of(c: m.FactTest) -> list[tuple[Operator, Any]]:
    """The (operator, target) pairs a fact test sets, in the table's order."""
    return [(op, getattr(c, op.attr)) for op in OPERATORS.values() if getattr(c, op.attr) is not None]


def show(value: Any) -> str:
    """A value as the reasons print it (the in-page interpreter prints it the same way)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " or ".join(show(v) for v in value)
    return str(value)


# --- facts --------------------------------------------------------------------------------------------------

def check_facts(corpus, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a facts mapping against the vocabulary; return it with booleans defaulted to False and every other
    fact left out set to None (not given)."""
    vocab: dict[str, m.Fact] = corpus.facts
    if not isinstance(facts, Mapping):
        raise FactsError("facts must be a mapping of fact name to value")
    unknown = sorted(set(facts) - set(vocab))
    if unknown:
        raise FactsError(f"unknown fact {_cut(unknown[0])} (known: {', '.join(vocab)})")
    out: dict[str, Any] = {}
    for name, fact in vocab.items():
        value = facts.get(name)
        if value is None:
            out[name] = False if fact.type == "bool" else None
        elif fact.type == "bool" and not isinstance(value, bool):
            raise FactsError(f"fact {name!r} must be true or false (got {_cut(value)})")
        elif fact.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise FactsError(f"fact {name!r} must be a whole number (got {_cut(value)})")
        elif range_problem(fact, value):
            raise FactsError(range_problem(fact, value))
        elif fact.type == "enum" and value not in fact.values:
            raise FactsError(f"fact {name!r} must be one of: {', '.join(fact.values)} (got {_cut(value)})")
        else:
            out[name] = value
    return out


def range_problem(fact: m.Fact, value: Any) -> str | None:
    """The message for a whole-number fact outside the range its vocabulary entry gives (age: 0 to 130)."""
    if fact.type == "int" and isinstance(value, int) and not isinstance(value, bool) and \
            not fact.minimum <= value <= fact.maximum:
        return f"fact {fact.id!r} must be from {fact.minimum} to {fact.maximum} (got {value})"
    return None


def _cut(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _conflicts(corpus, ev: "_Evaluator") -> None:
    """Refuse facts that contradict each other (a conflict rule holds), naming the facts and the rule's words."""
    for rule in ordered(corpus, "conflict"):
        result = ev.rule(rule.id)
        if result.value is True:
            named = [f for f in corpus.facts if f in result.facts]
            where = "; ".join(corpus.cite_label(c) for c in rule.cites)
            raise FactsError(f"facts {' and '.join(repr(f) for f in named)} contradict each other: "
                             f"{render_rule(corpus, rule.id)} ({where})")


# --- evaluation ---------------------------------------------------------------------------------------------

@dataclass
class Reason:
    rule: str
    holds: bool | None  # None: undecided, because a fact it needs (`needs`) was not given
    because: str
    facts: list[str]
    cites: list[str]

    def as_dict(self) -> dict:
        return {"rule": self.rule, "holds": self.holds, "because": self.because, "facts": self.facts,
                "cites": self.cites}


@dataclass
class Assessment:
    at_risk: bool | None
    sex_trafficking: bool | None
    labor_trafficking: bool | None
    allegations: list[str] | None
    csec_data_grid: str | None
    actions: list[dict] | None
    reasons: list[Reason]
    needs: list[str] = field(default_factory=list)
    holds: dict[str, bool | None] = field(default_factory=dict)
    rules_as_of: str = rules_as_of(False)  # "published", or "preview" when the corpus is a preview's view

    def as_dict(self) -> dict:
        return {
            "at_risk": self.at_risk,
            "sex_trafficking": self.sex_trafficking,
            "labor_trafficking": self.labor_trafficking,
            "allegations": self.allegations,
            "csec_data_grid": self.csec_data_grid,
            "actions": self.actions,
            "needs": self.needs,
            "reasons": [r.as_dict() for r in self.reasons],
            "rules_as_of": self.rules_as_of,
        }

    @property
    def action_ids(self) -> list[str] | None:
        return None if self.actions is None else [a["id"] for a in self.actions]


@dataclass(frozen=True)
class Result:
    """A condition's value in three-valued (Kleene) logic, why in words, the deciding facts and what is missing."""

    value: bool | None
    why: str
    facts: list[str]
    missing: list[str]


def _label(corpus, fact_id: str) -> str:
    fact = corpus.facts.get(fact_id)
    return fact.label if fact else fact_id


def count_facts(corpus, cond: m.CountTest) -> list[str]:
    if isinstance(cond.count, dict):
        group = cond.count["indicator_group"]
        return [i.id for i in corpus.indicators.values() if i.group == group]
    return list(cond.count)


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


class _Evaluator:
    def __init__(self, corpus, facts: dict[str, Any]):
        self.corpus = corpus
        self.facts = facts
        self.memo: dict[str, Result] = {}

    def rule(self, rule_id: str) -> Result:
        if rule_id not in self.memo:
            self.memo[rule_id] = self.cond(self.corpus.rules[rule_id].when)
        return self.memo[rule_id]

    def cond(self, c) -> Result:
        if isinstance(c, (m.All, m.AnyOf)):
            parts = [self.cond(x) for x in (c.all if isinstance(c, m.All) else c.any)]
            # all: one false part decides; any: one true part decides; else an undecided part leaves it undecided.
            deciding = False if isinstance(c, m.All) else True
            decided = [p for p in parts if p.value is deciding]
            undecided = [p for p in parts if p.value is None]
            if decided:
                chosen = decided[:1] if deciding is False else decided
                value = deciding
            elif undecided:
                chosen, value = undecided, None
            else:
                chosen, value = parts, not deciding
            joiner = " and " if (isinstance(c, m.AnyOf) and value is False) else "; "
            return Result(value, joiner.join(p.why for p in chosen), _merge(p.facts for p in chosen),
                          _merge(p.missing for p in chosen))
        if isinstance(c, m.Not):
            inner = self.cond(c.not_)
            return Result(None if inner.value is None else not inner.value, f"not ({inner.why})", inner.facts,
                          inner.missing)
        if isinstance(c, m.RuleRef):
            inner = self.rule(c.rule)
            return Result(inner.value, f"{self.corpus.rules[c.rule].title}: {_yes_no(inner.value)}", inner.facts,
                          inner.missing)
        if isinstance(c, m.CountTest):
            names = count_facts(self.corpus, c)
            present = [n for n in names if self.facts.get(n) is True]
            what = (f"of the {c.count['indicator_group']} indicators" if isinstance(c.count, dict)
                    else "of " + ", ".join(_label(self.corpus, n) for n in names))
            listed = f" ({', '.join(_label(self.corpus, n) for n in present)})" if present else ""
            return Result(len(present) >= c.at_least,
                          f"{len(present)} {what} present{listed}; at least {c.at_least} needed", present or names, [])
        if isinstance(c, m.FactTest):
            return self.fact(c)
        raise TypeError(f"unknown condition {c!r}")  # pragma: no cover - the model admits no other kind

    def fact(self, c: m.FactTest) -> Result:
        value = self.facts.get(c.fact)
        label = _label(self.corpus, c.fact)
        tests = operators_of(c)
        if not tests:
            return Result(value is True, f"{label}: {_yes_no(value is True)}", [c.fact], [])
        if value is None:
            if self.corpus.facts[c.fact].when_missing == "unknown":
                return Result(None, f"{label}: not given", [c.fact], [c.fact])
            return Result(False, f"{label}: not recorded", [c.fact], [])
        holds = all(op.test(value, target) for op, target in tests)
        spec = ", ".join(f"{op.words} {show(target)}" for op, target in tests)
        return Result(holds, f"{label} is {show(value)} ({'' if holds else 'not '}{spec})", [c.fact], [])


def _merge(lists: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(x for lst in lists for x in lst))


def facts_of(corpus, cond) -> list[str]:
    names: list[str] = []
    for c in conditions(cond):
        if isinstance(c, m.FactTest):
            names.append(c.fact)
        elif isinstance(c, m.CountTest):
            names.extend(count_facts(corpus, c))
    return names


def ordered(corpus, kind: str | None = None) -> list[m.Rule]:
    rules = [r for r in corpus.rules.values() if kind is None or r.kind == kind]
    return sorted(rules, key=lambda r: (r.order, r.id))


def deadline(rule: m.Rule) -> dict:
    """The deadline fields of an action as the contract prints them (see csec.core.deadline)."""
    return action_fields(Deadline.of(rule))


def _listed(rules: list[m.Rule], holds: dict[str, bool | None]) -> list[m.Rule] | None:
    """The rules that hold, or None when any of them is undecided (the list would be incomplete)."""
    if any(holds[r.id] is None for r in rules):
        return None
    return [r for r in rules if holds[r.id]]


def assess(corpus, facts: Mapping[str, Any]) -> Assessment:
    """Evaluate every rule over FACTS (validated first; raises FactsError, also for contradictory facts) and
    assemble the contract's answer. An answer that depends on a fact left out (age) is None and names it in
    `needs`."""
    checked = check_facts(corpus, facts)
    ev = _Evaluator(corpus, checked)
    _conflicts(corpus, ev)
    reasons: list[Reason] = []
    for rule in ordered(corpus):
        if rule.kind == "conflict":
            continue
        result = ev.rule(rule.id)
        because = result.why
        # "Otherwise" explains a near miss (e.g. labor without force: child labor, not trafficking), so it is
        # only said when some fact the rule looks at is present.
        if result.value is False and rule.otherwise and any(checked.get(f) is True
                                                             for f in facts_of(corpus, rule.when)):
            because = f"{because}. {render_rule(corpus, rule.id, 'otherwise')}"
        reasons.append(Reason(rule.id, result.value, because, result.facts, list(rule.cites)))
    holds = {r.rule: r.holds for r in reasons}
    grids, allegations, actions = (ordered(corpus, k) for k in ("data_grid", "allegation", "action"))
    answered = [*(corpus.rules[o] for o in CONTRACT_OUTCOMES), *grids, *allegations, *actions]
    missing = _merge(ev.rule(r.id).missing for r in answered if holds[r.id] is None)
    alleged = _listed(allegations, holds)
    required = _listed(actions, holds)
    grid = [r.value for r in grids if holds[r.id]]
    return Assessment(
        at_risk=holds["at_risk"],
        sex_trafficking=holds["sex_trafficking"],
        labor_trafficking=holds["labor_trafficking"],
        allegations=None if alleged is None else [r.id for r in alleged],
        csec_data_grid=grid[0] if grid else None,
        actions=None if required is None else [
            {"id": r.id, "title": r.title, **deadline(r), "cites": list(r.cites)} for r in required],
        reasons=reasons,
        needs=[f for f in corpus.facts if f in missing],
        holds=holds,
        rules_as_of=rules_as_of(corpus.preview),
    )


# --- rendering rules in words (the manual, the quizzes) -------------------------------------------------------

def conditions(c) -> Iterator[Any]:
    yield c
    children = c.all if isinstance(c, m.All) else c.any if isinstance(c, m.AnyOf) else (
        [c.not_] if isinstance(c, m.Not) else [])
    for child in children:
        yield from conditions(child)


def placeholders(corpus, rule: m.Rule) -> dict[str, Any]:
    """Values a rule's text may name: {at_least:GROUP} or {at_least:N}, {lt:FACT} (etc.), and its deadlines."""
    values: dict[str, Any] = {}
    counts = 0
    # Follow referenced rules too, so "under {lt:age}" in sex_trafficking reads the age from the `minor` rule.
    seen, queue, conds = {rule.id}, [rule.when], []
    while queue:
        for c in conditions(queue.pop(0)):
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
            for op, target in operators_of(c):
                if isinstance(target, int) and not isinstance(target, bool):
                    values[f"{op.name}:{c.fact}"] = target
    for key in DEADLINE_FIELDS:
        if getattr(rule, key) is not None:
            values[key] = getattr(rule, key)
    when = Deadline.of(rule)
    if when is not None:
        values["deadline"] = when.words()
    return values


def render_rule(corpus, rule_id: str, field: str = "text") -> str:
    """The rule's plain-language text (or `otherwise`, or a mention) with every placeholder filled from the data."""
    rule = corpus.rules[rule_id]
    return fill(corpus, rule, getattr(rule, field) or "")


def fill(corpus, rule: m.Rule, text: str) -> str:
    values = placeholders(corpus, rule)
    return PLACEHOLDER.sub(lambda mt: str(values[mt.group(0)[1:-1]]), text)


def describe(corpus, rule_id: str) -> str:
    """The rule's condition in words, generated from the data (shown beside the plain-language text)."""
    return describe_condition(corpus, corpus.rules[rule_id].when)


def describe_condition(corpus, c) -> str:
    if isinstance(c, m.All):
        return "all of: " + "; ".join(f"({describe_condition(corpus, x)})" if isinstance(x, (m.All, m.AnyOf)) else
                                      describe_condition(corpus, x) for x in c.all)
    if isinstance(c, m.AnyOf):
        return "any of: " + "; ".join(f"({describe_condition(corpus, x)})" if isinstance(x, (m.All, m.AnyOf)) else
                                      describe_condition(corpus, x) for x in c.any)
    if isinstance(c, m.Not):
        return f"not {describe_condition(corpus, c.not_)}"
    if isinstance(c, m.RuleRef):
        return corpus.rules[c.rule].title
    if isinstance(c, m.CountTest):
        names = ", ".join(_label(corpus, n) for n in count_facts(corpus, c))
        return f"at least {c.at_least} of: {names}"
    if isinstance(c, m.FactTest):
        label = _label(corpus, c.fact)
        parts = [f"{label} {op.words} {show(_spoken(target))}" for op, target in operators_of(c)]
        return " and ".join(parts) if parts else label
    raise TypeError(c)  # pragma: no cover


def _spoken(target: Any) -> Any:
    # The manual says an enum value in words ("before foster care"); its id (before_foster_care) is the data's.
    if isinstance(target, str):
        return target.replace("_", " ")
    if isinstance(target, (list, tuple)):
        return [_spoken(t) for t in target]
    return target
