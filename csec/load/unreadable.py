"""Keep a file that cannot be read from burying its own cause: references that would have resolved into it are not
reported one by one, only counted in a note after the cause."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from csec.core.errors import CAUSE, NOTE, ContentError
from csec.load.yamlread import MAX_BYTES, not_a_file

_TOP_KEY = re.compile(r"^([a-z_]+)\s*:", re.M)  # the kinds a file holds are its top-level keys, readable or not


@dataclasses.dataclass
class Unreadable:
    """A content file whose YAML could not be read: its error, and what it would have held."""

    error: ContentError
    kinds: set[str]
    text: str  # lower-cased, to tell whether a dangling reference names something written in it


def unreadable(file: Path, error: ContentError, scenario: bool) -> Unreadable:
    text = ""
    if not_a_file(file) is None:  # never open a named pipe: it would wait for a writer forever
        try:
            with open(file, "rb") as handle:
                text = handle.read(MAX_BYTES + 1).decode("utf-8", "replace")
        except OSError:
            pass
    kinds = {"scenarios"} if scenario else set(_TOP_KEY.findall(text))
    return Unreadable(dataclasses.replace(error, rank=CAUSE), kinds, text.lower())


def without_cascade(errors: list[ContentError], files: list[Unreadable]) -> list[ContentError]:
    """ERRORS with each dangling reference to something an unreadable file names replaced by one note per file."""
    if not files:
        return errors
    kept: list[ContentError] = []
    skipped: dict[int, dict[str, int]] = {}
    for error in errors:
        ref = error.refers_to
        owner = next((i for i, f in enumerate(files) if ref and ref[0] in f.kinds and ref[1].lower() in f.text), None)
        if owner is None:
            kept.append(error)
        else:
            counts = skipped.setdefault(owner, {})
            counts[ref[0]] = counts.get(ref[0], 0) + 1
    for i, f in enumerate(files):
        kept.append(f.error)
        if i in skipped:
            total = sum(skipped[i].values())
            kinds = ", ".join(sorted(skipped[i]))
            kept.append(dataclasses.replace(
                f.error, rank=NOTE, message=f"note: {total} reference{'s' if total != 1 else ''} into {kinds} not "
                                            "checked because this file could not be read"))
    return kept
