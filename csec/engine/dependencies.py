"""What a vignette or a question was written against: the rules, indicators, red flags, terms and sections it relies on.

One definition, read by the stale-training guard (`written_against`) and by `csec diff` (dependents of a change).

- A vignette relies on the rules its answer rests on (those that hold when the engine assesses its facts: the
  debrief explains them), on rules its prose names in a `{csec-value}`/`{csec-deadline}` role (the near misses it
  explains, e.g. "at least two of the other indicators"), and on the indicators and red flags it lists. Rules that do
  not hold are left out on purpose: otherwise every vignette would depend on every rule and any edit would stale all
  training; a change that flips a vignette's answer is caught anyway, by the expected-answer check and by `csec diff`.
- A question relies on the rule it was generated from, the rules its prose names in a role, and the rules and policy
  sections that cite one of the paragraphs it cites (the question tests that paragraph, which they encode).
- Both rely on the glossary terms their prose links with `{term}`.
"""

from __future__ import annotations

from typing import Iterator

from csec.core import model as m
from csec.core.corpus import TERM_ROLE, Corpus, prose_fields
from csec.engine.numbers import ROLE
from csec.engine.rules import FactsError, assess

Ref = tuple[str, str]  # (kind, id)


def _named_rules(corpus: Corpus, item) -> Iterator[Ref]:
    for _, text in prose_fields(item):
        for match in ROLE.finditer(text):
            rule_id = match.group(2).strip().partition(":")[0]
            if rule_id in corpus.rules:
                yield "rules", rule_id


def _terms(corpus: Corpus, item) -> Iterator[Ref]:
    index = corpus.term_index()
    for _, text in prose_fields(item):
        for match in TERM_ROLE.finditer(text):
            term = index.get(match.group(1).strip().lower())
            if term:
                yield "definitions", term


def _held_rules(corpus: Corpus, scenario: m.Scenario) -> Iterator[Ref]:
    try:
        result = assess(corpus, scenario.facts)
    except FactsError:  # reported by the scenario check; it relies on no rule until its facts are fixed
        return
    for reason in result.reasons:
        if reason.holds is True:
            yield "rules", reason.rule


def _citing(corpus: Corpus, cites: list[str]) -> Iterator[Ref]:
    # Only paragraph-level citations ("acl-16-85#v"): a whole document is cited by too much to mean anything.
    paragraphs = {c for c in cites if "#" in c}
    for kind in ("rules", "sections"):
        for item in corpus.items[kind].values():
            if paragraphs & set(item.cites):
                yield kind, item.id


def depends_on(corpus: Corpus, kind: str, item) -> list[Ref]:
    """The items a scenario or question relies on, without repeats, in a stable order (kind, then id)."""
    refs: list[Ref] = []
    if kind == "scenarios":
        refs += _held_rules(corpus, item)
        refs += [("indicators", i) for i in item.indicators_present]
        refs += [("red_flags", r) for r in item.red_flags_present]
    elif kind == "questions":
        if item.generated_from:
            refs.append(("rules", item.generated_from))
        refs += _citing(corpus, item.cites)
    refs += _named_rules(corpus, item)
    refs += _terms(corpus, item)
    return sorted(set(refs))


def dependents(corpus: Corpus, changed: set[Ref]) -> dict[str, list[str]]:
    """Scenario and question ids that rely on any of the CHANGED items (kind -> ids, in corpus order)."""
    return {kind: [i for i, item in corpus.items[kind].items() if changed & set(depends_on(corpus, kind, item))]
            for kind in ("scenarios", "questions")}


def modules_touching(corpus: Corpus, refs: list[Ref], scenarios: list[str], questions: list[str]) -> list[str]:
    """Module ids whose pages a change shows on: a module listing one of the SCENARIOS or a changed section, holding
    one of the QUESTIONS or a changed question, or itself changed."""
    refs = set(refs)
    questions = set(questions) | {i for k, i in refs if k == "questions"}
    scenarios = set(scenarios) | {i for k, i in refs if k == "scenarios"}
    out = []
    for mod in corpus.modules.values():
        if (("modules", mod.id) in refs or set(mod.scenarios) & scenarios
                or refs & {("sections", s) for s in mod.sections}
                or any(corpus.questions[q].module == mod.id for q in questions if q in corpus.questions)):
            out.append(mod.id)
    return out
