"""What every export format shares: the one error an export reports (a sentence saying what cannot be written and
why, printed as one line), and the record a format registers itself with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Format:
    """An export format as `csec export NAME` knows it: the file each module becomes and how it is written."""

    name: str  # the command's word: csec export NAME
    suffix: str  # each module's file: <module-id><suffix>
    describe: str  # for the command's help
    write_module: Callable[..., None]  # write_module(module, path)


class ExportError(Exception):
    """An export that cannot be written (an unusable output folder, a question an LMS cannot take)."""
