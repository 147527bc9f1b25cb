"""The finite fact space the rules can tell apart: each fact's values, whole numbers cut at the rules' own thresholds."""

# A rule compares age only at its thresholds (under 18, over 21), so one age from each stretch between two thresholds
# answers for the whole stretch. The cut points are read from the rules' conditions, never written here, so the
# engine's "what to find out next" and the exhaustive proof in tests/test_fact_space.py follow an edited threshold.

from __future__ import annotations

from typing import Any

from csec.core import model as m
from csec.core.conditions import operators_of, walk


def cut_points(corpus, fact_id: str) -> list[int]:
    """The smallest value of each stretch of FACT_ID (a whole-number fact) on which every test of it in the rules
    gives one answer, from the fact's minimum up."""
    fact = corpus.facts[fact_id]
    starts = {fact.minimum}
    for rule in corpus.rules.values():
        for _, c in walk(rule.when):
            if not isinstance(c, m.FactTest) or c.fact != fact_id:
                continue
            for op, target in operators_of(c):
                for t in target if isinstance(target, list) else [target]:
                    # Where the answer can change: `lt t`/`ge t` at t; `le t`/`gt t` after t; `eq`/`ne`/`in` at t
                    # and after it.
                    starts |= {t} if op.name in ("lt", "ge") else {t + 1} if op.name in ("le", "gt") else {t, t + 1}
    return sorted(v for v in starts if fact.minimum <= v <= fact.maximum)


def values(corpus, fact_id: str) -> list[Any]:
    """The values of FACT_ID the rules can tell apart: false and true, an enum's values, a whole number's cut points
    (its value once known; "not recorded" is not among them)."""
    fact = corpus.facts[fact_id]
    if fact.type == "bool":
        return [False, True]
    if fact.type == "enum":
        return list(fact.values)
    return cut_points(corpus, fact_id)


def settling_questions(corpus, shown=lambda qset: True) -> dict[str, list[str]]:
    """Fact id -> the ids of the investigative questions that would settle it (their `settles`), in content order;
    SHOWN picks the question sets to read (the published player reads approved sets only)."""
    out: dict[str, list[str]] = {f: [] for f in corpus.facts}
    for qset in corpus.question_sets.values():
        if shown(qset):
            for q in qset.questions:
                for fact in q.settles:
                    if fact in out and q.id not in out[fact]:
                        out[fact].append(q.id)
    return out
