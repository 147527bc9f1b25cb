"""Write an export folder atomically: build it in a sibling temporary folder, carry over the files another format
wrote there, then swap it in whole."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from csec.export.errors import ExportError

# A folder an export wrote carries this file, so a later export may replace it; any other non-empty folder is left
# alone (a mistyped --out must never delete someone's files).
MARKER = ".csec-export"


@contextlib.contextmanager
def replace_atomically(out: Path, writer: str = "csec export",
                       keep: Callable[[str], bool] | None = None) -> Iterator[Path]:
    """Yield an empty temporary folder next to OUT; when the block succeeds it becomes OUT, else it is removed.
    WRITER (the command) is named in the messages and the marker file. The entries of the previous OUT whose names
    KEEP accepts (another format's files) are carried into the new folder unless the block wrote the same name."""
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ExportError(f"{out} is not empty and was not written by {writer}; choose an empty or new folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        # mkdtemp makes a private folder; an export is for sharing, so give it the mode a plain mkdir would.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
    except OSError as e:
        raise ExportError(f"cannot create a folder next to {out}: {e.strerror}") from None
    old = out.with_name(f"{tmp.name}.old")
    try:
        yield tmp
        if keep is not None and out.is_dir():
            for entry in out.iterdir():
                if entry.name != MARKER and keep(entry.name) and not (tmp / entry.name).exists():
                    _carry(entry, tmp / entry.name)
        (tmp / MARKER).write_text(f"written by {writer}; the next run replaces this folder\n", encoding="utf-8")
        # Two renames on one file system: OUT is either the old export or the new one, never a mix.
        moved = out.exists()
        if moved:
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if moved:
                old.rename(out)  # put the previous export back rather than leave no folder at all
            raise
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _carry(source: Path, target: Path) -> None:
    # A hard link costs nothing and the old folder is deleted right after; a copy where links are not allowed.
    if source.is_dir():
        shutil.copytree(source, target, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
