"""`{csec-glossary}`: the definitions as a real Sphinx glossary, so `{term}` links resolve from any page.

Each definition's term and its aliases are glossary terms of one entry; the entry shows the definition text, its
note, "see also" links, its effective date, its citations and any ambiguity the sources leave.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term

from csec.sphinx import status, xref
from csec.sphinx.render import CsecDirective


class GlossaryDirective(CsecDirective):
    """`{csec-glossary}`: every definition, sorted by term."""

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        definitions = sorted(corpus.definitions.values(), key=lambda d: d.term.lower())
        items, hidden = [], 0
        source, line = self.get_source_info()
        for d in definitions:
            self.use("definitions", d.id)
            if not self.shown(d):
                hidden += 1
                continue
            terms = []
            for name in [d.term, *d.aliases]:
                term = make_glossary_term(self.env, [nodes.Text(name)], None, source, line, None,
                                          self.state.document)
                if name != d.term:
                    term["classes"].append("csec-alias")
                terms.append(term)
            xref.note_location(self.env, xref.item_key("definitions", d.id), terms[0]["ids"][0])
            body = nodes.definition()
            body += self.badge(d)
            body += self.block(d.text).children
            body += self.author_note(d.note, "Note", ["csec-note"])
            if d.see_also:
                body += self.see_also(d)
            body += self.effective(d)
            body += self.cites_para(d.cites)
            body += self.ambiguity(d)
            items.append(nodes.definition_list_item("", *terms, body))
        glossary = addnodes.glossary()
        glossary["sorted"] = False  # already sorted by term; aliases stay with their definition
        dlist = nodes.definition_list("", *items, classes=["glossary", "csec-glossary"])
        glossary += dlist
        out: list[nodes.Node] = []
        if hidden:
            out.append(status.withheld_notice(hidden, "definition", "definitions"))
        if items:
            out.append(glossary)
        return out

    def see_also(self, d) -> list[nodes.Node]:
        others = [o for o in d.see_also if self.shown(self.corpus.definitions[o])]
        if not others:
            return []
        para = nodes.paragraph("", "", nodes.strong("", "See also: "), classes=["csec-see-also"])
        for i, other in enumerate(others):
            if i:
                para += nodes.Text(", ")
            para += self.term_link(other)
        return [para]
