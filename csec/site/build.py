"""`csec build`: validate the content, build the manual site strictly into a staging folder, and only when that
succeeds swap it into `_build/html`, so a failed build always leaves the previous site in place.

Validation and the Sphinx build run in a child process (`python -m csec.site.build sphinx ...`): Sphinx and docutils
keep global state, and notebook execution starts kernels, so each build gets a fresh interpreter, and the parent
stays light. The child validates with `csec.training.corpus.checked` first (content problems: one `path:line:col: message`
line each, exit status 3, nothing built), then runs Jupyter Book's own build (`jupyter_book.sphinx.build_sphinx`,
what `jupyter-book build . -n -W --keep-going` calls) with two more config values: `csec_preview` (publish or
preview) and `csec_root`. When no input file changed since the last successful build of the same mode, nothing
is rebuilt.

One build at a time per output folder (csec.site.build_lock): a second `csec build` on the same repository waits for the
first (saying so in one line) and then builds, so the mode stamp of `_build/html` is always the last finished
build's. A build killed with SIGTERM stops its Sphinx child and removes its staging folder; one killed with SIGKILL
takes its child with it (PR_SET_PDEATHSIG), and the next build removes what it left.

Incremental builds: the Sphinx environment of the last successful build of the same mode (publish or preview) is
copied into the staging folder with the current site, so an edit to one YAML file re-reads only the pages that
show it. A failed build's environment is thrown away with its staging folder, so its warnings come back next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from csec.core.errors import ContentErrors
from csec.core.site_view import SITE_MODE
from csec.load.loader import load
from csec.site.build_lock import LockTimeout, build_lock
from csec.training.corpus import checked

CONTENT_ERRORS = 3  # the child's exit status when validation failed (it has printed the problems)
STAMP = ".csec-build.json"  # in the html folder: which mode built it (a preview site is never reused to publish)


def _mode(preview: bool) -> str:
    return "preview" if preview else "publish"


# Everything a build reads besides the installed packages (whose changes go through scripts/setup.sh, hence its stamp).
INPUTS = ("_config.yml", "_toc.yml", "book", "content", "csec", "widgets", "package-lock.json", ".venv/.setup-stamp")


def _stamp(html: Path) -> dict:
    try:
        return json.loads((html / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _inputs_digest(root: Path) -> str:
    """A digest of the names, sizes and modification times of every input file (cheap: no file is read)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.exists():
                continue
            st = file.stat()
            digest.update(f"{file.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _replace_dir(staged: Path, final: Path) -> None:
    """Move `staged` to `final`; the old `final` is kept aside until the new one is in place."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(final, old)
    try:
        os.rename(staged, final)
    except OSError:
        if old is not None:
            os.rename(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(root: Path, preview: bool = False) -> int:
    """Validate, build strictly, swap into ROOT/_build/html. Returns the exit status (0 ok, 1 failed)."""
    root = Path(root).resolve()
    if not (root / "content").is_dir():
        try:
            load(root)
        except ContentErrors as e:
            for error in e.errors:
                print(error)
            return 1
    for needed in ("_config.yml", "_toc.yml"):
        if not (root / needed).is_file():
            print(f"{root / needed}: missing; the site needs Jupyter Book's configuration at the repository root",
                  file=sys.stderr)
            return 1

    build_dir = root / "_build"
    build_dir.mkdir(exist_ok=True)
    try:
        with build_lock(build_dir), _terminated_as_exit():
            return _build_locked(root, build_dir, preview)
    except LockTimeout as e:
        print(e, file=sys.stderr)
        return 1


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so `finally` blocks stop the child and remove the staging folder."""


@contextlib.contextmanager
def _terminated_as_exit():
    def on_term(signum, _frame):
        raise _Terminated(signum)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    except _Terminated:
        print("csec build: stopped by SIGTERM", file=sys.stderr)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


PR_SET_PDEATHSIG = 1


def _die_with_parent(libc, parent: int) -> None:
    """In the Sphinx child, before exec: get SIGTERM when the csec process dies, even by SIGKILL."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _run_child(cmd: list[str], root: Path) -> int:
    import ctypes

    # Loaded here, not after fork: the forked child should only make the one system call.
    libc, parent = ctypes.CDLL(None, use_errno=True), os.getpid()
    child = subprocess.Popen(cmd, cwd=root, preexec_fn=lambda: _die_with_parent(libc, parent))
    try:
        return child.wait()
    finally:
        if child.poll() is None:  # we are being stopped: stop the child too, then reap it
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _build_locked(root: Path, build_dir: Path, preview: bool) -> int:
    mode = _mode(preview)
    final_html = build_dir / "html"
    final_doctrees = build_dir / ".csec-doctrees" / mode
    inputs = _inputs_digest(root)
    previous = _stamp(final_html)
    if (previous.get("mode") == mode and previous.get("inputs") == inputs and final_doctrees.is_dir()
            and (final_html / "index.html").is_file()):
        print(f"csec build: {mode} site is up to date (no input changed): {final_html / 'index.html'}")
        return 0
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        html, doctrees = stage / "html", stage / "doctrees"
        if final_html.is_dir() and final_doctrees.is_dir() and previous.get("mode") == mode:
            shutil.copytree(final_html, html, symlinks=True)
            shutil.copytree(final_doctrees, doctrees, symlinks=True)
        cmd = [sys.executable, "-m", "csec.site.build", "sphinx", str(root), str(html), str(doctrees)]
        if preview:
            cmd.append("--preview")
        sys.stdout.flush()
        status = _run_child(cmd, root)
        if status == CONTENT_ERRORS:
            return 1
        if status != 0:
            print(f"csec build: the {mode} build failed (see the messages above); the previous site in "
                  f"{final_html} is unchanged", file=sys.stderr)
            return 1
        (html / STAMP).write_text(json.dumps({"mode": mode, "inputs": inputs}) + "\n", encoding="utf-8")
        # A SIGTERM between the two renames of a swap would leave no site at all; it waits for the swap.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            _replace_dir(html, final_html)
            final_doctrees.parent.mkdir(exist_ok=True)
            _replace_dir(doctrees, final_doctrees)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    print(f"csec build: {mode} site built with no warnings: {final_html / 'index.html'}", flush=True)
    return 0


# --- the child process --------------------------------------------------------------------------------------

def _execution_cache(root: Path, corpus, mode: str) -> Path:
    """The notebook execution cache of the mode, emptied whenever the files its notebooks read changed.

    myst-nb keys its cache on a notebook's code cells only, but the module and rules pages print what the content
    says, so a content or code edit must not be answered from the cache: a digest of those inputs, kept beside the
    cache, empties it when they change. The path itself stays the same: it is a configuration value that Sphinx
    compares with the last build's, and a new one would re-read every page. Notebooks show approved content only
    when publishing (csec.core.site_view), so each mode keeps its own cache.
    """
    from csec.sphinx.notebooks import executed_notebook_inputs

    digest = hashlib.sha256()
    for file in executed_notebook_inputs(root, corpus):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    parent = root / "_build" / ".jupyter_cache"
    current, stamp = parent / mode, parent / f"{mode}.inputs"
    if parent.is_dir():
        for old in parent.iterdir():  # caches named by digest, as earlier versions kept them
            if old.name.startswith(f"{mode}-"):
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    try:
        same = stamp.read_text(encoding="utf-8") == digest.hexdigest()
    except OSError:
        same = False
    if not same:
        shutil.rmtree(current, ignore_errors=True)
        parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest.hexdigest(), encoding="utf-8")
    return current


def _sphinx(argv: list[str]) -> int:
    """Run Jupyter Book's strict HTML build: sphinx <root> <outdir> <doctreedir> [--preview]."""
    import argparse

    # jsonschema (imported by Jupyter Book to check _config.yml) imports the optional rfc3987_syntax, which compiles
    # 38 grammars at import time: 1.4 s of every build, for an "iri" format check this build never makes.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from jupyter_book.sphinx import build_sphinx

    parser = argparse.ArgumentParser(prog="python -m csec.site.build sphinx")
    parser.add_argument("root")
    parser.add_argument("outdir")
    parser.add_argument("doctreedir")
    parser.add_argument("--preview", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    # Validate before building, with every check; the extension reuses this corpus instead of loading again.
    from csec.sphinx.corpus import (
        preload,  # lazy: only the build's child process imports Sphinx
    )

    try:
        corpus = checked(root)
    except ContentErrors as e:
        for error in e.errors:
            print(error)
        print(f"{len(e.errors)} content problem{'s' if len(e.errors) != 1 else ''}; the site was not built",
              file=sys.stderr)
        return CONTENT_ERRORS
    preload(corpus)
    # Notebook kernels inherit it: csec.site_view.for_site() then shows them what this build publishes.
    os.environ[SITE_MODE] = _mode(args.preview)
    overrides = {
        # What `jupyter-book build <root> -n` passes, plus the kit's own values.
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "csec_preview": args.preview,
        "csec_root": str(root),
        "nb_execution_cache_path": str(_execution_cache(root, corpus, _mode(args.preview))),
    }
    result = build_sphinx(
        root,
        Path(args.outdir),
        doctreedir=Path(args.doctreedir),
        noconfig=True,
        path_config=str(root / "_config.yml"),
        confoverrides=overrides,
        builder="html",
        warningiserror=True,
        keep_going=True,
        quiet=not args.verbose,
    )
    if isinstance(result, BaseException):
        return 1
    return int(result or 0)


if __name__ == "__main__":  # the build's child process: python -m csec.site.build sphinx ...
    if len(sys.argv) < 2 or sys.argv[1] != "sphinx":
        sys.exit("usage: python -m csec.site.build sphinx ROOT OUTDIR DOCTREEDIR [--preview]; build with `csec build`")
    sys.exit(_sphinx(sys.argv[2:]))
