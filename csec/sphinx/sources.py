"""`{csec-sources}`: every authority the content cites, each with its declared sections and, under each, the items
that cite it (backlinks). Its anchors are where `{csec-cite}` and every rendered citation link to.

The page itself depends only on the sources file. The backlinks are filled in when the page is written, from the
corpus and from where each item is shown; the page is written again whenever they change, so editing one YAML file
re-reads only the pages showing that file's items.
"""

from __future__ import annotations

import hashlib
import re

from docutils import nodes

from csec.core import model as m
from csec.sphinx import status, xref
from csec.sphinx.corpus import cites_in, corpus_of
from csec.sphinx.render import CsecDirective, source_anchor
from csec.sphinx.sections import step_key

KIND_TITLES = {
    "letter": "All County Letters", "faq": "FAQs", "notice": "All County Information Notices",
    "guide": "Guides and protocols", "statute": "Statutes", "regulation": "Regulations (MPP)",
    "public_law": "Public laws", "bill": "Bills", "fiscal_letter": "County Fiscal Letters", "note": "Notes",
    "presentation": "Presentations", "tool": "Tools", "report": "Reports", "website": "Websites",
}

# The backlink groups, in the order they are listed, each headed by its kind's plural (steps are a section's parts).
STEPS = "steps"
ITEM_KINDS = {kind: m.KIND[kind].many if kind != STEPS else "procedure steps" for kind in (
    "sections", STEPS, "definitions", "indicator_groups", "indicators", "red_flags", "exploitation_categories",
    "cwscms_codes", "question_sets", "rules", "modules", "scenarios", "questions")}


ROLE = re.compile(r"\{[a-z0-9:_-]+\}`([^`<]*?)\s*(?:<[^`>]*>)?`")


def plain(text: str) -> str:
    """Link text without MyST role markup: '{term}`CSEC <csec>`' -> 'CSEC' (links cannot nest)."""
    return ROLE.sub(lambda m: m.group(1), text)


def item_label(corpus, kind: str, item) -> str:
    return plain(_label(corpus, kind, item))


def _label(corpus, kind: str, item) -> str:
    if kind == "definitions":
        return item.term
    if kind == "indicators":
        fact = corpus.facts.get(item.id)
        return f"{item.letter}. {fact.label if fact else item.text}"
    if kind == "red_flags":
        return item.text
    if kind == "cwscms_codes":
        return item.label
    if kind == "facts":
        return item.label
    if kind == "questions":
        return item.topic or item.id
    return getattr(item, "title", item.id)


def citing_items(corpus, shown) -> dict[str, list[tuple[str, str, str]]]:
    """cite -> [(item kind, location key, label)] for every shown item citing it (steps separately)."""
    found: dict[str, list[tuple[str, str, str]]] = {}

    def add(cite: str, kind: str, key: str, label: str) -> None:
        entries = found.setdefault(cite, [])
        if (kind, key, label) not in entries:
            entries.append((kind, key, label))

    for kind, items in corpus.items.items():
        if kind not in ITEM_KINDS:  # sources themselves, and the facts the rules read (no page shows them as items)
            continue
        for item in items.values():
            if not shown(item):
                continue
            label = item_label(corpus, kind, item)
            if kind == "sections":
                for cite in item.cites:
                    add(cite, kind, xref.item_key(kind, item.id), label)
                for i, step in enumerate(item.steps):
                    step_kind, step_id = step_key(item.id, i)
                    for cite in step.cites:
                        add(cite, step_kind, xref.item_key(step_kind, step_id), f"{item.title}, step {i + 1}")
                continue
            for cite in cites_in(item):
                add(cite, kind, xref.item_key(kind, item.id), label)
    return found


class csec_backlinks(nodes.General, nodes.Element):
    """Placeholder for the "cited by" line of one citation key, filled in at write time."""


