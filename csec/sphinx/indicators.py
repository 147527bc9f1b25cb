"""`{csec-indicators}`: the at-risk indicators by group (A–C, D–H), each with the ACL 16-85 wording, the LA DCFS
guide's wording where it differs, and its citations.
"""

from __future__ import annotations

from docutils import nodes

from csec.sphinx import status
from csec.sphinx.render import CsecDirective

PRINT_BOX = '<span class="csec-print-box" aria-hidden="true">\u2610 </span>'


class IndicatorsDirective(CsecDirective):
    """`{csec-indicators}`: every indicator group as a sub-section, in the order the content lists them."""

    def run(self) -> list[nodes.Node]:
        corpus = self.corpus
        out: list[nodes.Node] = []
        hidden_groups = 0
        for group in corpus.indicator_groups.values():
            self.use("indicator_groups", group.id)
            if not self.shown(group):
                hidden_groups += 1
                continue
            section = nodes.section(classes=["csec-indicator-group"])
            section += self.heading(group, group.title)
            self.anchor("indicator_groups", group.id, section, prefix="indicators")
            section += self.block(group.text).children
            section += self.cites_para(group.cites)
            section += self.ambiguity(group)
            members = sorted((i for i in corpus.indicators.values() if i.group == group.id), key=lambda i: i.letter)
            bullets = nodes.bullet_list(classes=["csec-indicators"])
            hidden = 0
            for indicator in members:
                self.use("indicators", indicator.id)
                if not self.shown(indicator):
                    hidden += 1
                    continue
                bullets += self.indicator(indicator)
            if len(bullets):
                section += bullets
            if hidden:
                section += status.withheld_notice(hidden, "indicator", "indicators")
            out.append(section)
        if hidden_groups:
            out.append(status.withheld_notice(hidden_groups, "indicator group", "indicator groups"))
        return out

    def indicator(self, indicator) -> nodes.list_item:
        item = nodes.list_item(classes=["csec-indicator"])
        self.anchor("indicators", indicator.id, item, prefix="indicator")
        first = self.para(indicator.text)
        first.insert(0, nodes.strong("", f"{indicator.letter}. ", classes=["csec-letter"]))
        # The printed at-risk checklist has a box to tick before each indicator (print only: on screen the
        # checklist exercise is the thing to tick).
        first.insert(0, nodes.raw("", PRINT_BOX, format="html"))
        first += nodes.Text(" ")
        first += nodes.inline("", f"(ACL 16-85 item {indicator.acl_number})", classes=["csec-acl-number"])
        for b in self.badge(indicator):
            first += nodes.Text(" ")
            first += b
        item += first
        if indicator.la_text.strip() != indicator.text.strip():
            item += self.labelled("LA DCFS guide wording:", indicator.la_text, ["csec-la-text"])
        item += self.effective(indicator)
        item += self.cites_para(indicator.cites)
        item += self.ambiguity(indicator)
        return item
