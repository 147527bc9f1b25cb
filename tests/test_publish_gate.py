"""The publish build holds approved content only: a unique marker planted in a draft item of every kind appears in no
file of the published site (HTML, searchindex.js, every .js and .json), while the preview shows each one, badged.

One publish build and one preview build, through the real `csec build`, of a scratch copy with the drafts planted.
The drafts are self-consistent (a draft may depend on anything), so validation passes and only status decides. The same
copy holds four change sets (draft, in review, approved for a future day, approved and in force): the published site
shows only the one in force, the preview all four (README "Changing published policy").
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import scratch_copy

CSEC = str(Path(sys.executable).with_name("csec"))
MARK = "ZQXDRAFT"
MARKERS = {kind: f"{MARK}-{kind}-7731" for kind in
           ("rule", "indicator", "red_flag", "definition", "section", "scenario", "question")}


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def plant_drafts(repo: Path) -> None:
    policy = repo / "content" / "policy"
    _append(policy / "facts.yaml", """
  - id: zqx_fact
    type: bool
    group: indicator
    label: A planted test indicator
    text: A fact the planted draft indicator and draft rule use.
    cites: [acl-16-85#i-at-risk]
""")
    # A draft group of its own: adding a draft indicator to a group the approved at-risk rule counts would make that
    # rule depend on it (a validate error, tested in test_status_gate.py).
    _append(policy / "indicators.yaml", f"""
  - id: zqx_fact
    group: zqx-group
    letter: H
    acl_number: v
    text: {MARKERS["indicator"]} in the ACL wording.
    la_text: {MARKERS["indicator"]} in the LA wording.
    cites: [acl-16-85#i-at-risk]
    status: draft
""")
    text = (policy / "indicators.yaml").read_text(encoding="utf-8")
    (policy / "indicators.yaml").write_text(text.replace("indicator_groups:\n", f"""indicator_groups:
  - id: zqx-group
    title: Planted draft group
    text: {MARKERS["indicator"]} group text.
    cites: [acl-16-85#i-at-risk]
    status: draft
""", 1), encoding="utf-8")
    _append(policy / "red-flags.yaml", f"""
  - id: zqx-flag
    text: {MARKERS["red_flag"]} red flag.
    types: [csec]
    cites: [la-dcfs-guide]
    status: draft
""")
    _append(policy / "glossary.yaml", f"""
  - id: zqx-def
    term: {MARKERS["definition"]}
    text: {MARKERS["definition"]} definition text.
    cites: [acl-16-85#i-at-risk]
    status: draft
""")
    _append(policy / "acl-16-85.yaml", f"""
  - id: zqx-section
    title: {MARKERS["section"]} title
    parent: acl-16-85-i
    order: 99
    body: "{MARKERS["section"]} body, relying on {{term}}`{MARKERS["definition"]}`."
    terms: [zqx-def]
    cites: [acl-16-85]
    status: draft
""")
    _append(policy / "rules.yaml", f"""
  - id: zqx_rule
    kind: action
    order: 99
    title: {MARKERS["rule"]} title
    text: {MARKERS["rule"]} text.
    otherwise: {MARKERS["rule"]} otherwise.
    when: {{fact: zqx_fact}}
    within_hours: 5
    cites: [acl-16-85#v]
    status: draft
""")
    _append(repo / "content" / "questions" / "csec-101.yaml", f"""
  - id: zqx-question
    module: csec-101
    kind: true_false
    stem: {MARKERS["question"]} stem.
    choices:
      - {{text: "True", correct: true, feedback: "{MARKERS["question"]} feedback."}}
      - {{text: "False", correct: false, feedback: "No."}}
    cites: [acl-16-85#i-at-risk]
    status: draft
""")
    (repo / "content" / "scenarios" / "zqx-scenario.yaml").write_text(f"""id: zqx-scenario
title: {MARKERS["scenario"]} title
summary: {MARKERS["scenario"]} summary.
module: csec-101
order: 99
fictional: true
narrative: "*Fictional.* {MARKERS["scenario"]} narrative."
facts:
  age: 15
  receiving_child_welfare_services: true
  case_status: in_foster_care
  zqx_fact: true
indicators_present: [zqx_fact]
red_flags_present: [zqx-flag]
expected:
  at_risk: false
  sex_trafficking: false
  labor_trafficking: false
  allegations: []
  csec_data_grid: null
  actions: [zqx_rule]
debrief: "{MARKERS["scenario"]} debrief."
cites: [acl-16-85#i-at-risk]
status: draft
""", encoding="utf-8")


# A change set of each state, each rewording one glossary definition with its own marker.
CHANGE_SETS = {"a-draft": ("draft", "2026-01-01", "nmd", "ZZMARKERDRAFT"),
               "b-in-review": ("in_review", "2026-01-01", "chafee", "ZZMARKERREVIEW"),
               "c-future": ("approved", "2999-01-01", "child-welfare-services", "ZZMARKERFUTURE"),
               "d-in-force": ("approved", "2026-01-01", "foreign-national-minor", "ZZMARKERINFORCE")}


def plant_change_sets(root: Path) -> None:
    for change_id, (status, effective, definition, marker) in CHANGE_SETS.items():
        folder = root / "changes" / change_id
        (folder / "content" / "policy").mkdir(parents=True)
        reviews = "reviews:\n  - {reviewer: Policy Lead, date: 2026-11-30, decision: approve}\n" \
            if status == "approved" else ""
        (folder / "change.yaml").write_text(
            f"title: {change_id}\nsummary: A clearer definition.\nkind: minor\neffective: {effective}\n"
            f"status: {status}\n{reviews}", encoding="utf-8")
        (folder / "content" / "policy" / "glossary.yaml").write_text(
            f"definitions:\n  - amends: {definition}\n    text: The definition as the change set words it ({marker}).\n",
            encoding="utf-8")


def _build(repo: Path, mode: str, out: Path) -> Path:
    run = subprocess.run([CSEC, "build", f"--{mode}", str(repo)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"{mode} build failed:\n{run.stdout}\n{run.stderr}"
    assert f"{mode} site built" in run.stdout
    shutil.copytree(repo / "_build" / ("preview" if mode == "preview" else "html"), out)
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory, repo_root) -> Path:
    repo = scratch_copy(repo_root, tmp_path_factory.mktemp("gate") / "repo")
    plant_drafts(repo)
    plant_change_sets(repo)
    run = subprocess.run([CSEC, "validate", str(repo)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return repo


@pytest.fixture(scope="module")
def sites(planted, tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("gate-sites")
    return {mode: _build(planted, mode, base / mode) for mode in ("publish", "preview")}


def _files_with(site: Path, needle: str) -> dict[str, list[str]]:
    """Every file under SITE whose bytes contain NEEDLE, with the kinds of marker found in it."""
    found: dict[str, list[str]] = {}
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        data = file.read_bytes()
        if needle.encode() in data:
            found[file.relative_to(site).as_posix()] = sorted(set(re.findall(rf"{MARK}-([a-z_]+)-7731",
                                                                              data.decode("utf-8", "replace"))))
    return found


def test_the_planted_drafts_validate_and_only_a_preview_assessment_applies_the_draft_rule(planted):
    """`csec assess` answers as the published site does (the draft rule is not applied); `--preview` applies it."""
    facts = planted / "facts.yaml"
    facts.write_text("facts: {age: 15, zqx_fact: true}\n", encoding="utf-8")
    for extra, applied in (((), False), (("--preview",), True)):
        run = subprocess.run([CSEC, "assess", str(facts), "--json", "--root", str(planted), *extra],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        answer = json.loads(run.stdout)
        assert ("zqx_rule" in [a["id"] for a in answer["actions"]]) == applied, answer
        assert answer["rules_as_of"] == ("preview" if applied else "published")


def test_no_marker_anywhere_in_the_published_site(sites):
    site = sites["publish"]
    assert (site / "searchindex.js").is_file() and list(site.rglob("*.json"))
    assert _files_with(site, MARK) == {}


def test_the_preview_shows_every_draft_with_its_badge(sites):
    found = _files_with(sites["preview"], MARK)
    kinds = {kind for kinds in found.values() for kind in kinds}
    assert kinds == set(MARKERS), f"missing from the preview: {set(MARKERS) - kinds}"
    for kind, marker in MARKERS.items():
        pages = [p for p, kinds in found.items() if kind in kinds and p.endswith(".html")]
        assert pages, f"no preview page shows the draft {kind}"
        assert any(_badged(sites["preview"] / p, marker) for p in pages), f"the draft {kind} has no status badge"


def _badged(page: Path, marker: str, near: int = 400) -> bool:
    """The marker sits within NEAR characters of a draft status badge (the badge follows the item's heading)."""
    html = page.read_text(encoding="utf-8")
    badges = [b.start() for b in re.finditer(r'class="csec-status csec-status-draft"', html)]
    return any(abs(b - m.start()) <= near for m in re.finditer(re.escape(marker), html) for b in badges)


def _text(site: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                   if p.is_file() and p.suffix in (".html", ".js", ".json", ".txt"))


def test_the_published_site_shows_only_the_change_sets_in_force(sites):
    published, preview = _text(sites["publish"]), _text(sites["preview"])
    assert "ZZMARKERINFORCE" in published
    for marker in ("ZZMARKERDRAFT", "ZZMARKERREVIEW", "ZZMARKERFUTURE"):
        assert marker not in published, marker
    for _status, _effective, _definition, marker in CHANGE_SETS.values():
        assert marker in preview, marker
