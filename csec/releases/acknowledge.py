"""Read-and-understood records for a substantive release: which releases ask for one, and a folder of the JSON
records readers download from the site turned into a roster for supervisors (`csec acknowledgements`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from csec.core.errors import one_line
from csec.core.inert import TERMINAL_CONTROL, spreadsheet_cell
from csec.load.jsonread import read_json
from csec.releases.edition import long_date
from csec.releases.edition import plain as _plain

RECORD_KEYS = ("release", "name", "acknowledged_at", "page_version")
ROSTER_COLUMNS = ("name", "release", "acknowledged_at", "file")
# A record the site writes is a few hundred bytes and one level deep; anything far past that is not a record, and
# reading it whole (a 300 MB file) or parsing it recursively (100,000 nested '[') must not be tried.
RECORD_MAX_BYTES = 64_000


@dataclass(frozen=True)
class Release:
    id: str
    title: str  # the authors' working title (what the review was about), not what a reader knows it by
    effective: str | None
    version: str  # which text the reader acknowledged: a digest of the release as published

    @property
    def name(self) -> str:
        """What a reader calls the release: 'the December 2026 release' (by its effective month), else its id."""
        when = self._date()
        return f"the {when.strftime('%B')} {when.year} release" if when else f"release {self.id}"

    @property
    def effective_words(self) -> str | None:
        """The effective date in words, as the rest of the site writes dates ('December 1, 2026')."""
        when = self._date()
        return long_date(when) if when else None

    def _date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.effective) if self.effective else None
        except ValueError:
            return None


def substantive_releases(corpus) -> list[Release]:
    """Releases with at least one substantive change, newest effective date first."""
    found = []
    for item in corpus.items.get("releases", {}).values():
        data = _plain(item)
        if not any(_plain(c).get("class") == "substantive" for c in data.get("changes") or []):
            continue
        effective = data.get("effective")
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:12]
        found.append(Release(str(data["id"]), str(data.get("title") or data["id"]),
                             str(effective) if effective else None, digest))
    return sorted(found, key=lambda r: r.effective or "", reverse=True)


def read_record(path: Path) -> dict:
    """One downloaded record, checked; raises ValueError with the reason it is refused."""
    data = read_json(path, "a record", RECORD_MAX_BYTES)
    if not isinstance(data, dict):
        raise ValueError(f"a record is a JSON object with keys {', '.join(RECORD_KEYS)}")
    missing = [k for k in RECORD_KEYS if k not in data]
    extra = sorted(set(data) - set(RECORD_KEYS))
    if missing or extra:
        what = "; ".join(filter(None, [f"missing {', '.join(missing)}" if missing else "",
                                       f"unknown {', '.join(extra)}" if extra else ""]))
        raise ValueError(f"{what} (a record has {', '.join(RECORD_KEYS)})")
    for key in RECORD_KEYS:
        if not isinstance(data[key], str) or not data[key].strip():
            raise ValueError(f"{key} must be non-empty text")
        control = TERMINAL_CONTROL.search(data[key])
        if control:  # the site's form never writes one; a terminal or spreadsheet would act on it
            raise ValueError(f"{key} holds the control character U+{ord(control.group()):04X}")
    try:
        when = dt.datetime.fromisoformat(data["acknowledged_at"].replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"acknowledged_at is not an ISO 8601 timestamp: {data['acknowledged_at'][:40]!r}") from None
    if when.tzinfo is None:
        raise ValueError("acknowledged_at has no time zone (the site writes UTC, ending in Z)")
    return {**data, "name": " ".join(data["name"].split())}


def roster(folder: Path, release: str | None = None) -> tuple[list[dict], list[str]]:
    """(rows, refusals): one row per valid record (of RELEASE, if given), one 'path: message' per refused file."""
    rows, refused = [], []
    # Any case of the suffix: a record saved as X.JSON is a record, not silently left out.
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".json"):
        try:
            record = read_record(path)
        except ValueError as e:
            refused.append(one_line(str(path), str(e)))
            continue
        if release is None or record["release"] == release:
            rows.append({"name": record["name"], "release": record["release"],
                         "acknowledged_at": record["acknowledged_at"], "file": path.relative_to(folder).as_posix()})
    rows.sort(key=lambda r: (r["release"], r["name"].lower(), r["acknowledged_at"]))
    return rows, refused


def roster_csv(rows: list[dict]) -> str:
    """The roster as CSV, every cell safe to open in a spreadsheet (a name such as =HYPERLINK(...) stays text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    writer.writerows([spreadsheet_cell(row[column]) for column in ROSTER_COLUMNS] for row in rows)
    return out.getvalue()


def write_roster(out: Path, text: str) -> None:
    """Write the roster TEXT to OUT, replacing it whole, only when OUT is new or a roster this command wrote (its
    first line is the roster's header): a mistyped --out never overwrites someone's file. Raises ValueError."""
    header = ",".join(ROSTER_COLUMNS)
    if out.is_dir():
        raise ValueError("is a folder; --out names the roster file to write")
    if out.exists() or out.is_symlink():
        try:
            with open(out, "rb") as existing:
                first = existing.read(len(header) + 1)
        except OSError as e:
            raise ValueError(f"exists and cannot be read ({e.strerror}); choose a new file name") from None
        if not out.is_file() or first.rstrip(b"\r\n") != header.encode():
            raise ValueError("exists and is not a roster csec acknowledgements wrote; choose a new file name")
    if not out.parent.is_dir():
        raise ValueError(f"folder {out.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as e:
        raise ValueError(f"cannot write here: {e.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)  # whole or not at all: a full disk leaves the previous roster as it was
    except OSError as e:
        raise ValueError(f"cannot write: {e.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
