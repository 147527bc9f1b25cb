"""Shared fixtures: the repository root and its content corpus, loaded once per test session."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the examples are derived from each test's source, so a run is repeatable; locally they vary and explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_sphinx_app_in_the_test_process():
    """A test runs Sphinx in a process of its own, never in the test process: Sphinx keeps global state (docutils'
    registries, the default of source_suffix) that every `csec build` this process forks afterwards would inherit.
    A Sphinx application sets up its translations (sphinx.locale.init), which nothing else in the tests does."""
    yield
    import sys

    locale = sys.modules.get("sphinx.locale")
    assert not (locale and locale.translators), "this test ran Sphinx in the test process; run it in a subprocess"


@pytest.fixture(autouse=True)
def _csec_commands_forked(monkeypatch):
    """`subprocess.run` of the csec console script runs the command in a fork of this process (csec_cli.run_forked:
    the same `main`, argv, folder, environment, streams and exit status, without 0.3 s of imports per command);
    `csec handouts` runs the script itself. CSEC_TEST_FORKED=0 runs every command as its own script."""
    import subprocess

    from csec_cli import forkable, run_forked

    if os.environ.get("CSEC_TEST_FORKED") == "0":
        return
    real = subprocess.run

    def run(args, *rest, **options):
        if not rest and forkable(args, options):
            return run_forked(args, **options)
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", run)


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
               "progress", "__pycache__", ".ipynb_checkpoints", ".coverage-data"}


def scratch_copy(repo_root: Path, dest: Path) -> Path:
    """A copy of the repository at DEST to build or edit in; the checkout's own _build/ is never touched."""
    import shutil

    shutil.copytree(repo_root, dest, ignore=lambda d, names: [
        n for n in names if n in _NOT_COPIED or n.endswith(".egg-info")])
    if (repo_root / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(repo_root / "node_modules")  # the vendor files the site serves
    return dest


def _run_folder(tmp_path_factory) -> Path:
    """A folder every worker of this test run shares (xdist gives each worker its own base temp beneath it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _shared_build(tmp_path_factory, repo_root: Path, mode: str) -> Path:
    """A scratch repository built once per test run in MODE ('publish' or 'preview'), shared by every worker: the
    first worker to ask builds it while holding a lock; the others wait for it and read the same folder."""
    import fcntl

    from csec.site.build import build
    from csec_cli import import_sphinx

    shared = _run_folder(tmp_path_factory) / f"real-book-{mode}"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        repo = shared / "repo"
        if not (shared / "built").is_file():
            if repo.exists():  # a worker that failed here left a partial copy: start again
                import shutil

                shutil.rmtree(repo)
            scratch_copy(repo_root, repo)
            import_sphinx()  # the builds this process forks later start with them too
            with warnings.catch_warnings():
                # The build forks its Sphinx child from this process, where pytest-xdist runs a second thread
                # (execnet's channel reader); the child takes none of its locks (see csec_cli.run_forked).
                warnings.filterwarnings("ignore", r"This process \(pid=\d+\) is multi-threaded", DeprecationWarning)
                status = build(repo, preview=mode == "preview")
            assert status == 0, f"the strict {mode} build failed (warnings are above)"
            (shared / "built").write_text(mode, encoding="utf-8")
    return repo


@pytest.fixture(scope="session")
def site_repo(tmp_path_factory, repo_root) -> Path:
    """This worker's scratch copy of the repository, with the run's publish build in its _build/: tests may build
    and edit in it (the shared build stays as it was)."""
    import shutil

    built = _shared_build(tmp_path_factory, repo_root, "publish")
    dest = tmp_path_factory.mktemp("site") / "repo"
    shutil.copytree(built, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, repo_root) -> Path:
    """The html folder of a strict (-n -W) publish build of this repository: approved content only. Built once per
    test run and shared by the workers: read it, never write to it."""
    return _shared_build(tmp_path_factory, repo_root, "publish") / "_build" / "html"


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory, repo_root) -> Path:
    """The site folder of a strict preview build (`_build/preview`, never the published `_build/html`): draft and
    in-review content too, badged, and every change set (shared like built_site)."""
    return _shared_build(tmp_path_factory, repo_root, "preview") / "_build" / "preview"
