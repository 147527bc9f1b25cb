"""Bounds on whole-number facts beyond their type: a value outside them is a typing slip, not a fact about a youth."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from .errors import ContentError

# Not policy numbers (no rule reads them): the ages a person can have, so that `age: 1700` is caught, not assessed.
RANGES = {"age": (0, 130)}


def out_of_range(facts: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(fact name, message) for each whole-number fact in FACTS outside its range."""
    if not isinstance(facts, Mapping):
        return
    for name, (low, high) in RANGES.items():
        value = facts.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            yield name, f"fact {name!r} must be between {low} and {high} (got {value})"


def scenario_errors(corpus) -> list[ContentError]:
    """One error per scenario fact out of range, at the fact's value."""
    return [corpus.origin("scenarios", sid).error(message, "facts", name)
            for sid, scenario in corpus.scenarios.items() for name, message in out_of_range(scenario.facts)]
