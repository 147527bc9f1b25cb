"""The `{csec-deadline}` and `{csec-value}` roles: a rule's deadline or number, rendered from the rule and linked to it.

`{csec-deadline}`report_to_law_enforcement`` reads "immediately, and in no case later than 24 hours";
`{csec-value}`at_risk:at_least:other`` reads "2". The words come from csec.engine.numbers, which `csec validate`
also uses, so a page can never state a number its rule does not hold.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from csec.engine.numbers import RoleError, resolve
from csec.sphinx import xref
from csec.sphinx.corpus import corpus_of, depend_on


class NumberRole(SphinxRole):
    def __init__(self, kind: str):
        self.kind = kind  # "deadline" or "value"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        corpus = corpus_of(self.env)
        target = self.text.strip()
        try:
            words = resolve(corpus, self.kind, target)
        except RoleError as e:
            msg = self.inliner.reporter.error(str(e), line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        rule_id = target.partition(":")[0]
        depend_on(self.env, "rules", rule_id)
        return [xref.ref(self.env, xref.item_key("rules", rule_id), nodes.Text(words),
                         classes=[f"csec-{self.kind}"])], []
