"""What every csec directive shares: the corpus, item lookup with dependencies, MyST parsing of content text, and
the visible pieces every rendered item carries (citations, ambiguity notes, status badges, deadlines).
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.sphinx import status, xref
from csec.sphinx.corpus import corpus_of, depend_on
from csec.sphinx.county_badge import county_badge
from csec.sphinx.review_badge import last_review_badge
from csec.sphinx.safe_nodes import defuse, escaped, no_raw_no_files


def source_anchor(cite: str) -> str:
    """The HTML id of a source (or of one of its sections) on the sources page."""
    source_id, _, section_id = cite.partition("#")
    return f"source-{source_id}" + (f"--{section_id}" if section_id else "")


class CsecDirective(SphinxDirective):
    """Base class: subclasses render items of the corpus; all text goes through MyST so {term} roles work."""

    @property
    def corpus(self) -> Corpus:
        return corpus_of(self.env)

    def lookup(self, kind: str, item_id: str):
        items = self.corpus.items[kind]
        if item_id not in items:
            known = ", ".join(sorted(items)[:15]) + (", ..." if len(items) > 15 else "")
            label = m.KIND[kind].one
            raise self.error(f"unknown {label} id {item_id!r} (known: {known or 'none yet'})")
        return items[item_id]

    def use(self, kind: str, item_id: str) -> None:
        depend_on(self.env, kind, item_id)

    def shown(self, item) -> bool:
        return status.shown(self.env, item)

    # --- text ---------------------------------------------------------------------------------------------

    def block(self, text: str, classes: list[str] | None = None) -> nodes.container:
        """Parse MyST block text (paragraphs, lists, roles) into a container."""
        container = nodes.container(classes=classes or [])
        with no_raw_no_files(self.state.document):
            self.state.nested_parse(StringList(escaped(text).splitlines()), self.content_offset, container)
        return defuse(container)

    def inline(self, text: str) -> list[nodes.Node]:
        with no_raw_no_files(self.state.document):
            parsed, messages = self.state.inline_text(escaped(text), self.lineno)
        holder = defuse(nodes.inline("", "", *parsed, *messages))  # a parent, so top-level nodes can be replaced
        return holder.children

    def para(self, text: str, classes: list[str] | None = None) -> nodes.paragraph:
        return nodes.paragraph("", "", *self.inline(text), classes=classes or [])

    def labelled(self, label: str, text: str, classes: list[str] | None = None) -> nodes.paragraph:
        para = self.para(text, classes)
        para.insert(0, nodes.strong("", f"{label} "))
        return para

    # --- the visible marks every item carries -------------------------------------------------------------

    def cite_link(self, cite: str) -> nodes.Node:
        label = self.corpus.cite_label(cite)
        return xref.ref(self.env, xref.cite_key(cite), nodes.Text(label), classes=["csec-cite"])

    def cites(self, cites: list[str], label: str | None = None) -> nodes.inline | None:
        """'Sources: ACL 16-85, §V. ...; LA DCFS policy guide, ...' with each citation linked to the sources page."""
        if not cites:
            return None
        label = label or ("Source:" if len(cites) == 1 else "Sources:")
        span = nodes.inline("", "", classes=["csec-cites"])
        span += nodes.inline("", label + " ", classes=["csec-cites-label"])
        for i, cite in enumerate(cites):
            if i:
                span += nodes.Text("; ")
            span += self.cite_link(cite)
        return span

    def cites_para(self, cites: list[str], label: str | None = None) -> list[nodes.paragraph]:
        span = self.cites(cites, label)
        return [nodes.paragraph("", "", span, classes=["csec-cites-line"])] if span is not None else []

    def ambiguity(self, item) -> list[nodes.Node]:
        return self.author_note(getattr(item, "ambiguity", None), "Where the sources are silent or unclear",
                                ["csec-ambiguity", "caution"])

    def author_note(self, text: str | None, title: str, classes: list[str]) -> list[nodes.Node]:
        """An author's note about the sources (`ambiguity:`, `note:`), shown inline, badged, in previews only: the
        published manual speaks as the agency's policy, and its notes are on the open policy questions page."""
        if not text or not status.preview(self.env):
            return []
        admonition = nodes.admonition("", classes=[*classes, "csec-author-note"])
        admonition += nodes.title("", "", nodes.inline("", "author note", classes=["csec-status"]),
                                  nodes.Text(" " + title))
        admonition += self.block(text).children
        return [admonition]

    def effective(self, item) -> list[nodes.Node]:
        date = getattr(item, "effective", None)
        if date is None:
            return []
        text = f"Effective {date.strftime('%B')} {date.day}, {date.year}"
        return [nodes.paragraph("", text, classes=["csec-effective"])]

    def badge(self, item) -> list[nodes.Node]:
        return county_badge(self.corpus, item, self.state.document) + status.badge(item) + last_review_badge(item)

    def heading(self, item, text: str) -> nodes.title:
        """A section title in MyST inline markup, followed by the item's review-status badges."""
        title = nodes.title("", "", *self.inline(text))
        for b in self.badge(item):
            title += nodes.Text(" ")
            title += b
        return title

    def group(self, classes: list[str], heading: str, anchor: str, body: list[nodes.Node]) -> nodes.section:
        """A titled section grouping items of one kind, with an HTML id unique in the page."""
        section = nodes.section(classes=classes)
        section += nodes.title("", heading)
        self.set_anchor(section, anchor)
        section += body
        return section

    def anchor(self, kind: str, item_id: str, node: nodes.Element, prefix: str | None = None) -> str:
        """Make `node` the location of an item (an HTML id), for backlinks from the sources page."""
        prefix = kind if prefix is None else prefix
        anchor = nodes.make_id(f"{prefix}-{item_id}" if prefix else item_id)
        return xref.add_location(self.env, self.state.document, xref.item_key(kind, item_id), node, anchor)

    def set_anchor(self, node: nodes.Element, wanted: str) -> str:
        """Give `node` an HTML id unique in the page (not an item location)."""
        anchor = xref.unique_id(self.state.document, wanted)
        node["ids"].append(anchor)
        self.state.document.ids[anchor] = node
        return anchor

    def item_link(self, kind: str, item_id: str, text: str) -> nodes.Node:
        return xref.ref(self.env, xref.item_key(kind, item_id), nodes.Text(text), classes=["csec-item-ref"])

    def term_link(self, definition_id: str) -> nodes.Node:
        """A {term} reference to a glossary definition (resolved, and checked, by Sphinx's std domain)."""
        from sphinx import addnodes

        term = self.corpus.definitions[definition_id].term
        node = addnodes.pending_xref("", nodes.inline("", term, classes=["xref", "std", "std-term"]),
                                     refdomain="std", reftype="term", reftarget=term.lower(), refexplicit=True,
                                     refwarn=True, refdoc=self.env.docname)
        node.source, node.line = self.get_source_info()
        return node
