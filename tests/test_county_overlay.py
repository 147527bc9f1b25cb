"""County overlays through the real CLI, on a scratch copy of the `good` fixture with tests/fixtures/county beside it:
an overlay adds items and overrides statewide ones by name, a bad overlay item is one located line, `--county none`
reads the statewide baseline alone, `csec diff --baseline` lists the county's differences, and the site badges them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import yaml

from csec_cli import REPO, run_csec

FIXTURES = REPO / "tests" / "fixtures"
COUNTY = "fixture"
OVERLAY = FIXTURES / "county" / "counties" / COUNTY / "content" / "policy" / "overlay.yaml"


def _project(tmp_path: Path) -> Path:
    """The good fixture's statewide content, the fixture county's overlay, csec.yaml and a small book."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "good" / "content", root / "content")
    shutil.copytree(FIXTURES / "county", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("bad"))
    return root


def _overlay_sections() -> tuple[list[dict], list[dict]]:
    """(overrides, additions) as the fixture overlay writes them."""
    sections = yaml.safe_load(OVERLAY.read_text())["sections"]
    return [s for s in sections if "overrides" in s], [s for s in sections if "overrides" not in s]


def _sections_count(summary: str) -> int:
    return int(summary.split(" sections,")[0].rsplit(" ", 1)[-1])


def _statewide_sections() -> dict:
    sections = yaml.safe_load((FIXTURES / "good/content/policy/sections.yaml").read_text())["sections"]
    return {s["id"]: s for s in sections}


