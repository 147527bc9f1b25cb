"""The stale-training guard through the real CLI: `csec validate` flags vignettes and questions whose recorded
`written_against` digest no longer matches the rule they rely on, and `csec confirm` re-records it in place."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from _versions import (GROUP, REPO, edit, flipped_by_threshold, holder, questions_naming, raise_threshold, run,
                       scenarios, scratch)

ENTRY = re.compile(r'^\s+[a-z_]+/[a-z0-9][a-z0-9_.-]*: "[0-9a-f]{12}"$')
TITLE = "title: At risk of commercial sexual exploitation\n"  # the at-risk rule's title: an edit of words only
STALE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?:vignette|question) '(?P<id>[^']+)' "
                   r".*rules/at_risk")


def _key_line(path: Path, item_id: str) -> int:
    """The line of ITEM_ID's `written_against:` key, read from the file text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    # An item starts at its id (a county amendment's at `amends:`).
    start = next(i for i, l in enumerate(lines) if re.match(rf"^\s*(- )?(id|amends): {re.escape(item_id)}$", l))
    return next(i for i in range(start, len(lines)) if lines[i].strip() == "written_against:") + 1


def test_the_repository_is_confirmed_and_valid():
    done = run("validate")
    assert done.returncode == 0, done.stdout
    for sid, s in scenarios(REPO).items():
        assert s.get("written_against"), f"{sid} records nothing it was written against"
    assert "rules/at_risk" in scenarios(REPO)["dev-two-other-indicators"]["written_against"]


def test_raised_threshold_flags_the_training_written_against_it_until_confirmed(tmp_path):
    copy = scratch(tmp_path)
    raise_threshold(copy)
    # First the answers: the vignettes the new threshold takes out of the definition no longer match the rules ...
    flipped = flipped_by_threshold(REPO)
    assert flipped
    done = run("validate", copy)
    assert done.returncode == 1
    wrong = {line.split(":")[0] for line in done.stdout.splitlines() if "expected at_risk True" in line}
    assert wrong == {holder(REPO, sid, "expected") for sid in flipped}, done.stdout
    # ... so their author gives each the indicator its story now needs.
    indicators = yaml.safe_load((REPO / "content/policy/indicators.yaml").read_text())["indicators"]
    for sid in flipped:
        facts = scenarios(REPO)[sid]["facts"]
        unused = next(i["id"] for i in indicators if i["group"] == GROUP and i["id"] not in facts)
        edit(copy / f"content/scenarios/{sid}.yaml", "\nfacts:\n", f"\nfacts:\n  {unused}: true\n")
    # Then the records: every vignette and question written against the at-risk rule is named, at its
    # `written_against:` key.
    done = run("validate", copy)
    assert done.returncode == 1
    stale = [m.groupdict() for m in map(STALE.match, done.stdout.splitlines()) if m]
    flagged = {s["id"] for s in stale}
    recorded = {sid for sid, s in scenarios(REPO).items() if "rules/at_risk" in s.get("written_against", {})}
    assert "dev-two-other-indicators" in recorded and recorded <= flagged
    assert questions_naming(REPO, "at_risk") <= flagged
    for s in stale:
        assert int(s["line"]) == _key_line(copy / s["path"], s["id"]), s
    # One command re-confirms every record; nothing else in the files changes.
    before = {p: p.read_text(encoding="utf-8") for p in [*(copy / "content").rglob("*.yaml"),
                                                         *(copy / "counties").rglob("*.yaml")]}
    confirmed = run("confirm", "--all", "--root", copy)
    assert confirmed.returncode == 0, confirmed.stderr
    where = holder(REPO, "dev-two-other-indicators", "written_against")
    assert f"{where}: confirmed dev-two-other-indicators" in confirmed.stdout
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        for line in difflib.ndiff(text.splitlines(), after.splitlines()):
            if line[:2] in ("- ", "+ "):
                assert ENTRY.match(line[2:]), f"{path}: confirm changed {line!r}"
    again = run("validate", copy)
    assert again.returncode == 0, again.stdout


def test_confirm_one_item_and_unknown_ids(tmp_path):
    copy = scratch(tmp_path)
    edit(copy / "content/policy/rules.yaml", TITLE, TITLE.replace("exploitation", "exploitation (CSE)"))
    done = run("confirm", "maya-one-strong-indicator", "--root", copy)
    where = holder(REPO, "maya-one-strong-indicator", "written_against")
    assert done.returncode == 0 and done.stdout.splitlines()[0] == (
        f"{where}: confirmed maya-one-strong-indicator"), done.stdout
    stale = run("validate", copy).stdout
    assert "'maya-one-strong-indicator'" not in stale and "'dev-two-other-indicators' was written against" in stale
    bad = run("confirm", "no-such-vignette", "--root", copy)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "no-such-vignette" in bad.stderr
    assert run("confirm", "--root", copy).returncode == 2  # neither ids nor --all


def _cut_block(path: Path, item_id: str) -> str:
    """Remove ITEM_ID's written_against block from the file text; return the original text."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = _key_line(path, item_id) - 1
    end = start + 1
    while end < len(lines) and ENTRY.match(lines[end].rstrip("\n")):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    return text


def test_confirm_writes_a_missing_block_back_byte_for_byte(tmp_path):
    copy = scratch(tmp_path)
    cases = [(holder(REPO, "dev-two-other-indicators", "written_against"), "dev-two-other-indicators"),
             ("content/questions/csec-101.yaml", "q101-05")]
    for path, item_id in cases:
        original = _cut_block(copy / path, item_id)
        done = run("confirm", item_id, "--root", copy)
        assert done.returncode == 0, done.stderr
        assert (copy / path).read_text(encoding="utf-8") == original
    nothing = run("confirm", "--all", "--root", copy)
    assert nothing.stdout.strip().splitlines()[-1] == "0 written_against blocks updated"


def test_a_record_naming_a_rule_that_changed_is_flagged_with_both_digests(tmp_path):
    copy = scratch(tmp_path)
    recorded = scenarios(REPO)["dev-two-other-indicators"]["written_against"]["rules/at_risk"]
    edit(copy / "content/policy/rules.yaml", TITLE, TITLE.replace("exploitation", "exploitation (CSE)"))
    out = run("validate", copy).stdout
    line = next(l for l in out.splitlines() if "dev-two-other-indicators' was written against rules/at_risk" in l)
    assert f"rules/at_risk {recorded}, which has changed" in line
    assert "csec confirm dev-two-other-indicators" in line
