"""The rules engine: interprets the rules-as-data in the Corpus over a facts mapping, with reasons and citations.

Every consumer of a decision (the `csec assess` command, the widgets, the scenario checks, the manual's rendering
of a rule in words, the in-page player's JSON) goes through this module, so a threshold edited in YAML changes
them all together. Nothing here hard-codes a threshold or a deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from csec.core import conditions as cond
from csec.core import model as m
from csec.core.conditions import operators_of
from csec.core.deadline import FIELDS as DEADLINE_FIELDS
from csec.core.deadline import Deadline, action_fields
from csec.core.site_view import rules_as_of
from csec.engine.fact_space import settling_questions
from csec.engine.fact_space import values as fact_values

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
    """Facts given to the engine that are not in the vocabulary or have the wrong type; one clear line. FACT names
    the fact the message is about (None: the facts as a whole), so a caller can point at where it is written."""

    def __init__(self, message: str, fact: str | None = None):
        super().__init__(message)
        self.fact = fact


def show(value: Any) -> str:
    """A value as the reasons print it (the in-page interpreter prints it the same way)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " or ".join(show(v) for v in value)
    return str(value)


# --- facts --------------------------------------------------------------------------------------------------

class _Unknown:
    """A fact given as null, or left out where the vocabulary says so (age): unknown, never read as false."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def check_facts(corpus, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a facts mapping against the vocabulary; return it with booleans left out defaulted to False, a fact
    given as null (or left out where its vocabulary entry says `when_missing: unknown`, as age) UNKNOWN, and any other
    fact left out None (not recorded)."""
    vocab: dict[str, m.Fact] = corpus.facts
    if not isinstance(facts, Mapping):
        raise FactsError("facts must be a mapping of fact name to value")
    unknown = sorted(set(facts) - set(vocab))
    if unknown:
        raise FactsError(f"unknown fact {_cut(unknown[0])} (known: {', '.join(vocab)})", unknown[0])
    out: dict[str, Any] = {}
    for name, fact in vocab.items():
        value = facts.get(name)
        if value is None:
            # Given as null, or a fact whose absence is unknown (age): undecided. A fact marked `when_missing: absent`
            # left out is "not given": a bare test reads it as false and no comparison holds, so a conflict rule can
            # tell it from one given as false.
            out[name] = (UNKNOWN if name in facts or fact.when_missing == "unknown" else
                         None if fact.when_missing == "absent" else False if fact.type == "bool" else None)
        elif fact.type == "bool" and not isinstance(value, bool):
            raise FactsError(f"fact {name!r} must be true or false (got {_cut(value)})", name)
        elif fact.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise FactsError(f"fact {name!r} must be a whole number (got {_cut(value)})", name)
        elif range_problem(fact, value):
            raise FactsError(range_problem(fact, value), name)
        elif fact.type == "enum" and value not in fact.values:
            raise FactsError(f"fact {name!r} must be one of: {', '.join(fact.values)} (got {_cut(value)})", name)
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
                             f"{render_rule(corpus, rule.id)} ({where})", named[0] if named else None)


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
    rules_as_of: str = "published"  # which rules answered: "published", "preview", or the date asked for
    find_out: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "at_risk": self.at_risk,
            "sex_trafficking": self.sex_trafficking,
            "labor_trafficking": self.labor_trafficking,
            "allegations": self.allegations,
            "csec_data_grid": self.csec_data_grid,
            "actions": self.actions,
            "needs": self.needs,
            "find_out": self.find_out,
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


def fact_label(corpus, fact_id: str) -> str:
    fact = corpus.facts.get(fact_id)
    return fact.label if fact else fact_id


