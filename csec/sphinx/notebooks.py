"""Notebook pages compute their output from the content and the kit's code, so they depend on those files too.

Without this, Sphinx would not re-read a module page after a scenario edit, because only the page's own text
is tracked; csec.build pairs it with an execution cache keyed by the same inputs so re-reading re-executes.
"""

from __future__ import annotations

from pathlib import Path

from ..content import content_files
from .corpus import content_root

CODE_DIRS = ("csec", "widgets")


def notebook_inputs(root: Path) -> list[Path]:
    """Every file a notebook page's output can depend on: content YAML and the kit's Python code."""
    files = list(content_files(root))
    for name in CODE_DIRS:
        files.extend(sorted(p for p in (root / name).rglob("*.py") if "__pycache__" not in p.parts))
    return files


def on_source_read(app, docname: str, source: list[str]) -> None:
    # MyST-NB text notebooks carry a kernelspec in their front matter; plain MyST pages do not.
    if "kernelspec:" not in source[0][:2000]:
        return
    for file in notebook_inputs(content_root(app)):
        app.env.note_dependency(str(file))
