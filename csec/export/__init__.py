"""LMS exports of the approved quiz questions: `csec export gift|moodle-xml|scorm --out DIR`, one file per module."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ContentErrors
from .errors import ExportError

FORMATS = ("gift", "moodle-xml", "scorm")


def _writer(fmt: str):
    # Each format's module is imported only when asked for, so one format's needs never slow another.
    if fmt == "gift":
        from .gift import write
    elif fmt == "moodle-xml":
        from .moodle_xml import write
    else:
        from .scorm import write
    return write


def main(fmt: str, root: Path, out: Path) -> int:
    """Load ROOT's content and write FMT's files into OUT atomically; 0 on success, 1 with one line per problem."""
    from ..content import load
    from .outdir import replace_atomically
    from .questions import lms_modules

    try:
        corpus = load(root)
    except ContentErrors as e:
        for error in e.errors:
            print(error, file=sys.stderr)
        return 1
    try:
        modules = lms_modules(corpus)
        with replace_atomically(out) as tmp:
            for name in _writer(fmt)(modules, tmp):
                print(out / name)
    except ExportError as e:
        print(f"csec export {fmt}: {e}", file=sys.stderr)
        return 1
    for note in sorted({n for mod in modules for n in mod.notes(fmt)}):
        print(f"note: {note}", file=sys.stderr)
    return 0
