"""What changed between two loaded versions of the content, as plain data: items added, removed and changed (text as word
ops, rules on the model), the scenarios whose engine answer flips, and the training each change touches.

`csec diff` prints it; the site's "What changed" page renders it. Neither presenter computes a difference itself.
"""

from __future__ import annotations

from typing import Any, Iterator

from csec.checks.written_against import hand_written
from csec.core import model as m
from csec.core.corpus import Corpus
from csec.core.redline import ops
from csec.engine.dependencies import Ref, depends_on, modules_touching
from csec.engine.rules import FactsError, assess
from csec.releases.rule_changes import compare as compare_rules

# Bookkeeping, not content: re-confirming a vignette is not a change to it.
IGNORED_FIELDS = {"written_against"}
ANSWER_FIELDS = ("at_risk", "sex_trafficking", "labor_trafficking", "allegations", "csec_data_grid", "actions",
                 "needs")


def module_page(module_id: str) -> str:
    return f"book/modules/{module_id}.md"


def title_of(kind: str, item) -> str:
    return m.KIND[kind].name_of(item)


# --- field redlines -----------------------------------------------------------------------------------------

def _leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(value, list) and any(isinstance(x, (dict, list)) for x in value):
        for i, v in enumerate(value):
            yield from _leaves(v, path + (i,))
    else:
        yield path, value


def field_changes(kind: str, old, new) -> list[dict]:
    """Each changed leaf field: text as word ops, anything else as old/new. A rule's condition is compared on the
    model instead (csec.releases.rule_changes)."""
    skip = IGNORED_FIELDS | ({"when"} if kind == "rules" else set())
    before = dict(_leaves(old.model_dump(mode="json", by_alias=True, exclude_none=True)))
    after = dict(_leaves(new.model_dump(mode="json", by_alias=True, exclude_none=True)))
    out = []
    for path in dict.fromkeys([*before, *after]):
        if path[0] in skip or before.get(path) == after.get(path):
            continue
        name = ".".join(str(p) for p in path)
        a, b = before.get(path), after.get(path)
        if isinstance(a, str) and isinstance(b, str):
            out.append({"field": name, "ops": ops(a, b)})
        else:
            out.append({"field": name, "old": a, "new": b})
    return out


# --- engine answers -----------------------------------------------------------------------------------------

def answer(corpus: Corpus, scenario: m.Scenario) -> dict[str, Any]:
    """The engine's answer for a vignette's facts, as compared across versions (actions with their deadlines)."""
    try:
        result = assess(corpus, scenario.facts)
    except FactsError as e:
        return {"error": str(e)}
    out = {key: getattr(result, key) for key in ANSWER_FIELDS if key != "actions"}
    out["actions"] = None if result.actions is None else [
        {"id": a["id"], "deadline": a["deadline"]} for a in result.actions]
    return out


def answer_changes(old: dict, new: dict) -> list[dict]:
    return [{"field": k, "old": old.get(k), "new": new.get(k)} for k in dict.fromkeys([*old, *new])
            if old.get(k) != new.get(k)]


# --- the comparison -----------------------------------------------------------------------------------------

class _Side:
    """One version with what each of its scenarios and questions relies on, computed once."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.deps = {kind: {i: set(depends_on(corpus, kind, item)) for i, item in corpus.items[kind].items()}
                     for kind in ("scenarios", "questions")}

    def items(self, kind: str) -> dict:
        # Generated questions follow their rule; they are reported as its dependents, not as changes of their own.
        return {i: item for i, item in self.corpus.items[kind].items()
                if kind != "questions" or hand_written(self.corpus, kind, i)}


def compare(old: Corpus, new: Corpus) -> dict[str, Any]:
    a, b = _Side(old), _Side(new)
    answers: dict[str, list[dict]] = {}
    for sid in old.scenarios.keys() & new.scenarios.keys():
        changes = answer_changes(answer(old, old.scenarios[sid]), answer(new, new.scenarios[sid]))
        if changes:
            answers[sid] = changes
    items = []
    for kind in m.KINDS:
        before, after = a.items(kind), b.items(kind)
        for item_id in [*after, *(i for i in before if i not in after)]:
            entry = _item_change(kind, item_id, before.get(item_id), after.get(item_id), old, new)
            if entry:
                entry["dependents"] = _dependents(a, b, (kind, item_id), answers)
                items.append(entry)
    ordered_answers = [{"scenario": sid, "changes": answers[sid]} for sid in new.scenarios if sid in answers]
    counts = {c: sum(i["change"] == c for i in items) for c in ("changed", "added", "removed")}
    return {"summary": {**counts, "answers": len(ordered_answers)}, "items": items, "answers": ordered_answers}


def _item_change(kind: str, item_id: str, before, after, old: Corpus, new: Corpus) -> dict | None:
    head = {"kind": kind, "id": item_id, "title": title_of(kind, after or before)}
    if before is None:
        return {**head, "change": "added"}
    if after is None:
        return {**head, "change": "removed"}
    fields = field_changes(kind, before, after)
    rule = compare_rules(old, new, before, after) if kind == "rules" else {}
    if not fields and not rule:
        return None
    entry = {**head, "change": "changed", "fields": fields}
    if kind == "rules":
        entry["rule"] = rule
    return entry


def _dependents(a: _Side, b: _Side, ref: Ref, answers: dict[str, list[dict]]) -> dict[str, Any]:
    def relying(kind: str) -> list[str]:
        ids = [*b.corpus.items[kind], *(i for i in a.corpus.items[kind] if i not in b.corpus.items[kind])]
        return [i for i in ids if ref in a.deps[kind].get(i, set()) | b.deps[kind].get(i, set())]

    scenarios, questions = relying("scenarios"), relying("questions")
    modules = list(dict.fromkeys(modules_touching(b.corpus, [ref], scenarios, questions)
                                 + modules_touching(a.corpus, [ref], scenarios, questions)))
    return {"scenarios": [{"id": s, "answer": answers[s]} for s in scenarios if s in answers],
            "scenarios_relying": [s for s in scenarios if s not in answers], "questions": questions,
            "modules": [{"id": mod, "page": module_page(mod)} for mod in modules]}
