"""Running the real `csec` console script from tests, and a scratch copy of the repository's content to edit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"


def run_csec(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), *args], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def content_copy(tmp_path: Path) -> Path:
    """A repository root in TMP_PATH holding a copy of content/ (and nothing else)."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path
