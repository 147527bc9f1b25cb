"""`csec validate` end to end: the good fixture passes with the right counts, each bad file yields its one expected
`path:line:col: message` line, problems are collected across files, and the loader reads only content/ and never
writes. Runs the real console script, as an author would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
LINE = re.compile(r"^(content/.+?):(\d+):(\d+): (.+)$")
TIMEOUT = 15  # seconds; a validation that hangs (alias expansion, runaway nesting) fails instead of stalling CI

# Policy kinds the good fixture must hold at least one of (rules, scenarios, questions and modules belong to the
# engine's and the trainers' fixtures).
POLICY_KINDS = ("sources", "definitions", "indicator_groups", "indicators", "red_flags", "exploitation_categories",
                "cwscms_codes", "sections", "question_sets", "facts")


def _too_large() -> bytes:
    body = (GOOD / "content" / "policy" / "glossary.yaml").read_bytes()
    filler = b"# padding to exceed the size limit" + b"." * 64 + b"\n"
    target = 1_000_001
    data = body + filler * ((target - len(body)) // len(filler) + 1)
    return data[: target - 1] + b"\n"


def _deep_nesting_huge() -> bytes:
    return b"definitions: " + b"[" * 200_000 + b"]" * 200_000 + b"\n"


GENERATED = {"too_large.yaml": _too_large, "deep_nesting_huge.yaml": _deep_nesting_huge}


def bad_bytes(name: str) -> bytes:
    if EXPECTED[name].get("generated"):
        return GENERATED[name]()
    return (BAD / name).read_bytes()


def run_validate(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, timeout=TIMEOUT, cwd=REPO,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def copy_good(dest: Path) -> Path:
    shutil.copytree(GOOD, dest)
    return dest


def count_items(root: Path) -> dict[str, int]:
    """Items per kind, counted straight from the YAML with PyYAML (independently of csec's loader)."""
    counts: dict[str, int] = {}
    content = root / "content"
    for file in sorted(content.rglob("*")):
        if file.suffix not in (".yaml", ".yml") or not file.is_file():
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if "scenarios" in file.relative_to(content).parts[:1]:
            counts["scenarios"] = counts.get("scenarios", 0) + 1
            continue
        for kind, items in data.items():
            counts[kind] = counts.get(kind, 0) + len(items)
            if kind == "question_sets":
                counts["investigative_questions"] = (counts.get("investigative_questions", 0)
                                                     + sum(len(s["questions"]) for s in items))
    return counts


def parse_summary(stdout: str) -> dict[str, int]:
    lines = stdout.strip().splitlines()
    assert lines, "no output"
    last = lines[-1]
    assert re.fullmatch(r"ok: \d+ [a-z_]+(, \d+ [a-z_]+)*", last), last
    return {kind: int(n) for n, kind in re.findall(r"(\d+) ([a-z_]+)", last)}


# --- the good fixture ---------------------------------------------------------------------------------------

def test_good_fixture_holds_every_policy_kind():
    counts = count_items(GOOD)
    missing = [kind for kind in POLICY_KINDS if counts.get(kind, 0) < 1]
    assert not missing, f"the good fixture has no {missing}"


def test_good_fixture_validates_with_counts_matching_the_yaml(tmp_path):
    root = copy_good(tmp_path / "repo")
    result = run_validate(root)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = parse_summary(result.stdout)
    counts = count_items(root)
    assert set(counts) <= set(summary), f"summary {summary} does not report {set(counts) - set(summary)}"
    for kind, n in summary.items():
        assert n == counts.get(kind, 0), f"{kind}: summary says {n}, the fixture YAML holds {counts.get(kind, 0)}"


# --- the bad files ------------------------------------------------------------------------------------------

def test_every_bad_file_has_an_expectation_and_vice_versa():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    listed = {name for name, exp in EXPECTED.items() if not exp.get("generated")}
    assert files == listed, f"files without expectations: {files - listed}; expectations without files: " \
                            f"{listed - files}"
    assert {name for name, exp in EXPECTED.items() if exp.get("generated")} == set(GENERATED)
    assert len(EXPECTED) >= 24
    for name, exp in EXPECTED.items():
        assert {"line", "col", "message_contains"} <= set(exp), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_its_one_expected_error(tmp_path, name):
    expected = EXPECTED[name]
    root = copy_good(tmp_path / "repo")
    (root / "content" / "policy" / name).write_bytes(bad_bytes(name))
    result = run_validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"expected exactly one problem line, got:\n{result.stdout}"
    match = LINE.match(lines[0])
    assert match, f"not a `path:line:col: message` line: {lines[0]!r}"
    path, line, col, message = match.groups()
    assert path == f"content/policy/{name}"
    assert (int(line), int(col)) == (expected["line"], expected["col"]), lines[0]
    assert expected["message_contains"] in message, lines[0]


def test_all_bad_files_at_once_are_all_reported(tmp_path):
    """Collect-all: every problem in every file, one line each, sorted by path, and one failing exit."""
    root = copy_good(tmp_path / "repo")
    for name in EXPECTED:
        (root / "content" / "policy" / name).write_bytes(bad_bytes(name))
    result = run_validate(root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    by_path = {}
    for text in lines:
        match = LINE.match(text)
        assert match, f"not a `path:line:col: message` line: {text!r}"
        by_path.setdefault(match.group(1), []).append((int(match.group(2)), int(match.group(3)), match.group(4)))
    assert sorted(by_path) == sorted(f"content/policy/{name}" for name in EXPECTED), result.stdout
    for name, expected in EXPECTED.items():
        problems = by_path[f"content/policy/{name}"]
        assert len(problems) == 1, problems
        line, col, message = problems[0]
        assert (line, col) == (expected["line"], expected["col"]), (name, problems)
        assert expected["message_contains"] in message, (name, message)
    # Files that cannot be read come first (their problem is often the cause of what follows), then the rest; each
    # run is sorted by path, line and column.
    position = [(t.split(":")[0], int(t.split(":")[1]), int(t.split(":")[2])) for t in lines]
    unreadable = [f"content/policy/{name}" for name, exp in EXPECTED.items() if exp.get("unreadable")]
    first = len(unreadable)
    assert len(unreadable) >= 10
    assert sorted(p[0] for p in position[:first]) == sorted(unreadable), result.stdout
    assert position[:first] == sorted(position[:first]) and position[first:] == sorted(position[first:])
    assert f"{len(lines)} problems found" in result.stderr


def test_missing_content_folder_is_an_error_not_a_crash(tmp_path):
    result = run_validate(tmp_path)
    assert result.returncode == 1
    assert "no content/ folder" in result.stdout


# --- the loader reads only content/ and writes nothing ------------------------------------------------------

def _snapshot(root: Path) -> dict[str, tuple]:
    return {p.relative_to(root).as_posix(): (p.is_dir(), p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in sorted(root.rglob("*"))}


def test_files_outside_content_do_not_affect_validation(tmp_path):
    root = copy_good(tmp_path / "repo")
    clean = run_validate(root)
    assert clean.returncode == 0
    junk = b"definitions: [[[ {unclosed\n\x00\xff not yaml at all\n"
    for rel in ("broken.yaml", "book/page.yaml", "_build/html/data.yaml", "content/notes.yaml",
                "content/policy/README.md", "content/policy/glossary.yaml.orig", "content/policy/glossary.yaml~",
                "tests/fixtures/bad/x.yaml", ".ci/config.yml"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(junk)
    polluted = run_validate(root)
    assert polluted.returncode == 0, polluted.stdout
    assert polluted.stdout == clean.stdout


def test_the_loader_never_writes_a_file(tmp_path):
    """In process, an audit hook sees every open/rename/remove: checked() must only ever read."""
    from csec.training.corpus import checked
    from csec.core.errors import ContentErrors

    root = copy_good(tmp_path / "repo")
    (root / "content" / "policy" / "bad_enum.yaml").write_bytes((BAD / "bad_enum.yaml").read_bytes())
    before = _snapshot(root)
    writes: list[tuple] = []
    state = {"on": False}
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    mutating = {"os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.symlink",
                "os.link", "os.chmod", "os.utime", "shutil.copyfile", "shutil.rmtree", "shutil.move"}

    def hook(event: str, args: tuple) -> None:
        if not state["on"]:
            return
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if str(path).endswith(".pyc") or "__pycache__" in str(path):
                return  # the interpreter caching bytecode, not the loader
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and flags & write_flags):
                writes.append((event, path, mode, flags))
        elif event in mutating:
            writes.append((event, *args))

    sys.addaudithook(hook)  # hooks cannot be removed; the flag keeps this one inert outside the test
    try:
        state["on"] = True
        with pytest.raises(ContentErrors):  # the failing path
            checked(root)
        state["on"] = False
        assert _snapshot(root) == before
        (root / "content" / "policy" / "bad_enum.yaml").unlink()
        before = _snapshot(root)
        state["on"] = True
        corpus = checked(root)  # the passing path
    finally:
        state["on"] = False
    assert corpus.counts()["definitions"] == count_items(root)["definitions"]
    assert writes == [], writes
    assert _snapshot(root) == before

    # The hook is live: the same test would catch a loader that wrote.
    state["on"] = True
    try:
        (root / "probe.txt").write_text("x")
    finally:
        state["on"] = False
    assert writes and str(writes[0][1]).endswith("probe.txt")


# --- the real repository ------------------------------------------------------------------------------------

def test_the_repository_content_validates():
    """Fails until the content authors have finished: the real corpus must validate, with the 8 ACL indicators."""
    result = run_validate(REPO)
    assert result.returncode == 0, result.stdout[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    match = re.match(r"^ok: (\d+) sources, (\d+) definitions, (\d+) indicators, (\d+) red_flags\b", last)
    assert match, last
    sources, definitions, indicators, red_flags = map(int, match.groups())
    assert indicators == 8, last
    assert sources > 0 and definitions > 0 and red_flags > 0, last
