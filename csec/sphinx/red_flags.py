"""`{csec-red-flags}`: the red-flags chart as a table with one column per type of exploitation, each row with its
citations; a small local script (static/csec.js) adds buttons that filter the rows by type.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from csec.sphinx import status
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
            out.append(self.table(flags))
        if hidden:
            out.append(status.withheld_notice(hidden, "red flag", "red flags"))
        return out

    def table(self, flags) -> nodes.table:
        table = nodes.table(classes=["csec-red-flags", "table", "colwidths-given"])
        tgroup = nodes.tgroup(cols=2 + len(TYPE_LABELS))
        table += tgroup
        for width in (36, *([11] * len(TYPE_LABELS)), 31):
            tgroup += nodes.colspec(colwidth=width)
        head = nodes.row()
        head += self.cell(nodes.paragraph("", "Red flag"))
        for type_id, label in TYPE_LABELS.items():
            count = sum(type_id in f.types for f in flags)
            cell = self.cell(nodes.paragraph("", f"{label} ({count})"))
            cell["classes"].append(f"csec-col-{type_id}")
            head += cell
        head += self.cell(nodes.paragraph("", "Sources"))
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
            row += self.cell(*self.cites_para(flag.cites))
            body += row
        tgroup += body
        return table

    @staticmethod
    def cell(*children: nodes.Node) -> nodes.entry:
        return nodes.entry("", *children)
