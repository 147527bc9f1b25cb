"""The first line is the cause: when a content file cannot be read, `csec validate` prints its problem first and
does not bury it under the references into that file that therefore dangle (at most one note counts them).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from csec_cli import copy_layers

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"


def _plant_duplicate(file: Path, item_key: str, key: str) -> int:
    """Repeat KEY inside the first item whose line matches ITEM_KEY; returns the 1-based line of the repeat."""
    lines = file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if re.match(item_key, line))
    lines.insert(at + 1, f"    {key}: repeated-on-purpose")
    file.write_text("\n".join(lines), encoding="utf-8")
    return at + 2


@pytest.mark.parametrize("name, item_key, key", [
    ("glossary.yaml", r"^    term: ", "term"),
    ("sources.yaml", r"^  - id: ", "id"),
])
def test_an_unreadable_file_is_reported_first_without_its_cascade(tmp_path, name, item_key, key):
    root = tmp_path / "repo"
    copy_layers(root)
    line = _plant_duplicate(root / "content" / "policy" / name, item_key, key)
    result = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"content/policy/{name}:{line}:5: duplicate key '{key}'"), result.stdout[:2000]
    assert len(lines) <= 2, f"the cause is buried under {len(lines) - 1} more lines:\n{result.stdout[:3000]}"
    if len(lines) == 2:
        assert "note:" in lines[1] and "not checked" in lines[1] and name in lines[1], lines[1]
    assert "1 problem found" in result.stderr


def test_a_dangling_reference_unrelated_to_the_unreadable_file_is_still_reported(tmp_path):
    """The note swallows only references to what the unreadable file names, not every reference of its kind."""
    root = tmp_path / "repo"
    copy_layers(root)
    _plant_duplicate(root / "content" / "policy" / "glossary.yaml", r"^    term: ", "term")
    extra = root / "content" / "policy" / "zz-extra.yaml"
    cite = re.search(r"^  - id: (\S+)", (root / "content/policy/sources.yaml").read_text(encoding="utf-8"), re.M)[1]
    extra.write_text(f"red_flags:\n  - id: zz-extra\n    cites: [{cite}]\n    status: approved\n    types: [csec]\n"
                     "    text: See {term}`zz-never-defined-anywhere`.\n", encoding="utf-8")
    result = subprocess.run([str(CSEC), "validate", str(root)], capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("content/policy/glossary.yaml:")
    assert any(line.startswith("content/policy/zz-extra.yaml:6:") and "zz-never-defined-anywhere" in line
               for line in lines), result.stdout[:3000]
