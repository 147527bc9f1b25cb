"""The condition language's one walker and one operator table, read by every consumer of a rule's `when`."""

# Evaluation and the rule in words (csec.engine), the rule checks (csec.checks), the references (csec.core.corpus) and
# the player's JSON all walk a condition through `children`/`walk`/`fold` and compare through `OPERATORS`, so a new
# kind of condition or operator is added here once. It lives in core because the corpus's references read it too.

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, TypeVar

from csec.core import model as m

T = TypeVar("T")

# The kinds as written in YAML, keyed by their model.
KINDS: dict[type, str] = {m.All: "all", m.AnyOf: "any", m.Not: "not", m.FactTest: "fact", m.CountTest: "count",
                          m.RuleRef: "rule"}


def kind(c) -> str:
    """A condition's kind as written in YAML: all, any, not, fact, count or rule."""
    return KINDS[type(c)]


def children(c) -> list[tuple[tuple, Any]]:
    """The sub-conditions of C, each with its key path below C (("all", 0), ("not",), ...); leaves have none."""
    if isinstance(c, m.All):
        return [(("all", i), x) for i, x in enumerate(c.all)]
    if isinstance(c, m.AnyOf):
        return [(("any", i), x) for i, x in enumerate(c.any)]
    if isinstance(c, m.Not):
        return [(("not",), c.not_)]
    return []


def walk(c, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every condition in C, C first, with its key path (rule references are not followed)."""
    yield path, c
    for sub, child in children(c):
        yield from walk(child, path + sub)


def fold(c, visit: Callable[[Any, list[T]], T]) -> T:
    """VISIT(c, [the folds of c's children]) from the leaves up: the evaluator's and the describer's one recursion."""
    return visit(c, [fold(child, visit) for _, child in children(c)])


# --- the operators ------------------------------------------------------------------------------------------

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


# --- the facts a condition reads ------------------------------------------------------------------------------

def counted(c: m.CountTest, indicators: Mapping[str, Any]) -> list[str]:
    """The facts a count test counts: its list, or the indicators of its group (INDICATORS: id -> indicator)."""
    if isinstance(c.count, dict):
        group = c.count["indicator_group"]
        return [i.id for i in indicators.values() if i.group == group]
    return list(c.count)


def leaf_facts(c, indicators: Mapping[str, Any]) -> list[str]:
    """The facts one condition reads itself (a fact test its fact, a count test what it counts; others none)."""
    if isinstance(c, m.FactTest):
        return [c.fact]
    if isinstance(c, m.CountTest):
        return counted(c, indicators)
    return []


def facts_read(c, indicators: Mapping[str, Any]) -> list[str]:
    """Every fact C's own conditions read, in order, repeats kept (rule references not followed)."""
    return [f for _, x in walk(c) for f in leaf_facts(x, indicators)]


def rules_named(c) -> list[str]:
    """The rule ids C refers to directly."""
    return [x.rule for _, x in walk(c) if isinstance(x, m.RuleRef)]
