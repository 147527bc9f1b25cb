"""Read-and-understood records for a substantive release: which releases ask for one, and a folder of the JSON
records readers download from the site turned into a roster for supervisors (`csec acknowledgements`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from csec.releases.edition import long_date
from csec.releases.edition import plain as _plain

RECORD_KEYS = ("release", "name", "acknowledged_at", "page_version")
ROSTER_COLUMNS = ("name", "release", "acknowledged_at", "file")


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
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
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
    for path in sorted(folder.rglob("*.json")):
        try:
            record = read_record(path)
        except ValueError as e:
            refused.append(f"{path}: {e}")
            continue
        if release is None or record["release"] == release:
            rows.append({"name": record["name"], "release": record["release"],
                         "acknowledged_at": record["acknowledged_at"], "file": path.relative_to(folder).as_posix()})
    rows.sort(key=lambda r: (r["release"], r["name"].lower(), r["acknowledged_at"]))
    return rows, refused


def roster_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROSTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
