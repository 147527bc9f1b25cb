"""`csec build` runs one at a time per output folder, tells the truth about what it built, and leaves neither debris
nor orphaned Sphinx processes when it is killed. Real `csec build` processes on a small test book."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from small_book import small_book

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
    """What a killed build left: staging folders, folders set aside, and any site the link does not name."""
    current = (build_dir / "html").resolve()
    found = [*build_dir.glob(".staging-*"), *build_dir.glob(".*.old-*"), *build_dir.glob(".html.new-*"),
             *(build_dir / ".csec-env").glob(".*"), *(p for p in build_dir.glob("site-*") if p != current)]
    return sorted(p.name for p in found)


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _start_and_catch_midway(repo: Path) -> tuple[subprocess.Popen, int]:
    """A publish build, caught once its staging folder exists and its Sphinx child runs: (csec process, child pid)."""
    build_dir = repo / "_build"
    victim = subprocess.Popen([CSEC, "build", str(repo)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _wait_for(lambda: list(build_dir.glob(".staging-*")), BUILD_TIMEOUT, "the staging folder")
    # Its child once exec'd (between fork and exec its command line is still empty).
    child = _wait_for(lambda: [c for c in _children(victim.pid) if b"csec.site.build" in _cmdline(c)], 60,
                      "the Sphinx child process")[0]
    return victim, child


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
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
    _wait_for(lambda: not _running(child), 3, f"the orphaned Sphinx child {child} to stop")
    staging = list(build_dir.glob(".staging-*"))
    assert staging, "the killed build should have left its staging folder (else this proves nothing)"
    assert not list(staging[0].glob("html/**/*.html")), "the child ran to the end: the kill came too late to test"

    # 3. Publish and preview started together: one waits for the other, each says truthfully what it built, and
    #    the site left behind is the one that finished last. The next build also removes the killed one's debris.
    procs = {mode: subprocess.Popen([CSEC, "build", f"--{mode}", str(repo)], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for mode in ("publish", "preview")}
    finished: list[str] = []
    deadline = time.monotonic() + 2 * BUILD_TIMEOUT
    while len(finished) < 2 and time.monotonic() < deadline:
        finished += [m for m, p in procs.items() if m not in finished and p.poll() is not None]
        time.sleep(0.1)
    assert len(finished) == 2, "the builds did not finish"
    outputs = {m: p.communicate() for m, p in procs.items()}
    for mode, (out, err) in outputs.items():
        assert procs[mode].returncode == 0, f"{mode}: {out}\n{err}"
        assert f"csec build: {mode} site built with no warnings" in out
        other = "preview" if mode == "publish" else "publish"
        assert f"{other} site built" not in out
    waited = [m for m, (_, err) in outputs.items() if "another build is using" in err]
    assert waited == [finished[-1]], "the build that finished last must be the one that waited"
    assert len([line for line in outputs[finished[-1]][1].splitlines() if "another build" in line]) == 1

    html = build_dir / "html"
    assert json.loads((html / ".csec-build.json").read_text())["mode"] == finished[-1]
    # The stamp matches the pages: only a preview builds the page of the in-review question set.
    page = html / "book" / "questions.html"
    assert page.exists() == (finished[-1] == "preview")
    if page.exists():
        assert "csec-status-in_review" in page.read_text()
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
