"""`csec confirm`: records that a vignette or question was reviewed against the current rules, by rewriting its `written_against` block in its YAML file in place.

The file's text is edited, never re-dumped, so everything outside the block (comments, quoting, wrapping, key order)
stays byte for byte; the result is read back to make sure it says what was meant.
"""

from __future__ import annotations

from csec.checks.written_against import GUARDED, current, hand_written
from csec.core.corpus import Corpus
from csec.load.yamlread import read_text
from csec.releases.yamledit import entry_indent, set_field


class ConfirmError(ValueError):
    """An id that names no hand-written vignette or question, or a file the block cannot be placed in."""


def targets(corpus: Corpus, ids: list[str]) -> list[tuple[str, str]]:
    """(kind, id) of the hand-written scenarios and questions to confirm; every one of them when IDS is empty."""
    every = [(kind, i) for kind in GUARDED for i in corpus.items[kind] if hand_written(corpus, kind, i)]
    if not ids:
        return every
    by_id = {i: (kind, i) for kind, i in every}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ConfirmError(f"no hand-written scenario or question {unknown[0]!r} (generated questions follow their "
                           "rule and need no confirming)")
    return [by_id[i] for i in dict.fromkeys(ids)]


def confirm(corpus: Corpus, ids: list[str]) -> list[tuple[str, str]]:
    """Rewrite the `written_against` block of each target; return (file, id) of those whose block changed."""
    changed: list[tuple[str, str]] = []
    by_file: dict[str, list[tuple[str, str]]] = {}
    for kind, item_id in targets(corpus, ids):
        by_file.setdefault(_block_origin(corpus, kind, item_id).path, []).append((kind, item_id))
    for path, items in by_file.items():
        file = corpus.root / path
        text = file.read_text(encoding="utf-8")
        # Bottom of the file first, so the line numbers of the items above stay valid.
        for kind, item_id in sorted(items, key=lambda ki: _block_origin(corpus, *ki).mark(), reverse=True):
            item = corpus.items[kind][item_id]
            block = current(corpus, kind, item)
            if block == item.written_against:
                continue
            text = replace_block(text, _block_origin(corpus, kind, item_id), block)
            changed.append((path, item_id))
        check_rewrite(path, text, corpus, by_file[path])
        file.write_text(text, encoding="utf-8")
    return changed


def _block_origin(corpus: Corpus, kind: str, item_id: str):
    """The entry whose `written_against` records the item in this corpus: a county amendment's, for an item the
    county amended (its answers are the county's), else the item's own."""
    return corpus.origin(kind, item_id).holder("written_against")


def replace_block(text: str, origin, block: dict[str, str]) -> str:
    """TEXT with ORIGIN's item's `written_against` block replaced by BLOCK (appended to the item when absent)."""
    _, indent = entry_indent(origin.doc, origin.keypath)
    # Digests are quoted: one that is all digits would otherwise read back as a number.
    new = [" " * indent + "written_against:\n"] + [f'{" " * (indent + 2)}{k}: "{v}"\n' for k, v in block.items()]
    if not block:
        new = [" " * indent + "written_against: {}\n"]
    return set_field(text, origin.doc, origin.keypath, "written_against", new)


def check_rewrite(path: str, text: str, corpus: Corpus, items: list[tuple[str, str]]) -> None:
    """Read the rewritten text back: each item must carry exactly its new block, and nothing else may move."""
    doc = read_text(path, text)
    for kind, item_id in items:
        origin = _block_origin(corpus, kind, item_id)
        before, after = origin.doc.data, doc.data
        for step in origin.keypath:
            before, after = before[step], after[step]
        wanted = current(corpus, kind, corpus.items[kind][item_id])
        rest = {k: v for k, v in before.items() if k != "written_against"}
        if after.get("written_against") != wanted or {k: v for k, v in after.items() if k != "written_against"} != rest:
            raise ConfirmError(f"{path}: cannot place the written_against block of {item_id!r} (unusual layout)")
