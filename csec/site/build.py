"""`csec build`: validate the content, build the manual site strictly into an empty staging folder, and only when that
succeeds make `_build/html` (publish) or `_build/preview` (`--preview`) point at it, so a failed or killed build
always leaves the last good site in place, and a preview never replaces the published site.

The site is a function of its inputs alone (INPUTS: content, the county layers and csec.yaml, the county chosen, the
book's pages and configuration, the kit's code with its templates and static files, the pinned package versions).
Each build writes into an empty folder; the only things reused are caches keyed on what they were built from: the
Sphinx environment (one per mode and county, discarded when the code, configuration or packages changed; Sphinx
itself re-reads the pages whose sources or content dependencies changed, see csec.sphinx.corpus), the pages written
with that environment (Sphinx rewrites those whose dependencies changed; the others' copies stay, and a page no
longer built is removed, csec.sphinx.withheld_pages) and the notebook execution cache (csec.sphinx.notebooks: a
notebook's cached outputs are dropped when its inputs changed). When the digest of every input equals the one the
current site was built from, nothing is rebuilt.

`_build/html` and `_build/preview` are symbolic links to `_build/site-<digest>-<pid>` folders: the swap renames a new
link over the mode's own link (rename(2) is atomic), so at any instant `_build/html` is the old site or the new one,
whether opened from file:// or served; a preview build never touches `_build/html`.

The date a build publishes for is csec.core.model.build_date(): today, or the day of $SOURCE_DATE_EPOCH when set.

Validation and the Sphinx build run in a child process, forked from `csec build` before anything has imported Sphinx
or docutils (which keep global state) and ended with os._exit: each build gets a process of its own, which starts
with the kit's modules already imported (a new interpreter importing them again made a small book's build take 2.5 s
instead of 1.75 s), and the parent stays light. `python -m csec.site.build sphinx ROOT OUTDIR DOCTREEDIR` runs the
same child by hand. The child validates with `csec.training.corpus.checked` first (content problems: one
`path:line:col: message` line each, exit status 3, nothing built), then runs Jupyter Book's own build
(`jupyter_book.sphinx.build_sphinx`, what `jupyter-book build . -n -W --keep-going` calls) with two more config
values: `csec_preview` (publish or preview) and `csec_root`.

One build at a time per `_build/` folder (csec.site.build_lock), publish and preview alike (they share the caches'
folder and the tidying of it): a second `csec build` on the same repository waits for the first (saying so in one
line) and then builds, so the stamp of each link is always its mode's last finished build's. A build killed with
SIGTERM stops its Sphinx child and removes its staging folder; one killed with SIGKILL takes its child with it
(PR_SET_PDEATHSIG), and the next build removes what it left (never a site `_build/html` or `_build/preview` names).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from csec.core.errors import ContentErrors, one_line
from csec.core.model import BuildDateError, Edition
from csec.core.site_view import SITE_MODE
from csec.load import counties
from csec.load.changesets import in_force
from csec.load.loader import load
from csec.site.build_lock import LockTimeout, build_lock
from csec.training.corpus import checked

CONTENT_ERRORS = 3  # the child's exit status when validation failed (it has printed the problems)
STAMP = ".csec-build.json"  # in the site folder: the mode, the county and the digest of the inputs it was built from
SITE_LINK = "html"  # _build/html: a symbolic link to the current published site folder
PREVIEW_LINK = "preview"  # _build/preview: a symbolic link to the current preview site folder
LINKS = (SITE_LINK, PREVIEW_LINK)
SITE_PREFIX = "site-"  # _build/site-<digest>-<pid>: a built site
ENVIRONMENTS = ".csec-env"  # _build/.csec-env/<mode>-<county>/: the Sphinx environment and doctrees of that build
ENV_KEY = "csec-env-key"  # in an environment folder: the digest of the inputs Sphinx does not track itself
ENV_SITE = "csec-site-inputs"  # in an environment folder: the inputs digest of the site built with it
# The HTML files at the top of a site that are not a page's: Sphinx writes them in every build.
GENERATED = ("index.html", "genindex.html", "search.html")
# Copied with the pages: the files the players write beside them (csec.sphinx.player KEYS and QUIZZES), and the
# images and downloads Sphinx copies only for the pages it writes (csec.sphinx.withheld_pages REUSED).
REUSED = ("_csec", "_images", "_downloads")
KILL_IN_SWAP = "CSEC_TEST_KILL_IN_SWAP"  # tests only: SIGKILL this process between the two renames of the swap

# Every input of a build besides the kit's code (CODE), the county chosen and the mode. The installed packages are
# pinned by constraints.txt and package-lock.json (scripts/setup.sh installs exactly those).
INPUTS = ("_config.yml", "_toc.yml", "csec.yaml", "book", "content", "counties", "changes", "constraints.txt",
          "package-lock.json", "pyproject.toml", "scripts/ipython_kernel_config.py")
# The inputs Sphinx cannot see change, besides the code: the environment is reused only when these are the same;
# Sphinx tracks the pages, and csec.sphinx.corpus the content files each page shows.
ENV_INPUTS = ("_config.yml", "_toc.yml", "constraints.txt", "package-lock.json", "pyproject.toml",
              "scripts/ipython_kernel_config.py")
CODE = ("csec", "widgets")  # the packages a build runs, templates and static files included


def _mode(preview: bool) -> str:
    return "preview" if preview else "publish"


def link_name(preview: bool) -> str:
    """The link under `_build/` naming the current site of that mode: `html` (publish) or `preview`."""
    return PREVIEW_LINK if preview else SITE_LINK


def read_stamp(site: Path) -> dict:
    """What the site folder SITE (or the link to it) was built from: {"mode", "county", "inputs"}, or {}."""
    try:
        return json.loads((site / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _code(root: Path) -> list[Path]:
    """The folders of the code a build runs: ROOT's csec/ and widgets/ (the build's child process runs in ROOT, so
    they come first on its path), and the installed packages, for a book kept apart from the kit."""
    folders = [root / name for name in CODE]
    for name in CODE:
        spec = importlib.util.find_spec(name)  # found, not imported: csec never imports the widgets
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    return sorted({folder.resolve() for folder in folders if folder.is_dir()})


def _digest(root: Path, names: tuple[str, ...], *extra: str) -> str:
    """sha256 of the path and bytes of every file under NAMES (files or folders of ROOT) and of the code the build
    runs, and of EXTRA."""
    h = hashlib.sha256()
    for value in extra:
        h.update(f"{value}\0".encode())
    for path in [*(root / name for name in names), *_code(root)]:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.is_file():
                continue
            name = file.relative_to(root) if file.is_relative_to(root) else file  # the same digest for a copy
            h.update(name.as_posix().encode() + b"\0")
            h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def inputs_digest(root: Path, preview: bool, county: str | None) -> str:
    """The digest of every input of ROOT's build in that mode for COUNTY, and of the change sets in force on the day
    of the build (an approved change set is published on its effective date with no file changed): the site's stamp
    records it. A preview shows every change set, redlined against what is published that day, so both count."""
    return _digest(root, INPUTS, _mode(preview), county or counties.NONE, *_dated(root, preview))


def _dated(root: Path, preview: bool) -> tuple[str, str]:
    """The change sets a build on this day shows, and (in a preview) those published this day, which its redlines
    compare with: what changes with the date of the build (csec.core.model.build_date) and no file."""
    applied = ",".join(in_force(root, Edition.of_build(preview)))
    published = ",".join(in_force(root, Edition.of_build(False))) if preview else ""
    return applied, published


def build(root: Path, preview: bool = False) -> int:
    """Validate, build strictly, swap into ROOT/_build/html (the preview: ROOT/_build/preview). Returns the exit
    status (0 ok, 1 failed)."""
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
    try:
        county = counties.resolve(root)
    except counties.CountyError as e:
        print(e.error)
        return 1

    build_dir = root / "_build"
    try:
        build_dir.mkdir(exist_ok=True)
        with build_lock(build_dir) as lock_fd, _terminated_as_exit():
            return _build_locked(root, build_dir, preview, county, lock_fd)
    except (LockTimeout, BuildDateError) as e:
        print(e if isinstance(e, LockTimeout) else f"csec build: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        # A read-only _build (EROFS from the lock file) or a full disk (ENOSPC, from a copy as a shutil.Error
        # listing (source, target, why) per file): one line naming the place; the published site is left as it was.
        print(_disk_problem(e, build_dir), file=sys.stderr)
        return 1


def _disk_problem(error: OSError, build_dir: Path) -> str:
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        _, target, why = error.args[0][0]
        return one_line(str(target), f"csec build: cannot write: {why}")
    where = error.filename or build_dir
    return one_line(str(where), f"csec build: cannot write: {error.strerror or error}")


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
PR_SET_NAME = 15
CHILD_NAME = b"csec-sphinx"  # the child's name in ps and /proc/<pid>/comm (a fork keeps the parent's command line)


def _run_child(argv: list[str], root: Path, county: str | None, lock_fd: int) -> int:
    """Fork the Sphinx child (`_sphinx(ARGV)` in ROOT) and wait for its exit status; if this process is stopped
    meanwhile (SIGTERM raised as _Terminated), stop the child first."""
    import ctypes

    libc, parent = ctypes.CDLL(None, use_errno=True), os.getpid()
    # The county this build resolved, for the child and the notebook kernels it starts: the same corpus throughout.
    # And the root: a notebook finds its content through $CSEC_ROOT first (csec.load.loader.find_root).
    env = {counties.ENV: county or counties.NONE, "CSEC_ROOT": str(root)}
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # else the child would write out what this process had buffered too
    pid = os.fork()
    if pid == 0:
        _child(libc, parent, lock_fd, argv, root, env)
    try:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    finally:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG) == (0, 0):  # we are being stopped: stop the child too, then reap it
                os.kill(pid, signal.SIGTERM)
                _reap(pid, 10)


def _child(libc, parent: int, lock_fd: int, argv: list[str], root: Path, env: dict[str, str]) -> None:
    """The forked child: never returns into the parent's code (its `finally` blocks would tidy the parent's staging
    folder), whatever happens."""
    code = 1
    try:
        # What a new process would start with: default SIGTERM (the parent's handler raises into the parent's code;
        # SIGINT keeps the parent's handling, which is what a new interpreter would have: Python's, or ignored in a
        # background job), no hold on the build lock (only the parent holds it: the lock goes when the parent dies),
        # and SIGTERM when the parent dies, even by SIGKILL.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.close(lock_fd)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        libc.prctl(PR_SET_NAME, CHILD_NAME)
        os.chdir(root)
        os.environ.update(env)
        code = _sphinx(argv)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole foreground group: the parent says what happened
        code = 128 + signal.SIGINT
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _reap(pid: int, timeout: float) -> None:
    """Wait up to TIMEOUT seconds for PID to exit (a pidfd says when), then SIGKILL it; reap it either way."""
    import select

    with contextlib.suppress(ProcessLookupError):
        fd = os.pidfd_open(pid)
        try:
            if not select.select([fd], [], [], timeout)[0]:
                os.kill(pid, signal.SIGKILL)
        finally:
            os.close(fd)
    os.waitpid(pid, 0)


def current_site(build_dir: Path, name: str = SITE_LINK) -> Path | None:
    """The site folder `_build/html` (or the link NAME, e.g. `preview`) names (resolved), or None when there is none."""
    link = build_dir / name
    target = link.resolve()
    return target if target.is_dir() and (target / "index.html").is_file() else None


def recover(build_dir: Path) -> None:
    """With the lock held: put back a site a killed swap left aside, then remove every folder no site or cache needs
    (the published site and the preview are both kept).

    An older kit swapped real folders (`html` renamed to `.html.old-<pid>`, then the new one renamed in): a kill
    between the two left no `html`, and the set-aside folder is the last good site, so it is put back, not removed.
    """
    for name in LINKS:
        link = build_dir / name
        if not link.exists() and not link.is_symlink():
            aside = sorted(build_dir.glob(f".{name}.old-*"), key=lambda p: p.stat().st_mtime)
            if aside:
                os.rename(aside[-1], link)
    keep = {site for name in LINKS if (site := current_site(build_dir, name)) is not None}
    leftovers = [p for name in LINKS for p in (*build_dir.glob(f".{name}.old-*"), *build_dir.glob(f".{name}.new-*"))]
    for debris in [*build_dir.glob(".staging-*"), *leftovers, *build_dir.glob(f"{SITE_PREFIX}*"),
                   *build_dir.glob(".csec-doctrees"), *(build_dir / ENVIRONMENTS).glob(".*")]:
        if debris.is_symlink() or not debris.is_dir():  # a link a killed swap made: never the site itself
            debris.unlink(missing_ok=True)
        elif debris.resolve() not in keep:
            shutil.rmtree(debris, ignore_errors=True)


def _swap_site(html: Path, build_dir: Path, inputs: str, name: str = SITE_LINK) -> None:
    """Rename the built HTML into `_build/`, then atomically point `_build/NAME` at it; the old site goes last."""
    site = build_dir / f"{SITE_PREFIX}{inputs[:16]}-{os.getpid()}"
    os.rename(html, site)
    link = build_dir / name
    if link.is_dir() and not link.is_symlink():  # an older kit's real folder: set aside, as recover() expects
        os.rename(link, build_dir / f".{name}.old-{os.getpid()}")
    new_link = build_dir / f".{name}.new-{os.getpid()}"
    new_link.unlink(missing_ok=True)
    new_link.symlink_to(site.name)  # relative: the build folder can be moved or zipped with it
    if os.environ.get(KILL_IN_SWAP):
        os.kill(os.getpid(), signal.SIGKILL)
    os.rename(new_link, link)


def _reuse_pages(site: Path, html: Path) -> None:
    """Copy SITE's pages into the empty folder HTML, for Sphinx to leave as they are when their sources and
    dependencies did not change (it compares modification times, which the copy keeps).

    Only the pages, the files written beside them (player data, images, downloads), and the search index (Sphinx adds
    the pages it writes and drops those no longer built): the static files and the rules data are written afresh. A copied page or
    file that the new build does not produce is removed at its end (csec.sphinx.withheld_pages). Copies, not hard
    links: Sphinx rewrites a page in place, which would change the published site's file too.
    """
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_")
             and p.relative_to(site).as_posix() not in GENERATED]
    for page in [*pages, *(p for folder in REUSED for p in (site / folder).rglob("*") if p.is_file())]:
        relative = page.relative_to(site)
        (html / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, html / relative)
    # The configuration's digest the pages were written with, and the search index Sphinx updates.
    for name in (".buildinfo", "searchindex.js"):
        if (site / name).is_file():
            shutil.copy2(site / name, html / name)


def _swap_environment(doctrees: Path, final: Path) -> None:
    """Replace the environment cache FINAL with DOCTREES; a kill in between only costs a full build next time."""
    final.parent.mkdir(exist_ok=True)
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.rename(final, old)
    os.rename(doctrees, final)
    shutil.rmtree(old, ignore_errors=True)


def _build_locked(root: Path, build_dir: Path, preview: bool, county: str | None, lock_fd: int) -> int:
    mode, name = _mode(preview), link_name(preview)
    recover(build_dir)
    link = build_dir / name
    inputs = inputs_digest(root, preview, county)
    stamp = {"mode": mode, "county": county, "inputs": inputs}
    if current_site(build_dir, name) is not None and read_stamp(link) == stamp:
        print(f"csec build: {mode} site is up to date (no input changed): {link / 'index.html'}")
        return 0
    environment = build_dir / ENVIRONMENTS / f"{mode}-{county or counties.NONE}"
    # The change sets in force count too: Sphinx sees no file change when a change set comes into force on its
    # day, so a new day that publishes other change sets starts a new environment (every page read again).
    env_key = _digest(root, ENV_INPUTS, mode, county or counties.NONE, *_dated(root, preview))
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        html, doctrees = stage / "html", stage / "doctrees"
        html.mkdir()
        try:
            reusable = (environment / ENV_KEY).read_text(encoding="utf-8") == env_key
        except OSError:
            reusable = False
        if reusable:  # a copy: a failed build's environment is thrown away, so its warnings come back next time
            shutil.copytree(environment, doctrees, symlinks=True)
            site = current_site(build_dir, name)
            with contextlib.suppress(OSError):
                if site is not None and read_stamp(site).get("inputs") == (doctrees / ENV_SITE).read_text("utf-8"):
                    _reuse_pages(site, html)  # the pages written with this environment
        else:
            doctrees.mkdir()
            (doctrees / ENV_KEY).write_text(env_key, encoding="utf-8")
        argv = [str(root), str(html), str(doctrees), *(["--preview"] if preview else [])]
        status = _run_child(argv, root, county, lock_fd)
        if status == CONTENT_ERRORS:
            return 1
        if status != 0:
            print(f"csec build: the {mode} build failed (see the messages above); the previous site in "
                  f"{link} is unchanged", file=sys.stderr)
            return 1
        (html / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")
        (doctrees / ENV_SITE).write_text(inputs, encoding="utf-8")
        # A SIGTERM during the swap waits for it: the swap is short, and then the folders are tidy.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            _swap_site(html, build_dir, inputs, name)
            _swap_environment(doctrees, environment)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    recover(build_dir)  # the old site, which no link names any more
    print(f"csec build: {mode} site built with no warnings: {link / 'index.html'}", flush=True)
    return 0


# --- the child process --------------------------------------------------------------------------------------

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
    from csec.sphinx.notebooks import execution_cache

    try:
        corpus = checked(root, edition=Edition.of_build(args.preview))
    except ContentErrors as e:
        for error in e.errors:
            print(error)
        print(f"{len(e.errors)} content problem{'s' if len(e.errors) != 1 else ''}; the site was not built",
              file=sys.stderr)
        return CONTENT_ERRORS
    preload(corpus)
    mode = _mode(args.preview)
    # Notebook kernels inherit it: csec.site_view.for_site() then shows them what this build publishes.
    os.environ[SITE_MODE] = mode
    # One cache per mode and county (each shows other content), at a path that stays the same from build to build:
    # the path is a Sphinx config value, and a changed config value makes Sphinx re-read every page.
    cache = root / "_build" / ".jupyter_cache" / f"{mode}-{corpus.county or counties.NONE}"
    overrides = {
        # What `jupyter-book build <root> -n` passes, plus the kit's own values.
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "csec_preview": args.preview,
        "csec_root": str(root),
        "nb_execution_cache_path": str(execution_cache(root, corpus, cache)),
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
