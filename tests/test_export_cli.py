"""`csec export` as a command: each problem is one line with no traceback, and the output folder is replaced whole
or not at all, so a failed export never leaves a half-written folder for someone to upload."""

from __future__ import annotations


import pytest

from _exports import REPO, export
from csec_cli import copy_layers

_TOO_MANY_WRONG = """
questions:
  - id: zz-too-many-wrong
    module: labor-trafficking
    kind: multiple
    stem: Which one of these is right?
    choices:
      - {text: 'Right', correct: true, feedback: 'Yes.'}
""" + "".join(f"      - {{text: 'Wrong {letter}', correct: false, feedback: 'No.'}}\n" for letter in "abcdefghijk") + """
    cites: [acl-16-85#i-at-risk]
    status: approved
"""


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def bad_root(tmp_path):
    """Valid content the GIFT writer must refuse late: Moodle has no -1/11 grade, and the module is written last."""
    root = tmp_path / "root"
    copy_layers(root)
    (root / "content" / "questions" / "zz-too-many.yaml").write_text(_TOO_MANY_WRONG, encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_a_failed_export_leaves_the_previous_one_untouched(tmp_path, bad_root, fmt):
    out = tmp_path / "exports" / "lms"
    assert export(fmt, out).returncode == 0
    before = _tree(out)
    result = export(fmt, out, bad_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "zz-too-many-wrong" in lines[0] and "Traceback" not in result.stderr
    assert _tree(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["lms"]  # no temporary folder left beside it


def test_a_second_export_replaces_its_own_format_and_keeps_the_others(tmp_path):
    out = tmp_path / "lms"
    assert export("scorm", out).returncode == 0
    zips = {name: body for name, body in _tree(out).items() if name.endswith(".zip")}
    assert export("gift", out).returncode == 0
    (out / "stale.gift").write_text("from an older export")
    assert export("gift", out).returncode == 0
    # The GIFT files are replaced whole (the stale one goes); the SCORM packages already there stay, byte for byte.
    tree = _tree(out)
    assert sorted(name for name in tree if name != ".csec-export") == [
        "csec-101.gift", "csec-101.zip", "csec-102.gift", "csec-102.zip", "labor-trafficking.gift",
        "labor-trafficking.zip"]
    assert {name: body for name, body in tree.items() if name.endswith(".zip")} == zips


def test_a_folder_it_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "someone-elses"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = export("gift", out)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not written by csec export" in result.stderr
    assert _tree(out) == {"notes.txt": b"keep me"}


def test_content_errors_are_reported_path_first_and_nothing_is_written(tmp_path):
    root = tmp_path / "root"
    copy_layers(root)
    (root / "content" / "questions" / "zz-broken.yaml").write_text("questions:\n  - id: [unclosed\n")
    result = export("moodle-xml", tmp_path / "out", root)
    assert result.returncode == 1
    assert result.stderr.startswith("content/questions/zz-broken.yaml:") and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
