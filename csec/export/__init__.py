"""LMS exports of the approved quiz questions: `csec export gift|moodle-xml|scorm --out DIR`, one file per module."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ContentErrors
from .errors import ExportError

FORMATS = ("gift", "moodle-xml", "scorm")


def _writer(fmt: str):
    """The format's module: its file SUFFIX and write_module(module, path). Imported only when asked for."""
    if fmt == "gift":
        from . import gift as writer
    elif fmt == "moodle-xml":
        from . import moodle_xml as writer
    else:
        from . import scorm as writer
    return writer


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
        if not modules:
            raise ExportError("no approved module has approved questions; nothing to export")
        writer = _writer(fmt)
        names = [f"{module.id}{writer.SUFFIX}" for module in modules]
        with replace_atomically(out) as tmp:
            for module, name in zip(modules, names):
                writer.write_module(module, tmp / name)
    except ExportError as e:
        print(f"csec export {fmt}: {e}", file=sys.stderr)
        return 1
    for name in names:
        print(out / name)  # only once the folder is in place
    for note in sorted({n for mod in modules for n in mod.notes(fmt)}):
        print(f"note: {note}", file=sys.stderr)
    return 0