class SourcesDirective(CsecDirective):
    """`{csec-sources}`: the documents in the kit's sources first, then every other authority by kind."""

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        sources = [s for s in corpus.sources.values() if self.shown(s)]
        for source in corpus.sources.values():
            self.use("sources", source.id)
        env = self.env
        env.csec_backlink_docs = getattr(env, "csec_backlink_docs", set()) | {env.docname}
        hidden = len(corpus.sources) - len(sources)
        groups = [("Source documents of this kit", [s for s in sources if s.in_sources])]
        others = [s for s in sources if not s.in_sources]
        groups += [(title, [s for s in others if s.kind == kind]) for kind, title in KIND_TITLES.items()]
        out: list[nodes.Node] = []
        for title, members in groups:
            if not members:
                continue
            section = nodes.section(classes=["csec-source-group"])
            section += nodes.title("", title)
            self.set_anchor(section, nodes.make_id(f"sources-{title}"))
            for source in members:
                section += self.source(source)
            out.append(section)
        if hidden:
            out.append(status.withheld_notice(hidden, "source", "sources"))
        return out

    def source(self, source) -> nodes.container:
        box = nodes.container(classes=["csec-source"])
        xref.add_location(self.env, self.state.document, xref.cite_key(source.id), box, source_anchor(source.id))
        head = nodes.paragraph("", "", nodes.strong("", source.short), nodes.Text(" — "),
                               *self.inline(source.title), classes=["csec-source-head"])
        head += self.badge(source)
        box += head
        facts = []
        if source.date:
            facts.append(nodes.Text(f"Dated {source.date.strftime('%B')} {source.date.day}, {source.date.year}"))
        if source.issued_by:
            facts.append(nodes.Text(f"issued by {source.issued_by}"))
        if source.part_of:
            part = nodes.inline("", "part of ")
            part += self.cite_link(source.part_of)
            facts.append(part)
        if source.in_sources:
            facts.append(nodes.Text("full text among the manual's source documents"))
        if facts:
            meta = nodes.paragraph("", "", classes=["csec-source-meta"])
            for i, fact in enumerate(facts):
                if i:
                    meta += nodes.Text("; ")
                meta += fact
            meta += nodes.Text(".")
            box += meta
        box += self.author_note(source.note, "Note", ["csec-source-note"])
        box += csec_backlinks(cite=source.id, label="Cited as a whole by" if source.sections else "Cited by",
                              optional=bool(source.sections))
        if source.sections:
            bullets = nodes.bullet_list(classes=["csec-source-sections"])
            for sec in source.sections:
                cite = f"{source.id}#{sec.id}"
                item = nodes.list_item(classes=["csec-source-section"])
                xref.add_location(self.env, self.state.document, xref.cite_key(cite), item, source_anchor(cite))
                item += nodes.paragraph("", "", *self.inline(sec.title), classes=["csec-source-section-title"])
                item += csec_backlinks(cite=cite, label="Cited by", optional=False)
                bullets += item
            box += bullets
        return box


# --- write time ---------------------------------------------------------------------------------------------

def _backlink_index(app) -> dict:
    index = getattr(app, "_csec_backlinks", None)
    if index is None:

        env = app.env
        index = app._csec_backlinks = citing_items(corpus_of(env), lambda item: status.shown(env, item))
    return index


def _line(entries, label: str) -> list[nodes.Node]:
    if not entries:
        return [nodes.paragraph("", "Not cited by any published item.", classes=["csec-backlinks", "csec-none"])]
    para = nodes.paragraph("", "", nodes.strong("", f"{label}: "), classes=["csec-backlinks"])
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for kind, key, text in entries:
        by_kind.setdefault(kind, []).append((key, text))
    first = True
    for kind in ITEM_KINDS:
        if kind not in by_kind:
            continue
        if not first:
            para += nodes.Text("; ")
        first = False
        para += nodes.emphasis("", f"{ITEM_KINDS[kind]} ")
        for i, (key, text) in enumerate(by_kind[kind]):
            if i:
                para += nodes.Text(", ")
            link = xref.csec_ref("", "", nodes.Text(text), classes=["csec-backlink"])
            link["csec_key"] = key
            para += link
    para += nodes.Text(".")
    return [para]


def on_doctree_resolved(app, doctree: nodes.document, docname: str) -> None:
    """Fill in the backlinks (before xref resolves the links they contain: lower priority number)."""
    placeholders = list(doctree.findall(csec_backlinks))
    if not placeholders:
        return
    index = _backlink_index(app)
    for node in placeholders:
        entries = index.get(node["cite"], [])
        if not entries and node["optional"]:
            node.replace_self([])
        else:
            node.replace_self(_line(entries, node["label"]))


def on_env_get_updated(app, env) -> list[str]:
    """Write the sources page again when its backlinks changed: an item citing something was added, removed,
    renamed or moved to another page. (Editing an item's text alone leaves the page as it is.)"""
    docs = getattr(env, "csec_backlink_docs", set())
    if not docs:
        return []
    index = _backlink_index(app)
    digest = hashlib.sha256(repr(sorted(index.items())).encode()).hexdigest()
    changed = digest != getattr(env, "csec_backlinks_digest", None) or bool(xref.moved_keys(env))
    env.csec_backlinks_digest = digest
    return sorted(docs) if changed else []


def on_env_purge_doc(app, env, docname: str) -> None:
    getattr(env, "csec_backlink_docs", set()).discard(docname)


def on_env_merge_info(app, env, docnames, other) -> None:
    env.csec_backlink_docs = (getattr(env, "csec_backlink_docs", set())
                              | (getattr(other, "csec_backlink_docs", set()) & set(docnames)))
