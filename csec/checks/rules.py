"""The rule and vignette checks of `csec validate`: every rule well formed (references, facts and their types,
no cycles, placeholders, the contract's rules present), and every vignette's expected answer what the engine gives."""

from __future__ import annotations

import re
from typing import Any

from csec.core import model as m
from csec.core.conditions import counted, operators_of, rules_named, walk
from csec.core.deadline import FIELDS as DEADLINE_FIELDS
from csec.core.errors import ContentError
from csec.engine.rules import (
    CONTRACT_ACTIONS,
    CONTRACT_OUTCOMES,
    COUNTY_CONTRACT_ACTIONS,
    NUMBER_WORDS,
    PLACEHOLDER,
    Assessment,
    FactsError,
    assess,
    ordered,
    placeholders,
)


def check_corpus(corpus) -> list[ContentError]:
    return check_rules(corpus) or check_scenarios(corpus)


def check_rules(corpus) -> list[ContentError]:
    """The rules are well formed: references, facts, cycles, placeholders, the contract's rules present."""
    errors: list[ContentError] = []
    for rule in corpus.rules.values():
        errors.extend(_check_rule(corpus, rule))
    errors.extend(_check_cycles(corpus))
    if not errors:  # placeholders are only meaningful once every condition is well formed
        for rule in corpus.rules.values():
            errors.extend(_check_text(corpus, corpus.origin("rules", rule.id), rule))
    have = set(corpus.rules)
    any_origin = next(iter(corpus.origins.values()), None)
    county_duties = () if corpus.county is None else COUNTY_CONTRACT_ACTIONS
    for required in (*CONTRACT_OUTCOMES, *CONTRACT_ACTIONS):
        if required in COUNTY_CONTRACT_ACTIONS and required not in county_duties:
            continue
        if corpus.rules and required not in have and any_origin is not None:
            first = corpus.origin("rules", next(iter(corpus.rules)))
            errors.append(first.doc.error((), f"required rule {required!r} is missing from the rules"))
    return errors


def check_scenarios(corpus) -> list[ContentError]:
    """Every vignette's expected answer equals the engine's (judged only over well-formed rules)."""
    errors: list[ContentError] = []
    for scenario in corpus.scenarios.values():
        errors.extend(_check_scenario(corpus, scenario))
    return errors


def _check_rule(corpus, rule: m.Rule) -> list[ContentError]:
    origin = corpus.origin("rules", rule.id)
    errors: list[ContentError] = []

    for path, c in walk(rule.when, ("when",)):
        if isinstance(c, m.RuleRef):
            if c.rule not in corpus.rules:
                errors.append(origin.error(f"unknown rule {c.rule!r} (known: {', '.join(sorted(corpus.rules))})",
                                           *path, "rule"))
        elif isinstance(c, m.CountTest):
            errors.extend(_check_count(corpus, origin, c, path))
        elif isinstance(c, m.FactTest):
            errors.extend(_check_fact_test(corpus, origin, c, path))
    if rule.kind == "data_grid":
        codes = {k: v for k, v in corpus.cwscms_codes.items() if v.kind == "data_grid_type"}
        if rule.value not in codes:
            errors.append(origin.error(f"data_grid rule needs a value naming a CSEC data grid type (known: "
                                       f"{', '.join(codes)})", "value" if rule.value else "kind"))
    elif rule.value is not None:
        errors.append(origin.error("only data_grid rules take a value", "value"))
    if rule.kind != "action" and (rule.immediately or any(getattr(rule, k) is not None for k in DEADLINE_FIELDS)):
        errors.append(origin.error("only action rules take deadlines", "kind"))
    if sum(getattr(rule, k) is not None for k in DEADLINE_FIELDS) > 1:
        errors.append(origin.error("an action takes one time limit (within_hours, within_days or every_days)",
                                   "kind"))
    return errors


def _check_count(corpus, origin, c: m.CountTest, path: tuple) -> list[ContentError]:
    errors = []
    if isinstance(c.count, dict):
        group = c.count["indicator_group"]
        if group not in corpus.indicator_groups:
            return [origin.error(f"unknown indicator group {group!r} (known: {', '.join(corpus.indicator_groups)})",
                                 *path, "count")]
        size = len(counted(c, corpus.indicators))
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
    return errors


