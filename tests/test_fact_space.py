"""Proof over the whole fact space, as DMN tools check a decision table for gaps and overlaps: every combination of
the facts a rule reads is tried (ages cut at the rules' own thresholds, interchangeable facts counted instead of listed),
and the single-valued outputs, the age limits of the duties and the conflict rules hold in every one."""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from typing import Iterator

import pytest

from csec.core import model as m
from csec.core.conditions import children, counted, facts_read, operators_of, rules_named, walk
from csec.engine.fact_space import cut_points, values
from csec.engine.rules import CONTRACT_OUTCOMES, FactsError, evaluate, ordered


def _reachable(corpus, rule_ids) -> list[str]:
    """RULE_IDS and every rule they name, transitively, in the order met."""
    seen, queue = [], list(rule_ids)
    while queue:
        rule_id = queue.pop(0)
        if rule_id not in seen:
            seen.append(rule_id)
            queue += rules_named(corpus.rules[rule_id].when)
    return seen


def symmetry_classes(corpus, rule_ids) -> list[list[str]]:
    """The facts RULE_IDS read, in classes of interchangeable facts: booleans read only once each, all as bare members
    of the same count or `any` (only how many are true, or unknown, matters there); every other fact alone."""
    places: dict[str, list[tuple]] = defaultdict(list)
    for rule_id in _reachable(corpus, rule_ids):
        root, pooled = corpus.rules[rule_id].when, set()
        for path, c in walk(root):
            if isinstance(c, m.CountTest):
                for name in counted(c, corpus.indicators):
                    places[name].append((rule_id, path))
            elif isinstance(c, m.AnyOf):
                for sub, child in children(c):
                    if isinstance(child, m.FactTest) and not operators_of(child):
                        places[child.fact].append((rule_id, path))
                        pooled.add(path + sub)
        for path, c in walk(root):
            if isinstance(c, m.FactTest) and path not in pooled:
                places[c.fact].append((rule_id, path, "alone"))
    pools: dict[tuple, list[str]] = defaultdict(list)
    for name, where in places.items():
        poolable = len(where) == 1 and len(where[0]) == 2 and corpus.facts[name].type == "bool"
        pools[where[0] if poolable else (name,)].append(name)
    return list(pools.values())


def _settings(corpus, pool: list[str], unknown: bool) -> Iterator[dict]:
    """The fact entries one class can take: a lone fact each of its values (an enum also not recorded), a pool how
    many are true and how many unknown; with UNKNOWN, null (unknown) too."""
    if len(pool) == 1 and corpus.facts[pool[0]].type != "bool":
        name = pool[0]
        yield {}  # left out: not recorded (age: unknown, as its vocabulary says)
        yield from ({name: v} for v in values(corpus, name))
        if unknown and corpus.facts[name].when_missing != "unknown":
            yield {name: None}
        return
    for true in range(len(pool) + 1):
        for nulls in range(len(pool) - true + 1 if unknown else 1):
            # The rest are false: left out, or given as false where leaving it out is "not given" (`absent`).
            given_false = {f: False for f in pool[true + nulls:] if corpus.facts[f].when_missing == "absent"}
            yield {**{f: True for f in pool[:true]}, **{f: None for f in pool[true:true + nulls]}, **given_false}


def _reads(corpus, rule_ids, through: set[str] | None = None) -> set[str]:
    """The facts read by RULE_IDS and the rules they name, without going into the rules in THROUGH."""
    seen, queue, facts = set(), list(rule_ids), set()
    while queue:
        rule_id = queue.pop()
        if rule_id in seen or rule_id in (through or set()):
            continue
        seen.add(rule_id)
        queue += rules_named(corpus.rules[rule_id].when)
        facts.update(facts_read(corpus.rules[rule_id].when, corpus.indicators))
    return facts


def _combos(corpus, classes, unknown: bool, fixed: dict) -> Iterator[dict]:
    for combo in itertools.product(*(list(_settings(corpus, pool, unknown)) for pool in classes if pool)):
        facts = dict(fixed)
        for part in combo:
            facts.update(part)
        yield facts


_REPRESENTATIVES: dict[tuple, list[dict]] = {}


