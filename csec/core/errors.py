"""The one error type content problems travel in: a path, a line, a column and a message an author can act on."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from csec.core.inert import printable

MAX_LINE = 300  # characters; a value pasted into a message never turns one problem into a wall of text
CAUSE, NOTE, PROBLEM = 0, 1, 2  # how errors rank in the output: a file that cannot be read explains what follows


def one_line(path: str, message: str, position: str = "", limit: int | None = MAX_LINE) -> str:
    """`path:position message` as one printable line, cut at LIMIT characters."""
    path = printable(path)
    if len(path) > 120:
        path = path[:55] + "..." + path[-55:]
    head = f"{path}:{position} "
    message = printable(" ".join(message.split()))
    if limit is None or len(head) + len(message) <= limit:
        return head + message
    return head + message[:max(limit - len(head) - 3, 20)] + "..."


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one content file, printed as `path:line:col: message`."""

    path: str
    line: int
    col: int
    message: str
    rank: int = field(default=PROBLEM, compare=False)
    # (kind, id or name) when the problem is a reference that resolved to nothing: it may only be a consequence of
    # a file that could not be read.
    refers_to: tuple[str, str] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return one_line(self.path, self.message, f"{self.line}:{self.col}:")


class ContentErrors(Exception):
    """Raised once, after every problem in the corpus has been collected: files that could not be read first (the
    cause of much of what follows), then a note per such file on the references left unchecked, then by path."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors), key=lambda e: (e.rank, e))
        super().__init__("\n".join(str(e) for e in self.errors))

    @property
    def problems(self) -> int:
        """How many problems (the notes are not problems of their own)."""
        return sum(e.rank != NOTE for e in self.errors)


def known(names: Any, wrong: str | None = None, limit: int = 12) -> str:
    """'did you mean ...; known: a, b, ...' for an error message: the nearest names first, then a short list."""
    names = sorted(names)
    close = difflib.get_close_matches(wrong, names, n=1, cutoff=0.6) if wrong else []
    hint = f"did you mean {close[0]!r}? " if close else ""
    if not names:
        return f"{hint}none declared"
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    return f"{hint}known: {shown}"


def shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in a one-line message: repr'd, and cut short when long."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."