def _check_fact_test(corpus, origin, c: m.FactTest, path: tuple) -> list[ContentError]:
    fact = corpus.facts.get(c.fact)
    if fact is None:
        return [origin.error(f"unknown fact {c.fact!r} (known: {', '.join(corpus.facts)})", *path, "fact")]
    tests = operators_of(c)
    if not tests and fact.type != "bool":
        return [origin.error(f"fact {c.fact!r} is {fact.type}; compare it (eq, lt, in, ...)", *path, "fact")]
    errors = []
    for op, target in tests:
        for t in (target if op.name == "in" else [target]):
            ok = fact.type in op.types and (
                (fact.type == "bool" and isinstance(t, bool)) or
                (fact.type == "int" and isinstance(t, int) and not isinstance(t, bool)) or
                (fact.type == "enum" and t in fact.values))
            if not ok:
                allowed = f" (values: {', '.join(fact.values)})" if fact.type == "enum" else ""
                errors.append(origin.error(f"{op.name} {t!r} does not fit {fact.type} fact {c.fact!r}{allowed}",
                                           *path, op.name))
    return errors


def _check_text(corpus, origin, rule: m.Rule) -> list[ContentError]:
    values = placeholders(corpus, rule)
    errors = []
    texts = [("text", rule.text), ("title", rule.title), ("otherwise", rule.otherwise or "")]
    texts += [(("mentions", i), t) for i, t in enumerate(rule.mentions)]
    for where, text in texts:
        where = where if isinstance(where, tuple) else (where,)
        for match in PLACEHOLDER.finditer(text):
            if match.group(0)[1:-1] not in values:
                errors.append(origin.error(f"placeholder {match.group(0)} names nothing in this rule (available: "
                                           f"{', '.join('{' + k + '}' for k in values) or 'none'})", *where))
        # A threshold written as a number in prose would go stale when the data changes; require the placeholder.
        errors.extend(_stale_numbers(origin, where, PLACEHOLDER.sub("", text), values))
    return errors


def _stale_numbers(origin, where: tuple, bare: str, values: dict[str, Any]) -> list[ContentError]:
    errors, said = [], set()
    # Named placeholders ({at_least:other}) are suggested before positional ones ({at_least:2}).
    for key, value in sorted(values.items(), key=lambda kv: kv[0].split(":")[-1].isdigit()):
        if isinstance(value, bool) or not isinstance(value, int) or value in said:
            continue
        word = NUMBER_WORDS.get(value)
        if re.search(rf"(?<![\d.§-]){value}(?![\d.-])", bare) or (word and re.search(rf"\b{word}\b", bare, re.I)):
            said.add(value)
            errors.append(origin.error(f"{where[0]} states {value} directly; write {{{key}}} in the text so it "
                                       f"follows the data", *where))
    return errors


def _check_cycles(corpus) -> list[ContentError]:
    graph = {r.id: rules_named(r.when) for r in corpus.rules.values()}
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


def expected_differences(corpus, result: Assessment, expected: m.Expected) -> list[tuple[str, Any, Any]]:
    """(key, expected, got) for each output of RESULT that differs from EXPECTED; lists compare as sets. The
    scenario checks and the rule examples both judge through this one comparison."""
    def norm(value):
        return sorted(value) if isinstance(value, list) else value

    got = {"at_risk": result.at_risk, "sex_trafficking": result.sex_trafficking,
           "labor_trafficking": result.labor_trafficking, "allegations": result.allegations,
           "csec_data_grid": result.csec_data_grid, "actions": result.action_ids, "needs": result.needs}
    return [(key, want, got[key]) for key, want in expected.model_dump().items() if norm(want) != norm(got[key])]


def expected_reference_errors(corpus, origin, expected: m.Expected, *path) -> list[ContentError]:
    """Ids in an expected answer must name rules of the right kind, a data grid type, or facts."""
    errors = []
    kinds = {"allegations": "allegation", "actions": "action"}
    for key, kind in kinds.items():
        known = [r.id for r in ordered(corpus, kind)]
        for i, rid in enumerate(getattr(expected, key) or []):
            if rid not in known:
                errors.append(origin.error(f"unknown {kind} {rid!r} (known: {', '.join(known)})", *path, key, i))
    grids = [r.value for r in ordered(corpus, "data_grid")]
    if expected.csec_data_grid is not None and expected.csec_data_grid not in grids:
        errors.append(origin.error(f"unknown CSEC data grid type {expected.csec_data_grid!r} (known: "
                                   f"{', '.join(grids)})", *path, "csec_data_grid"))
    for i, name in enumerate(expected.needs):
        if name not in corpus.facts:
            errors.append(origin.error(f"unknown fact {name!r} in needs", *path, "needs", i))
    return errors


def _check_scenario(corpus, s: m.Scenario) -> list[ContentError]:
    origin = corpus.origin("scenarios", s.id)
    errors = expected_reference_errors(corpus, origin, s.expected, "expected")
    try:
        result = assess(corpus, s.facts)
    except FactsError as e:
        return errors + [origin.error(str(e), "facts")]
    for key, want, got in expected_differences(corpus, result, s.expected):
        errors.append(origin.error(f"expected {key} {want!r} but the rules give {got!r}", "expected", key))
    return errors
