"""Resolve every reference from one item to another (ids, citations, {term} roles) and the per-item consistency the
schema cannot say (a question's correct choices), each problem located at the referring key."""

from __future__ import annotations

from csec.core import model as m
from csec.core.corpus import Corpus, Origin, dangling, references, unknown_term_message
from csec.core.errors import ContentError, known


def check_references(corpus: Corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    sections_of = {s.id: {sec.id for sec in s.sections} for s in corpus.sources.values()}
    terms = corpus.term_index()
    for ref in references(corpus):
        origin = corpus.origin(ref.kind, ref.item_id)
        if not ref.checked:
            continue
        if ref.target_kind == "cites":
            source_id, _, section_id = ref.target.partition("#")
            if source_id not in sections_of:
                errors.append(dangling("sources", source_id, origin.error(
                    f"unknown source {source_id!r} in citation {ref.target!r} ({known(sections_of, source_id)})",
                    *ref.path)))
            elif section_id and section_id not in sections_of[source_id]:
                errors.append(origin.error(f"source {source_id!r} has no section {section_id!r} "
                                           f"({known(sections_of[source_id], section_id, 99)})", *ref.path))
        elif ref.target_kind == "terms":
            if ref.target.lower() not in terms:
                errors.append(dangling("definitions", ref.target,
                                       origin.error(unknown_term_message(ref.target, terms), *ref.path)))
        elif ref.target not in corpus.items[ref.target_kind]:
            label = m.KIND[ref.target_kind].one
            errors.append(dangling(ref.target_kind, ref.target, origin.error(
                f"unknown {label} {ref.target!r} ({known(corpus.items[ref.target_kind], ref.target)})", *ref.path)))
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            origin = corpus.origin(kind, item_id)
            if kind == "indicators":
                fact = corpus.facts.get(item_id)
                if fact is None:
                    bools = [f.id for f in corpus.facts.values() if f.type == "bool"]
                    errors.append(dangling("facts", item_id, origin.error(
                        f"indicator id {item_id!r} is not a fact; an indicator's id must be a boolean fact declared "
                        f"under facts: ({known(bools, item_id)})", "id")))
                elif fact.type != "bool":
                    errors.append(origin.error(f"indicator id {item_id!r} names a fact of type {fact.type}; an "
                                               "indicator's id must be a boolean (type: bool) fact", "id"))
            elif kind == "questions":
                errors.extend(_check_choices(origin, item))
    return errors



def _check_choices(origin: Origin, q: m.Question) -> list[ContentError]:
    correct = sum(c.correct for c in q.choices)
    if q.kind in ("single", "true_false") and correct != 1:
        return [origin.error(f"a {q.kind} question needs exactly one correct choice (has {correct})", "choices")]
    if q.kind == "true_false" and len(q.choices) != 2:
        return [origin.error("a true_false question has exactly two choices", "choices")]
    if q.kind == "multiple" and correct < 1:
        return [origin.error("a multiple question needs at least one correct choice", "choices")]
    if q.kind == "ordering" and correct != len(q.choices):
        return [origin.error("an ordering question lists its choices in the correct order, all correct: true",
                             "choices")]
    return []
