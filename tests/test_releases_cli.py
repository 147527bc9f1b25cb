"""content/releases.yaml through the real CLI: releases validate like every other kind, each change's items are checked
as references at path:line:col, and the seeded releases cite the sources they encode."""

from __future__ import annotations

import yaml

from _versions import REPO, edit, run, scratch

RELEASES = "content/releases.yaml"


def _releases(root) -> dict[str, dict]:
    return {r["id"]: r for r in yaml.safe_load((root / RELEASES).read_text(encoding="utf-8"))["releases"]}


def test_the_summary_counts_the_releases():
    done = run("validate")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].endswith(f", {len(_releases(REPO))} releases")


def test_seeded_releases_cite_their_sources():
    releases = _releases(REPO)
    cited = {c.partition("#")[0] for r in releases.values() for c in r["cites"]}
    assert {"acl-16-85", "la-dcfs-guide", "acl-20-105", "upe-2025-note"} <= cited
    pending = [r for r in releases.values() if "upe-2025-note" in r["cites"]]
    assert [r["status"] for r in pending] == ["draft"] and not pending[0].get("changes")


def test_a_change_naming_an_unknown_item_is_refused_at_its_position(tmp_path):
    copy = scratch(tmp_path)
    line = edit(copy / RELEASES, "{kind: rules, id: at_risk}", "{kind: rules, id: at_riskk}")
    col = (copy / RELEASES).read_text(encoding="utf-8").splitlines()[line - 1].index("at_riskk") + 1
    done = run("validate", copy)
    assert done.returncode == 1
    assert f"{RELEASES}:{line}:{col}: unknown rule 'at_riskk' (did you mean 'at_risk'?" in done.stdout, done.stdout


def test_a_change_naming_an_unknown_kind_is_refused_at_its_position(tmp_path):
    copy = scratch(tmp_path)
    line = edit(copy / RELEASES, "{kind: rules, id: at_risk}", "{kind: rulez, id: at_risk}")
    col = (copy / RELEASES).read_text(encoding="utf-8").splitlines()[line - 1].index("rulez") + 1
    done = run("validate", copy)
    assert f"{RELEASES}:{line}:{col}: unknown kind 'rulez' (did you mean 'rules'?" in done.stdout, done.stdout


def test_a_change_class_outside_the_two_is_refused(tmp_path):
    copy = scratch(tmp_path)
    text = (copy / RELEASES).read_text(encoding="utf-8")
    line = text[: text.index("class: substantive")].count("\n") + 1
    first = text[text.index("class: substantive"):].split("\n")[0]
    edit(copy / RELEASES, first + "\n        summary: >-\n          Force", "class: major\n        summary: >-\n          Force")
    done = run("validate", copy)
    assert done.returncode == 1
    assert any(l.startswith(f"{RELEASES}:{line}:") and "'editorial' or 'substantive'" in l
               for l in done.stdout.splitlines()), done.stdout
