"""Change sets: `changes/<id>/change.yaml` (title, summary, kind, effective date, status, reviews) and, beside it,
overlay files in the content format (`content/…`, `counties/<county>/content/…`), read over the approved content
when the edition being read includes them (csec.core.model.Edition)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from csec.core import model as m
from csec.core.errors import ContentError
from csec.load.counties import COUNTIES_DIR
from csec.load.schema import pydantic_error
from csec.load.yamlread import YamlError, read_file

CHANGES_DIR = "changes"
CHANGE_FILE = "change.yaml"
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Keys an item inside a change set may not carry: the change set's status and reviews are its items'.
OWN_KEYS = ("status", "reviews")


def folders(root: Path) -> list[Path]:
    """Every change set folder, by name."""
    base = root / CHANGES_DIR
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def read_change(folder: Path, root: Path) -> tuple[m.ChangeSet | None, list[ContentError]]:
    """The change set described in FOLDER/change.yaml, or None with the problems found."""
    display = (folder / CHANGE_FILE).relative_to(root).as_posix()
    if not ID.match(folder.name):
        return None, [ContentError(display, 1, 1, f"a change set's folder name is its id: lower-case letters, "
                                                  f"digits and '-' (not {folder.name!r})")]
    if not (folder / CHANGE_FILE).is_file():
        return None, [ContentError(display, 1, 1, "a change set holds change.yaml (title, summary, kind, effective, "
                                                  "status, reviews)")]
    try:
        doc = read_file(folder / CHANGE_FILE, display)
    except YamlError as e:
        return None, [e.error]
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        return None, [doc.error((), "change.yaml is a mapping: title, summary, kind, effective, status, reviews")]
    try:
        return m.ChangeSet.model_validate(data), []
    except ValidationError as e:
        return None, [pydantic_error(doc, (), data, m.ChangeSet, err) for err in e.errors()]


def overlay_files(folder: Path, county: str | None, yaml_files) -> Iterator[tuple[Path, str | None]]:
    """The change set's content files with the layer each changes (None: statewide; else the county), statewide
    first; another county's files are not read."""
    yield from ((p, None) for p in yaml_files(folder / "content"))
    if county is not None:
        yield from ((p, county) for p in yaml_files(folder / COUNTIES_DIR / county / "content"))


def in_force(root: Path, edition: m.Edition) -> list[str]:
    """The ids of the change sets EDITION includes (those whose change.yaml reads; the others are validate's to
    report): what a build on a given day publishes besides the base content."""
    found = {}
    for folder in folders(root):
        change, _ = read_change(folder, root)
        if change is not None and edition.includes(folder.name, change):
            found[folder.name] = change
    return in_order(found)


def in_order(changes: dict[str, m.ChangeSet]) -> list[str]:
    """Change set ids in the order they apply: by effective date, then id (a later change sees an earlier one)."""
    return sorted(changes, key=lambda cid: (changes[cid].effective, cid))
