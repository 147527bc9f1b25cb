"""Whole-number facts outside the range the fact vocabulary gives them (facts.yaml `minimum`/`maximum`), located at
the value: a typing slip such as `age: 1700` is caught where it was written, not assessed."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from csec.core.errors import ContentError
from csec.engine.rules import range_problem


def out_of_range(corpus, facts: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(fact name, message) for each whole-number fact in FACTS outside its range (the engine's own message)."""
    if not isinstance(facts, Mapping):
        return
    for name, value in facts.items():
        fact = corpus.facts.get(name) if isinstance(name, str) else None
        message = range_problem(fact, value) if fact is not None else None
        if message:
            yield name, message


def scenario_errors(corpus) -> list[ContentError]:
    """One error per scenario fact out of range, at the fact's value."""
    return [corpus.origin("scenarios", sid).error(message, "facts", name)
            for sid, scenario in corpus.scenarios.items() for name, message in out_of_range(corpus, scenario.facts)]
