"""Read one YAML file into plain Python data plus a table of line/column marks, refusing anything unsafe or ambiguous.

PyYAML's own loaders lose positions, accept duplicate keys silently and expand aliases without limit, so this
module builds the data itself from the parser's event stream, in one iterative pass (no recursion, so no nesting
can overflow the stack, and no node graph is kept): every value it returns has its 1-based (line, col) recorded
under its key path, which is how a schema error deep inside a file still points at the right line.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from csec.core.document import Document
from csec.core.document import position as _position
from csec.core.errors import ContentError

try:  # the C parser is ~10x faster and still reports marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_STR = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
# Only the YAML core schema; anything else (!!python/object, !!binary, custom !tags) is refused, not constructed.
_CONSTRUCTORS = {tag: SafeConstructor.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp")}
_KIND_NAMES = {"tag:yaml.org,2002:int": "whole number", "tag:yaml.org,2002:float": "number",
               "tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:bool": "true/false value",
               "tag:yaml.org,2002:null": "null value"}
# YAML 1.1 also resolves a bare `<<` or `=` to the merge and value tags; as values they can only mean the text.
_TEXT_TAGS = {_MERGE, "tag:yaml.org,2002:value"}
# A private copy of PyYAML's implicit resolvers, so another library adding resolvers cannot change what we read.
_IMPLICIT = {first: list(pairs) for first, pairs in Resolver.yaml_implicit_resolvers.items()}
# YAML 1.1 wants a '.' in a float, so JSON's 1e+30 (and YAML 1.2's) would be read as the text '1e+30'; read as
# YAML 1.2 reads it, a number (which a whole-number fact then refuses as one).
_EXPONENT = ("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+$"))
for _first in "-+0123456789":
    _IMPLICIT.setdefault(_first, []).insert(0, _EXPONENT)
# Numbers are read as YAML 1.2's core schema writes them, in plain decimal only: YAML 1.1 would read 024 as 20,
# 0x11 and 1_7 as 17 and 1:30 as 90, none of which an author typing a number means.
_DECIMAL = {"tag:yaml.org,2002:int": re.compile(r"[-+]?(0|[1-9][0-9]*)"),
            "tag:yaml.org,2002:float": re.compile(r"[-+]?(0|[1-9][0-9]*)?(\.[0-9]+)?([eE][-+]?[0-9]+)?")}
_constructor = SafeConstructor()  # only its stateless scalar helpers are used (no object cache grows)

Path_ = tuple  # a key path such as ("definitions", 3, "cites", 0)


class _Refused(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _pos(event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _refuse_tag(event, tag: str) -> _Refused:
    return _Refused(*_pos(event), f"tag {_short_tag(tag)!r} is not allowed; content is plain YAML "
                                  "(text, numbers, dates, true/false, lists and mappings)")


def _scalar(event: ScalarEvent) -> tuple[Any, str]:
    """The value of a scalar event and its resolved tag, constructed the way PyYAML's safe loader would."""
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        tag = _STR
        if event.implicit[0]:  # plain (unquoted, untagged): resolved by its form, as YAML 1.1 does
            for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    tag = candidate
                    break
    if tag == _STR:
        return value, tag
    if tag in _TEXT_TAGS:
        return value, tag
    constructor = _CONSTRUCTORS.get(tag)
    if constructor is None:
        raise _refuse_tag(event, tag)
    decimal = _DECIMAL.get(tag)
    if decimal is not None and not (decimal.fullmatch(value) and any(c.isdigit() for c in value)):
        raise _Refused(*_pos(event), f"{_shown(value)} is not a plain decimal number (leading zeros, 0x/0o/0b, '_', "
                                     "':' and .inf/.nan are not read as numbers); write it in decimal digits, or "
                                     "quote it to mean text")
    try:
        data = constructor(_constructor, ScalarNode(tag, value, event.start_mark, event.end_mark, event.style))
    except Exception as e:  # noqa: BLE001 - one scalar's constructor; any failure means "not a valid <kind>"
        # e.g. 2016-02-30 (no such day), an integer too long to convert, `!!bool maybe` (KeyError) or
        # `!!timestamp soon` (AttributeError): PyYAML raises whatever its helper happens to hit.
        reason = str(e).splitlines()[0] if str(e) and not isinstance(e, (KeyError, AttributeError)) else \
            "not in the form YAML expects"
        raise _Refused(*_pos(event), f"{_shown(value)} is not a valid {_KIND_NAMES.get(tag, 'value')}: {reason}")
    if isinstance(data, _dt.datetime) and (data.hour, data.minute, data.second, data.microsecond) == (0, 0, 0, 0):
        data = data.date()
    return data, tag


