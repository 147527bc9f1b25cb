"""Shared fixtures: the repository root and its content corpus, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the examples are derived from each test's source, so a run is repeatable; locally they vary and explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    # CSEC_ROOT lets a developer run the suite against another checkout's content; CI uses this repository.
    return Path(os.environ.get("CSEC_ROOT", REPO))


@pytest.fixture(scope="session")
def corpus(repo_root):
    from csec.training.corpus import checked

    return checked(repo_root)


# --- the built manual site (one strict build per mode per session; other test files reuse `built_site`) ---------

_NOT_COPIED = {".git", ".venv", "node_modules", "_build", ".pytest_cache", ".hypothesis", ".jupyter_cache",
               "progress", "__pycache__", ".ipynb_checkpoints"}


def scratch_copy(repo_root: Path, dest: Path) -> Path:
    """A copy of the repository at DEST to build or edit in; the checkout's own _build/ is never touched."""
    import shutil

    shutil.copytree(repo_root, dest, ignore=lambda d, names: [
        n for n in names if n in _NOT_COPIED or n.endswith(".egg-info")])
    if (repo_root / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(repo_root / "node_modules")  # the vendor files the site serves
    return dest


@pytest.fixture(scope="session")
def site_repo(tmp_path_factory, repo_root) -> Path:
    """A scratch copy of the repository the site tests build in."""
    return scratch_copy(repo_root, tmp_path_factory.mktemp("site") / "repo")


def _build_site(site_repo: Path, out: Path, preview: bool) -> Path:
    import shutil

    from csec.site.build import build

    status = build(site_repo, preview=preview)
    assert status == 0, f"the strict {'preview' if preview else 'publish'} build failed (warnings are above)"
    shutil.copytree(site_repo / "_build" / "html", out)
    return out


@pytest.fixture(scope="session")
def built_site(site_repo, tmp_path_factory) -> Path:
    """The html folder of a strict (-n -W) publish build of this repository: approved content only."""
    return _build_site(site_repo, tmp_path_factory.mktemp("publish") / "html", preview=False)


@pytest.fixture(scope="session")
def preview_site(built_site, site_repo, tmp_path_factory) -> Path:
    """The html folder of a strict preview build: draft and in-review content too, badged."""
    return _build_site(site_repo, tmp_path_factory.mktemp("preview") / "html", preview=True)
