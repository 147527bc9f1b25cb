"""`csec validate` refuses what would publish unapproved content or depend on it: an approved item that shows, links
to, generates from or depends on an unapproved one; a {term} role naming a draft or unknown definition (in content
or in a book page); a glossary term or alias that two definitions share. Each through the real CLI, on a scratch
copy of the repository's content edited one way per test."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from _versions import scratch

CSEC = str(Path(sys.executable).with_name("csec"))


@pytest.fixture()
def repo(tmp_path, repo_root) -> Path:
    return scratch(tmp_path)  # content, county layers, csec.yaml and pages


def validate(repo: Path) -> tuple[int, list[str]]:
    run = subprocess.run([CSEC, "validate", str(repo)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in run.stdout + run.stderr
    return run.returncode, run.stdout.splitlines()


def where(path: Path, pattern: str, after: str | None = None, group: int = 0) -> str:
    """'rel/path:line:col' of the first match of PATTERN in PATH (after the first match of AFTER, if given),
    found in the file's text: independent of the loader's own position tracking."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    match = re.compile(pattern, re.M).search(text, start)
    assert match, pattern
    index = match.start(group)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{path.relative_to(path.parents[2] if 'content' in path.parts else path.parents[1]).as_posix()}:{line}:{col}"


def set_status(path: Path, item_id: str, status: str) -> None:
    """Change the status of the item whose `id:` is ITEM_ID (its first `status:` line after the id)."""
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^\s*-?\s*id: {re.escape(item_id)}\s*(#.*)?$", text, re.M).end()
    match = re.compile(r"^(\s*)status: approved\s*$", re.M).search(text, start)
    text = text[:match.start()] + f"{match.group(1)}status: {status}" + text[match.end():]
    path.write_text(text, encoding="utf-8")


def test_the_repository_content_passes(repo):
    status, lines = validate(repo)
    assert status == 0 and lines[-1].startswith("ok: "), lines


def test_an_approved_rule_referring_to_a_draft_rule_names_both_places(repo):
    rules = repo / "content" / "policy" / "rules.yaml"
    set_status(rules, "minor", "draft")
    status, lines = validate(repo)
    referring = where(rules, r"\{rule: (minor)\}", after="id: sex_trafficking", group=1)
    target = where(rules, r"(id): minor$", group=1)
    assert status == 1
    assert any(line.startswith(f"{referring}: approved rule 'sex_trafficking' depends on draft rule 'minor' "
                               f"({target})") for line in lines), lines


def test_the_at_risk_rule_depends_on_every_indicator_of_the_groups_it_counts(repo):
    set_status(repo / "content" / "policy" / "indicators.yaml", "frequent_truancy", "in_review")
    status, lines = validate(repo)
    assert status == 1
    assert any("approved rule 'at_risk' depends on in review indicator 'frequent_truancy'" in line
               and line.startswith("content/policy/rules.yaml:") for line in lines), lines


def test_an_approved_vignette_listing_a_draft_red_flag(repo):
    set_status(repo / "content" / "policy" / "red-flags.yaml", "rf-attachment-to-cell-phones", "draft")
    status, lines = validate(repo)
    scenario = repo / "content" / "scenarios" / "maya-one-strong-indicator.yaml"
    referring = where(scenario, r"rf-attachment-to-cell-phones", after="red_flags_present")
    assert status == 1
    assert any(line.startswith(f"{referring}: approved scenario 'maya-one-strong-indicator' depends on draft red flag "
                               "'rf-attachment-to-cell-phones' (content/policy/red-flags.yaml:") for line in lines), lines


def test_an_approved_module_listing_a_draft_vignette(repo):
    set_status(repo / "content" / "scenarios" / "lena-online-behavior.yaml", "lena-online-behavior", "draft")
    status, lines = validate(repo)
    assert status == 1
    assert any(line.startswith("content/questions/modules.yaml:") and "approved module 'csec-101' depends on draft "
               "scenario 'lena-online-behavior' (content/scenarios/lena-online-behavior.yaml:1:1)" in line
               for line in lines), lines


def test_approved_prose_using_a_draft_definition_is_refused_at_the_term(repo):
    glossary = repo / "content" / "policy" / "glossary.yaml"
    set_status(glossary, "children-receiving-cws", "draft")
    status, lines = validate(repo)
    assert status == 1
    errors = [line for line in lines if "depends on draft definition 'children-receiving-cws'" in line]
    assert any(line.startswith("content/policy/acl-16-85.yaml:") and "approved section" in line for line in errors)
    assert any(line.startswith("content/policy/glossary.yaml:") and "approved definition" in line for line in errors)


def test_a_draft_item_may_depend_on_anything(repo):
    rules = repo / "content" / "policy" / "rules.yaml"
    set_status(rules, "minor", "draft")
    for rule in ("sex_trafficking",):
        set_status(rules, rule, "draft")
    status, lines = validate(repo)
    assert not any("approved rule 'sex_trafficking'" in line for line in lines), lines
    # What depends on sex_trafficking in turn is now refused instead.
    assert any("depends on draft rule 'sex_trafficking'" in line for line in lines), lines


def test_a_question_generated_from_a_draft_rule_is_not_approved(repo):
    from csec.training.corpus import checked

    rules = repo / "content" / "policy" / "rules.yaml"
    with rules.open("a", encoding="utf-8") as f:
        f.write("""
  - id: draft_deadline_rule
    kind: action
    order: 99
    title: A planted draft duty
    text: Do the planted thing.
    when: {fact: age, gt: 90}
    within_hours: 7
    cites: [acl-16-85#v]
    status: draft
""")
    corpus = checked(repo)
    generated = [q for q in corpus.questions.values() if q.generated_from == "draft_deadline_rule"]
    assert generated and all(q.status == "draft" for q in generated)
    assert all(q.status == corpus.rules[q.generated_from].status for q in corpus.questions.values()
               if q.generated_from)


def test_a_book_page_term_must_name_an_approved_definition(repo):
    page = repo / "book" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee {term}`no such thing` and {term}`NMD <nmd>`.\n",
                    encoding="utf-8")
    set_status(repo / "content" / "policy" / "glossary.yaml", "nmd", "draft")
    status, lines = validate(repo)
    unknown = where(page, r"\{term\}`no such thing`")
    draft = where(page, r"\{term\}`NMD <nmd>`")
    assert status == 1
    assert any(line.startswith(f"{unknown}: unknown glossary term 'no such thing'") for line in lines), lines
    assert any(line.startswith(f"{draft}:") and "depends on draft definition 'nmd'" in line for line in lines), lines


@pytest.mark.parametrize("name", ["ＣＳＥＣ", "csec", "Nonminor Dependent (nmd)", "ﬁctional-ﬁxture-term"])
def test_a_glossary_name_two_definitions_share_is_refused_at_its_line(repo, name):
    glossary = repo / "content" / "policy" / "glossary.yaml"
    extra = "" if name != "ﬁctional-ﬁxture-term" else "fictional-fixture-term"
    with glossary.open("a", encoding="utf-8") as f:
        f.write(f"""
  - id: zz-first
    term: Zz first
    aliases: [{extra or 'zz first alias'}]
    text: A planted definition.
    cites: [acl-16-85]
    status: approved
  - id: zz-duplicate
    term: Zz duplicate
    aliases: ["{name}"]
    text: A planted definition.
    cites: [acl-16-85]
    status: approved
""")
    status, lines = validate(repo)
    line = where(glossary, re.escape(f'"{name}"'), after="id: zz-duplicate")
    assert status == 1
    assert any(entry.startswith(f"{line}: glossary name {name!r} is already a term or alias of definition")
               for entry in lines), lines
