"""`{csec-deadlines}`: one table of every deadline, one row per action rule (a deadline's one home), shortest first.

Each row shows the deadline in the source's words, the rule's text, the rule and every policy step that names it
(a step carries no number of its own), and the citations; a county's own duty carries the county's badge beside its
rule, as on the rules page. Works with zero rules.
"""

from __future__ import annotations

from docutils import nodes

from csec.core.deadline import Deadline
from csec.sphinx import status
from csec.sphinx.county_badge import county_badge
from csec.sphinx.render import CsecDirective
from csec.sphinx.rule import engine_text, ordered_rules
from csec.sphinx.sections import ordered_sections, step_key


class DeadlinesDirective(CsecDirective):
    """`{csec-deadlines}`: the deadlines table."""

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        steps_of: dict[str, list] = {}
        for section in ordered_sections(corpus, list(corpus.sections)):
            for i, step in enumerate(section.steps):
                if step.rule is not None:
                    self.use("sections", section.id)
                    if self.shown(section):
                        steps_of.setdefault(step.rule, []).append((section, i))
        rows = []
        hidden = 0
        for rule in ordered_rules(corpus, "action"):
            when = Deadline.of(rule)
            if when is None:
                continue
            self.use("rules", rule.id)
            if not self.shown(rule):
                hidden += 1
                continue
            text, _ = engine_text(corpus, rule)
            where = [self.item_link("rules", rule.id, rule.title)]
            for mark in county_badge(corpus, rule, self.state.document):  # a county's row, marked as the rules page does
                where += [nodes.Text(" "), mark]
            for section, i in steps_of.get(rule.id, []):
                kind, key = step_key(section.id, i)
                where += [nodes.Text("; "), self.item_link(kind, key, f"{section.title}, step {i + 1}")]
            rows.append((when.sort_key, when.words(), self.block(text).children, where, rule.cites))
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
        table = nodes.table(classes=["csec-deadlines", "table"])  # widths: csec.css (no inline style)
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
            row += nodes.entry("", nodes.paragraph("", "", *where))
            row += nodes.entry("", *self.cites_para(cites))
            body += row
        tgroup += body
        return table
