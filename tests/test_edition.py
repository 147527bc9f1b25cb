"""The edition a printed page names: the newest approved release by effective date, before and after releases are
recorded in content/releases.yaml (mappings or models), else the newest effective date of approved content."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from csec.releases.edition import Edition, current_edition


def _corpus(releases=None, **dated):
    items = {"sections": {k: SimpleNamespace(status=s, effective=d) for k, (s, d) in dated.items()}}
    if releases is not None:
        items["releases"] = releases
    return SimpleNamespace(items=items)


def test_without_releases_the_newest_approved_effective_date():
    corpus = _corpus(a=("approved", dt.date(2016, 9, 29)), b=("approved", dt.date(2020, 11, 13)),
                     c=("draft", dt.date(2024, 1, 1)))
    assert current_edition(corpus) == Edition(None, dt.date(2020, 11, 13))
    assert current_edition(corpus).words() == "Policy effective November 13, 2020"


def test_the_newest_approved_release_wins_over_a_newer_draft():
    releases = {"r1": {"id": "2025-1", "title": "2025.1", "effective": "2025-03-01", "status": "approved"},
                "r2": {"id": "2025-2", "title": "2025.2", "effective": dt.date(2025, 9, 1), "status": "approved"},
                "r3": {"id": "2026-1", "title": "2026.1", "effective": "2026-01-01", "status": "in_review"}}
    edition = current_edition(_corpus(releases, a=("approved", dt.date(2020, 11, 13))))
    assert edition.words() == "Release 2025.2, effective September 1, 2025"


def test_an_empty_releases_kind_falls_back_to_the_content_dates():
    assert current_edition(_corpus({}, a=("approved", dt.date(2016, 9, 29)))).effective == dt.date(2016, 9, 29)
