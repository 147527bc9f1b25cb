"""Word-by-word redlines of text: difflib over word tokens, as structured ops or as `[-removed-] {+added+}` text."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|[^\s]+")


def ops(old: str, new: str) -> list[dict]:
    """[{"op": "equal" | "delete" | "insert", "text": ...}] turning OLD into NEW, one op per run of words."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Whitespace is a token so the ops rebuild both texts exactly, but it must not anchor a match on its own.
    matcher = difflib.SequenceMatcher(lambda t: t.isspace(), a, b, autojunk=False)
    out: list[dict] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(out, "equal", "".join(a[i1:i2]))
        else:
            _add(out, "delete", "".join(a[i1:i2]))
            _add(out, "insert", "".join(b[j1:j2]))
    return out


def _add(out: list[dict], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1]["op"] == op:
        out[-1]["text"] += text
    else:
        out.append({"op": op, "text": text})


def render(redline: list[dict]) -> str:
    """The ops as one readable line: unchanged words as they are, [-removed-] and {+added+}."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[o["op"]].format(o["text"]) for o in redline)
