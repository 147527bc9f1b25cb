"""The last-review mark a previewed item carries beside its status badge: 'last review: UPE, requested ..., pending'."""

from __future__ import annotations

from docutils import nodes

from csec.core.reviews import last_review_words


def last_review_badge(item) -> list[nodes.Node]:
    # Approved items carry no status badge, so they carry no review mark either (publish pages stay unchanged).
    if getattr(item, "status", "approved") == "approved":
        return []
    words = last_review_words(item)
    return [nodes.inline("", words, classes=["csec-last-review"])] if words else []
