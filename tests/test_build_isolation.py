"""`csec build` runs one at a time per output folder, tells the truth about what it built, and leaves neither debris
nor orphaned Sphinx processes when it is killed. Real `csec build` processes on a small test book."""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from small_book import small_book

from csec.site.build import CHILD_NAME

CSEC = str(Path(sys.executable).with_name("csec"))
BUILD_TIMEOUT = 600


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def _running(pid: int) -> bool:
    """True while PID exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _debris(build_dir: Path) -> list[str]:
    """What a killed build left: staging folders, folders set aside, and any site neither link (`html`, the
    published site; `preview`) names."""
    current = {(build_dir / link).resolve() for link in ("html", "preview")}
    found = [*build_dir.glob(".staging-*"), *build_dir.glob(".*.old-*"), *build_dir.glob(".*.new-*"),
             *(build_dir / ".csec-env").glob(".*"), *(p for p in build_dir.glob("site-*") if p not in current)]
    return sorted(p.name for p in found)


class _Created:
    """Wakes a waiter whenever an entry is created in FOLDER (Linux inotify), so a test waits for a state without
    polling on a timer: it checks, then blocks until the folder changes or the deadline passes."""

    IN_CREATE, IN_NONBLOCK, IN_CLOEXEC = 0x100, 0o4000, 0o2000000

    def __init__(self, folder: Path):
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(self.IN_NONBLOCK | self.IN_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, str(folder).encode(), self.IN_CREATE) < 0:
            raise OSError(ctypes.get_errno(), f"inotify on {folder}")

    def until(self, predicate, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()  # checked after the watch exists, so no creation is missed in between
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise AssertionError(f"timed out waiting for {what}")
            os.read(self.fd, 65536)  # drain the events; the predicate says whether the state is reached

    def close(self) -> None:
        os.close(self.fd)


def _exited(pids: list[int], timeout: float) -> list[int]:
    """Wait until each of PIDS has ended (no timer: a pidfd becomes readable when its process ends), at most
    TIMEOUT seconds in all; return them in the order they ended (those still running are left out)."""
    fds: dict[int, int] = {}
    order: list[int] = []
    for pid in pids:
        try:
            fds[os.pidfd_open(pid)] = pid
        except ProcessLookupError:  # ended and reaped already
            order.append(pid)
    deadline = time.monotonic() + timeout
    try:
        while fds and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select(list(fds), [], [], left)
            for fd in ready:
                order.append(fds.pop(fd))
                os.close(fd)
    finally:
        for fd in fds:
            os.close(fd)
    return order


def _start_and_catch_midway(repo: Path) -> tuple[subprocess.Popen, int]:
    """A publish build, caught once its staging folder exists and its Sphinx child has started writing into it:
    (csec process, child pid). Each wait is for a state (inotify), never for a time."""
    build_dir = repo / "_build"
    build_dir.mkdir(exist_ok=True)
    watch = _Created(build_dir)
    try:
        victim = subprocess.Popen([CSEC, "build", str(repo)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        stage = watch.until(lambda: list(build_dir.glob(".staging-*")), BUILD_TIMEOUT, "the staging folder")[0]
    finally:
        watch.close()
    # The csec process makes html/ and doctrees/ (holding only the key of the environment: this test never builds
    # to the end before it kills) and then starts the child: anything else in doctrees/ is the child's, written as
    # it reads its first page.
    doctrees = stage / "doctrees"
    watch = _Created(stage)
    try:
        watch.until(doctrees.is_dir, BUILD_TIMEOUT, "the doctrees folder")
    finally:
        watch.close()
    watch = _Created(doctrees)
    try:
        watch.until(lambda: any(p.name != "csec-env-key" for p in doctrees.iterdir()), BUILD_TIMEOUT,
                    "the Sphinx child to write its first doctree")
    finally:
        watch.close()
    children = [c for c in _children(victim.pid) if _name(c) == CHILD_NAME]
    assert len(children) == 1, [(c, _name(c)) for c in _children(victim.pid)]
    return victim, children[0]


def _name(pid: int) -> bytes:
    """The process's name (/proc/<pid>/comm): the Sphinx child names itself, as a fork keeps its parent's command."""
    try:
        return Path(f"/proc/{pid}/comm").read_bytes().rstrip(b"\n")
    except OSError:
        return b""


def test_killed_build_leaves_nothing_and_concurrent_builds_serialize(tmp_path):
    repo = small_book(tmp_path)
    build_dir = repo / "_build"

    # 1. SIGTERM a build mid-way: it stops its child, removes its own staging folder and says so.
    victim, child = _start_and_catch_midway(repo)
    victim.send_signal(signal.SIGTERM)
    out, _ = victim.communicate(timeout=30)
    assert victim.returncode == 128 + signal.SIGTERM and "csec build: stopped by SIGTERM" in out.decode()
    assert "site built" not in out.decode()
    assert not _running(child) and _debris(build_dir) == []

    # 2. SIGKILL one: it cannot clean up, but its Sphinx child must not outlive it.
    victim, child = _start_and_catch_midway(repo)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    # Far sooner than the child would finish its build on its own (it has not written a page yet).
    assert _exited([child], 3) == [child], f"the orphaned Sphinx child {child} did not stop"
    staging = list(build_dir.glob(".staging-*"))
    assert staging, "the killed build should have left its staging folder (else this proves nothing)"
    # No page written (the theme puts its own templates, such as _static/webpack-macros.html, in place early on).
    pages = [p for p in staging[0].glob("html/**/*.html") if "_static" not in p.relative_to(staging[0]).parts]
    assert not pages, f"the child wrote pages ({pages[:3]}): the kill came too late to test"

    # 3. Publish and preview started together: they share the lock of _build/, so one waits for the other; each
    #    says truthfully what it built and where, and both sites are there after, each in its own folder
    #    (_build/html the published one, _build/preview the preview). The next build also removes the killed
    #    one's debris.
    procs = {mode: subprocess.Popen([CSEC, "build", f"--{mode}", str(repo)], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for mode in ("publish", "preview")}
    # Their output is read once both have ended: a site build writes far less than a pipe holds.
    mode_of = {p.pid: m for m, p in procs.items()}
    finished = [mode_of[pid] for pid in _exited(list(mode_of), 2 * BUILD_TIMEOUT)]
    assert len(finished) == 2, "the builds did not finish"
    outputs = {m: p.communicate() for m, p in procs.items()}
    folder = {"publish": "html", "preview": "preview"}
    for mode, (out, err) in outputs.items():
        assert procs[mode].returncode == 0, f"{mode}: {out}\n{err}"
        assert f"csec build: {mode} site built with no warnings: {build_dir / folder[mode] / 'index.html'}" in out
        other = "preview" if mode == "publish" else "publish"
        assert f"{other} site built" not in out
    waited = [m for m, (_, err) in outputs.items() if "another build is using" in err]
    assert waited == [finished[-1]], "the build that finished last must be the one that waited"
    assert len([line for line in outputs[finished[-1]][1].splitlines() if "another build" in line]) == 1

    for mode, name in folder.items():
        site = build_dir / name
        assert site.is_symlink() and (site / "index.html").is_file(), f"the {mode} site is missing"
        assert json.loads((site / ".csec-build.json").read_text())["mode"] == mode
        # The stamp matches the pages: only a preview builds the page of the in-review question set.
        page = site / "book" / "questions.html"
        assert page.exists() == (mode == "preview")
    assert "csec-status-in_review" in (build_dir / "preview" / "book" / "questions.html").read_text()
    assert (build_dir / "html").resolve() != (build_dir / "preview").resolve()
    assert _debris(build_dir) == []
    assert not any(_running(pid) for pid in _children(os.getpid()) if pid != child)


def test_a_build_that_cannot_get_the_lock_in_time_fails_with_one_line(tmp_path):
    repo = small_book(tmp_path)
    (repo / "_build").mkdir()
    fd = os.open(repo / "_build" / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = subprocess.run([CSEC, "build", str(repo)], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "CSEC_BUILD_LOCK_TIMEOUT": "1"})
    finally:
        os.close(fd)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and "waiting for it" in lines[0], run.stderr
    assert lines[1].startswith("csec build: gave up after 1 s waiting for another build"), run.stderr
    assert "Traceback" not in run.stderr and not (repo / "_build" / "html").exists()
