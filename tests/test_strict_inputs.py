"""Strict values and safe inputs, through the real console script: numbers only in plain decimal, ages a person can
have, `csec assess` input that is binary, not UTF-8 or huge (stdin too), short printable error lines, and pipes,
folders and dangling links named like content files or book pages: each one line and a failing exit, never a hang
(every run has a timeout), a traceback or a silent skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from csec_cli import copy_layers

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
TIMEOUT = 30  # seconds: a hang (reading a named pipe) fails the test instead of stalling it


def csec(*args: str, stdin: bytes | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), *args], input=stdin, capture_output=True, timeout=TIMEOUT, cwd=cwd,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def assess(facts_yaml: bytes, tmp_path: Path, *, via_stdin: bool = False) -> subprocess.CompletedProcess:
    if via_stdin:
        return csec("assess", "-", "--root", str(REPO), stdin=facts_yaml)
    file = tmp_path / "facts.yaml"
    file.write_bytes(facts_yaml)
    return csec("assess", str(file), "--root", str(REPO))


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    copy_layers(root)
    return root


# --- numbers ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["024", "0x11", "1_7", "1:30"])
def test_a_number_not_in_plain_decimal_is_refused_by_assess(tmp_path, value):
    result = assess(f"facts:\n  age: {value}\n".encode(), tmp_path)
    assert result.returncode == 2, result.stdout
    line = one_line(result)
    assert f":2:8: '{value}'" in line and "decimal" in line, line


def test_a_number_not_in_plain_decimal_is_refused_in_content(tmp_path):
    root = content_copy(tmp_path)
    (root / "content/policy/zz-number.yaml").write_text(
        "sections:\n  - id: zz-number\n    cites: [acl-16-85]\n    status: approved\n    title: T\n    order: 0x11\n",
        encoding="utf-8")
    result = csec("validate", str(root))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("content/policy/zz-number.yaml:6:12: '0x11' is not a plain "
                                                    "decimal number"), result.stdout


def test_plain_decimals_still_read_as_numbers(tmp_path):
    result = assess(b"facts:\n  age: 15\n  runaway_or_unstable_housing: true\n", tmp_path)
    assert result.returncode == 0, result.stderr


# --- ages a person can have -------------------------------------------------------------------------------------

@pytest.mark.parametrize("age", [-1, 131, 1700])
def test_assess_refuses_an_age_outside_0_to_130(tmp_path, age):
    result = assess(f"facts:\n  age: {age}\n".encode(), tmp_path)
    assert result.returncode == 2
    line = one_line(result)
    assert "'age'" in line and str(age) in line, line


@pytest.mark.parametrize("age", [0, 130])
def test_assess_accepts_the_ends_of_the_age_range(tmp_path, age):
    assert assess(f"facts:\n  age: {age}\n".encode(), tmp_path).returncode == 0


def test_validate_refuses_a_scenario_age_outside_0_to_130(tmp_path):
    root = content_copy(tmp_path)
    scenario = next(p for p in sorted((root / "content/scenarios").glob("*.yaml"))
                    if re.search(r"^\s+age: \d+\s*$", p.read_text(encoding="utf-8"), re.M))
    lines = scenario.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if re.match(r"^\s+age: \d+\s*$", line))
    lines[at] = re.sub(r"\d+", "131", lines[at])
    scenario.write_text("\n".join(lines), encoding="utf-8")
    result = csec("validate", str(root))
    assert result.returncode == 1
    where = f"content/scenarios/{scenario.name}:{at + 1}:{lines[at].index('131') + 1}: "
    assert any(line.startswith(where) and "'age'" in line and "131" in line for line in result.stdout.splitlines()), \
        result.stdout


# --- what csec assess reads -------------------------------------------------------------------------------------

@pytest.mark.parametrize("via_stdin", [False, True], ids=["file", "stdin"])
@pytest.mark.parametrize("data, says", [
    (b"facts:\n  age: 15\n" + b"# padding\n" * 150_000, "too large"),
    (b"facts:\n  age: \x00\x01\x02\xff\xfe\n", "NUL bytes"),
    (b"facts:\n  age: 15 # caf\xe9\n", "not valid UTF-8"),
    (bytes(range(256)) * 8, "NUL bytes"),
], ids=["1.5MB", "binary", "latin-1", "all-bytes"])
def test_assess_turns_unreadable_input_into_one_line(tmp_path, data, says, via_stdin):
    result = assess(data, tmp_path, via_stdin=via_stdin)
    assert result.returncode == 2
    line = one_line(result)
    assert says in line, line
    assert line.startswith("<stdin>:" if via_stdin else str(tmp_path / "facts.yaml") + ":"), line


def test_assess_refuses_a_folder(tmp_path):
    (tmp_path / "facts.yaml").mkdir()
    result = csec("assess", str(tmp_path / "facts.yaml"), "--root", str(REPO))
    assert result.returncode == 2
    assert "folder" in one_line(result)


def test_an_unknown_fact_with_a_huge_name_stays_one_bounded_line(tmp_path):
    result = assess(b"facts:\n  " + b"x" * 5000 + b": true\n", tmp_path)
    assert result.returncode == 2
    assert len(one_line(result)) <= 1000


# --- validate's lines: short and printable ----------------------------------------------------------------------

def test_error_lines_are_cut_and_control_characters_escaped(tmp_path):
    root = content_copy(tmp_path)
    deep = root / "content/policy" / ("d" * 200) / ("e" * 200)  # a path of 400+ characters
    deep.mkdir(parents=True)
    (deep / "long.yaml").write_text("k" * 5000 + ": []\n", encoding="utf-8")
    (root / "content/policy/bad\x1b[2Jname.yaml").write_text("definitions: [unclosed\n", encoding="utf-8")
    result = csec("validate", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout[:2000]
    assert all(len(line) <= 300 for line in lines), [len(line) for line in lines]
    assert "\x1b" not in result.stdout
    assert any(line.startswith("content/policy/bad\\x1b[2Jname.yaml:") for line in lines), lines


# --- pipes, folders and dangling links --------------------------------------------------------------------------

ODD_ENTRIES = {
    "fifo": (lambda p: os.mkfifo(p), "named pipe"),
    "folder": (lambda p: p.mkdir(), "folder"),
    "dangling symlink": (lambda p: p.symlink_to(p.parent / "no-such-target"), "symbolic link"),
}


@pytest.mark.parametrize("entry", sorted(ODD_ENTRIES))
@pytest.mark.parametrize("where", ["content/policy/odd.yaml", "content/scenarios/odd.yaml", "book/odd.md",
                                   "book/manual/odd.md"])
def test_validate_reports_an_odd_entry_in_one_line(tmp_path, entry, where):
    root = content_copy(tmp_path)
    shutil.copytree(REPO / "book", root / "book")
    make, says = ODD_ENTRIES[entry]
    make(root / where)
    result = csec("validate", str(root))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [line for line in result.stdout.splitlines() if line.startswith(where)]
    line, = result.stdout.splitlines()
    assert line.startswith(f"{where}:1:1: ") and says in line, line


@pytest.mark.parametrize("entry", sorted(ODD_ENTRIES))
def test_build_reports_an_odd_book_page_before_sphinx_runs(tmp_path, entry):
    root = content_copy(tmp_path)
    for name in ("book", "_config.yml", "_toc.yml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    make, says = ODD_ENTRIES[entry]
    make(root / "book" / "odd.md")
    result = csec("build", str(root), cwd=root)
    assert result.returncode == 1
    assert any(line.startswith("book/odd.md:1:1: ") and says in line for line in result.stdout.splitlines()), \
        result.stdout + result.stderr
    assert not (root / "_build" / "html").exists()
