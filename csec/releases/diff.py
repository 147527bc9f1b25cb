"""`csec diff OLD NEW [--json]`: prints what changed between two versions of the content (computed by csec.releases.changes) as a redline or as JSON.

OLD and NEW are folders or git revisions (csec.releases.versions). Exit status follows diff(1): 0 same, 1 different, 2 trouble.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from csec.core.redline import render
from csec.engine.rules import show
from csec.load.counties import NONE, STATEWIDE
from csec.releases.changes import compare, title_of
from csec.releases.versions import LoadError, load_version

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
    lines.append(", ".join(f"{v} {k}" for k, v in n.items() if k != "answers") +
                 f"; {n['answers']} scenario answer{'s' if n['answers'] != 1 else ''} changed")
    return "\n".join(lines)


def _print(report: dict, old_label: str, new_label: str, as_json: bool, head: dict) -> int:
    different = bool(report["items"] or report["answers"])
    if as_json:
        print(json.dumps({**head, **report}, indent=2, ensure_ascii=False))
    elif different:
        print(readable(report, old_label, new_label))
    return 1 if different else 0


def run(old_spec: str, new_spec: str, *, as_json: bool = False) -> int:
    try:
        old, new = load_version(old_spec), load_version(new_spec)
    except LoadError as e:
        print(e, file=sys.stderr)
        return 2
    return _print(compare(old, new), old_spec, new_spec, as_json, {"old": old_spec, "new": new_spec})


def run_baseline(root: str, county: str | None, *, as_json: bool = False) -> int:
    """`csec diff --baseline`: the statewide content against the same content with COUNTY's overlay (None: the
    configured county), compared like two versions: a county's additions are 'added', its overrides 'overrides' and
    its amendments 'amends' (with the fields they replace)."""
    try:
        local = load_version(root, folder_only=True, county=county)
        if local.county is None:
            print(f"{root}: no county overlay configured; name one with --county ID (or county: in csec.yaml)",
                  file=sys.stderr)
            return 2
        state = load_version(root, folder_only=True, county=NONE)
    except LoadError as e:
        print(e, file=sys.stderr)
        return 2
    report = compare(state, local)
    # An overlay only adds or replaces, so every changed item is one of its overrides; one that says what the
    # statewide item says is listed too (it still takes the statewide item's place), with no fields.
    listed = {(i["kind"], i["id"]) for i in report["items"]}
    for item in report["items"]:
        if item["change"] == "changed":
            item["change"] = "amends" if (item["kind"], item["id"]) in local.amended else "overrides"
    for kind, item_id in sorted(local.overridden - listed):
        report["items"].append({"kind": kind, "id": item_id, "title": title_of(kind, local.items[kind][item_id]),
                                "change": "overrides", "fields": [],
                                "dependents": {"scenarios": [], "scenarios_relying": [], "questions": [],
                                               "modules": []}})
    counts = {c: sum(i["change"] == c for i in report["items"]) for c in ("overrides", "amends", "added")}
    report["summary"] = {**counts, "answers": report["summary"]["answers"]}
    return _print(report, STATEWIDE, local.county, as_json, {"baseline": STATEWIDE, "county": local.county})
