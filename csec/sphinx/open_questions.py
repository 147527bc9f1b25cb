"""`{csec-open-questions}`: every author note about the sources (`ambiguity:`, `note:`) with its item, link and
citations, for policy staff; the published pages for workers leave these notes out."""

from __future__ import annotations

from docutils import nodes

from csec.core import model as m
from csec.sphinx.render import CsecDirective

NOTE_FIELDS = {"ambiguity": "Where the sources are silent or unclear", "note": "Note"}


class OpenQuestionsDirective(CsecDirective):
    def run(self) -> list[nodes.Node]:
        bullets = nodes.bullet_list(classes=["csec-open-questions"])
        for kind, items in self.corpus.items.items():
            for item in items.values():
                notes = [(label, getattr(item, field, None)) for field, label in NOTE_FIELDS.items()]
                notes = [(label, text) for label, text in notes if text]
                if not notes or not self.shown(item) or getattr(item, "generated_from", None):
                    continue
                self.use(kind, item.id)
                bullets += self.entry(kind, item, notes)
        if not bullets.children:
            return [nodes.paragraph("", "No open policy questions: no item carries a note about its sources.")]
        return [bullets]

    def entry(self, kind: str, item, notes: list[tuple[str, str]]) -> nodes.list_item:
        entry = nodes.list_item(classes=["csec-open-question"])
        head = nodes.paragraph("", "", nodes.strong("", "", self.item_link(kind, item.id, m.KIND[kind].name_of(item))),
                               nodes.Text(f" ({m.KIND[kind].shown})"))
        head += self.badge(item)
        entry += head
        cites = getattr(item, "cites", None) or ([item.id] if kind == "sources" else [])
        entry += self.cites_para(cites)
        for label, text in notes:
            entry += nodes.paragraph("", "", nodes.strong("", label + ":"), classes=["csec-open-question-label"])
            entry += self.block(text).children
        return entry
