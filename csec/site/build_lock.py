"""One `csec build` at a time per output folder: an exclusive fcntl lock on `_build/.lock`. Whoever holds it may
tidy what a killed build left behind (csec.site.build.recover): no other build can be using it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path
from typing import Iterator

LOCK = ".lock"
WAIT_SECONDS = 900.0  # a cold strict build takes minutes on a busy machine; a second build waits that long


class LockTimeout(Exception):
    pass


def wait_seconds() -> float:
    try:
        return float(os.environ.get("CSEC_BUILD_LOCK_TIMEOUT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


@contextlib.contextmanager
def build_lock(build_dir: Path, timeout: float | None = None) -> Iterator[int]:
    """Hold `build_dir/.lock` for the duration; wait (saying so once, on stderr) up to TIMEOUT seconds for a build
    already holding it. The kernel drops the lock when its holder dies, however it dies. Yields the lock's file
    descriptor: a process forked meanwhile must close it, or the lock lives as long as that process."""
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
        yield fd
    finally:
        os.close(fd)

