"""Read one YAML file into plain Python data plus a table of line/column marks, refusing anything unsafe or ambiguous.

PyYAML's own loaders lose positions, accept duplicate keys silently and expand aliases without limit, so this
module walks the parser's node graph itself: every value it returns has its 1-based (line, col) recorded under
its key path, which is how a schema error deep inside a file still points at the right line.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError

try:  # the C parser is ~10x faster and still reports marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

# Only the YAML core schema; anything else (!!python/object, custom !tags) is refused, not constructed.
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

Path_ = tuple  # a key path such as ("definitions", 3, "cites", 0)


@dataclass
class Document:
    """A parsed file: its data and where each value sits in the source text."""

    path: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def mark(self, keypath: tuple) -> tuple[int, int]:
        """Line and column of the deepest recorded prefix of keypath (the file start if none)."""
        for end in range(len(keypath), -1, -1):
            found = self.marks.get(tuple(keypath[:end]))
            if found:
                return found
        return (1, 1)

    def error(self, keypath: tuple, message: str) -> ContentError:
        line, col = self.mark(keypath)
        return ContentError(self.path, line, col, message)


class _Refused(Exception):
    def __init__(self, line: int, col: int, message: str):
        self.line, self.col, self.message = line, col, message


def _pos(node_or_mark) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return (mark.line + 1, mark.column + 1)


def _precheck(text: str) -> None:
    """Walk parser events (iteratively, so it cannot overflow the stack) to bound nesting and refuse aliases."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(*_pos(event), f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            # Content is authored by people and read by many consumers; aliases make it harder to read and are
            # the vehicle of "billion laughs" expansion, so they are refused outright rather than budgeted.
            raise _Refused(*_pos(event), "YAML aliases (*name) are not allowed in content; repeat the value")


_scalar_constructor = yaml.constructor.SafeConstructor()


def _build(node: yaml.Node, keypath: tuple, marks: dict) -> Any:
    marks[keypath] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(*_pos(node), f"tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed")
        value = _scalar_constructor.construct_object(node, deep=True)
        if isinstance(value, _dt.datetime):
            value = value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
        return value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _Refused(*_pos(node), f"tag {node.tag!r} is not allowed")
        return [_build(child, keypath + (i,), marks) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _Refused(*_pos(node), f"tag {node.tag!r} is not allowed")
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(*_pos(key_node), "mapping keys must be plain scalars (no merge keys or complex keys)")
            key = _build(key_node, keypath + ("<key>",), {})
            if not isinstance(key, (str, int)):
                raise _Refused(*_pos(key_node), f"mapping key {key!r} must be a string")
            key = str(key)
            if key in out:
                raise _Refused(*_pos(key_node), f"duplicate key {key!r}")
            out[key] = _build(value_node, keypath + (key,), marks)
        return out
    raise _Refused(*_pos(node), "unsupported YAML node")  # pragma: no cover


def read_text(path: str, text: str) -> Document:
    """Parse YAML text already in memory; raises ContentError on any problem."""
    try:
        _precheck(text)
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            raise _Refused(1, 1, "file is empty")
        marks: dict = {}
        data = _build(node, (), marks)
    except _Refused as r:
        raise _as_error(path, r.line, r.col, r.message) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or e.context or "invalid YAML").strip()
        if "'\\t'" in problem or "tab" in problem.lower():
            problem = "tab character used for indentation; indent with spaces"
        raise _as_error(path, line, col, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as e:  # reader errors (control characters) have no problem_mark
        raise _as_error(path, 1, 1, f"YAML error: {str(e).splitlines()[0]}") from None
    except RecursionError:  # belt and braces: the precheck bounds depth first
        raise _as_error(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels") from None
    return Document(path, data, marks)


def read_file(file: Path, display: str) -> Document:
    """Read and parse one file from disk with size, encoding and binary checks first."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise _as_error(display, 1, 1, f"file is {size} bytes; the limit is {MAX_BYTES}")
    raw = file.read_bytes()
    if b"\x00" in raw:
        raise _as_error(display, 1, 1, "file contains NUL bytes; content files must be UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise _as_error(display, line, col, f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x})") from None
    if not text.strip():
        raise _as_error(display, 1, 1, "file is empty")
    return read_text(display, text)


class YamlError(Exception):
    def __init__(self, error: ContentError):
        self.error = error
        super().__init__(str(error))


def _as_error(path: str, line: int, col: int, message: str) -> YamlError:
    return YamlError(ContentError(path, line, col, message))
