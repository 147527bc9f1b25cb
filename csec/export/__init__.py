"""LMS exports of the approved quiz questions and vignettes: `csec export gift|moodle-xml|scorm --out DIR`, one file per module."""

from __future__ import annotations

import sys
from pathlib import Path

from csec.core.errors import ContentErrors
from csec.export import gift, moodle_xml, scorm
from csec.export.errors import ExportError, Format
from csec.export.outdir import replace_atomically
from csec.export.questions import lms_modules
from csec.training.corpus import checked

# The one list of formats: `csec export` offers exactly these (a new format registers its FORMAT here).
FORMATS: dict[str, Format] = {f.name: f for f in (gift.FORMAT, moodle_xml.FORMAT, scorm.FORMAT)}


def main(fmt: str, root: Path, out: Path) -> int:
    """Load ROOT's content and write FMT's files into OUT atomically; 0 on success, 1 with one line per problem."""
    try:
        corpus = checked(root)
    except ContentErrors as e:
        for error in e.errors:
            print(error, file=sys.stderr)
        return 1
    try:
        modules = lms_modules(corpus)
        if not modules:
            raise ExportError("no approved module has approved questions; nothing to export")
        writer = FORMATS[fmt]
        names = [f"{module.id}{writer.suffix}" for module in modules]
        # Only this format's files are replaced: `--out DIR` shared by several formats keeps the others' files.
        with replace_atomically(out, keep=lambda name: not name.endswith(writer.suffix)) as tmp:
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
