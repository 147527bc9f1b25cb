"""Policy numbers in prose: the `{csec-deadline}` and `{csec-value}` roles that render a rule's number, and the
patterns that find a deadline or threshold written as a bare number (csec.checks.policy_numbers reports them).

Every deadline and threshold has one home, its rule in rules.yaml. A section step, a debrief, an objective or a
question's feedback names the rule instead (`{csec-deadline}`report_to_law_enforcement`` reads "immediately, and in
no case later than 24 hours"; `{csec-value}`at_risk:at_least:other`` reads "2" and `{csec-words}` the same spelled out, "two"), so an edit to the rule changes every
sentence that states it.
"""

from __future__ import annotations

import re
from typing import Iterator

from csec.core import model as m
from csec.core.deadline import Deadline
from csec.engine.rules import conditions, placeholders

ROLE = re.compile(r"\{csec-(deadline|value|words)\}`([^`]*)`")
_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
          10: "ten", 12: "twelve", 14: "fourteen", 20: "twenty", 21: "twenty-one", 24: "twenty-four", 30: "thirty",
          48: "forty-eight", 60: "sixty", 72: "seventy-two", 90: "ninety"}
_UNIT_WORDS = {"within_hours": r"hours?", "within_days": r"(?:calendar[ -])?days?", "every_days": r"days?"}


class RoleError(ValueError):
    """A role that names no rule, or a number the rule does not have."""


def resolve(corpus, role: str, target: str) -> str:
    """The words a `{csec-deadline}` or `{csec-value}` role renders, read from its rule."""
    rule_id, _, key = target.strip().partition(":")
    rule = corpus.rules.get(rule_id)
    if rule is None:
        actions = ", ".join(r for r, v in corpus.rules.items() if v.kind == "action")
        raise RoleError(f"{{csec-{role}}} names no rule {rule_id!r} (action rules: {actions})")
    if role == "deadline":
        when = Deadline.of(rule)
        if when is None or key:
            raise RoleError(f"{{csec-deadline}}`{target}`: rule {rule_id!r} has no deadline"
                            if when is None else f"{{csec-deadline}} takes a rule id only (got {target!r})")
        return when.words()
    values = {k: v for k, v in placeholders(corpus, rule).items() if k != "deadline"}
    if key not in values:
        raise RoleError(f"{{csec-{role}}}`{target}`: rule {rule_id!r} has no number {key!r} (it has: "
                        f"{', '.join(values) or 'none'})")
    # {csec-words} spells the number out, for verbatim quotes ("a minimum of **one** of the following").
    return _WORDS.get(values[key], str(values[key])) if role == "words" else str(values[key])


def expand(corpus, text: str) -> str:
    """TEXT with every policy-number role replaced by its words (for presenters that do not parse roles)."""
    return ROLE.sub(lambda mt: resolve(corpus, mt.group(1), mt.group(2)), text)


def stated(text: str, field: str) -> list[int]:
    """The numbers TEXT states in the unit of deadline FIELD ("within 24 hours" -> [24] for within_hours)."""
    numbers = {word: n for n, word in _WORDS.items()}
    pattern = re.compile(rf"(?<![\w.§/:-])({_ANY_NUMBER})[ -]+{_UNIT_WORDS[field]}\b", re.I)
    return [int(mt.group(1)) if mt.group(1).isdigit() else numbers[mt.group(1).lower()]
            for mt in pattern.finditer(text)]


def _number(n: int) -> str:
    word = _WORDS.get(n)
    return rf"(?:{n}|{word})" if word else str(n)


_ANY_NUMBER = r"(?:\d+|" + "|".join(sorted(_WORDS.values(), key=len, reverse=True)) + ")"
# Any time limit in prose ("24 hours", "ten calendar days", "a 30-day check") is a deadline whose home is a rule.
_TIME_LIMIT = re.compile(rf"(?<![\w.§/:-]){_ANY_NUMBER}[ -]+(?:hours?|(?:calendar[ -])?days?)\b", re.I)


def number_patterns(corpus) -> list[tuple[re.Pattern, str]]:
    """(pattern, what it is): any time limit in hours or days, and the at-risk thresholds where prose says
    "at least N" or "a minimum of N" of the indicators."""
    timed = ", ".join(r.id for r in corpus.rules.values() if Deadline.of(r) and Deadline.of(r).limit)
    out: list[tuple[re.Pattern, str]] = [(_TIME_LIMIT, f"a deadline, whose home is its rule: write "
                                                       f"{{csec-deadline}}`RULE` (rules with one: {timed})")]
    seen: set[int] = set()
    for rule in corpus.rules.values():
        for c in conditions(rule.when):
            if isinstance(c, m.CountTest) and c.at_least not in seen:
                seen.add(c.at_least)
                group = c.count.get("indicator_group", "N") if isinstance(c.count, dict) else "N"
                out.append((re.compile(rf"\b(?:at least|minimum of)\s+\**{_number(c.at_least)}\**\s+(?:of\s+)?"
                                       rf"(?:the\s+)?(?:following\s+|strong\s+|other\s+|of\s+them\b|indicators?\b)",
                                       re.I),
                            f"a threshold of rule {rule.id!r}: write {{csec-value}}`{rule.id}:at_least:{group}`"))
    return out


# A quotation: the source's own words keep the source's own numbers ("in no case in more than 24 hours").
QUOTATION = re.compile(r'"[^"\n]*"|“[^”\n]*”')


def problems(corpus, text: str, patterns: list[tuple[re.Pattern, str]], *,
             quotes_source: bool = False) -> Iterator[tuple[int, str]]:
    """(offset in TEXT, message) for each bad role and each bare policy number in TEXT. The numbers of the source are
    its own: TEXT that QUOTES_SOURCE as a whole, and any quotation inside it, may state them."""
    for mt in ROLE.finditer(text):
        try:
            resolve(corpus, mt.group(1), mt.group(2))
        except RoleError as e:
            yield mt.start(), str(e)
    if quotes_source:
        return
    # Roles and quotations are blanked (not removed) so offsets still point into the original text.
    bare = QUOTATION.sub(lambda mt: " " * len(mt.group(0)), ROLE.sub(lambda mt: " " * len(mt.group(0)), text))
    for pattern, what in patterns:
        for mt in pattern.finditer(bare):
            yield mt.start(), f"{mt.group(0)!r} states a policy number directly; it is {what}"
