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


def copy_layers(dest: Path, ignore=None) -> None:
    """Copy the content the loader reads by default: content/, the county overlays and csec.yaml choosing one."""
    shutil.copytree(REPO / "content", dest / "content", ignore=ignore)
    shutil.copytree(REPO / "counties", dest / "counties", ignore=ignore)
    shutil.copy(REPO / "csec.yaml", dest / "csec.yaml")


def content_copy(tmp_path: Path) -> Path:
    """A repository root in TMP_PATH holding a copy of the content (statewide, county overlays, csec.yaml) only."""
    copy_layers(tmp_path)
    return tmp_path