def _build(text: str) -> tuple[Any, dict, dict, dict]:
    """Data, value marks and key marks from YAML text, refusing aliases, tags, merge keys, deep nesting, dupes."""
    marks: dict[tuple, tuple[int, int]] = {}
    key_marks: dict[tuple, tuple[int, int]] = {}
    ends: dict[tuple, tuple[int, int]] = {}
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0
    # One frame per open collection: [container, its keypath, is_mapping, pending key (mappings; None = expecting
    # a key)].
    stack: list[list] = []
    for event in yaml.parse(text, Loader=_Loader):
        cls = type(event)
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
            continue
        if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent or cls is AliasEvent:
            nodes += 1
            if nodes > MAX_NODES:
                raise _Refused(*_pos(event), f"file holds more than {MAX_NODES} values; split it into smaller files")
            if cls is AliasEvent:
                # Content is authored by people and read by many consumers; aliases make it harder to read and are
                # the vehicle of "billion laughs" expansion, so they are refused outright rather than budgeted.
                raise _Refused(*_pos(event), "YAML aliases (*name) are not allowed in content; repeat the value")
            frame = stack[-1] if stack else None
            if frame is not None and frame[2] and frame[3] is None:
                frame[3] = _key(event, frame, key_marks)
                continue
            if frame is None:
                keypath: tuple = ()
            elif frame[2]:
                keypath = frame[1] + (frame[3],)
            else:
                keypath = frame[1] + (len(frame[0]),)
            pos = _pos(event)
            marks[keypath] = pos
            if cls is ScalarEvent:
                value = _scalar(event)[0]
                if type(value) is str:
                    ends[keypath] = (event.end_mark.line + 1, event.end_mark.column + 1)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(*pos, f"nesting deeper than {MAX_DEPTH} levels; content never needs this much")
                tag = event.tag
                expected = _MAP_TAG if cls is MappingStartEvent else _SEQ_TAG
                if tag is not None and tag != "!" and tag != expected:
                    raise _refuse_tag(event, tag)
                value = {} if cls is MappingStartEvent else []
            if frame is None:
                root, have_root = value, True
            elif frame[2]:
                frame[0][frame[3]] = value
                frame[3] = None
            else:
                frame[0].append(value)
            if cls is not ScalarEvent:
                stack.append([value, keypath, cls is MappingStartEvent, None])
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(*_pos(event), "a content file holds one YAML document; remove the second '---'")
    if not have_root:
        raise _Refused(1, 1, "file is empty")
    return root, marks, key_marks, ends


def _key(event, frame: list, key_marks: dict) -> str:
    """A mapping key: a plain string (or integer, read as its text), never a complex, merge or duplicate key."""
    if type(event) is not ScalarEvent:
        raise _Refused(*_pos(event), "mapping keys must be plain text, not a list or mapping")
    key, tag = _scalar(event)
    if tag == _MERGE:
        raise _Refused(*_pos(event), "merge keys (<<) are not allowed in content; write the keys out in full")
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise _Refused(*_pos(event), f"mapping key {_shown(event.value)} is read as a {_KIND_NAMES.get(tag, 'value')}"
                                     ", not text; quote it")
    key = str(key)
    keypath = frame[1] + (key,)
    if key in frame[0] or keypath in key_marks:
        first = key_marks.get(keypath)
        where = f" (first at line {first[0]})" if first else ""
        raise _Refused(*_pos(event), f"duplicate key {_shown(key)}{where}")
    key_marks[keypath] = _pos(event)
    return key


