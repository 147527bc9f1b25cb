"""The one Corpus the widgets share: found by walking up to the folder that holds content/, loaded once, cached.

Tests (or a notebook working on another checkout) pass a corpus explicitly, or install one with `use_corpus()`.
"""

from __future__ import annotations

import os
from pathlib import Path

from csec.content import Corpus, load

_cache: dict[Path, Corpus] = {}
_installed: Corpus | None = None


def repo_root(start: str | Path | None = None) -> Path:
    """The folder holding content/: $CSEC_ROOT if set, else the nearest one at or above START (default: the
    working directory), else the one above this package (an editable install run from anywhere)."""
    if os.environ.get("CSEC_ROOT"):
        return Path(os.environ["CSEC_ROOT"]).resolve()
    for origin in (Path(start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
        for folder in (origin, *origin.parents):
            if (folder / "content").is_dir():
                return folder
    raise FileNotFoundError("no content/ folder found above the working directory or the widgets package; "
                            "run from inside the kit's repository or set CSEC_ROOT")


def get_corpus(corpus: Corpus | None = None) -> Corpus:
    """CORPUS when given; else the one installed with use_corpus(); else the repository's, loaded once."""
    if corpus is not None:
        return corpus
    if _installed is not None:
        return _installed
    root = repo_root()
    if root not in _cache:
        _cache[root] = load(root)
    return _cache[root]


def use_corpus(corpus: Corpus | None) -> None:
    """Make every widget created without an explicit corpus use CORPUS (None: back to the repository's)."""
    global _installed
    _installed = corpus
