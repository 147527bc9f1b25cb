"""A parsed content file: its data, and where each value and key sits in the source text, so that any problem
found later (by the loader, a check or a build) points at `path:line:col`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csec.core.errors import ContentError


@dataclass
class Document:
    """A parsed file: its data and where each value (and each mapping key) sits in the source text."""

    path: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # Where each scalar ends and the source text, so a problem inside a text value can point at its own line.
    ends: dict[tuple, tuple[int, int]] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)

    def mark(self, keypath: tuple) -> tuple[int, int]:
        """Line and column of the deepest recorded prefix of keypath (the file start if none)."""
        keypath = tuple(keypath)
        for end in range(len(keypath), -1, -1):
            found = self.marks.get(keypath[:end])
            if found:
                return found
        return (1, 1)

    def key_mark(self, keypath: tuple) -> tuple[int, int]:
        """Line and column of the key that introduces keypath's value (for unknown-key errors), else mark()."""
        return self.key_marks.get(tuple(keypath)) or self.mark(keypath)

    def error(self, keypath: tuple, message: str) -> ContentError:
        line, col = self.mark(keypath)
        return ContentError(self.path, line, col, message)

    def locate(self, keypath: tuple, needle: str, nth: int = 0) -> tuple[int, int]:
        """Line and column of the NTH occurrence of NEEDLE in the source of the scalar at keypath (its start if
        the source spells it differently, e.g. escaped in double quotes or folded across lines)."""
        keypath = tuple(keypath)
        start, end = self.marks.get(keypath), self.ends.get(keypath)
        if not (start and end and needle and self.text):
            return self.mark(keypath)
        lines = self.text.split("\n")
        begin = offset(lines, *start)
        stop = offset(lines, *end)
        found = begin - 1
        for _ in range(nth + 1):
            found = self.text.find(needle, found + 1, stop)
            if found < 0:
                return start
        return position(self.text, found)

    def key_error(self, keypath: tuple, message: str) -> ContentError:
        line, col = self.key_mark(keypath)
        return ContentError(self.path, line, col, message)



def offset(lines: list[str], line: int, col: int) -> int:
    """The text offset of a 1-based (line, col) mark."""
    return sum(len(s) + 1 for s in lines[:line - 1]) + col - 1


def position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
