"""`{csec-red-flags}`: the red-flags chart as a table with one column per type of exploitation and its sources as
numbered notes under it (each row links its note's number to the source, rather than repeating the long source on
every row); a small local script (static/csec.js) adds buttons that filter the rows by type.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from csec.sphinx import status, xref
from csec.sphinx.render import CsecDirective

# Column headings for the model's red-flag types, as the LA DCFS guide's chart prints them.
TYPE_LABELS = {
    "csec": "Child Sex Trafficking (CSEC)",
    "exploiting_labor": "Exploiting a Child’s Labor",
    "criminal_activity": "Involving a Child in Criminal Activity",
}


class RedFlagsDirective(CsecDirective):
    """`{csec-red-flags}`: every red flag; `:type: csec|exploiting_labor|criminal_activity` keeps one type."""

    option_spec = {"type": lambda arg: directives.choice(arg, tuple(TYPE_LABELS))}

    def run(self) -> list[nodes.Node]:
        flags, hidden = [], 0
        only = self.options.get("type")
        for flag in self.corpus.red_flags.values():
            self.use("red_flags", flag.id)
            if only and only not in flag.types:
                continue
            if self.shown(flag):
                flags.append(flag)
            else:
                hidden += 1
        out: list[nodes.Node] = []
        if flags:
            # Each distinct set of citations is one note, in the order rows first use it.
            notes = list(dict.fromkeys(tuple(f.cites) for f in flags))
            out.append(self.table(flags, notes))
            out += self.notes(notes)
        if hidden:
            out.append(status.withheld_notice(hidden, "red flag", "red flags"))
        return out

    def table(self, flags, notes: list[tuple[str, ...]]) -> nodes.table:
        table = nodes.table(classes=["csec-red-flags", "table"])  # widths: csec.css (no inline style)
        tgroup = nodes.tgroup(cols=2 + len(TYPE_LABELS))
        table += tgroup
        for width in (49, *([15] * len(TYPE_LABELS)), 6):
            tgroup += nodes.colspec(colwidth=width)
        head = nodes.row()
        head += self.cell(nodes.paragraph("", "Red flag"))
        for type_id, label in TYPE_LABELS.items():
            count = sum(type_id in f.types for f in flags)
            cell = self.cell(nodes.paragraph("", f"{label} ({count})"))
            cell["classes"].append(f"csec-col-{type_id}")
            head += cell
        head += self.cell(nodes.paragraph("", "Source note"))
        tgroup += nodes.thead("", head)
        body = nodes.tbody()
        for flag in flags:
            row = nodes.row(classes=["csec-red-flag", *(f"csec-type-{t}" for t in flag.types)])
            text = self.cell(*self.block(flag.text).children)
            self.anchor("red_flags", flag.id, row, prefix="")
            text += self.badge(flag)
            text += self.ambiguity(flag)
            row += text
            for type_id in TYPE_LABELS:
                if type_id in flag.types:
                    mark = nodes.paragraph("", "", nodes.inline("", "✔", classes=["csec-mark"]),
                                           nodes.inline("", " yes", classes=["visually-hidden"]))
                else:
                    mark = nodes.paragraph("", "", nodes.inline("", "no", classes=["visually-hidden"]))
                row += self.cell(mark)
            # The note's number, linked to the source itself (every item keeps a linked citation).
            n = notes.index(tuple(flag.cites)) + 1
            links = [xref.ref(self.env, xref.cite_key(c), nodes.Text(str(n)), classes=["csec-cite"])
                     for c in flag.cites[:1]]
            row += self.cell(nodes.paragraph("", "", *links))
            body += row
        tgroup += body
        return table

    def notes(self, notes: list[tuple[str, ...]]) -> list[nodes.Node]:
        """The chart's sources, once each, numbered as the rows' source notes."""
        listing = nodes.enumerated_list(enumtype="arabic", classes=["csec-red-flag-notes"])
        for cites in notes:
            listing += nodes.list_item("", *self.cites_para(list(cites)))
        return [nodes.paragraph("", "", nodes.strong("", "Source notes"), classes=["csec-notes-title"]), listing]

    @staticmethod
    def cell(*children: nodes.Node) -> nodes.entry:
        return nodes.entry("", *children)
