"""Sources are quoted verbatim, so a rule can depart from its quote: each action rule's time limit must be the
one the source's step it rests on states (a section step with `rule:`), unless the rule records the departure and its
authority (`departs:`); a recorded departure that no longer departs is stale."""

from __future__ import annotations

from csec.core.corpus import Corpus
from csec.core.deadline import Deadline
from csec.core.errors import ContentError
from csec.engine.numbers import stated


def check_quotes(corpus: Corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    for rule in corpus.rules.values():
        deadline = Deadline.of(rule)
        limit = deadline.limit if deadline else None
        if limit is None:
            continue
        field, value = limit
        quotes = [(section, i, numbers) for section, i, numbers in _quotes_of(corpus, rule.id, field) if numbers]
        origin = corpus.origin("rules", rule.id)
        departing = [(s, i, n) for s, i, n in quotes if value not in n]
        if departing and rule.departs is None:
            section, i, numbers = departing[0]
            where = corpus.origin("sections", section.id).place("steps", i)
            errors.append(origin.error(
                f"{field}: {value} departs from the quote it rests on, which says {numbers[0]} ({section.title}, step "
                f"{i + 1}, {where}); keep the quote as the source wrote it, and record the departure on the rule: "
                "departs: {because: ..., cites: [...]}", field))
        elif quotes and not departing and rule.departs is not None:
            errors.append(origin.error(f"departs: the rule's {field} ({value}) is what its quote says; remove "
                                       "departs:", "departs"))
    return errors


def _quotes_of(corpus: Corpus, rule_id: str, field: str):
    """(section, step index, numbers in FIELD's unit) for each step of a section quoting its source that names the
    rule as the one carrying its deadline."""
    for section in corpus.sections.values():
        if section.source_title is None:
            continue
        for i, step in enumerate(section.steps):
            if step.rule == rule_id:
                yield section, i, stated(step.text, field)
