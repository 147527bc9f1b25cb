"""Print the bytes a player page loads for `window.csec.assess`: the interpreter and its rules data (publish and
preview), raw and gzipped, as the site serves them.

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from csec.content import load  # noqa: E402
from csec.sphinx.player import DATA_FILE, INTERPRETER, data_script  # noqa: E402


def _row(name: str, data: bytes) -> str:
    return f"{name:<34} {len(data):>8,} B {len(gzip.compress(data, 9)):>8,} B gzipped"


def main() -> int:
    corpus = load(REPO)
    interpreter = (REPO / "csec" / "sphinx" / "static" / INTERPRETER).read_bytes()
    published = data_script(corpus, publish=True).encode()
    previewed = data_script(corpus, publish=False).encode()
    print(_row(INTERPRETER, interpreter))
    print(_row(f"{DATA_FILE} (publish)", published))
    print(_row(f"{DATA_FILE} (preview)", previewed))
    print(_row("total (publish)", interpreter + published))
    return 0


if __name__ == "__main__":
    sys.exit(main())
