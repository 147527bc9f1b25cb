"""The character check of `csec validate`: no character that XML 1.0 forbids (it would make a Moodle XML export
not XML at all) and no bidirectional control (it makes a word look like another) in any content text or book page.

The YAML reader already refuses such characters typed into a file; this check finds those written as escapes in
double quotes ("\\x1b", "\\0", "\\u202e"), which reach the parsed text."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from csec.core.corpus import Corpus
from csec.core.document import Document
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
                line, col = doc.key_mark(keypath) if is_key else doc.locate(keypath, char)
                errors.append(ContentError(doc.path, line, col, message(char)))
    return sorted(set(errors))


def check_pages(root: Path) -> list[ContentError]:
    errors = []
    for rel, text in book_pages(root):
        at = first_refused(text)
        if at is not None:
            errors.append(ContentError(rel, *position(text, at), message(text[at])))
    return errors
