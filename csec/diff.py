"""`csec diff OLD NEW`: what changed between two versions of the content, item by item, and which training each change touches.

Items are compared on the model: text fields word by word (csec.redline), rules by their thresholds, conditions,
deadlines and scope (csec.rule_changes), and every scenario is assessed under both versions' rules so a change that
flips an engine answer names the vignettes it flips. Exit status follows diff(1): 0 same, 1 different, 2 trouble.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterator

from . import model as m
from .content import Corpus
from .dependencies import Ref, depends_on
from .redline import ops, render
from .rule_changes import compare as compare_rules
from .rules import FactsError, assess, show
from .versions import LoadError, load_version
from .written_against import hand_written

# Bookkeeping, not content: re-confirming a vignette is not a change to it.
IGNORED_FIELDS = {"written_against"}
ANSWER_FIELDS = ("at_risk", "sex_trafficking", "labor_trafficking", "allegations", "csec_data_grid", "actions",
                 "needs")


def module_page(module_id: str) -> str:
    return f"book/modules/{module_id}.md"


def title_of(item) -> str:
    return getattr(item, "title", None) or getattr(item, "term", None) or getattr(item, "short", None) or ""


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
    model instead (csec.rule_changes)."""
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
        return {i: item for i, item in self.corpus.items[kind].items() if hand_written_or_other(self.corpus, kind, i)}


def hand_written_or_other(corpus: Corpus, kind: str, item_id: str) -> bool:
    # Generated questions follow their rule; they are reported as its dependents, not as changes of their own.
    return kind != "questions" or hand_written(corpus, kind, item_id)


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
    head = {"kind": kind, "id": item_id, "title": title_of(after or before)}
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
        return [i for i in ids if ref in a.deps[kind].get(i, set()) | b.deps[kind].get(i, set()) or (kind, i) == ref]

    scenarios, questions = relying("scenarios"), relying("questions")
    flipped = [{"id": s, "answer": answers[s]} for s in scenarios if s in answers]
    modules = []
    for corpus in (b.corpus, a.corpus):
        for mod in corpus.modules.values():
            touched = (set(mod.scenarios) & set(scenarios) or ref in {("sections", s) for s in mod.sections}
                       or ref == ("modules", mod.id)
                       or any(getattr(corpus.questions.get(q), "module", None) == mod.id for q in questions)
                       or (ref[0] == "questions" and getattr(corpus.questions.get(ref[1]), "module", None) == mod.id))
            if touched and mod.id not in [x["id"] for x in modules]:
                modules.append({"id": mod.id, "page": module_page(mod.id)})
    return {"scenarios": flipped, "scenarios_relying": [s for s in scenarios if s not in answers and
                                                        ("scenarios", s) != ref],
            "questions": [q for q in questions if ("questions", q) != ref], "modules": modules}


# --- output -------------------------------------------------------------------------------------------------

def _value(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, list):
        return "[" + ", ".join(x["id"] if isinstance(x, dict) else show(x) for x in v) + "]"
    return show(v)


def _answer_words(change: dict) -> str:
    old, new = change["old"], change["new"]
    if change["field"] == "actions" and isinstance(old, list) and isinstance(new, list):
        ids_old, ids_new = [x["id"] for x in old], [x["id"] for x in new]
        parts = [f"-{i}" for i in ids_old if i not in ids_new] + [f"+{i}" for i in ids_new if i not in ids_old]
        parts += [f"{x['id']} {y['deadline']!r}" for x in old for y in new
                  if x["id"] == y["id"] and x["deadline"] != y["deadline"]]
        return "actions " + ", ".join(parts)
    return f"{change['field']} {_value(old)} → {_value(new)}"


def readable(report: dict, old_label: str, new_label: str) -> str:
    lines = [f"--- {old_label}", f"+++ {new_label}"]
    for item in report["items"]:
        title = f" — {item['title']}" if item["title"] else ""
        lines.append(f"{item['change']} {item['kind']}/{item['id']}{title}")
        rule = item.get("rule") or {}
        for t in rule.get("thresholds", []):
            lines.append(f"  threshold {t['group']}: at least {_value(t['old'])} → {_value(t['new'])}")
        if "condition" in rule:
            lines.append(f"  condition was: {rule['condition']['old']}")
            lines.append(f"  condition now: {rule['condition']['new']}")
        if "deadline" in rule:
            words = [(d or {}).get("words", "none") for d in (rule["deadline"]["old"], rule["deadline"]["new"])]
            lines.append(f"  deadline: {words[0]} → {words[1]}")
        if "scope" in rule:
            lines.append(f"  scope: {rule['scope']}")
        for f in item.get("fields", []):
            shown = render(f["ops"]) if "ops" in f else f"{_value(f['old'])} → {_value(f['new'])}"
            lines.append(f"  {f['field']}: {shown}")
        deps = item["dependents"]
        for s in deps["scenarios"]:
            lines.append(f"  answer changes for scenario {s['id']}: " + "; ".join(map(_answer_words, s["answer"])))
        for label, key in (("scenarios relying on it", "scenarios_relying"), ("questions", "questions")):
            if deps[key]:
                lines.append(f"  {label}: {', '.join(deps[key])}")
        if deps["modules"]:
            lines.append(f"  module pages: {', '.join(x['page'] for x in deps['modules'])}")
    attributed = {s["id"] for item in report["items"] for s in item["dependents"]["scenarios"]}
    for s in report["answers"]:
        if s["scenario"] in attributed:
            continue
        lines.append(f"answer of scenario {s['scenario']}: " + "; ".join(map(_answer_words, s["changes"])))
    n = report["summary"]
    lines.append(f"{n['changed']} changed, {n['added']} added, {n['removed']} removed; "
                 f"{n['answers']} scenario answer{'s' if n['answers'] != 1 else ''} changed")
    return "\n".join(lines)


def run(old_spec: str, new_spec: str, *, as_json: bool = False) -> int:
    try:
        old, new = load_version(old_spec), load_version(new_spec)
    except LoadError as e:
        print(e, file=sys.stderr)
        return 2
    report = compare(old, new)
    different = bool(report["items"] or report["answers"])
    if as_json:
        print(json.dumps({"old": old_spec, "new": new_spec, **report}, indent=2, ensure_ascii=False))
    elif different:
        print(readable(report, old_spec, new_spec))
    return 1 if different else 0
