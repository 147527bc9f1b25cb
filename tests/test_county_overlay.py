"""County overlays through the real CLI, on a scratch copy of the `good` fixture with tests/fixtures/county beside it:
an overlay adds items and overrides statewide ones by name, a bad overlay item is one located line, `--county none`
reads the statewide baseline alone, `csec diff --baseline` lists the county's differences, and the site badges them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

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
    from csec.training.corpus import checked
    from csec.core.fingerprint import fingerprint

    root = _project(tmp_path)
    overrides, added = _overlay_sections()
    done = run_csec("validate", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    assert _sections_count(done.stdout) == len(_statewide_sections()) + len(added)

    corpus = checked(root)
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
    again = checked(root)
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
    assert report["summary"] == {"overrides": len(overrides) + 1, "amends": 0, "added": len(added), "answers": 0}


def test_site_badges_county_items(tmp_path):
    root = _project(tmp_path)
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    overrides, added = _overlay_sections()
    done = run_csec("build", str(root))
    assert done.returncode == 0 and "built with no warnings" in done.stdout + done.stderr, done.stdout + done.stderr
    pages = [(root / f"_build/html/book/{name}.html").read_text() for name in ("index", "intake")]
    for item in [*overrides, *added]:
        html = next(page for page in pages if f'id="{item["id"]}"' in page)
        heading = html[html.index(f'id="{item["id"]}"'):]
        heading = heading[:heading.index("</h")]
        assert '<span class="csec-county csec-county-fixture">Fixture County</span>' in heading, heading
    assert all("csec-layers" in html and f"counties/{COUNTY}/" in html for html in pages)
    glossary = (root / "_build/html/book/glossary.html").read_text()
    assert "csec-county" not in glossary  # statewide items carry no county mark
    # The county's own page is linked from the home page, by its title, and sits in the navigation.
    index = BeautifulSoup(pages[0], "html.parser")
    assert [a.get_text(strip=True) for a in index.select("article a[href='intake.html']")] == ["Intake in Fixture County"]
    assert index.select("nav a[href='intake.html']")


def test_a_statewide_build_leaves_the_county_pages_out(tmp_path):
    """`csec build --county none`: the page that says `csec_county: fixture` is neither built nor linked, the
    statewide section the county overrides reads as the state wrote it, and the home page says so."""
    root = _project(tmp_path)
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    done = run_csec("build", "--county", "none", str(root))
    assert done.returncode == 0 and "built with no warnings" in done.stdout + done.stderr, done.stdout + done.stderr
    site = root / "_build/html"
    assert not (site / "book/intake.html").exists()
    assert not any("intake.html" in page.read_text() for page in site.rglob("*.html"))
    index = (site / "book/index.html").read_text()
    assert "in the fixture letter are present" in index and "csec-county" not in index  # the state's text
    assert "This site shows the statewide policy alone" in index


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
    # Each amendment is listed with the fields it replaces (top-level names; a list's changes are item by item).
    amended = yaml.safe_load((REPO / "counties/los-angeles/content/questions/modules.yaml").read_text())["modules"]
    modules = {i["id"]: {f["field"].split(".")[0] for f in i["fields"]} for i in report["items"]
               if i["kind"] == "modules"}
    assert all(i["change"] == "amends" for i in report["items"] if i["kind"] == "modules")
    assert modules == {m["amends"]: set(m) - {"amends"} for m in amended}
    # Los Angeles County's own duties are its additions; the vignettes it gives its own answers are amendments.
    rules = yaml.safe_load((REPO / "counties/los-angeles/content/policy/rules.yaml").read_text())["rules"]
    listed = {(i["id"], i["change"]) for i in report["items"] if i["kind"] == "rules"}
    assert listed == {(r["id"], "added") for r in rules if "id" in r} | {(r["amends"], "amends") for r in rules
                                                                         if "amends" in r}
    scenarios = {p.stem for p in (REPO / "counties/los-angeles/content/scenarios").glob("*.yaml")}
    assert {i["id"] for i in report["items"] if i["kind"] == "scenarios" and i["change"] == "amends"} == scenarios


def test_a_page_naming_an_unknown_county_fails_the_build_in_one_line(tmp_path):
    root = _project(tmp_path)
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    page = root / "book/intake.md"
    page.write_text(page.read_text().replace("csec_county: fixture", "csec_county: fixtur", 1))
    done = run_csec("build", str(root))
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "WARNING" in line or "ERROR" in line]
    assert len(lines) == 1 and f"{page}:1: WARNING: csec_county: unknown county 'fixtur' (known: {COUNTY})" in \
        lines[0], done.stdout + done.stderr
    assert not (root / "_build/html").exists()  # nothing half-written


def _amend(root: Path, text: str, name: str = "amend.yaml") -> Path:
    file = root / f"counties/{COUNTY}/content/policy/{name}"
    file.write_text(text)
    return file


def test_an_amendment_replaces_only_the_fields_it_gives(tmp_path):
    """`amends: ID` takes the statewide item and replaces the fields it names; the others stay the state's, errors
    about the county's fields point at the county file, and `csec diff --baseline` lists it as an amendment."""
    from csec.training.corpus import checked

    root = _project(tmp_path)
    state = _statewide_sections()["reporting"]
    file = _amend(root, "sections:\n  - amends: reporting\n    body: |\n      Fixture County reports by phone.\n")
    done = run_csec("validate", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    corpus = checked(root)
    item = corpus.sections["reporting"]
    assert item.body == "Fixture County reports by phone.\n"
    assert (item.title, item.cites, item.policy) == (state["title"], state["cites"], state.get("policy"))
    assert corpus.layer("sections", "reporting") == COUNTY and corpus.amended[("sections", "reporting")] == ["body"]
    assert corpus.origin("sections", "reporting").place("body").startswith(f"counties/{COUNTY}/")
    assert corpus.origin("sections", "reporting").place("title").startswith("content/policy/sections.yaml:")

    report = json.loads(run_csec("diff", "--baseline", "--json", str(root)).stdout)
    amended = [i for i in report["items"] if i["change"] == "amends"]
    assert [(i["id"], [f["field"] for f in i["fields"]]) for i in amended] == [("reporting", ["body"])]
    assert report["summary"]["amends"] == 1

    # A field the model refuses is located in the county file, at the county's value.
    file.write_text("sections:\n  - amends: reporting\n    order: first\n")
    bad = run_csec("validate", str(root))
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [f"counties/{COUNTY}/content/policy/amend.yaml:3:12: order: Input should be a "
                                       "valid integer, unable to parse string as an integer (got 'first')"], bad.stdout


def test_bad_amendments_are_one_located_line_each(tmp_path):
    root = _project(tmp_path)
    cases = {
        "unknown.yaml": ("sections:\n  - amends: reportng\n    body: x\n",
                         "2:13: amends unknown statewide section 'reportng' (near matches: reporting)"),
        "empty.yaml": ("sections:\n  - amends: reporting\n",
                       "2:5: an amendment gives the fields of section 'reporting' it replaces (none given)"),
        # overlay.yaml (read before this file) already overrides at-risk.
        "twice.yaml": ("sections:\n  - amends: at-risk\n    body: x\n",
                       f"2:13: the county already changed section 'at-risk' (at counties/{COUNTY}/content/policy/"
                       "overlay.yaml:2:5); give all its changes in one amendment"),
        "both.yaml": ("sections:\n  - amends: reporting\n    overrides: reporting\n    body: x\n",
                      "3:5: a county section either overrides a statewide item (all of it) or amends it (some "
                      "fields), not both"),
        "key.yaml": ("sections:\n  - amends: reporting\n    boddy: x\n", "3:5: unknown key 'boddy' (did you mean "),
    }
    for name, (text, _) in cases.items():
        _amend(root, text, name)
    done = run_csec("validate", str(root))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == len(cases), done.stdout
    for name, (_, message) in cases.items():
        line = next(x for x in lines if f"/{name}:" in x)
        assert line.startswith(f"counties/{COUNTY}/content/policy/{name}:{message}"), line


def test_only_a_county_amends_and_only_a_county_adds_to_a_debrief(tmp_path):
    from csec_cli import content_copy

    root = _project(tmp_path / "fixture")
    sections = root / "content/policy/sections.yaml"
    sections.write_text(sections.read_text().replace("  - id: reporting\n", "  - id: reporting\n    amends: at-risk\n", 1))
    done = run_csec("validate", "--county", "none", str(root))
    line = _located(sections, "amends:").split(":")[0]
    assert done.returncode == 1 and done.stdout.splitlines() == [
        f"content/policy/sections.yaml:{line}:5: only a county overlay item (in counties/<id>/content/) can amend a "
        "statewide item"], done.stdout

    repo = content_copy(tmp_path / "repo")
    scenario = repo / "content/scenarios/dev-one-other-indicator.yaml"
    scenario.write_text(scenario.read_text().replace("\ndebrief:", "\ncounty_debrief: Also call.\ndebrief:", 1))
    done = run_csec("validate", str(repo))
    line = _located(scenario, "county_debrief:").split(":")[0]
    assert done.returncode == 1
    # The refused vignette is the cause; the module listing it (in its scenarios and its discussion prompts) is not
    # reported as a second problem.
    lines = done.stdout.splitlines()
    assert lines[0] == (f"content/scenarios/dev-one-other-indicator.yaml:{line}:1: county_debrief is what a county's "
                        "procedures add: write it in the county's amendment of the vignette "
                        "(counties/<id>/content/scenarios/)"), done.stdout
    assert lines[1:] == [f"content/scenarios/dev-one-other-indicator.yaml:{line}:1: note: 2 references to scenario "
                         "'dev-one-other-indicator' not checked because it was refused"], done.stdout


def test_a_county_amendment_keeps_its_own_training_record(tmp_path):
    """An amended vignette's `written_against` is the county file's: a stale entry is reported there, and
    `csec confirm` rewrites that file, leaving the statewide vignette's record alone."""
    from csec_cli import content_copy

    repo = content_copy(tmp_path)
    amendment = next((repo / "counties/los-angeles/content/scenarios").glob("*.yaml"))
    statewide = repo / "content/scenarios" / amendment.name
    before, state_before = amendment.read_text(), statewide.read_text()
    entry = next(line for line in before.splitlines() if line.startswith("  rules/"))
    amendment.write_text(before.replace(entry, entry.split(":")[0] + ': "000000000000"', 1))
    done = run_csec("validate", str(repo))
    assert done.returncode == 1
    rel = amendment.relative_to(repo).as_posix()
    assert done.stdout.splitlines()[0].startswith(f"{rel}:") and "000000000000, which has changed" in done.stdout
    fixed = run_csec("confirm", "--root", str(repo), amendment.stem)
    assert fixed.returncode == 0 and f"{rel}: confirmed {amendment.stem}" in fixed.stdout, fixed.stdout + fixed.stderr
    assert amendment.read_text() == before and statewide.read_text() == state_before


def test_a_county_cannot_approve_a_statewide_item_or_release(tmp_path):
    """A layer owns its items: a county amends content fields, never a statewide item's status or reviews, and never
    a statewide release record (the shipped draft release stays a draft, however a county file says otherwise)."""
    from csec_cli import content_copy

    root = content_copy(tmp_path)
    county = root / "counties/los-angeles/content/policy"
    (county / "releases.yaml").write_text("releases:\n  - amends: 2025-county-child-trafficking-policy\n"
                                          "    status: approved\n")
    (county / "approve.yaml").write_text("sections:\n  - amends: acl-16-85-i\n    body: The county's words.\n"
                                         "    status: draft\n  - amends: acl-16-85-ii\n    reviews: []\n")
    done = run_csec("validate", str(root))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "counties/los-angeles/content/policy/approve.yaml:4:5: a county cannot change the status of statewide "
        "section 'acl-16-85-i': its review is the statewide layer's (an amendment gives content fields only)",
        "counties/los-angeles/content/policy/approve.yaml:6:5: a county cannot change the reviews of statewide "
        "section 'acl-16-85-ii': its review is the statewide layer's (an amendment gives content fields only)",
        "counties/los-angeles/content/policy/releases.yaml:2:5: a county cannot amend the statewide release record "
        "'2025-county-child-trafficking-policy': it is the statewide layer's (a county may add releases of its own)",
    ], done.stdout
    (county / "approve.yaml").unlink()
    (county / "releases.yaml").write_text("releases:\n  - id: 2025-county-child-trafficking-policy\n"
                                          "    overrides: 2025-county-child-trafficking-policy\n    title: Approved\n"
                                          "    cites: [upe-2025-note]\n    status: approved\n")
    done = run_csec("validate", str(root))
    assert done.returncode == 1 and done.stdout.splitlines() == [
        "counties/los-angeles/content/policy/releases.yaml:3:5: a county cannot override the statewide release "
        "record '2025-county-child-trafficking-policy': it is the statewide layer's (a county may add releases of "
        "its own)"], done.stdout