def _representatives(corpus, rule_id: str, private: list[list[str]], unknown: bool, fixed: dict) -> list[dict]:
    """One setting of the PRIVATE classes (read only through RULE_ID) per distinct way RULE_ID answers across every
    setting of the facts it shares with the rest: the rest sees the private facts only through that answer."""
    # Keyed by the conditions themselves, so a corpus with a planted rule never reuses another corpus's answers.
    conditions = repr([corpus.rules[r].when for r in _reachable(corpus, [rule_id])])
    key = (conditions, rule_id, tuple(map(tuple, private)), unknown, tuple(sorted(fixed.items())))
    if key not in _REPRESENTATIVES:
        names = {f for pool in private for f in pool}
        shared = [[f for f in pool if f not in names and f not in fixed]
                  for pool in symmetry_classes(corpus, [rule_id])]
        around = list(_combos(corpus, shared, unknown, fixed))
        kept: dict[tuple, dict] = {}
        for inside in _combos(corpus, private, unknown, {}):
            answers = [evaluate(corpus, {**out, **inside}, [rule_id], refuse=False)[rule_id] for out in around]
            kept.setdefault(tuple((a.value, bool(a.missing)) for a in answers), inside)
        _REPRESENTATIVES[key] = list(kept.values())
    return _REPRESENTATIVES[key]


def fact_space(corpus, rule_ids, unknown: bool = True, fixed: dict | None = None,
               refuse: bool = True) -> Iterator[dict]:
    """Every combination of the facts RULE_IDS read, FIXED facts held: one representative per symmetric class, and
    for facts that only a named rule reads, one representative per distinct answer of that rule. With REFUSE the
    conflict rules' facts are tried in full (a refusal depends on them)."""
    fixed = fixed or {}
    remaining = [[f for f in pool if f not in fixed] for pool in symmetry_classes(corpus, rule_ids)]
    remaining = [pool for pool in remaining if pool]
    refusing = _reads(corpus, [r.id for r in ordered(corpus, "conflict")]) if refuse else set()
    groups: list[list[dict]] = []
    for rule_id in _reachable(corpus, rule_ids):
        if rule_id in rule_ids:
            continue
        outside = _reads(corpus, rule_ids, through={rule_id}) | refusing
        inner = _reads(corpus, [rule_id]) - outside
        private = [pool for pool in remaining if set(pool) <= inner]
        if sum(len(pool) for pool in private) > 1:
            groups.append(_representatives(corpus, rule_id, private, unknown, fixed))
            remaining = [pool for pool in remaining if pool not in private]
    groups += [list(_settings(corpus, pool, unknown)) for pool in remaining]
    for combo in itertools.product(*groups):
        facts = dict(fixed)
        for part in combo:
            facts.update(part)
        yield facts


def _checked(corpus, rule_ids, space, refuse: bool = True) -> Iterator[tuple[dict, dict]]:
    """(facts, results) for each combination the engine accepts (without REFUSE, contradictory ones too);
    contradictory ones are the conflict test's."""
    for facts in space:
        try:
            yield facts, evaluate(corpus, facts, rule_ids, refuse)
        except FactsError:
            continue


def test_each_outcome_has_one_value_or_names_what_it_needs(corpus):
    """Any fact may be unknown here; contradictory facts are tried too (a stronger claim than the refusal needs)."""
    for outcome in CONTRACT_OUTCOMES:
        tried = 0
        for facts, results in _checked(corpus, [outcome], fact_space(corpus, [outcome], refuse=False), False):
            tried += 1
            result = results[outcome]
            assert result.value in (True, False) or result.missing, (outcome, facts, result)
        assert tried > 20, outcome


def grid_overlaps(corpus) -> Iterator[tuple[dict, list[str]]]:
    """(facts, the grid rules that hold) wherever more than one does; asserts the gap side on the way: when none holds
    and one is undecided, the answer names what it needs."""
    grids = [r.id for r in ordered(corpus, "data_grid")]
    for facts, results in _checked(corpus, grids, fact_space(corpus, grids, unknown=False)):
        held = [g for g in grids if results[g].value is True]
        if len(held) > 1:
            yield facts, held
        if not held and any(results[g].value is None for g in grids):
            assert any(results[g].missing for g in grids if results[g].value is None), facts


def test_the_data_grid_has_no_overlap_and_no_gap(corpus):
    """At most one data grid type holds in any combination (ACL 16-85 §II: one type per youth)."""
    assert next(grid_overlaps(corpus), None) is None


