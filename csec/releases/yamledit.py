"""Edit one field of one entry in a content file's text, in place: everything else in the file (comments, quoting,
wrapping, key order) stays byte for byte, which is why records and folds edit text instead of re-dumping YAML."""

from __future__ import annotations

from typing import Any

import yaml

from csec.core.document import Document
from csec.load.loader import AMENDS


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def entry_indent(doc: Document, keypath: tuple) -> tuple[int, int]:
    """(line index of the entry's first key, the column its keys line up at) for the mapping at KEYPATH (an
    amendment may leave its id implicit: its first key is then `amends:`)."""
    first = "id" if keypath + ("id",) in doc.key_marks else AMENDS
    line, col = doc.key_mark(keypath + (first,))
    return line - 1, col - 1


def _block_end(lines: list[str], start: int, floor: int) -> int:
    """The last line of the block that starts at line START: it runs on while lines are blank, comments, or indented
    deeper than FLOOR."""
    last, n = start, start + 1
    while n < len(lines):
        if _content(lines[n]):
            if _indent(lines[n]) <= floor:
                break
            last = n
        n += 1
    return last


def render(field: str, value: Any, indent: int) -> list[str]:
    """FIELD: VALUE as YAML lines at INDENT (block style, the way the content files write lists and mappings)."""
    text = yaml.safe_dump({field: value}, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return [" " * indent + line + "\n" for line in text.rstrip("\n").split("\n")]


def set_field(text: str, doc: Document, keypath: tuple, field: str, lines_for_field: list[str]) -> str:
    """TEXT with the entry at KEYPATH's FIELD replaced by LINES_FOR_FIELD (appended to the entry when absent)."""
    lines = text.splitlines(keepends=True)
    start_line, indent = entry_indent(doc, keypath)
    present = doc.key_marks.get(keypath + (field,))
    start = (present[0] - 1) if present else start_line
    last = _block_end(lines, start, indent if present else indent - 1)
    if present:
        return "".join(lines[:start] + lines_for_field + lines[last + 1:])
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    return "".join(lines[:last + 1] + lines_for_field + lines[last + 1:])


def append_item(text: str, kind: str, data: dict) -> str:
    """TEXT (a content file, or empty) with DATA added at the end of its KIND list (the list created if missing)."""
    body = yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    item = "".join("  " + line + "\n" for line in body.rstrip("\n").split("\n"))
    if not text.strip():
        return f"{kind}:\n{item}"
    parsed = yaml.safe_load(text) or {}
    if kind not in parsed:
        return text.rstrip("\n") + f"\n\n{kind}:\n{item}"
    if list(parsed)[-1] != kind:
        raise ValueError(f"cannot add a {kind} item: the {kind} list is not the last one in the file")
    return text.rstrip("\n") + "\n\n" + item
