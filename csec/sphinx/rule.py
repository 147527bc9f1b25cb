"""`{csec-rule} <id>` and `{csec-rules}`: rules rendered in words from the same data the engine runs.

The text comes from `csec.rules.render_rule` (thresholds and deadlines filled in from the rule's data) and the
condition from `csec.rules.describe`; while the engine lacks them, the rule's own text is shown unchanged.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from . import status
from .render import CsecDirective, deadline_words

KIND_TITLES = {"outcome": "Decisions", "allegation": "Allegations", "data_grid": "CSEC Data Grid type",
               "action": "Required actions"}


def engine_text(corpus, rule) -> tuple[str, str | None]:
    """(plain-language text, condition in words) from the engine, or the raw text when the engine lacks them."""
    from .. import rules as engine

    render = getattr(engine, "render_rule", None)
    describe = getattr(engine, "describe", None)
    text = render(corpus, rule.id) if render else rule.text
    condition = describe(corpus, rule.id) if describe else None
    return text, condition


def ordered_rules(corpus, kind: str | None = None) -> list:
    position = {rid: i for i, rid in enumerate(corpus.rules)}
    chosen = [r for r in corpus.rules.values() if kind is None or r.kind == kind]
    return sorted(chosen, key=lambda r: (list(KIND_TITLES).index(r.kind), r.order, position[r.id]))


class RuleRenderer(CsecDirective):
    def render(self, rule, container: nodes.Element) -> nodes.Element:
        self.use("rules", rule.id)
        try:
            text, condition = engine_text(self.corpus, rule)
        except Exception as e:  # an engine bug must fail the build with the rule named, not a bare traceback
            raise self.error(f"csec.rules could not render rule {rule.id!r}: {type(e).__name__}: {e}") from None
        self.anchor("rules", rule.id, container, prefix="rule")
        head = nodes.paragraph("", "", nodes.strong("", "", *self.inline(rule.title)), classes=["csec-rule-title"])
        head += nodes.Text(" ")
        head += nodes.inline("", KIND_TITLES[rule.kind].lower().rstrip("s"), classes=["csec-rule-kind"])
        for b in self.badge(rule):
            head += nodes.Text(" ")
            head += b
        container += head
        container += self.block(text).children
        if condition:
            container += self.labelled("Applies when:", condition, ["csec-rule-condition"])
        when = deadline_words(rule.within_hours, rule.within_days, rule.every_days)
        if when:
            container += nodes.paragraph("", "", nodes.inline("", f"Deadline: {when}", classes=["csec-deadline"]),
                                         classes=["csec-deadline-line"])
        if rule.otherwise:
            container += self.labelled("Otherwise:", rule.otherwise, ["csec-rule-otherwise"])
        container += self.effective(rule)
        container += self.cites_para(rule.cites)
        container += self.ambiguity(rule)
        return container


class RuleDirective(RuleRenderer):
    """`{csec-rule} <id>`: one rule in a box."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        rule = self.lookup("rules", self.arguments[0])
        if not self.shown(rule):
            self.use("rules", rule.id)
            return [status.withheld_notice(1, "rule", "rules")]
        return [self.render(rule, nodes.container(classes=["csec-rule", f"csec-rule-{rule.kind}"]))]


class RulesDirective(RuleRenderer):
    """`{csec-rules}`: every rule, grouped by kind as sub-sections; `:kind:` keeps one kind (no sub-heading)."""

    option_spec = {"kind": lambda arg: directives.choice(arg, tuple(KIND_TITLES))}

    def run(self) -> list[nodes.Node]:
        only = self.options.get("kind")
        out: list[nodes.Node] = []
        hidden = 0
        for kind, title in KIND_TITLES.items():
            if only and kind != only:
                continue
            boxes = []
            for rule in ordered_rules(self.corpus, kind):
                if self.shown(rule):
                    boxes.append(self.render(rule, nodes.container(classes=["csec-rule", f"csec-rule-{kind}"])))
                else:
                    self.use("rules", rule.id)
                    hidden += 1
            if not boxes:
                continue
            if only:
                out += boxes
            else:
                section = nodes.section(classes=["csec-rule-kind-group"])
                section += nodes.title("", title)
                self.set_anchor(section, f"rules-{kind.replace('_', '-')}")
                section += boxes
                out.append(section)
        if hidden:
            out.append(status.withheld_notice(hidden, "rule", "rules"))
        return out
