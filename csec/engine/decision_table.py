"""A rule or a kind of rules as a decision table (DMN style): one row per way the condition holds, one column per input."""

# Generated from the conditions, never written by hand: each rule's `when` is brought into disjunctive normal form
# over its own inputs (facts, counts and the rules it names, which are not expanded), a `not` pushed down to the
# inputs. The data grid's rows are proved not to overlap by tests/test_fact_space.py.

from __future__ import annotations

from dataclasses import dataclass

from csec.core import conditions as cond
from csec.core import model as m
from csec.engine.rules import fact_label, ordered, show, spoken

Conjunction = list[tuple[object, bool]]  # (an input condition, whether it must hold)


@dataclass(frozen=True)
class Row:
    cells: dict[str, str]  # column key -> what the input must be; a column left out is "any"
    output: str
    rule: str | None  # the rule the row comes from (None: the "otherwise" row)


@dataclass(frozen=True)
class Table:
    columns: list[tuple[str, str]]  # (key, heading), in the order the inputs are first met
    rows: list[Row]
    output: str  # the output column's heading


def _dnf(c, positive: bool = True) -> list[Conjunction]:
    kind = cond.kind(c)
    if kind == "not":
        return _dnf(c.not_, not positive)
    if kind in ("all", "any"):
        parts = [_dnf(child, positive) for _, child in cond.children(c)]
        # De Morgan: a negated `all` is an `any` of negations, and the other way round.
        if (kind == "all") == positive:
            out: list[Conjunction] = [[]]
            for part in parts:
                out = [a + b for a in out for b in part]
            return out
        return [conj for part in parts for conj in part]
    return [[(c, positive)]]


def _input(corpus, c, positive: bool) -> tuple[str, str, str]:
    """(column key, column heading, cell) for one input condition."""
    kind = cond.kind(c)
    if kind == "rule":
        return f"rule:{c.rule}", corpus.rules[c.rule].title, "yes" if positive else "no"
    if kind == "count":
        what = (f"{corpus.indicator_groups[c.count['indicator_group']].title}" if isinstance(c.count, dict)
                else ", ".join(fact_label(corpus, n) for n in c.count))
        key = f"count:{c.count['indicator_group'] if isinstance(c.count, dict) else ','.join(c.count)}"
        return key, f"How many of: {what}", f"at least {c.at_least}" if positive else f"fewer than {c.at_least}"
    tests = cond.operators_of(c)
    label = fact_label(corpus, c.fact)
    if not tests:
        return f"fact:{c.fact}", label, "yes" if positive else "no"
    words = " and ".join(f"{op.words} {show(spoken(t))}" for op, t in tests)
    return f"fact:{c.fact}", label, words if positive else f"not ({words})"


def decision_table(corpus, rules: list[m.Rule], output: str, outputs: dict[str, str], otherwise: str) -> Table:
    """RULES as one table: a row per conjunction of each rule's condition, giving OUTPUTS[rule id]; a last row
    gives OTHERWISE when no row matches."""
    columns: dict[str, str] = {}
    rows: list[Row] = []
    for rule in rules:
        for conj in _dnf(rule.when):
            cells: dict[str, str] = {}
            for c, positive in conj:
                key, heading, cell = _input(corpus, c, positive)
                columns.setdefault(key, heading)
                cells[key] = f"{cells[key]} and {cell}" if key in cells else cell
            rows.append(Row(cells, outputs[rule.id], rule.id))
    rows.append(Row({}, otherwise, None))
    return Table(list(columns.items()), rows, output)


def rule_table(corpus, rule_id: str) -> Table:
    """One rule's table: its rows say yes, the last row no."""
    rule = corpus.rules[rule_id]
    return decision_table(corpus, [rule], rule.title, {rule_id: "yes"}, "no")


def data_grid_table(corpus, keep=lambda rule: True) -> Table:
    """The CSEC Data Grid types as one table: each type's rows (of the grid rules KEEP keeps) give its CWS/CMS label,
    the last row none."""
    grids = [r for r in ordered(corpus, "data_grid") if keep(r)]
    labels = {r.id: corpus.cwscms_codes[r.value].label if r.value in corpus.cwscms_codes else r.value for r in grids}
    return decision_table(corpus, grids, "CSEC Data Grid type", labels, "none")
