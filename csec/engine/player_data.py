"""The versioned rules JSON that the in-page interpreter (csec/sphinx/static/csec-rules.js) evaluates, built from the Corpus."""

from __future__ import annotations

from csec.core.conditions import OPERATORS
from csec.core.site_view import rules_as_of
from csec.engine import rules as r
from csec.engine.fact_space import cut_points, settling_questions

FORMAT, VERSION = "csec-rules", 1


def player_data(corpus, publish: bool = True) -> dict:
    """Every fact, indicator and rule the interpreter reads, rules in the engine's order; with PUBLISH, approved
    indicators, groups and rules only (validation refuses an approved rule that uses an unapproved one)."""
    def shown(item) -> bool:
        return not publish or getattr(item, "status", "approved") == "approved"

    kept = [rule for rule in r.ordered(corpus) if shown(rule)]
    cites = dict.fromkeys(c for rule in kept for c in rule.cites)
    questions = settling_questions(corpus, shown)
    return {
        "format": FORMAT,
        "version": VERSION,
        # The operators' words come from the engine's one table, so a reason reads the same in both interpreters.
        "operators": [{"name": op.name, "words": op.words} for op in OPERATORS.values()],
        "facts": [_fact(corpus, f, questions[f.id]) for f in corpus.facts.values()],
        "indicators": [{"id": i.id, "group": i.group, "letter": i.letter}
                       for i in corpus.indicators.values() if shown(i)],
        "indicator_groups": [{"id": g.id, "title": g.title} for g in corpus.indicator_groups.values() if shown(g)],
        "rules": [_rule(corpus, rule) for rule in kept],
        "cite_labels": {c: corpus.cite_label(c) for c in cites},
        # Which rules answer, as `csec assess` says it: a published page answers from the published rules.
        "rules_as_of": rules_as_of(corpus) if publish else "preview",
    }


def _fact(corpus, fact, questions: list[str]) -> dict:
    # `questions`: the investigative questions that settle it (the answer's find_out names them).
    out = {"id": fact.id, "type": fact.type, "label": fact.label, "when_missing": fact.when_missing,
           "questions": questions}
    if fact.type == "enum":
        out["values"] = list(fact.values)
    if fact.type == "int":
        # `cuts`: the values the rules tell apart (csec.engine.fact_space), tried when the fact is unknown.
        out["minimum"], out["maximum"], out["cuts"] = fact.minimum, fact.maximum, cut_points(corpus, fact.id)
    return out


def _rule(corpus, rule) -> dict:
    out = {"id": rule.id, "kind": rule.kind, "order": rule.order, "title": rule.title,
           # The YAML shape of the condition (aliases `in`, `not`; unset operators left out).
           "when": rule.when.model_dump(by_alias=True, exclude_none=True), "cites": list(rule.cites)}
    if rule.otherwise:
        out["otherwise"] = r.render_rule(corpus, rule.id, "otherwise")
    if rule.value is not None:
        out["value"] = rule.value
    if rule.kind == "action":
        out["deadline"] = r.deadline(rule)  # the fields an assessed action carries, words included
    if rule.kind == "conflict":
        out["text"] = r.render_rule(corpus, rule.id)  # quoted by the refusal message
    return out
