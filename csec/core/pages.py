"""The MyST pages under book/ as text, and where an offset in a page's text sits (line and column), for checks
that read the pages the way they read content prose."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import yaml

KEY = "csec_needs"  # front matter: the kinds a page shows, so a publish build can leave it out while none is approved
COUNTY_KEY = "csec_county"  # front matter: the county whose procedures a page shows (built only with its overlay)


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


def front_matter(path: Path) -> dict:
    """The YAML front matter of a MyST page ({} without one)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    data = yaml.safe_load(text[4:end]) if end != -1 else None
    return data if isinstance(data, dict) else {}


def needed_kinds(path: Path) -> list[str]:
    needs = front_matter(path).get(KEY) or []
    return [needs] if isinstance(needs, str) else [str(n) for n in needs]


def has_approved(corpus, kinds: list[str]) -> bool:
    """Whether any item of KINDS is approved (a page that needs them has something to publish)."""
    return any(getattr(item, "status", "approved") == "approved"
               for kind in kinds for item in corpus.items.get(kind, {}).values())
