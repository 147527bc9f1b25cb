"""IndicatorChecklist: tick the at-risk indicators a youth shows and see, live, whether the rules make them at risk
of CSE and why, with the paragraphs the answer comes from. The decision is the engine's (csec.training.feedback)."""

from __future__ import annotations

import ipywidgets as ipw

from csec.training.feedback import RiskExplanation, at_risk_explanation

from ._html import STYLE, cites_html, esc, natural
from .corpus import get_corpus
from .markup import inline


class IndicatorChecklist(ipw.VBox):
    def __init__(self, corpus=None, **kwargs):
        self.corpus = get_corpus(corpus)
        c = self.corpus
        self.checkboxes: dict[str, ipw.Checkbox] = {}
        rows: list[ipw.Widget] = [ipw.HTML(STYLE + "<p>Say who the youth is, then tick each indicator they show. "
                                                  "The result below follows the at-risk rule as the policy data "
                                                  "states it.</p>")]
        age = c.facts["age"]
        # No default age: the definition is for a child, or a youth receiving child welfare services, so the
        # answer waits for the age rather than assume one.
        self.age = ipw.Dropdown(options=[("not given", None), *((str(n), n) for n in range(age.minimum, 26))],
                                value=None, description=age.label, style={"description_width": "initial"},
                                tooltip="The youth's age: the at-risk definition is for a child, or a youth "
                                        "receiving child welfare services", layout=natural())
        self.receiving = ipw.Checkbox(value=False, description=c.facts["receiving_child_welfare_services"].label,
                                      tooltip="In foster care, an open case, run away from care, or independent "
                                              "living services", indent=False, layout=ipw.Layout(width="auto"))
        for control in (self.age, self.receiving):
            control.observe(self._changed, names="value")
            rows.append(control)
        for group in c.indicator_groups.values():
            rows.append(ipw.HTML(f"<h4>{esc(group.title)}</h4>"))
            for ind in (i for i in c.indicators.values() if i.group == group.id):
                box = ipw.Checkbox(value=False, description=f"{ind.letter}. {ind.la_text}", indent=False,
                                   tooltip=f"Indicator {ind.letter}: {c.facts[ind.id].label}" if ind.id in c.facts
                                   else f"Indicator {ind.letter}", layout=ipw.Layout(width="auto"))
                box.observe(self._changed, names="value")
                self.checkboxes[ind.id] = box
                rows.append(box)
        self.result_html = ipw.HTML(layout=ipw.Layout(margin="0.5em 0 0 0"))
        self.reset_button = ipw.Button(description="Clear all", icon="eraser",
                                       tooltip="Untick every indicator and start again",
                                       layout=natural())
        self.reset_button.on_click(lambda _: self.reset())
        self.explanation: RiskExplanation | None = None
        super().__init__(children=[*rows, self.reset_button, self.result_html], **kwargs)
        self.add_class("csec-exercise")
        self._update()

    @property
    def ticked(self) -> list[str]:
        return [i for i, box in self.checkboxes.items() if box.value]

    @property
    def at_risk(self) -> bool | None:
        return self.explanation.at_risk if self.explanation else None

    @property
    def person(self) -> dict:
        facts = {"receiving_child_welfare_services": self.receiving.value}
        if self.age.value is not None:
            facts["age"] = self.age.value
        return facts

    def reset(self) -> None:
        for box in self.checkboxes.values():
            box.value = False

    def _changed(self, _change=None) -> None:
        self._update()

    def _update(self) -> None:
        ex = at_risk_explanation(self.corpus, self.ticked, self.person)
        self.explanation = ex
        verdict = ("not decided until you give the " + ", ".join(self.corpus.facts[f].label.lower() for f in ex.needs)
                   if ex.at_risk is None else "yes" if ex.at_risk else "no")
        counts = "".join(
            f"<li>{esc(g.title)}: {len(g.ticked)} ticked"
            + (f", at least {g.needed} needed ({'met' if g.met else 'not met'})" if g.needed is not None else "")
            + "</li>" for g in ex.groups)
        self.result_html.value = (
            f'<div class="csec-feedback" role="status" aria-live="polite">'
            f"<p><strong>At risk: {verdict}</strong></p>"
            f"<p>Why: {inline(ex.because)}.</p><ul>{counts}</ul>"
            f"<p>The rule: {inline(ex.rule_text)}</p>{cites_html(ex.citations)}</div>")

    def __repr__(self) -> str:
        return "IndicatorChecklist()"
