"""Publishing follows review status: an approved item may not show, link to, generate from or depend on an item
that is not approved, because the published site leaves that item out."""

from __future__ import annotations

from typing import Iterator

from csec.core import model as m
from csec.core.corpus import Corpus, Origin, references
from csec.core.errors import ContentError
from csec.core.site_view import STATUS_WORDS, status_of


def label(kind: str) -> str:
    """'red_flags' -> 'red flag', as an error message names an item's kind."""
    return m.KIND[kind].one


def where(origin: Origin, *sub) -> str:
    """'path:line:col' of an item (or of one of its keys), as a message names another place."""
    return origin.place(*sub)


def unapproved_target(corpus: Corpus, target_kind: str, target: str) -> tuple[str, str] | None:
    """(kind, id) of the item a reference resolves to when that item is not approved; None otherwise (approved,
    or unknown: the reference checks report those)."""
    if target_kind == "terms":
        target_kind, target = "definitions", corpus.term_index().get(target.lower(), "")
    elif target_kind == "cites":
        target_kind, target = "sources", target.partition("#")[0]
    item = corpus.items.get(target_kind, {}).get(target)
    if item is None or status_of(item) == "approved":
        return None
    return target_kind, target


def dependency_message(corpus: Corpus, who: str, target_kind: str, target: str) -> str:
    """'<who> depends on draft rule 'y' (content/policy/rules.yaml:40:5)'."""
    status = STATUS_WORDS[status_of(corpus.items[target_kind][target])]
    origin = corpus.origin(target_kind, target)
    # A county amendment that set the status is where the status is written (and where an author would change it).
    place = where(origin, "status") if "status" in origin.amended else where(origin)
    return (f"{who} depends on {status} {label(target_kind)} {target!r} "
            f"({place}); approve it first or leave this item unapproved")


def check_status(corpus: Corpus) -> Iterator[ContentError]:
    """One error per reference from an approved item to an unapproved one, at the referring place."""
    seen: set[tuple] = set()
    for ref in references(corpus):
        if status_of(corpus.items[ref.kind][ref.item_id]) != "approved":
            continue  # a draft may depend on anything; it is not published
        found = unapproved_target(corpus, ref.target_kind, ref.target)
        if found is None or found == (ref.kind, ref.item_id) or (ref.kind, ref.item_id, ref.path, found) in seen:
            continue
        seen.add((ref.kind, ref.item_id, ref.path, found))
        who = f"approved {label(ref.kind)} {ref.item_id!r}"
        yield corpus.origin(ref.kind, ref.item_id).error(dependency_message(corpus, who, *found), *ref.path)
