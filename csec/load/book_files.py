"""Refuse book pages that are not plain files (a named pipe, a folder, a dangling link) before Sphinx reads them:
Sphinx would wait forever on a pipe, crash on a folder and silently drop a dangling link."""

from __future__ import annotations

from pathlib import Path

from csec.core.errors import CAUSE, ContentError
from csec.load.yamlread import not_a_file

PAGE_SUFFIXES = (".md", ".ipynb")


def unusable_pages(root: Path) -> list[ContentError]:
    """One error per entry under ROOT/book named like a page that is not a readable regular file."""
    book = Path(root) / "book"
    if not book.is_dir():
        return []
    errors = []
    for page in sorted(p for p in book.rglob("*") if p.suffix in PAGE_SUFFIXES):
        problem = not_a_file(page)
        if problem:
            errors.append(ContentError(page.relative_to(root).as_posix(), 1, 1,
                                       f"this book page is {problem}, not a file; pages are plain text files", rank=CAUSE))
    return errors
