"""What changed in one rule, compared on the model rather than as text: thresholds, conditions, deadlines and scope."""

from __future__ import annotations

from typing import Any

from csec.core import model as m
from csec.core.conditions import rules_named
from csec.core.deadline import Deadline
from csec.engine.rules import conditions, describe, describe_condition, facts_of


def _counted(c: m.CountTest) -> str:
    """A count's group as the diff names it: the indicator group, or the facts it counts."""
    return c.count["indicator_group"] if isinstance(c.count, dict) else "+".join(c.count)


def _thresholds(rule: m.Rule) -> dict[str, int]:
    return {_counted(c): c.at_least for c in conditions(rule.when) if isinstance(c, m.CountTest)}


def _tests(corpus, rule: m.Rule) -> list[str]:
    """Each fact test and rule reference of the condition, in words (the leaves a reader compares)."""
    return [describe_condition(corpus, c) for c in conditions(rule.when) if isinstance(c, (m.FactTest, m.RuleRef))]


def _refs(rule: m.Rule) -> list[str]:
    return rules_named(rule.when)


def _deadline(rule: m.Rule) -> dict | None:
    d = Deadline.of(rule)
    return None if d is None else {"words": d.words(), "hours": d.hours}


def _scope(corpus, rule: m.Rule) -> list[str]:
    """The scope rules (who a duty is for, a suspicion) the rule applies through."""
    return [r for r in _refs(rule) if r in corpus.rules and corpus.rules[r].kind == "scope"]


def _lists(old: list[str], new: list[str]) -> dict | None:
    removed = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    return {"removed": removed, "added": added} if removed or added else None


def compare(old_corpus, new_corpus, old: m.Rule, new: m.Rule) -> dict[str, Any]:
    """The model-level differences between two versions of a rule; empty when they decide and require the same."""
    out: dict[str, Any] = {}
    before, after = _thresholds(old), _thresholds(new)
    thresholds = [{"group": g, "old": before.get(g), "new": after.get(g)}
                  for g in dict.fromkeys([*before, *after]) if before.get(g) != after.get(g)]
    if thresholds:
        out["thresholds"] = thresholds
    facts = _lists(list(dict.fromkeys(facts_of(old_corpus, old.when))),
                   list(dict.fromkeys(facts_of(new_corpus, new.when))))
    rules = _lists(_refs(old), _refs(new))
    tests = _lists(_tests(old_corpus, old), _tests(new_corpus, new))
    words_old, words_new = describe(old_corpus, old.id), describe(new_corpus, new.id)
    if facts or rules or tests or words_old != words_new:
        out["condition"] = {"old": words_old, "new": words_new, "facts": facts, "rules": rules, "tests": tests}
    if _deadline(old) != _deadline(new):
        out["deadline"] = {"old": _deadline(old), "new": _deadline(new)}
    scope = {"kind": [old.kind, new.kind]} if old.kind != new.kind else {}
    if _scope(old_corpus, old) != _scope(new_corpus, new):
        scope.update(old=_scope(old_corpus, old), new=_scope(new_corpus, new))
    if scope:
        out["scope"] = scope
    return out
