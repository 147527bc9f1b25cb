"""Each rule's words say what its condition does: every fact and rule the condition reads is named in the text, and
every fact the text names is one the condition reads (directly or through the rules it uses)."""

from __future__ import annotations

import re

import pytest

from csec.core import model as m
from csec.engine.rules import conditions, fill, ordered


def _direct(rule: m.Rule) -> tuple[set[str], set[str], set[str]]:
    facts, rules, groups = set(), set(), set()
    for c in conditions(rule.when):
        if isinstance(c, m.FactTest):
            facts.add(c.fact)
        elif isinstance(c, m.RuleRef):
            rules.add(c.rule)
        elif isinstance(c, m.CountTest) and isinstance(c.count, dict):
            groups.add(c.count["indicator_group"])
    return facts, rules, groups


def _reachable_facts(corpus, rule: m.Rule, seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    facts, rules, groups = _direct(rule)
    facts |= {i.id for i in corpus.indicators.values() if i.group in groups}
    for r in rules - seen:
        seen.add(r)
        facts |= _reachable_facts(corpus, corpus.rules[r], seen)
    return facts


def _says(words: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words) is not None


def _words(corpus, rule: m.Rule) -> str:
    return f"{rule.title} {fill(corpus, rule, rule.text)}".lower()


def _names(corpus, owner) -> list[str]:
    rule = owner if isinstance(owner, m.Rule) else None
    mentions = [fill(corpus, rule, t) if rule else t for t in owner.mentions]
    return [n.lower() for n in [*mentions, owner.title if rule else owner.label]]


def _rules(corpus):
    return [pytest.param(r.id, id=r.id) for r in ordered(corpus)]


def test_every_fact_and_rule_has_words_to_be_named_by(corpus):
    # Indicators are named by their group ("the strong indicators"), so they need no words of their own.
    unnamed = [f.id for f in corpus.facts.values() if not f.mentions and f.group != "indicator"] + \
              [r.id for r in corpus.rules.values() if not r.mentions and r.kind in ("scope", "outcome")]
    assert not unnamed, f"give these `mentions:` (the words that name them in a rule's text): {unnamed}"


def test_each_rule_names_what_its_condition_reads(corpus):
    problems = []
    for rule in ordered(corpus):
        words = _words(corpus, rule)
        facts, rules, groups = _direct(rule)
        for fact in sorted(facts):
            if not any(_says(words, n) for n in _names(corpus, corpus.facts[fact])):
                problems.append(f"{rule.id}: the condition reads fact {fact!r} but the text never names it "
                                f"(names: {_names(corpus, corpus.facts[fact])})")
        for other in sorted(rules):
            if not any(_says(words, n) for n in _names(corpus, corpus.rules[other])):
                problems.append(f"{rule.id}: the condition uses rule {other!r} but the text never names it "
                                f"(names: {_names(corpus, corpus.rules[other])})")
        for group in sorted(groups):
            if not _says(words, group):
                problems.append(f"{rule.id}: the condition counts the {group!r} indicators but the text never says so")
    assert not problems, "\n".join(problems)


def test_each_fact_a_rule_names_is_one_its_condition_reads(corpus):
    problems = []
    for rule in ordered(corpus):
        words = _words(corpus, rule)
        reach = _reachable_facts(corpus, rule)
        for fact in corpus.facts.values():
            if fact.group == "indicator" or fact.id in reach:
                continue
            named = [n for n in fact.mentions if _says(words, n.lower())]
            if named:
                problems.append(f"{rule.id}: the text names fact {fact.id!r} ({named[0]!r}) that the condition "
                                f"never reads")
    assert not problems, "\n".join(problems)


def test_the_check_can_fail(corpus):
    """A rule whose words drop a fact its condition reads is caught (the check is not vacuous)."""
    rule = corpus.rules["report_to_law_enforcement"]
    words = _words(corpus, rule).replace("receiving child welfare services", "")
    assert not any(_says(words, n) for n in _names(corpus, corpus.rules["receives_child_welfare_services"]))
