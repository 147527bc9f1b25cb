"""Which edition of the policy a printed page belongs to: the newest approved release, or, before releases are
recorded, the newest effective date of the approved content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from csec.core.site_view import status_of


def plain(value: Any) -> Any:
    """A release (or a change) as a plain mapping: content/releases.yaml may give pydantic models or mappings."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    return value


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def long_date(date: dt.date) -> str:
    return f"{date.strftime('%B')} {date.day}, {date.year}"


@dataclass(frozen=True)
class Edition:
    release: str | None  # the release's title; None before releases are recorded
    effective: dt.date | None

    def words(self) -> str:
        """'Release 2026.1, effective March 1, 2026', or 'Policy effective November 13, 2020' without releases."""
        when = f"effective {long_date(self.effective)}" if self.effective else "effective date not recorded"
        return f"Release {self.release}, {when}" if self.release else f"Policy {when}"


def current_edition(corpus) -> Edition:
    releases = []
    for item in corpus.items.get("releases", {}).values():
        data = plain(item)
        if data.get("status", "approved") == "approved" and _date(data.get("effective")):
            releases.append((_date(data["effective"]), str(data.get("title") or data["id"])))
    if releases:
        effective, title = max(releases)
        return Edition(title, effective)
    dates = [item.effective for kind, items in corpus.items.items() if kind != "releases"
             for item in items.values() if status_of(item) == "approved" and getattr(item, "effective", None)]
    return Edition(None, max(dates, default=None))
