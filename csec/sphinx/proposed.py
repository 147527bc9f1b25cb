"""The preview's redlines: on the page that shows an item a change set amends (or adds), a "Proposed change" box
with each changed field, the published words struck (`<del>`) and the proposed words inserted (`<ins>`), and, on
every page, a banner saying the page is a preview and not the published policy. Preview builds only: the published
site never carries either.

The published text is what `csec build` publishes on the day of the build (approved content and the change sets in
force that day, csec.core.model.Edition); the preview's corpus holds every change set. Review records (`reviews`,
`status` of items) are for policy staff and never shown in a redline.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.core.errors import ContentErrors
from csec.core.redline import ops as redline_ops
from csec.core.site_view import STATUS_WORDS, approved_only
from csec.load import counties
from csec.load.changesets import CHANGE_FILE, CHANGES_DIR
from csec.load.loader import load
from csec.releases.changes import field_changes
from csec.releases.rule_changes import compare as compare_rules
from csec.sphinx import xref
from csec.sphinx.changes import shown_value
from csec.sphinx.corpus import corpus_of, depend_on_files, item_files
from csec.sphinx.status import preview

PRIVATE_FIELDS = ("reviews", "status")  # review metadata: never in a redline
BANNER = "csec_preview_banner"  # the html-page-context value the announcement template reads


class csec_del(nodes.inline):
    """Words the change removes: `<del>` in HTML."""


class csec_ins(nodes.inline):
    """Words the change adds: `<ins>` in HTML."""


def _visit(tag: str):
    return lambda self, node: self.body.append(f"<{tag}>")


def _depart(tag: str):
    return lambda self, node: self.body.append(f"</{tag}>")


# --- what is published, for comparison ----------------------------------------------------------------------

def published_corpus(corpus: Corpus) -> Corpus | None:
    """The approved content as `csec build` publishes it on the day of this build, with CORPUS's county; None when
    it does not load (the preview's own validation has reported on the content already)."""
    cached = corpus.__dict__.get("_csec_published", False)
    if cached is not False:
        return cached
    try:
        published = approved_only(load(corpus.root, county=corpus.county or counties.NONE,
                                       edition=m.Edition.of_build(False)))
    except ContentErrors:
        published = None
    corpus.__dict__["_csec_published"] = published
    return published


def _rule_fields(published: Corpus, corpus: Corpus, old: m.Rule, new: m.Rule) -> list[dict]:
    """A rule's condition and deadline, in words, where they changed (its `when` is compared on the model)."""
    out = []
    rule = compare_rules(published, corpus, old, new)
    if "condition" in rule:
        old_words, new_words = rule["condition"]["old"], rule["condition"]["new"]
        out.append({"field": "condition", "ops": redline_ops(str(old_words), str(new_words))})
    if "deadline" in rule:
        words = [(d or {}).get("words", "none") for d in (rule["deadline"]["old"], rule["deadline"]["new"])]
        out.append({"field": "deadline", "ops": redline_ops(*words)})
    return out


def changes_shown(corpus: Corpus, published: Corpus, kind: str, item_id: str) -> list[dict] | None:
    """The fields of (KIND, ITEM_ID) that the preview shows differently from the published site: [] when nothing
    differs, None when the item is not published at all (a change set adds it)."""
    new = corpus.items.get(kind, {}).get(item_id)
    old = published.items.get(kind, {}).get(item_id)
    if new is None:
        return []
    if old is None:
        return None
    fields = [f for f in field_changes(kind, old, new) if f["field"].split(".")[0] not in PRIVATE_FIELDS]
    if kind == "rules":
        fields = _rule_fields(published, corpus, old, new) + fields
    return fields


# --- the box ----------------------------------------------------------------------------------------------------

def _field(field: dict) -> nodes.paragraph:
    para = nodes.paragraph("", "", nodes.strong("", f"{field['field']}: "), classes=["csec-redline"])
    if "ops" in field:
        for op in field["ops"]:
            if op["op"] == "equal":
                para += nodes.Text(op["text"])
            else:
                para += (csec_del if op["op"] == "delete" else csec_ins)("", op["text"])
    else:
        if field.get("old") is not None:
            para += csec_del("", shown_value(field["old"]))
        if field.get("new") is not None:
            para += csec_ins("", shown_value(field["new"]))
    return para


def _status_words(change: m.ChangeSet) -> str:
    effective = f"{change.effective.strftime('%B')} {change.effective.day}, {change.effective.year}"
    return f"{STATUS_WORDS[change.status]}, to take effect {effective}"


def proposed_box(corpus: Corpus, change_id: str, kind: str, fields: list[dict] | None) -> nodes.admonition:
    change = corpus.change_sets.get(change_id)
    box = nodes.admonition("", classes=["csec-proposed", "note"])
    title = f"Proposed change: {change.title}" if change is not None else f"Proposed change: {change_id}"
    box += nodes.title("", "", nodes.Text(title + " "),
                       nodes.inline("", f"change set: {_status_words(change)}" if change is not None else
                                    "change set", classes=["csec-status", "csec-status-change-set"]))
    if fields is None:
        box += nodes.paragraph("", f"This {m.KIND[kind].shown} is new: the change set adds it; the published "
                                   "site does not show it yet.", classes=["csec-proposed-new"])
        return box
    box += nodes.paragraph("", "Published words struck through, proposed words underlined:",
                           classes=["csec-proposed-lead"])
    for field in fields:
        box += _field(field)
    return box


def _place(document: nodes.document, node: nodes.Element | None, box: nodes.Element) -> None:
    """Put BOX with the item's rendering NODE: inside a section (after its title), a glossary term's definition, a
    table row's text or a container; otherwise right after it; with no node (an item the page shows in raw HTML,
    a player's vignette), at the top of the page's first section."""
    if node is None or node.parent is None:
        sections = [n for n in document.children if isinstance(n, nodes.section)]
        holder = sections[0] if sections else document
        at = 1 if holder.children and isinstance(holder.children[0], nodes.title) else 0
        holder.insert(at, box)
    elif isinstance(node, nodes.section):
        at = 1 if node.children and isinstance(node.children[0], nodes.title) else 0
        node.insert(at, box)
    elif isinstance(node, nodes.term) and isinstance(node.parent, nodes.definition_list_item):
        definitions = [n for n in node.parent.children if isinstance(n, nodes.definition)]
        if definitions:
            definitions[0].append(box)
        else:
            node.parent.append(nodes.definition("", box))
    elif isinstance(node, nodes.row):
        entries = [n for n in node.children if isinstance(n, nodes.entry)]
        entries[min(1, len(entries) - 1)].append(box)
    elif isinstance(node, (nodes.container, nodes.list_item, nodes.admonition, nodes.topic, nodes.definition)):
        node.append(box)
    elif isinstance(node, nodes.Inline) or (isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Body)):
        _place(document, node.parent if not isinstance(node.parent, nodes.document) else None, box)
    else:
        node.parent.insert(node.parent.index(node) + 1, box)


