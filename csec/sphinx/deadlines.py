"""`{csec-deadlines}`: one table of every deadline in the content, shortest first: the `within_hours` /
`within_days` / `every_days` of policy section steps, and those of the action rules.
Each row links to where the requirement is set out and shows its citations. Works with zero rules.
"""

from __future__ import annotations

from docutils import nodes

from . import status
from .render import CsecDirective, deadline_words
from .rule import engine_text, ordered_rules
from .sections import ordered_sections, step_key


def _hours(within_hours=None, within_days=None, every_days=None) -> tuple[int, int]:
    if within_hours is not None:
        return within_hours, 0
    if within_days is not None:
        return within_days * 24, 0
    return every_days * 24, 1  # a recurring check sorts after a one-off deadline of the same length


class DeadlinesDirective(CsecDirective):
    """`{csec-deadlines}`: the deadlines table."""

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        rows = []
        hidden = 0
        for section in ordered_sections(corpus, list(corpus.sections)):
            timed = [(i, s) for i, s in enumerate(section.steps) if s.within_hours or s.within_days or s.every_days]
            if not timed:
                continue
            self.use("sections", section.id)
            if not self.shown(section):
                hidden += len(timed)
                continue
            for i, step in timed:
                kind, key = step_key(section.id, i)
                rows.append((_hours(step.within_hours, step.within_days, step.every_days),
                             deadline_words(step.within_hours, step.within_days, step.every_days),
                             self.block(step.text).children,
                             self.item_link(kind, key, f"{section.title}, step {i + 1}"),
                             step.cites or section.cites))
        for rule in ordered_rules(corpus, "action"):
            if not (rule.within_hours or rule.within_days or rule.every_days):
                continue
            self.use("rules", rule.id)
            if not self.shown(rule):
                hidden += 1
                continue
            text, _ = engine_text(corpus, rule)
            rows.append((_hours(rule.within_hours, rule.within_days, rule.every_days),
                         deadline_words(rule.within_hours, rule.within_days, rule.every_days),
                         self.block(text).children, self.item_link("rules", rule.id, rule.title), rule.cites))
        out: list[nodes.Node] = []
        if rows:
            rows.sort(key=lambda r: r[0])
            out.append(self.table(rows))
        else:
            out.append(nodes.paragraph("", "The content records no deadlines yet.", classes=["csec-none"]))
        if hidden:
            out.append(status.withheld_notice(hidden, "deadline", "deadlines"))
        return out

    def table(self, rows) -> nodes.table:
        table = nodes.table(classes=["csec-deadlines", "table", "colwidths-given"])
        tgroup = nodes.tgroup(cols=4)
        table += tgroup
        for width in (13, 47, 20, 20):
            tgroup += nodes.colspec(colwidth=width)
        head = nodes.row()
        for label in ("When", "Required action", "Set out in", "Sources"):
            head += nodes.entry("", nodes.paragraph("", label))
        tgroup += nodes.thead("", head)
        body = nodes.tbody()
        for _, when, what, where, cites in rows:
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", nodes.strong("", when.capitalize()),
                                                   classes=["csec-deadline"]))
            row += nodes.entry("", *what)
            row += nodes.entry("", nodes.paragraph("", "", where))
            row += nodes.entry("", *self.cites_para(cites))
            body += row
        tgroup += body
        return table
