"""`{csec-cwscms}`: the CWS/CMS documentation choices (abuse category and subcategories, the CSEC Data Grid types,
the Special Project Code), each with the label as CWS/CMS shows it, when to use it, and its citations.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from csec.sphinx import status
from csec.sphinx.render import CsecDirective

KIND_TITLES = {
    "abuse_category": "Abuse category",
    "abuse_subcategory": "Abuse subcategories",
    "data_grid_type": "CSEC Data Grid types",
    "special_project_code": "Special Project Code",
}


class CwsCmsDirective(CsecDirective):
    """`{csec-cwscms}`: every code, grouped by kind as sub-sections; `:kind:` keeps one kind (no sub-heading)."""

    option_spec = {"kind": lambda arg: directives.choice(arg, tuple(KIND_TITLES))}

    def run(self) -> list[nodes.Node]:
        only = self.options.get("kind")
        out: list[nodes.Node] = []
        for kind, heading in KIND_TITLES.items():
            if only and kind != only:
                continue
            codes = [c for c in self.corpus.cwscms_codes.values() if c.kind == kind]
            if not codes:
                continue
            body = self.codes(codes)
            if only:
                out += body
            else:
                out.append(self.group(["csec-cwscms-kind"], heading, f"cwscms-{kind.replace('_', '-')}", body))
        return out


    def codes(self, codes) -> list[nodes.Node]:
        dlist = nodes.definition_list(classes=["csec-cwscms"])
        hidden = 0
        for code in codes:
            self.use("cwscms_codes", code.id)
            if not self.shown(code):
                hidden += 1
                continue
            item = nodes.definition_list_item()
            term = nodes.term("", "", nodes.literal("", code.label, classes=["csec-cwscms-label"]))
            self.anchor("cwscms_codes", code.id, term, prefix="cwscms")  # <dt> carries it: the item has no tag
            for b in self.badge(code):
                term += nodes.Text(" ")
                term += b
            item += term
            definition = nodes.definition()
            definition += self.block(code.text).children
            if code.privilege:
                definition += self.labelled("Privilege:", code.privilege, ["csec-privilege"])
            definition += self.effective(code)
            definition += self.cites_para(code.cites)
            definition += self.ambiguity(code)
            item += definition
            dlist += item
        out: list[nodes.Node] = [dlist] if len(dlist) else []
        if hidden:
            out.append(status.withheld_notice(hidden, "CWS/CMS code", "CWS/CMS codes"))
        return out
