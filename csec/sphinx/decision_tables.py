"""`{csec-decision-table} RULE-ID|data_grid`: a rule, or the CSEC Data Grid types, as a decision table from the data."""

from __future__ import annotations

from docutils import nodes

from csec.engine.decision_table import Table, data_grid_table, rule_table
from csec.sphinx import status
from csec.sphinx.render import CsecDirective

# How to read a table, said once under each (the hit policy, in DMN's terms).
POLICIES = {
    "rule": "A row applies when every input it names matches; a dash means any value. The first row that applies "
            "gives the answer; no row applies: the last row.",
    "data_grid": "A row applies when every input it names matches; a dash means any value. At most one type's rows "
                 "apply to any youth (the test suite checks every combination of the facts); none applies: none.",
}


class DecisionTableDirective(CsecDirective):
    """`{csec-decision-table} at_risk` (any rule id) or `{csec-decision-table} data_grid`."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        what = self.arguments[0]
        if what == "data_grid":
            hidden = 0
            for rule in self.corpus.rules.values():
                if rule.kind == "data_grid":
                    self.use("rules", rule.id)
                    hidden += not self.shown(rule)
            out = [self.table(data_grid_table(self.corpus, self.shown)), self.para(POLICIES["data_grid"])]
            return out + ([status.withheld_notice(hidden, "rule", "rules")] if hidden else [])
        rule = self.lookup("rules", what)
        if not self.shown(rule):
            return [status.withheld_notice(1, "rule", "rules")]
        return [self.table(rule_table(self.corpus, rule.id)), self.para(POLICIES["rule"])]

    def table(self, data: Table) -> nodes.table:
        table = nodes.table(classes=["csec-decision-table", "table"])
        tgroup = nodes.tgroup(cols=len(data.columns) + 2)
        table += tgroup
        for _ in range(len(data.columns) + 2):
            tgroup += nodes.colspec(colwidth=10)
        head = nodes.row()
        for heading in [h for _, h in data.columns] + [data.output, "Rule"]:
            head += nodes.entry("", nodes.paragraph("", heading))
        tgroup += nodes.thead("", head)
        body = nodes.tbody()
        for row in data.rows:
            tr = nodes.row()
            for key, _ in data.columns:
                tr += nodes.entry("", nodes.paragraph("", row.cells.get(key, "–")))
            tr += nodes.entry("", nodes.paragraph("", "", nodes.strong("", row.output)))
            where = (self.item_link("rules", row.rule, self.corpus.rules[row.rule].title) if row.rule
                     else nodes.Text("otherwise"))
            tr += nodes.entry("", nodes.paragraph("", "", where))
            body += tr
        tgroup += body
        return table
