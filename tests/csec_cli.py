"""Running the real `csec` console script from tests, and a scratch copy of the repository's content to edit."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"


def run_csec(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CSEC), *args], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


# A self-consistent approved vignette for tests to plant (`{id}`, `{module}` and `{cite}` to fill with str.format),
# ending at its `narrative: |-` line (line 12): the narrative's first line is line 13 of the file.
PLANTED_VIGNETTE = """\
id: {id}
title: Planted vignette
module: {module}
fictional: true
cites: [{cite}]
status: approved
summary: A planted vignette.
facts: {{age: 15}}
expected: {{at_risk: false, sex_trafficking: false, labor_trafficking: false, allegations: [],
           csec_data_grid: null, actions: []}}
debrief: Nothing.
narrative: |-
"""


def png() -> bytes:
    """A real one-pixel PNG image, built by the PNG specification's recipe (not copied from anything csec writes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def copy_layers(dest: Path, ignore=None) -> None:
    """Copy the content the loader reads by default: content/, the county overlays and csec.yaml choosing one."""
    shutil.copytree(REPO / "content", dest / "content", ignore=ignore)
    shutil.copytree(REPO / "counties", dest / "counties", ignore=ignore)
    shutil.copy(REPO / "csec.yaml", dest / "csec.yaml")


def content_copy(tmp_path: Path) -> Path:
    """A repository root in TMP_PATH holding a copy of the content (statewide, county overlays, csec.yaml) only."""
    copy_layers(tmp_path)
    return tmp_path
