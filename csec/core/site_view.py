"""The corpus a site or a trainee sees: approved items only when publishing (and in Jupyter), every item in a
preview build, where consumers mark each unapproved one with its status."""

from __future__ import annotations

import dataclasses
import os

from csec.core.corpus import Corpus

STATUS_WORDS = {"draft": "draft", "in_review": "in review", "approved": "approved"}
# Set by csec.site.build for the Sphinx child and the notebook kernels it starts: "publish" or "preview".
SITE_MODE = "CSEC_SITE_MODE"


def status_of(item) -> str:
    return getattr(item, "status", "approved")


def approved_only(corpus: Corpus) -> Corpus:
    """A corpus holding the approved items only, so a consumer (the engine included) cannot reach any other.

    Validation guarantees no approved item depends on an unapproved one, so the view is self-consistent."""
    cached = getattr(corpus, "_approved_view", None)
    if cached is None:
        items = {kind: {i: item for i, item in found.items() if status_of(item) == "approved"}
                 for kind, found in corpus.items.items()}
        cached = dataclasses.replace(corpus, items=items)
        corpus.__dict__["_approved_view"] = cached
    return cached


def preview_of(corpus: Corpus) -> Corpus:
    """The whole corpus, marked as a preview: consumers show unapproved items too, each with its status."""
    cached = getattr(corpus, "_preview_view", None)
    if cached is None:
        cached = dataclasses.replace(corpus, preview=True)
        corpus.__dict__["_preview_view"] = cached
    return cached


def for_site(corpus: Corpus, preview: bool | None = None) -> Corpus:
    """The view for a build (PREVIEW given) or, by default, for the build this process runs in ($CSEC_SITE_MODE);
    outside a preview build that is the approved content, as trainees and the published site see it."""
    if preview is None:
        preview = os.environ.get(SITE_MODE) == "preview"
    return preview_of(corpus) if preview else approved_only(corpus)


def rules_as_of(corpus: Corpus) -> str:
    """Which rules a corpus answers with, as `csec assess --json` and window.csec.assess say it (DESIGN.md):
    "preview" (drafts and proposed change sets included), the date asked for, or "published"."""
    edition = corpus.edition
    if corpus.preview or (edition is not None and edition.preview):
        return "preview"
    return edition.label if edition is not None else "published"


def visible(corpus: Corpus, item) -> bool:
    return corpus.preview or status_of(item) == "approved"