def test_overlay_adds_and_overrides_statewide_items(tmp_path):
    from csec.content import load
    from csec.fingerprint import fingerprint

    root = _project(tmp_path)
    overrides, added = _overlay_sections()
    done = run_csec("validate", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    assert _sections_count(done.stdout) == len(_statewide_sections()) + len(added)

    corpus = load(root)
    assert corpus.county == COUNTY
    for item in overrides:
        assert corpus.sections[item["id"]].body == item["body"]  # the county's text, not the state's
        assert corpus.layer("sections", item["id"]) == COUNTY
        assert corpus.origin("sections", item["id"]).path.startswith(f"counties/{COUNTY}/")
    for item in added:
        assert corpus.sections[item["id"]].title == item["title"] and corpus.layer("sections", item["id"]) == COUNTY
    untouched = set(_statewide_sections()) - {s["id"] for s in overrides}
    assert untouched and all(corpus.layer("sections", i) == "statewide" for i in untouched)

    # Moving an item from the baseline into the overlay leaves its digest (the stale-training guard's) alone.
    moved = next(iter(untouched))
    before = fingerprint(corpus.sections[moved])
    state_file = root / "content/policy/sections.yaml"
    data = yaml.safe_load(state_file.read_text())
    item = next(s for s in data["sections"] if s["id"] == moved)
    data["sections"].remove(item)
    state_file.write_text(yaml.safe_dump(data, sort_keys=False))
    moved_file = root / f"counties/{COUNTY}/content/policy/moved.yaml"
    moved_file.write_text(yaml.safe_dump({"sections": [item]}, sort_keys=False))
    again = load(root)
    assert again.layer("sections", moved) == COUNTY and fingerprint(again.sections[moved]) == before


def _located(path: Path, needle: str) -> str:
    """'line:col' of the first line of PATH holding NEEDLE, at the value after the key."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return f"{number}:{line.index(needle) + len(needle) + 2}"  # 1-based, past the key and its space
    raise AssertionError(f"{needle!r} not in {path}")


def test_unknown_override_and_unmarked_collision_are_located_lines(tmp_path):
    root = _project(tmp_path)
    overlay = root / "counties" / COUNTY / "content" / "policy"
    for bad in sorted((FIXTURES / "county" / "bad").glob("*.yaml")):
        shutil.copy(bad, overlay / bad.name)
    done = run_csec("validate", str(root))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout  # one error per bad file, nothing else

    unknown = overlay / "unknown-override.yaml"
    wrong = yaml.safe_load(unknown.read_text())["sections"][0]["overrides"]
    line = next(x for x in lines if "unknown-override.yaml" in x)
    assert line.startswith(f"counties/{COUNTY}/content/policy/unknown-override.yaml:"
                           f"{_located(unknown, 'overrides:')}: overrides unknown statewide section {wrong!r}"), line
    near = [i for i in _statewide_sections() if i.startswith(wrong[:3])]
    assert near and line.endswith(f"(near matches: {', '.join(near)})"), line

    collision = overlay / "unmarked-collision.yaml"
    reused = yaml.safe_load(collision.read_text())["sections"][0]["id"]
    line = next(x for x in lines if "unmarked-collision.yaml" in x)
    assert line.startswith(f"counties/{COUNTY}/content/policy/unmarked-collision.yaml:{_located(collision, 'id:')}: "
                           f"section id {reused!r} is already a statewide item (at content/policy/sections.yaml:"), line
    assert f"overrides: {reused}" in line


def test_a_statewide_item_cannot_override(tmp_path):
    root = _project(tmp_path)
    sections = root / "content/policy/sections.yaml"
    text = sections.read_text()
    sections.write_text(text.replace("  - id: reporting\n", "  - id: reporting\n    overrides: at-risk\n", 1))
    done = run_csec("validate", "--county", "none", str(root))
    assert done.returncode == 1
    line = _located(sections, "overrides:").split(":")[0]
    assert done.stdout.splitlines() == [f"content/policy/sections.yaml:{line}:5: only a county overlay item (in "
                                        "counties/<id>/content/) can override a statewide item"], done.stdout


def test_county_none_reads_the_statewide_baseline_alone(tmp_path):
    root = _project(tmp_path)
    _, added = _overlay_sections()
    default = run_csec("validate", str(root))
    statewide = run_csec("validate", "--county", "none", str(root))
    assert default.returncode == statewide.returncode == 0, default.stdout + statewide.stdout + statewide.stderr
    assert _sections_count(statewide.stdout) == len(_statewide_sections())
    assert _sections_count(default.stdout) == len(_statewide_sections()) + len(added)
    # $CSEC_COUNTY says the same as --county; --county wins over it.
    import subprocess

    from csec_cli import CSEC

    env = {**os.environ, "CSEC_COUNTY": "none"}
    by_env = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, text=True, env=env, timeout=60)
    assert by_env.stdout == statewide.stdout
    both = subprocess.run([str(CSEC), "validate", "--county", COUNTY, str(root)], capture_output=True, text=True,
                          env=env, timeout=60)
    assert both.stdout == default.stdout
    unknown = run_csec("validate", "--county", "nowhere", str(root))
    assert unknown.returncode == 1
    assert unknown.stdout.splitlines() == [
        f"counties/nowhere:1:1: no county overlay 'nowhere': counties/nowhere/content/ does not exist (known: {COUNTY})"]


def test_diff_baseline_lists_overrides_with_redlines_and_additions(tmp_path):
    root = _project(tmp_path)
    overrides, added = _overlay_sections()
    done = run_csec("diff", "--baseline", "--json", str(root))
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["baseline"], report["county"]) == ("statewide", COUNTY)
    by_change = {c: [i["id"] for i in report["items"] if i["change"] == c] for c in ("overrides", "added")}
    assert by_change == {"overrides": [s["id"] for s in overrides], "added": [s["id"] for s in added]}
    override = next(i for i in report["items"] if i["change"] == "overrides")
    body = next(f for f in override["fields"] if f["field"] == "body")
    inserted = "".join(o["text"] for o in body["ops"] if o["op"] != "delete")
    deleted = "".join(o["text"] for o in body["ops"] if o["op"] != "insert")
    assert inserted == overrides[0]["body"] and deleted == _statewide_sections()[overrides[0]["id"]]["body"]

    text = run_csec("diff", "--baseline", str(root))
    assert text.returncode == 1
    assert text.stdout.splitlines()[:3] == ["--- statewide", f"+++ {COUNTY}",
                                            f"overrides sections/{overrides[0]['id']} — {overrides[0]['title']}"]
    assert f"added sections/{added[0]['id']} — {added[0]['title']}" in text.stdout
    assert "{+" in text.stdout and "[-" in text.stdout  # the override's redline against the item it replaces

    same = run_csec("diff", "--baseline", "--county", "none", str(root))
    assert same.returncode == 2 and "no county overlay configured" in same.stderr


def test_diff_baseline_lists_an_override_that_changes_nothing(tmp_path):
    root = _project(tmp_path)
    overrides, added = _overlay_sections()
    same = dict(_statewide_sections()["reporting"], overrides="reporting")
    (root / f"counties/{COUNTY}/content/policy/same.yaml").write_text(yaml.safe_dump({"sections": [same]}))
    report = json.loads(run_csec("diff", "--baseline", "--json", str(root)).stdout)
    listed = [(i["id"], i["fields"]) for i in report["items"] if i["change"] == "overrides"]
    assert ("reporting", []) in listed and len(listed) == len(overrides) + 1
    assert report["summary"] == {"overrides": len(overrides) + 1, "added": len(added), "answers": 0}


def test_site_badges_county_items(tmp_path):
    root = _project(tmp_path)
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    overrides, added = _overlay_sections()
    done = run_csec("build", str(root))
    assert done.returncode == 0 and "built with no warnings" in done.stdout + done.stderr, done.stdout + done.stderr
    html = (root / "_build/html/book/index.html").read_text()
    for item in [*overrides, *added]:
        heading = html[html.index(f'id="{item["id"]}"'):]
        heading = heading[:heading.index("</h")]
        assert '<span class="csec-county csec-county-fixture">Fixture County</span>' in heading, heading
    assert "csec-layers" in html and f"counties/{COUNTY}/" in html
    glossary = (root / "_build/html/book/glossary.html").read_text()
    assert "csec-county" not in glossary  # statewide items carry no county mark


def test_shipped_content_separates_los_angeles_from_the_statewide_baseline():
    """The default (csec.yaml: los-angeles) reads today's corpus; --county none reads the statewide layer alone and
    is valid too; the LA guide's sections are Los Angeles County's, the ACL sections statewide."""
    la_guide = yaml.safe_load((REPO / "counties/los-angeles/content/policy/la-guide.yaml").read_text())["sections"]
    default = run_csec("validate")
    statewide = run_csec("validate", "--county", "none")
    assert default.returncode == statewide.returncode == 0, default.stdout + statewide.stdout
    assert _sections_count(default.stdout) - _sections_count(statewide.stdout) == len(la_guide)
    done = run_csec("diff", "--baseline", "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["county"] == "los-angeles"
    added = {i["id"] for i in report["items"] if i["change"] == "added" and i["kind"] == "sections"}
    assert added == {s["id"] for s in la_guide}
    # The investigative areas and interview questions are the LA guide's: statewide has none.
    questions = REPO / "counties/los-angeles/content/policy/investigative-questions.yaml"
    sets = [s["id"] for s in yaml.safe_load(questions.read_text())["question_sets"]]
    assert [i["id"] for i in report["items"] if i["kind"] == "question_sets"] == sets
    assert " 0 question_sets," in statewide.stdout and f" {len(sets)} question_sets," in default.stdout
    overridden = yaml.safe_load((REPO / "counties/los-angeles/content/questions/modules.yaml").read_text())["modules"]
    assert [i["id"] for i in report["items"] if i["change"] == "overrides"] == [m["id"] for m in overridden]
