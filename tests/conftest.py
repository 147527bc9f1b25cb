"""Shared fixtures: the repository root and its content corpus, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    # CSEC_ROOT lets a developer run the suite against another checkout's content; CI uses this repository.
    return Path(os.environ.get("CSEC_ROOT", REPO))


@pytest.fixture(scope="session")
def corpus(repo_root):
    from csec.content import load

    return load(repo_root)