def _change_files(root: Path, change_id: str) -> list[Path]:
    folder = root / CHANGES_DIR / change_id
    return [folder / CHANGE_FILE, *sorted(p for p in folder.rglob("*.yaml") if p.is_file())]


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """In a preview, redline every item on this page that a change set amends or adds."""
    env = app.env
    if not preview(env):
        return
    corpus = corpus_of(env)
    if not corpus.changed_by:
        return
    published = published_corpus(corpus)
    if published is None:
        return
    locations, _ = xref._data(env)
    docname = env.docname
    done: set[tuple[str, str]] = set()
    for (kind, item_id), change_id in corpus.changed_by.items():
        anchors = [anchor for doc, anchor in locations.get(xref.item_key(kind, item_id), ()) if doc == docname]
        if not anchors or (kind, item_id) in done or item_id not in corpus.items.get(kind, {}):
            continue
        done.add((kind, item_id))
        fields = changes_shown(corpus, published, kind, item_id)
        # The page shows the change set's words: editing it, or the item's published files, re-reads the page.
        depend_on_files(env, [*_change_files(corpus.root, change_id), *item_files(corpus, kind, item_id)])
        if fields == []:
            continue  # in force already: the published site says the same
        for anchor in anchors[:1]:
            _place(doctree, doctree.ids.get(anchor) if anchor else None, proposed_box(corpus, change_id, kind, fields))


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context[BANNER] = preview(app.env)


def setup(app: Sphinx) -> None:
    for node, tag in ((csec_del, "del"), (csec_ins, "ins")):
        app.add_node(node, html=(_visit(tag), _depart(tag)),
                     text=(lambda self, node: None, lambda self, node: None),
                     latex=(lambda self, node: None, lambda self, node: None))
    app.connect("doctree-read", on_doctree_read)
    app.connect("html-page-context", on_html_page_context)
