"""Review histories read as plain data: the words for a decision, an item's last review, and the queue of items
waiting for a reviewer (what `csec review` prints and what the preview badges say)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csec.core import model as m

DECISION_WORDS = {"requested": "requested", "approve": "approved", "request_changes": "changes requested",
                  "reject": "rejected"}
WAITING = ("draft", "in_review")
NO_REVIEWER = "(no review requested)"


def last_review(item: Any):
    reviews = getattr(item, "reviews", None) or []
    return reviews[-1] if reviews else None


def review_words(review) -> str:
    """'UPE (union), requested 2025-02-05, pending' or 'UPE (union), 2025-03-01, approved'."""
    if review.decision == "requested":
        return f"{review.reviewer}, requested {review.date.isoformat()}, pending"
    return f"{review.reviewer}, {review.date.isoformat()}, {DECISION_WORDS[review.decision]}"


def last_review_words(item: Any) -> str | None:
    review = last_review(item)
    return f"last review: {review_words(review)}" if review is not None else None


@dataclass(frozen=True)
class Waiting:
    """One item in draft or in review, with whom it waits for and since when."""

    reviewer: str
    kind: str
    id: str
    title: str
    status: str
    path: str
    line: int
    since: dt.date | None
    days: int | None
    affects: list[str] | None = None  # a change set's: every item and answer it changes ("rules/x", ...)

    def as_dict(self) -> dict:
        extra = {"affects": self.affects} if self.affects is not None else {}
        return {"reviewer": self.reviewer, "kind": self.kind, "id": self.id, "title": self.title,
                "status": self.status, "path": self.path, "line": self.line,
                "requested": self.since.isoformat() if self.since else None, "days_waiting": self.days, **extra}


def waiting_for(kind: str, item_id: str, title: str, status: str, reviews: list, path: str, line: int,
                today: dt.date, affects: list[str] | None = None) -> Waiting:
    # Whom it waits for: the reviewer of the last request.
    request = next((r for r in reversed(reviews) if r.decision == "requested"), None)
    since = request.date if request else None
    return Waiting(reviewer=request.reviewer if request else NO_REVIEWER, kind=kind, id=item_id, title=title,
                   status=status, path=path, line=line, since=since, days=(today - since).days if since else None,
                   affects=affects)


def in_order(waiting: list[Waiting]) -> list[Waiting]:
    """Named reviewers first, alphabetically; then the longest waits first within each."""
    return sorted(waiting, key=lambda w: (w.reviewer == NO_REVIEWER, w.reviewer, -(w.days or -1), w.path, w.line))


def queue(corpus, today: dt.date) -> list[Waiting]:
    """Every draft or in-review item, grouped (sorted) by the reviewer of its last review request."""
    waiting: list[Waiting] = []
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            if getattr(item, "status", "approved") not in WAITING or (kind, item_id) not in corpus.origins:
                continue  # generated questions share their rule's origin and status; listed through the rule
            if getattr(item, "generated_from", None):
                continue
            origin = corpus.origin(kind, item_id)
            waiting.append(waiting_for(kind, item_id, " ".join(m.KIND[kind].name_of(item).split()), item.status,
                                       item.reviews, origin.path, origin.doc.mark(origin.keypath)[0], today))
    return in_order(waiting)


def queue_text(entries: list[Waiting]) -> str:
    if not entries:
        return "nothing awaits review: every item is approved"
    lines: list[str] = []
    reviewer = None
    for w in entries:
        if w.reviewer != reviewer:
            reviewer = w.reviewer
            count = sum(1 for e in entries if e.reviewer == reviewer)
            lines.append(f"{reviewer}: {count} item{'s' if count != 1 else ''}")
        waited = f"{w.days} day{'s' if w.days != 1 else ''} waiting" if w.days is not None else "never requested"
        lines.append(f"  {w.path}:{w.line}: {w.title} ({w.status.replace('_', ' ')}, {waited})")
        if w.affects:
            lines.append(f"    changes {len(w.affects)}: {', '.join(w.affects)}")
    return "\n".join(lines)
