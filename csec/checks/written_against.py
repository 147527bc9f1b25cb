"""The stale-training guard: flags a vignette or question whose recorded `written_against` digests no longer match the items it relies on.

Only what was recorded is judged: an item recorded that has changed or gone is flagged; an item the vignette or
question has come to rely on since (a new rule citing the same paragraph) is not, since nothing it was written
against changed. `csec confirm` records the current set (csec.engine.dependencies) either way.
"""

from __future__ import annotations

from csec.core.corpus import Corpus
from csec.core.errors import ContentError
from csec.core.fingerprint import fingerprint, key
from csec.engine.dependencies import depends_on

GUARDED = ("scenarios", "questions")


def hand_written(corpus: Corpus, kind: str, item_id: str) -> bool:
    """True for items written in their own YAML entry (generated questions point at their rule's entry instead)."""
    origin = corpus.origin(kind, item_id)
    return kind == "scenarios" or (origin.keypath[:1] == ("questions",))


def current(corpus: Corpus, kind: str, item) -> dict[str, str]:
    """The `written_against` block an author confirming ITEM now would record: 'kind/id' -> digest."""
    return {key(k, i): fingerprint(corpus.items[k][i]) for k, i in depends_on(corpus, kind, item)}


def _before_change(corpus: Corpus, kind: str, item_id: str) -> str | None:
    """The digest of the item as it was before a change set changed it (None: no change set did, or one added it).
    Training written against that version stays current: the change set's review lists the training it affects,
    and folding it into the base files confirms the records anew."""
    before = corpus.before_change.get((kind, item_id))
    return fingerprint(before) if before is not None else None


def check_corpus(corpus: Corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    for kind in GUARDED:
        for item in corpus.items[kind].values():
            if item.written_against is None or not hand_written(corpus, kind, item.id):
                continue
            now = current(corpus, kind, item)
            doc, where = corpus.origin(kind, item.id).at("written_against")
            label = "vignette" if kind == "scenarios" else "question"
            hint = f"review the {label}, then run 'csec confirm {item.id}'"
            messages = []
            for name, digest in item.written_against.items():
                target_kind, _, target_id = name.partition("/")
                if target_id not in corpus.items.get(target_kind, {}):
                    messages.append(f"{label} {item.id!r} was written against {name}, which no longer exists")
                elif digest == _before_change(corpus, target_kind, target_id):
                    continue  # a change set changed it: approving the change set reviewed what it affects
                elif fingerprint(corpus.items[target_kind][target_id]) != digest:
                    gone = "" if name in now else " and no longer applies to it"
                    messages.append(f"{label} {item.id!r} was written against {name} {digest}, which has changed "
                                    f"(now {fingerprint(corpus.items[target_kind][target_id])}){gone}")
            errors += [doc.key_error(where, f"{message}; {hint}") for message in messages]
    return errors
