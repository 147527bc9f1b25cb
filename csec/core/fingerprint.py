"""A short stable digest of one content item's model, so training can record which version of a rule it was written against."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

DIGEST_LENGTH = 12
# What an item says, not where it is in review: approving a rule does not make the training written against it stale.
REVIEW_STATE = {"status", "reviews"}


def fingerprint(item: BaseModel) -> str:
    """sha256 of the item's canonical JSON (aliases, sorted keys, no whitespace), first 12 hex digits.

    The model, not the YAML text, is hashed: reflowing a paragraph or reordering keys keeps the digest, while any
    change of meaning (a threshold, a word of the text, a citation) changes it; its review status and review records
    do not, and neither does a field the model gains later while an item leaves it at its default.
    """
    data = item.model_dump(mode="json", by_alias=True, exclude=REVIEW_STATE, exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def key(kind: str, item_id: str) -> str:
    """How a `written_against` entry names an item: 'rules/at_risk'."""
    return f"{kind}/{item_id}"