def _deadline_rules(path: Path) -> dict[str, str]:
    """Title by id of the approved action rules in PATH (a rules file) that set a deadline, as the YAML writes them."""
    rules = yaml.safe_load(path.read_text())["rules"]
    return {r["id"]: r["title"] for r in rules if "id" in r and r.get("kind") == "action"
            and r.get("status", "approved") == "approved"
            and (r.get("immediately") or any(k in r for k in ("within_hours", "within_days", "every_days")))}


def test_the_deadlines_table_marks_county_rows_as_the_rules_page_does(built_site):
    county = _deadline_rules(REPO / "counties/los-angeles/content/policy/rules.yaml")
    statewide = _deadline_rules(REPO / "content/policy/rules.yaml")
    assert county and statewide
    soup = BeautifulSoup((built_site / "book/reference/deadlines.html").read_text(), "html.parser")
    rows = soup.select("table.csec-deadlines tbody tr")
    marked: dict[str, list[str]] = {}
    for row in rows:
        where = row.find_all("td")[2]
        title = " ".join(where.find("a").get_text().split())
        marked[title] = [" ".join(b.get_text().split()) for b in row.select("span.csec-county")]
    for title in county.values():
        assert marked.get(title) == ["Los Angeles County"], (title, marked.get(title))
    # A statewide duty (one the county amends included: the rules page badges only the county's own items) is not.
    county_yaml = yaml.safe_load((REPO / "counties/los-angeles/content/policy/rules.yaml").read_text())["rules"]
    replaced = {r["overrides"] for r in county_yaml if "overrides" in r}
    shown = [title for rule_id, title in statewide.items() if rule_id not in replaced and title in marked]
    assert shown, "no statewide deadline in the table"
    assert all(marked[title] == [] for title in shown), {t: marked[t] for t in shown}
    # The same mark, in the same words and classes, as the rules page gives the county's rules.
    rules = BeautifulSoup((built_site / "book/reference/rules.html").read_text(), "html.parser")
    on_rules = {" ".join(b.get_text().split()) for b in rules.select("span.csec-county")}
    assert on_rules == {"Los Angeles County"}
    assert all(b["class"] == ["csec-county", "csec-county-los-angeles"] for b in soup.select("tbody span.csec-county"))