def count_facts(corpus, c: m.CountTest) -> list[str]:
    return cond.counted(c, corpus.indicators)


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
        return cond.fold(c, self.visit)

    def visit(self, c, parts: list[Result]) -> Result:
        kind = cond.kind(c)
        if kind in ("all", "any"):
            # all: one false part decides; any: one true part decides; else an undecided part leaves it undecided.
            deciding = kind == "any"
            decided = [p for p in parts if p.value is deciding]
            undecided = [p for p in parts if p.value is None]
            if decided:
                chosen = decided[:1] if deciding is False else decided
                value = deciding
            elif undecided:
                chosen, value = undecided, None
            else:
                chosen, value = parts, not deciding
            joiner = " and " if (kind == "any" and value is False) else "; "
            return Result(value, joiner.join(p.why for p in chosen), _merge(p.facts for p in chosen),
                          _merge(p.missing for p in chosen))
        if kind == "not":
            inner = parts[0]
            return Result(None if inner.value is None else not inner.value, f"not ({inner.why})", inner.facts,
                          inner.missing)
        if kind == "rule":
            inner = self.rule(c.rule)
            return Result(inner.value, f"{self.corpus.rules[c.rule].title}: {_yes_no(inner.value)}", inner.facts,
                          inner.missing)
        if kind == "count":
            return self.count(c)
        return self.fact(c)

    def count(self, c: m.CountTest) -> Result:
        names = count_facts(self.corpus, c)
        present = [n for n in names if self.facts.get(n) is True]
        unknown = [n for n in names if self.facts.get(n) is UNKNOWN]
        # Kleene: enough present decides yes; too few even if every unknown one were present decides no.
        value = True if len(present) >= c.at_least else None if len(present) + len(unknown) >= c.at_least else False
        what = (f"of the {c.count['indicator_group']} indicators" if isinstance(c.count, dict)
                else "of " + ", ".join(fact_label(self.corpus, n) for n in names))
        listed = f" ({', '.join(fact_label(self.corpus, n) for n in present)})" if present else ""
        open_ = f", {len(unknown)} not given ({', '.join(fact_label(self.corpus, n) for n in unknown)})" \
            if value is None else ""
        return Result(value, f"{len(present)} {what} present{listed}{open_}; at least {c.at_least} needed",
                      present or names, unknown if value is None else [])

    def fact(self, c: m.FactTest) -> Result:
        value = self.facts.get(c.fact)
        label = fact_label(self.corpus, c.fact)
        if value is UNKNOWN:
            return Result(None, f"{label}: not given", [c.fact], [c.fact])
        tests = operators_of(c)
        if not tests:
            return Result(value is True, f"{label}: {_yes_no(value is True)}", [c.fact], [])
        if value is None:
            return Result(False, f"{label}: not recorded", [c.fact], [])
        holds = all(op.test(value, target) for op, target in tests)
        spec = ", ".join(f"{op.words} {show(target)}" for op, target in tests)
        return Result(holds, f"{label} is {show(value)} ({'' if holds else 'not '}{spec})", [c.fact], [])


def _merge(lists: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(x for lst in lists for x in lst))


def facts_of(corpus, c) -> list[str]:
    """The facts a condition's own tests read, in order (rule references not followed)."""
    return cond.facts_read(c, corpus.indicators)


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


def evaluate(corpus, facts: Mapping[str, Any], rule_ids: Iterable[str], refuse: bool = True) -> dict[str, Result]:
    """Each of RULE_IDS over FACTS, validated (and, with REFUSE, contradictions refused as `assess` refuses them),
    without assembling an answer: what the exhaustive checks over the fact space read (tests/test_fact_space.py)."""
    ev = _Evaluator(corpus, check_facts(corpus, facts))
    if refuse:
        _conflicts(corpus, ev)
    return {rule_id: ev.rule(rule_id) for rule_id in rule_ids}


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
    waiting = {r.id: ev.rule(r.id).missing for r, _ in _answered(corpus) if holds[r.id] is None}
    missing = _merge(waiting.values())
    grids, allegations, actions = (ordered(corpus, k) for k in ("data_grid", "allegation", "action"))
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
        find_out=find_out(corpus, checked, waiting),
        rules_as_of=rules_as_of(corpus),
    )


