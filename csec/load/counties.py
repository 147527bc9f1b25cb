"""Which county overlay the content is read with: `--county ID|none` (the CLI sets $CSEC_COUNTY), else $CSEC_COUNTY,
else `county:` in the root file csec.yaml, else none (the statewide baseline alone).

A county's overlay lives in counties/<id>/content/{policy,questions,scenarios}/, in the same format as content/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from csec.core.errors import ContentError
from csec.load.yamlread import YamlError, read_file

CONFIG_FILE = "csec.yaml"
ENV = "CSEC_COUNTY"
NONE = "none"  # what --county and $CSEC_COUNTY say for the statewide baseline alone
STATEWIDE = "statewide"  # the layer of every item read from content/
COUNTIES_DIR = "counties"
ID = re.compile(r"[a-z0-9-]+")  # a county id is a folder name under counties/, never a path


class CountyError(ValueError):
    """The configured county cannot be used; carries one `path:line:col: message` ContentError."""

    def __init__(self, error: ContentError):
        super().__init__(str(error))
        self.error = error


def overlay_dir(root: Path, county: str) -> Path:
    return root / COUNTIES_DIR / county / "content"


def known(root: Path) -> list[str]:
    folder = root / COUNTIES_DIR
    return sorted(p.parent.name for p in folder.glob("*/content")
                  if p.is_dir() and ID.fullmatch(p.parent.name)) if folder.is_dir() else []


def _configured_in_file(root: Path) -> tuple[str | None, ContentError | None]:
    """csec.yaml's `county:` and where it is written (for errors), or (None, None) when there is no such file."""
    file = root / CONFIG_FILE
    if not file.is_file():
        return None, None
    try:
        doc = read_file(file, CONFIG_FILE)
    except YamlError as e:
        raise CountyError(e.error) from None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict) or set(data) - {"county"}:
        extra = sorted(set(data) - {"county"}) if isinstance(data, dict) else []
        where = (extra[0],) if extra else ()
        raise CountyError(doc.error(where, "csec.yaml holds one key, 'county:' (a county id, or none)"))
    value = data.get("county")
    if value is not None and not isinstance(value, str):
        raise CountyError(doc.error(("county",), "county: is a county id such as los-angeles, or none"))
    return value, doc.error(("county",), "")


def resolve(root: Path, county: str | None = None) -> str | None:
    """The county id whose overlay applies (None: statewide only), checked to exist; COUNTY, when given, wins."""
    where: ContentError | None = None
    if county is None:
        county = os.environ.get(ENV) or None
    if county is None:
        county, where = _configured_in_file(root)
    if county is None or county == NONE:
        return None
    names = ", ".join(known(root)) or "none"
    if not ID.fullmatch(county):
        message = (f"county {county!r} is not a county id: an id is the name of a folder under {COUNTIES_DIR}/ "
                   f"(a-z, 0-9 and -), never a path (known: {names}, or {NONE})")
    elif county not in known(root):
        message = f"no county overlay {county!r}: {COUNTIES_DIR}/{county}/content/ does not exist (known: {names})"
    else:
        return county
    if where is not None:
        raise CountyError(ContentError(where.path, where.line, where.col, message))
    # Given on the command line or in $CSEC_COUNTY: the error names the county's folder, and never a value that is
    # not an id as a path.
    raise CountyError(ContentError(f"{COUNTIES_DIR}/{county}" if ID.fullmatch(county) else COUNTIES_DIR, 1, 1,
                                   message))


def recorded(root: Path) -> str | None:
    """The county of csec.yaml alone (None: statewide): the corpus training records are confirmed against."""
    county, _ = _configured_in_file(root)
    return None if county in (None, NONE) else county


def county_name(county: str) -> str:
    """How the site names a county's layer: 'los-angeles' -> 'Los Angeles County'."""
    return " ".join(word.capitalize() for word in county.split("-")) + " County"


def layer_name(layer: str) -> str:
    return "statewide" if layer == STATEWIDE else county_name(layer)
