"""The one Corpus the widgets share: found by walking up to the folder that holds content/, loaded once, cached.

Tests (or a notebook working on another checkout) pass a corpus explicitly, or install one with `use_corpus()`.
"""

from __future__ import annotations

from pathlib import Path

from csec.core.corpus import Corpus
from csec.core.site_view import for_site
from csec.load.loader import find_root
from csec.render import markup
from csec.training.corpus import loaded

_cache: dict[Path, Corpus] = {}
_installed: Corpus | None = None
_current: Corpus | None = None  # the corpus the last view was built from: markup reads rule numbers from it


def repo_root(start: str | Path | None = None) -> Path:
    """The folder holding content/ ($CSEC_ROOT, else found from the working directory); see csec.load.loader."""
    return find_root(start)


def get_corpus(corpus: Corpus | None = None) -> Corpus:
    """CORPUS when given; else the one installed with use_corpus(); else the repository's, loaded once."""
    global _current
    if corpus is None:
        corpus = _installed
    if corpus is None:
        root = repo_root()
        if root not in _cache:
            # Trainees see what the published site shows: approved content only (all of it in a preview build).
            _cache[root] = for_site(loaded(root))
        corpus = _cache[root]
    _current = corpus
    return corpus


def current() -> Corpus:
    """The corpus the views are being built from (markup renders `{csec-deadline}` roles from its rules)."""
    return _current if _current is not None else get_corpus()


def use_corpus(corpus: Corpus | None) -> None:
    """Make every widget created without an explicit corpus use CORPUS (None: back to the repository's)."""
    global _installed
    _installed = corpus


markup.use(current)  # the widgets' markup renders policy numbers from the corpus of the view being built
