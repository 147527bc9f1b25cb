"""The character check of `csec validate`: no character that XML 1.0 forbids (it would make a Moodle XML export
not XML at all) and no bidirectional control (it makes a word look like another) in any content text or book page.

The YAML reader already refuses such characters typed into a file; this check finds those written as escapes in
double quotes ("\\x1b", "\\0", "\\u202e"), which reach the parsed text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from csec.core.corpus import Corpus
from csec.core.document import Document, offset
from csec.core.errors import ContentError
from csec.core.inert import BIDI, XML_FORBIDDEN
from csec.core.pages import book_pages, position


def message(char: str) -> str:
    if BIDI.match(char):
        return (f"bidirectional control character U+{ord(char):04X} is not allowed in content text: it changes the "
                "order a reader sees, not the text; write the words in their natural order")
    return f"control character U+{ord(char):04X} is not allowed in content text"


def first_refused(text: str) -> int | None:
    """The offset of the first refused character in TEXT, or None."""
    found = [m.start() for m in (XML_FORBIDDEN.search(text), BIDI.search(text)) if m]
    return min(found) if found else None


# YAML's one-letter escapes in double quotes, by the character they stand for (YAML 1.2, section 5.7).
_NAMED = {0x00: "0", 0x07: "a", 0x08: "b", 0x0B: "v", 0x0C: "f", 0x1B: "e", 0x2028: "L", 0x2029: "P"}


def _hex(digits: str) -> str:
    return "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in digits)


def _escape_at(doc: Document, keypath: tuple, char: str) -> tuple[int, int]:
    """Where CHAR is written in the scalar at KEYPATH: the character itself, else its escape in double quotes
    ("\\x1b", "\\e", "\\u202e"), else the scalar's start."""
    start, end = doc.marks.get(keypath), doc.ends.get(keypath)
    if not (start and end and doc.text):
        return doc.mark(keypath)
    lines = doc.text.split("\n")
    begin, stop = offset(lines, *start), offset(lines, *end)
    literal = doc.text.find(char, begin, stop)
    if literal >= 0:
        return position(doc.text, literal)
    code = ord(char)
    spellings = [f"x{_hex(f'{code:02x}')}", f"u{_hex(f'{code:04x}')}", f"U{_hex(f'{code:08x}')}"]
    if code in _NAMED:
        spellings.append(re.escape(_NAMED[code]))
    # An escape is a backslash that is not itself escaped (an even run of backslashes before it).
    found = re.compile(r"(?<!\\)(?:\\\\)*(\\(?:" + "|".join(spellings) + "))").search(doc.text, begin, stop)
    return position(doc.text, found.start(1)) if found else start


def _strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """Every string in a parsed file with its key path, and whether it is a mapping key."""
    stack = [(path, data)]
    while stack:  # iterative: the reader bounds depth, but a walk should not lean on that
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value, False
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    yield where + (key,), key, True
                stack.append((where + (key,), item))
        elif isinstance(value, list):
            stack.extend((where + (i,), item) for i, item in enumerate(value))


def _documents(corpus: Corpus) -> list[Document]:
    """Every file the corpus was read from (the statewide files and the county files that amend them), once."""
    seen: dict[int, Document] = {}
    for origin in corpus.origins.values():
        for doc in [origin.doc, *(doc for doc, _ in origin.amended.values())]:
            seen.setdefault(id(doc), doc)
    return sorted(seen.values(), key=lambda d: d.path)


def check_corpus(corpus: Corpus) -> list[ContentError]:
    errors = []
    for doc in _documents(corpus):
        for keypath, text, is_key in _strings(doc.data):
            at = first_refused(text)
            if at is not None:
                char = text[at]
                line, col = doc.key_mark(keypath) if is_key else _escape_at(doc, keypath, char)
                errors.append(ContentError(doc.path, line, col, message(char)))
    return sorted(set(errors))


def check_pages(root: Path) -> list[ContentError]:
    errors = []
    for rel, text in book_pages(root):
        at = first_refused(text)
        if at is not None:
            errors.append(ContentError(rel, *position(text, at), message(text[at])))
    return errors