def _syntax_message(text: str, e: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    mark = e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = " ".join((e.problem or e.context or "invalid YAML").split())
    # libyaml says "found character that cannot start any token" for a tab; name the real cause.
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "tab" in problem.split() or "\t" in indent or here[col - 1:col] == "\t":
        return line, col, "YAML syntax error: tab character used for indentation; indent with spaces"
    cm = e.context_mark
    if e.context and e.problem and cm is not None and (cm.line, cm.column) != (line - 1, col - 1):
        problem += f" ({' '.join(e.context.split())} that starts at line {cm.line + 1}, column {cm.column + 1})"
    return line, col, f"YAML syntax error: {problem}"


def read_text(path: str, text: str) -> Document:
    """Parse YAML text already in memory; raises YamlError (holding one ContentError) on any problem."""
    try:
        data, marks, key_marks, ends = _build(text)
    except _Refused as r:
        raise _as_error(path, r.line, r.col, r.message) from None
    except yaml.MarkedYAMLError as e:
        raise _as_error(path, *_syntax_message(text, e)) from None
    except yaml.reader.ReaderError:
        # Control characters. The error has no mark, and libyaml counts its position in bytes, so find the
        # character again with the reader's own pattern.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if found is None:  # pragma: no cover - the reader only refuses what the pattern matches
            raise _as_error(path, 1, 1, "file contains characters YAML does not allow") from None
        raise _as_error(path, *_position(text, found.start()),
                        f"control character U+{ord(found.group()):04X} is not allowed in content text") from None
    except yaml.YAMLError as e:
        raise _as_error(path, 1, 1, f"YAML error: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        raise _as_error(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels") from None
    return Document(path, data, marks, key_marks, ends, text)


def not_a_file(file: Path) -> str | None:
    """What FILE is when it is not a regular file ("a folder", "a named pipe (FIFO)", ...), found with stat only:
    opening a named pipe to read it would wait for a writer forever."""
    try:
        st = file.stat()
    except FileNotFoundError:
        return "a symbolic link whose target does not exist" if file.is_symlink() else "no longer there"
    except OSError as e:
        return f"unreadable ({e.strerror or type(e).__name__})"
    if stat.S_ISREG(st.st_mode):
        return None
    return {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
            stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}.get(stat.S_IFMT(st.st_mode), "not a regular file")


def read_limited(file: Path, display: str, limit: int, *, pipes: bool = False) -> bytes:
    """At most LIMIT + 1 bytes of FILE (more than LIMIT means too large), refusing anything but a regular file with
    one line: a named pipe (read only with PIPES, for `csec assess <(...)`) or a device (a link to /dev/zero) would
    wait forever or never end. The type is checked on the opened file (O_NONBLOCK: opening a pipe never waits), so
    swapping the file after a check changes nothing."""
    problem = not_a_file(file)
    pipe = pipes and problem == "a named pipe (FIFO)"
    if problem and not pipe:
        raise _as_error(display, 1, 1, f"this is {problem}, not a file; content files are plain UTF-8 text files")
    # A pipe that may be read is opened blocking: a non-blocking open would read end-of-file before its writer
    # (`<(...)`) has opened the other end.
    nonblocking = 0 if pipe else os.O_NONBLOCK
    try:
        fd = os.open(file, os.O_RDONLY | nonblocking | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise _as_error(display, 1, 1, f"cannot read the file: {e.strerror or type(e).__name__}") from None
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or (pipes and stat.S_ISFIFO(mode))):
            raise _as_error(display, 1, 1, "this is not a regular file; content files are plain UTF-8 text files")
        os.set_blocking(fd, True)
        try:
            return handle.read(limit + 1)
        except OSError as e:
            raise _as_error(display, 1, 1, f"cannot read the file: {e.strerror or type(e).__name__}") from None


def read_file(file: Path, display: str, *, pipes: bool = False) -> Document:
    """Read and parse one file from disk with type, size, encoding and binary checks first. A named pipe is read
    only with PIPES (`csec assess <(...)`); in content/ it is an error, never a wait."""
    raw = read_limited(file, display, MAX_BYTES, pipes=pipes)
    size = None
    if len(raw) > MAX_BYTES:
        try:
            size = file.stat().st_size
        except OSError:
            pass
    return read_bytes(raw, display, size)


def read_bytes(raw: bytes, display: str, size: int | None = None) -> Document:
    """Parse the bytes of a file (at most MAX_BYTES + 1 of them: more means too large; SIZE is its size when known)
    after the size, encoding and binary checks."""
    if len(raw) > MAX_BYTES:
        size_shown = f"{size} bytes" if size else "over the limit"
        raise _as_error(display, 1, 1, f"file is too large ({size_shown}); the limit is {MAX_BYTES} bytes, split it")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _as_error(display, 1, 1, "file is UTF-16; save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise _as_error(display, line, col, "file contains NUL bytes (binary data?); content files are UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise _as_error(display, line, col,
                        f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save it as UTF-8") from None
    if not text.strip():
        raise _as_error(display, 1, 1, "file is empty")
    return read_text(display, text)


class YamlError(Exception):
    def __init__(self, error: ContentError):
        self.error = error
        super().__init__(str(error))


def _as_error(path: str, line: int, col: int, message: str) -> YamlError:
    return YamlError(ContentError(path, line, col, " ".join(message.split())))
