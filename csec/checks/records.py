"""Checks of the records kept about the content, run once the content itself is sound: each release's changes name items that exist, and no vignette or question was written against an item that has changed since."""

from __future__ import annotations

from csec.checks.written_against import check_corpus as stale_training
from csec.core import model as m
from csec.core.corpus import Corpus
from csec.core.errors import ContentError, known
from csec.load.counties import recorded


def release_references(corpus: Corpus) -> list[ContentError]:
    """A change names its items by kind and id; both must name something in the content."""
    errors: list[ContentError] = []
    for release in corpus.releases.values():
        origin = corpus.origin("releases", release.id)
        for i, change in enumerate(release.changes):
            for j, ref in enumerate(change.items):
                where = ("changes", i, "items", j)
                if ref.kind not in corpus.items:
                    errors.append(origin.error(f"unknown kind {ref.kind!r} ({known(corpus.items, ref.kind, 99)})",
                                               *where, "kind"))
                elif ref.id not in corpus.items[ref.kind]:
                    label = m.KIND[ref.kind].one
                    errors.append(origin.error(f"unknown {label} {ref.id!r} "
                                               f"({known(corpus.items[ref.kind], ref.id)})", *where, "id"))
    return errors


def check_records(corpus: Corpus) -> list[ContentError]:
    # Releases and training records were written against the corpus csec.yaml configures; read with another county
    # (or none) a record may name a county's item, or rely on one, which says nothing about the record being wrong.
    if corpus.county != recorded(corpus.root):
        return []
    return release_references(corpus) + stale_training(corpus)
