"""The mark an item from a county overlay carries on the site ('Los Angeles County'), and the note on each page
showing such items that says which layers its items come from."""

from __future__ import annotations

from docutils import nodes

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.load.counties import COUNTIES_DIR, STATEWIDE, county_name, layer_name

_KIND_OF = {model: kind for kind, model in m.KINDS.items()}
LAYERS = "csec_layers"  # a page's doctree attribute: the layers of the items rendered on it, in order


def layer_of(corpus: Corpus, item) -> str:
    kind = _KIND_OF.get(type(item))
    return corpus.layer(kind, item.id) if kind is not None else STATEWIDE


def county_badge(corpus: Corpus, item, document: nodes.document) -> list[nodes.Node]:
    """The county badge of a county item (none for a statewide one); notes the item's layer on the page."""
    layer = layer_of(corpus, item)
    seen = document.get(LAYERS, [])
    if layer not in seen:
        document[LAYERS] = [*seen, layer]
    if layer == STATEWIDE:
        return []
    return [nodes.inline("", county_name(layer), classes=["csec-county", f"csec-county-{layer}"])]


def on_doctree_read(app, doctree: nodes.document) -> None:
    """Add the layers note to a page that shows county items, at the end of its first section."""
    layers = doctree.get(LAYERS, [])
    counties = [layer for layer in layers if layer != STATEWIDE]
    if not counties:
        return
    named = ", ".join(county_name(c) for c in counties)
    sources = "; ".join(f"{layer_name(layer)}" + ("" if layer == STATEWIDE else f" ({COUNTIES_DIR}/{layer}/)")
                        for layer in sorted(layers, key=lambda layer: layer != STATEWIDE))
    note = nodes.admonition("", classes=["csec-layers", "note"])
    note += nodes.title("", "Statewide and county content")
    note += nodes.paragraph("", f"This page shows content from these layers: {sources}. Items marked “{named}” "
                                "are that county's own procedures, added to or replacing the statewide minimum.")
    sections = [n for n in doctree.children if isinstance(n, nodes.section)]
    (sections[0] if sections else doctree).append(note)
