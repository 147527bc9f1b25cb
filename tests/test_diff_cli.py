"""`csec diff OLD NEW [--json]` through the real CLI: rules compared on the model with the vignettes and questions a
change touches, word-by-word redlines, added and removed items, git revisions, and the diff(1) exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from _versions import (GROUP, NEW_N, OLD_N, REPO, RULES, THRESHOLD, edit, flipped_by_threshold, questions_naming,
                       raise_threshold, run, scratch)


def _report(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 1, done.stdout + done.stderr
    return json.loads(done.stdout)


def _item(report: dict, kind: str, item_id: str) -> dict:
    found = [i for i in report["items"] if (i["kind"], i["id"]) == (kind, item_id)]
    assert found, f"{kind}/{item_id} not reported: {[(i['kind'], i['id']) for i in report['items']]}"
    return found[0]


def test_same_content_is_no_difference(tmp_path):
    copy = scratch(tmp_path)
    done = run("diff", REPO, copy)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_raised_threshold_is_a_rule_change_with_the_vignettes_and_questions_it_touches(tmp_path):
    copy = scratch(tmp_path)
    raise_threshold(copy)
    report = _report(run("diff", REPO, copy, "--json"))
    rule = _item(report, "rules", "at_risk")
    assert rule["change"] == "changed"
    assert rule["rule"]["thresholds"] == [{"group": GROUP, "old": OLD_N, "new": NEW_N}]
    assert f"at least {OLD_N} of" in rule["rule"]["condition"]["old"]
    assert f"at least {NEW_N} of" in rule["rule"]["condition"]["new"]
    flipped = {s["id"]: s["answer"] for s in rule["dependents"]["scenarios"]}
    want = flipped_by_threshold(REPO)
    assert "dev-two-other-indicators" in want  # the vignette the edit is about
    assert set(flipped) == want
    for answer in flipped.values():
        assert {"field": "at_risk", "old": True, "new": False} in answer
    questions = set(rule["dependents"]["questions"])
    assert f"gen-at_risk-at_least-{GROUP}" in questions
    assert questions_naming(REPO, "at_risk") <= questions
    assert questions_naming(REPO, "at_risk"), "no hand-written question names the at-risk rule"
    pages = {m["page"] for m in rule["dependents"]["modules"]}
    modules = yaml.safe_load((REPO / "content/questions/modules.yaml").read_text(encoding="utf-8"))["modules"]
    for module in modules:
        if want & set(module["scenarios"]):
            assert f"book/modules/{module['id']}.md" in pages
    # Only the rule changed: the generated questions follow it and are its dependents, not changes of their own.
    assert [(i["kind"], i["id"]) for i in report["items"]] == [("rules", "at_risk")]
    assert {a["scenario"] for a in report["answers"]} == want


def test_readable_output_names_the_threshold_and_the_flipped_vignette(tmp_path):
    copy = scratch(tmp_path)
    raise_threshold(copy)
    done = run("diff", REPO, copy)
    assert done.returncode == 1, done.stderr
    assert f"threshold {GROUP}: at least {OLD_N} → {NEW_N}" in done.stdout
    assert "answer changes for scenario dev-two-other-indicators: at_risk yes → no" in done.stdout


def test_text_change_is_redlined_word_by_word(tmp_path):
    copy = scratch(tmp_path)
    old, new = "Are in foster care and under age 18", "Are placed in foster care and under age 18"
    edit(copy / "content/policy/glossary.yaml", old, new)
    report = _report(run("diff", REPO, copy, "--json"))
    item = _item(report, "definitions", "children-receiving-cws")
    [field] = [f for f in item["fields"] if f["field"] == "text"]
    inserted = "".join(o["text"] for o in field["ops"] if o["op"] == "insert")
    deleted = "".join(o["text"] for o in field["ops"] if o["op"] == "delete")
    assert (inserted.strip(), deleted) == ("placed", "")
    old_text = "".join(o["text"] for o in field["ops"] if o["op"] != "insert")
    new_text = "".join(o["text"] for o in field["ops"] if o["op"] != "delete")
    assert old in old_text and new in new_text and old not in new_text
    done = run("diff", REPO, copy)
    assert "Are {+placed +}in foster care" in done.stdout, done.stdout


def test_replaced_word_reads_as_removed_and_added(tmp_path):
    copy = scratch(tmp_path)
    edit(copy / "content/policy/glossary.yaml", "Have run away from foster care", "Have fled from foster care")
    done = run("diff", REPO, copy)
    assert done.returncode == 1
    assert "Have [-run away-]{+fled+} from foster care" in done.stdout, done.stdout


def _unreferenced_definition(root: Path) -> str:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "content").rglob("*.yaml")))
    ids = [d["id"] for d in yaml.safe_load((root / "content/policy/glossary.yaml").read_text())["definitions"]]
    return next(i for i in ids if text.count(i) == 1)  # named only by its own `id:`


def test_renamed_item_is_one_removed_and_one_added(tmp_path):
    copy = scratch(tmp_path)
    old_id = _unreferenced_definition(REPO)
    new_id = f"{old_id}-renamed"
    edit(copy / "content/policy/glossary.yaml", f"id: {old_id}\n", f"id: {new_id}\n")
    report = _report(run("diff", REPO, copy, "--json"))
    assert _item(report, "definitions", old_id)["change"] == "removed"
    assert _item(report, "definitions", new_id)["change"] == "added"
    assert (report["summary"]["added"], report["summary"]["removed"], report["summary"]["changed"]) == (1, 1, 0)
    done = run("diff", REPO, copy)
    assert f"removed definitions/{old_id}" in done.stdout and f"added definitions/{new_id}" in done.stdout


def test_git_revisions_of_a_scratch_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True, timeout=120)
    git = ["git", "-C", str(clone), "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    raise_threshold(clone)
    subprocess.run([*git, "commit", "-qam", "raise the threshold"], check=True)
    report = _report(run("diff", "HEAD~1", "HEAD", "--json", cwd=clone))
    assert _item(report, "rules", "at_risk")["rule"]["thresholds"] == [{"group": GROUP, "old": OLD_N, "new": NEW_N}]
    same = run("diff", "HEAD", str(clone), cwd=clone)  # a revision against a folder: the committed state
    assert (same.returncode, same.stdout) == (0, ""), same.stdout + same.stderr
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""  # the work tree was never touched


def test_bad_revision_is_one_clear_line(tmp_path):
    done = run("diff", "no-such-revision", "HEAD")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "no-such-revision: not a folder or a git revision of this repository"]


def test_broken_content_is_an_error_with_its_position(tmp_path):
    copy = scratch(tmp_path)
    line = edit(copy / RULES, THRESHOLD % (GROUP, OLD_N), THRESHOLD.replace("%d", "many") % GROUP)
    done = run("diff", REPO, copy)
    assert done.returncode == 2, done.stdout
    lines = done.stderr.strip().splitlines()
    # The first problem is the edit, with the folder it is in; items that cite the broken rule follow it.
    assert lines and lines[0].startswith(f"{copy}/content/policy/rules.yaml:{line}:"), done.stderr
    assert "at_least" in lines[0] and "'many'" in lines[0]
