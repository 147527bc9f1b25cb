"""Read a small JSON file that a reader or trainee keeps (an acknowledgement record, a progress file): from a
regular file only, bounded in size and in nesting, with every refusal a one-line reason."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from csec.load.yamlread import MAX_DEPTH, YamlError, read_limited

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def depth(text: str) -> int:
    """How deeply TEXT's JSON arrays and objects nest (brackets inside strings do not count); found without parsing,
    because json.loads recurses once per level and a file of 100,000 '[' would overflow it."""
    level = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _STRING.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def read_json(file: Path, what: str, limit: int) -> Any:
    """The JSON value in FILE, WHAT it is ("a record") naming it in messages; raises ValueError with the reason
    (no path: the caller names it) for a file that is not a regular file, over LIMIT bytes, not UTF-8, nested deeper
    than MAX_DEPTH levels, or not JSON."""
    try:
        raw = read_limited(file, str(file), limit)
    except YamlError as e:
        reason = e.error.message.split(";")[0]  # the reader's advice is about content files
        raise ValueError(f"{reason}; {what} is a plain UTF-8 text file") from None
    if len(raw) > limit:
        raise ValueError(f"too large for {what} (over {limit} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"cannot read: not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})") from None
    if depth(text) > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
