"""Checks on review histories: an approved item's last review approved it, and each history runs in date order."""

from __future__ import annotations

from csec.core.errors import ContentError
from csec.core.reviews import DECISION_WORDS


def check_corpus(corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            reviews = getattr(item, "reviews", None) or []
            if not reviews or (kind, item_id) not in corpus.origins:
                continue
            origin = corpus.origin(kind, item_id)
            for i in range(1, len(reviews)):
                if reviews[i].date < reviews[i - 1].date:
                    line, col = origin.mark("reviews", i - 1, "date")
                    errors.append(origin.error(
                        f"review dated {reviews[i].date.isoformat()} comes after one dated "
                        f"{reviews[i - 1].date.isoformat()} (line {line}:{col}); list reviews oldest first",
                        "reviews", i, "date"))
            last = reviews[-1]
            if getattr(item, "status", None) == "approved" and last.decision != "approve":
                where = origin.place("reviews", len(reviews) - 1, "decision")
                errors.append(origin.error(
                    f"{item_id!r} has status 'approved' but its last review ({where}: "
                    f"{last.reviewer}, {last.date.isoformat()}) is {DECISION_WORDS[last.decision]!r}, not approved; "
                    "set status: in_review or record the approving review", "status"))
    return errors
