"""One `csec build` at a time per output folder: an exclusive fcntl lock on `_build/.lock`, and, once it is held,
the removal of the staging and set-aside folders that a killed build left behind (no other build can be using them)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Iterator

LOCK = ".lock"
WAIT_SECONDS = 900.0  # a cold strict build takes minutes on a busy machine; a second build waits that long
# csec.site.build's staging folders, and the folders it sets aside while swapping (in _build/ and _build/.csec-doctrees/).
STALE = (".staging-*", ".*.old-*")
SWAP_DIRS = (".", ".csec-doctrees")


class LockTimeout(Exception):
    pass


def wait_seconds() -> float:
    try:
        return float(os.environ.get("CSEC_BUILD_LOCK_TIMEOUT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


@contextlib.contextmanager
def build_lock(build_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold `build_dir/.lock` for the duration; wait (saying so once, on stderr) up to TIMEOUT seconds for a build
    already holding it. The kernel drops the lock when its holder dies, however it dies."""
    timeout = wait_seconds() if timeout is None else timeout
    fd = os.open(build_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline, said = time.monotonic() + timeout, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not said:
                    print(f"csec build: another build is using {build_dir}; waiting for it (up to {timeout:.0f} s)",
                          file=sys.stderr, flush=True)
                    said = True
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"csec build: gave up after {timeout:.0f} s waiting for another build to "
                                      f"finish with {build_dir} (lock {build_dir / LOCK})") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        remove_stale(build_dir)
        yield
    finally:
        os.close(fd)


def remove_stale(build_dir: Path) -> None:
    """Remove what killed builds left; only called with the lock held, so none of it is in use."""
    for folder in (build_dir / name for name in SWAP_DIRS):
        for pattern in STALE:
            for debris in folder.glob(pattern):
                shutil.rmtree(debris, ignore_errors=True) if debris.is_dir() else debris.unlink(missing_ok=True)