# The contract's outputs, each with the rules that answer it: an outcome answers itself; the data grid, the allegations
# and the actions are each answered by their rules together.
OUTPUTS = ("at_risk", "sex_trafficking", "labor_trafficking", "allegations", "csec_data_grid", "actions")
_OUTPUT_OF_KIND = {"allegation": "allegations", "data_grid": "csec_data_grid", "action": "actions"}


def _answered(corpus) -> list[tuple[m.Rule, str]]:
    """Every rule that answers an output of the contract, with the output's name, in the outputs' order."""
    rules = [(corpus.rules[o], o) for o in CONTRACT_OUTCOMES]
    for kind in ("data_grid", "allegation", "action"):
        rules += [(r, _OUTPUT_OF_KIND[kind]) for r in ordered(corpus, kind)]
    return sorted(rules, key=lambda ro: OUTPUTS.index(ro[1]))


def find_out(corpus, checked: dict[str, Any], missing: dict[str, list[str]]) -> list[dict]:
    """The unknown facts whose value could change an output or a duty, most decisive first: for each, the outputs it
    could change and the investigative questions that would settle it. MISSING: each undecided rule's missing facts.

    A fact could change an undecided rule when the rule waits for it (it is among the rule's missing facts, so also
    in `needs`), or when one of its values alone decides the rule (the other unknown facts kept unknown); values the
    conflict rules refuse are not values it can have. Most decisive: settles the most rules whichever value it turns
    out to have, then could change the most; ties keep the vocabulary's order."""
    open_rules = [(r, o) for r, o in _answered(corpus) if r.id in missing]
    unknown = [f for f in corpus.facts if checked[f] is UNKNOWN]
    if not open_rules or not unknown:
        return []
    conflicts = ordered(corpus, "conflict")
    questions = settling_questions(corpus)
    ranked = []
    for place, fact in enumerate(unknown):
        outcomes = []
        for value in fact_values(corpus, fact):
            ev = _Evaluator(corpus, {**checked, fact: value})
            if not any(ev.rule(c.id).value is True for c in conflicts):
                outcomes.append({r.id: ev.rule(r.id).value for r, _ in open_rules})
        changed = [(r, o) for r, o in open_rules
                   if fact in missing[r.id] or any(out[r.id] is not None for out in outcomes)]
        settled = [r for r, _ in open_rules if outcomes and all(out[r.id] is not None for out in outcomes)]
        if changed:
            could = [o for o in OUTPUTS if any(o == out for _, out in changed)]
            ranked.append(((-len(settled), -len(changed), place),
                           {"fact": fact, "could_change": could, "questions": questions[fact]}))
    return [entry for _, entry in sorted(ranked, key=lambda pair: pair[0])]


# --- rendering rules in words (the manual, the quizzes) -------------------------------------------------------

def conditions(c) -> Iterator[Any]:
    """Every condition in C, C first (rule references not followed)."""
    return (x for _, x in cond.walk(c))


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
    def visit(x, parts: list[str]) -> str:
        kind = cond.kind(x)
        if kind in ("all", "any"):
            # A group inside a group is bracketed, so "all of: a; (any of: b; c)" reads unambiguously.
            return f"{kind} of: " + "; ".join(
                f"({part})" if cond.kind(child) in ("all", "any") else part
                for (_, child), part in zip(cond.children(x), parts))
        if kind == "not":
            return f"not {parts[0]}"
        if kind == "rule":
            return corpus.rules[x.rule].title
        if kind == "count":
            return f"at least {x.at_least} of: {', '.join(fact_label(corpus, n) for n in count_facts(corpus, x))}"
        label = fact_label(corpus, x.fact)
        words = [f"{label} {op.words} {show(spoken(target))}" for op, target in operators_of(x)]
        return " and ".join(words) if words else label

    return cond.fold(c, visit)


def spoken(target: Any) -> Any:
    # The manual says an enum value in words ("before foster care"); its id (before_foster_care) is the data's.
    if isinstance(target, str):
        return target.replace("_", " ")
    if isinstance(target, (list, tuple)):
        return [spoken(t) for t in target]
    return target
