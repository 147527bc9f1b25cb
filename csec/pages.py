"""The MyST pages under book/ as text, and where an offset in a page's text sits (line and column), for checks
that read the pages the way they read content prose."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator


def book_pages(root: Path) -> Iterator[tuple[str, str]]:
    """(repository-relative path, text) of every readable page in book/; unreadable pages are the build's to report."""
    for page in sorted((root / "book").rglob("*.md")):
        if "_build" in page.parts or not page.is_file():
            continue
        try:
            yield page.relative_to(root).as_posix(), page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