def _with_rule(corpus, rule_id: str, when: dict):
    changed = copy.copy(corpus)
    rules = dict(corpus.rules)
    rules[rule_id] = rules[rule_id].model_copy(update={"when": m.All.model_validate(when)})
    changed.items = {**corpus.items, "rules": rules}
    return changed


def test_a_planted_overlap_is_found(corpus):
    """The proof can fail: without "not a victim", the at-risk type overlaps every victim type."""
    planted = _with_rule(corpus, "grid_at_risk", {"all": [{"rule": "receives_child_welfare_services"},
                                                          {"rule": "at_risk"}]})
    facts, held = next(grid_overlaps(planted))
    assert "grid_at_risk" in held and facts.get("commercial_sex_act") is True


def _ages(corpus, test) -> list[int]:
    """The age cut points at which TEST (a fact test of age in the rules) holds."""
    return [a for a in cut_points(corpus, "age") if all(op.test(a, t) for op, t in operators_of(test))]


def _age_test(corpus, rule_id: str) -> m.FactTest:
    return next(c for _, c in walk(corpus.rules[rule_id].when) if isinstance(c, m.FactTest) and c.fact == "age")


def adult_duties(corpus) -> Iterator[tuple[str, dict]]:
    """(duty, facts) wherever an allegation (entered for "any minor") or a duty whose condition names the minor scope
    holds at an age the `minor` rule leaves out."""
    minor_ages = set(_ages(corpus, _age_test(corpus, "minor")))
    adult = [a for a in cut_points(corpus, "age") if a not in minor_ages]
    duties = [r.id for r in ordered(corpus) if r.kind == "allegation" or (
        r.kind == "action" and any(isinstance(c, m.RuleRef) and c.rule == "minor" for _, c in walk(r.when)))]
    assert adult and len(duties) >= 2
    for age in adult:
        for duty in duties:
            for facts, results in _checked(corpus, [duty], fact_space(corpus, [duty], False, {"age": age})):
                if results[duty].value is True:
                    yield duty, facts


def test_no_duty_for_minors_fires_from_the_age_of_majority(corpus):
    assert next(adult_duties(corpus), None) is None


def test_a_planted_adult_allegation_is_found(corpus):
    planted = _with_rule(corpus, "commercial_sexual_exploitation", {"all": [{"rule": "sex_trafficking"}]})
    duty, facts = next(adult_duties(planted))
    assert duty == "commercial_sexual_exploitation" and facts["age"] >= 18


def past_limit_answers(corpus) -> Iterator[tuple[str, dict]]:
    """(rule, facts) wherever at risk, an allegation, a data grid type or a duty holds for a youth past the age the
    conflict rule gives for child welfare services who is not receiving them."""
    limit = next(r.id for r in ordered(corpus, "conflict")
                 if any(isinstance(c, m.FactTest) and c.fact == "age" for _, c in walk(r.when)))
    past = _ages(corpus, _age_test(corpus, limit))
    answers = ["at_risk"] + [r.id for r in ordered(corpus) if r.kind in ("allegation", "data_grid", "action")]
    assert past
    for age in past:
        for rule_id in answers:
            read = [rule_id, "receives_child_welfare_services"]
            for facts, results in _checked(corpus, read, fact_space(corpus, read, False, {"age": age})):
                if results["receives_child_welfare_services"].value is False and results[rule_id].value is True:
                    yield rule_id, facts


def test_nothing_fires_past_the_services_age_limit_without_services(corpus):
    """ACL 16-85 §I: children receiving child welfare services are defined up to 21; past it, a youth not receiving
    them is owed no duty, gets no allegation or data grid type, and is not "at risk" under the definition."""
    assert next(past_limit_answers(corpus), None) is None


def test_a_planted_adult_at_risk_is_found(corpus):
    planted = _with_rule(corpus, "at_risk", {"all": [{"count": {"indicator_group": "strong"}, "at_least": 1}]})
    rule_id, facts = next(past_limit_answers(planted))
    assert rule_id == "at_risk" and facts["age"] > 21


def test_every_conflict_rule_refuses_every_combination_it_names(corpus):
    for rule in ordered(corpus, "conflict"):
        refused = 0
        for facts in fact_space(corpus, [rule.id], unknown=False):
            if evaluate(corpus, facts, [rule.id], refuse=False)[rule.id].value is True:
                refused += 1
                with pytest.raises(FactsError, match="contradict each other"):
                    evaluate(corpus, facts, [])
        assert refused, rule.id
