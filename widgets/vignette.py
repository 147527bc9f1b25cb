"""VignettePlayer: a fictional case vignette as an exercise. Content warning first; then the narrative and four steps
(indicators, red flags, classification, actions with deadlines); "Check my answers" asks csec.training.feedback to compare
the choices with the rules engine's answer, and shows per-decision feedback with citations, then the debrief."""

from __future__ import annotations

import ipywidgets as ipw

from csec.engine.rules import ordered
from csec.training.answer import DEFAULT_WARNING, module_scenarios, neutral_title, what_would_change
from csec.training.feedback import (
    CLASSIFICATIONS,
    Feedback,
    deadline_key,
    deadline_options,
    grade_vignette,
    red_flag_options,
)

from . import progress
from ._html import STYLE, esc, feedback_html, natural, scenario_answer_html, what_would_change_html
from .corpus import get_corpus
from .markup import to_html

YES_NO = [("Yes", True), ("No", False)]


def _step(number: int, title: str, hint: str) -> ipw.HTML:
    return ipw.HTML(f"<h4>Step {number} of 4: {esc(title)}</h4><p>{esc(hint)}</p>")


class VignettePlayer(ipw.VBox):
    def __init__(self, scenario_id: str, corpus=None, trainee: str | None = None, **kwargs):
        self.corpus = c = get_corpus(corpus)
        if scenario_id not in c.scenarios:
            raise ValueError(f"unknown scenario {scenario_id!r} (known: {', '.join(sorted(c.scenarios)) or 'none'})")
        self.scenario = s = c.scenarios[scenario_id]
        self.scenario_id = scenario_id
        self.trainee = trainee
        self.feedback: Feedback | None = None
        wide = ipw.Layout(width="auto")

        # The title and summary name the answer ("... enough to be at risk"): shown with the feedback, not before.
        ids = module_scenarios(c, s.module)
        position = ids.index(scenario_id) + 1 if scenario_id in ids else s.order
        header = ipw.HTML(STYLE + f"<h3>{esc(neutral_title(c, s, position))}</h3><p><em>Fictional vignette.</em></p>")
        self.warning_html = ipw.HTML(
            f'<div class="csec-warning" role="note"><strong>Content warning.</strong> '
            f"{esc(s.content_warning or DEFAULT_WARNING)}</div>")
        self.acknowledge_button = ipw.Button(description="I understand: show the vignette", icon="eye",
                                             layout=natural(),
                                             tooltip="Show the vignette's narrative and the exercise steps")
        self.acknowledge_button.on_click(lambda _: self.reveal())

        narrative = ipw.HTML(f'<div class="csec-narrative">{to_html(s.narrative, 4)}</div>')

        self.indicator_boxes = {
            ind.id: ipw.Checkbox(value=False, description=f"{ind.letter}. {ind.la_text}", indent=False, layout=wide,
                                 tooltip=f"Indicator {ind.letter} is present")
            for ind in c.indicators.values()}
        self.red_flag_boxes = {
            rid: ipw.Checkbox(value=False, description=c.red_flags[rid].text, indent=False, layout=wide,
                              tooltip="This red flag is present")
            for rid in red_flag_options(c, s)}
        self.classification = {
            rid: ipw.ToggleButtons(options=YES_NO, value=None, description=f"{c.rules[rid].title}?",
                                   tooltip=f"Answer yes or no: {c.rules[rid].title}?",
                                   tooltips=[f"Yes: {c.rules[rid].title}", f"No: not {c.rules[rid].title.lower()}"],
                                   style={"description_width": "initial", "button_width": "5em"})
            for rid in CLASSIFICATIONS}
        self.action_boxes: dict[str, ipw.Checkbox] = {}
        self.deadline_dropdowns: dict[str, ipw.Dropdown] = {}
        deadlines = [("Choose a deadline", None), *deadline_options(c)]
        action_rows: list[ipw.Widget] = []
        for rule in ordered(c, "action"):
            box = ipw.Checkbox(value=False, description=rule.title, indent=False, layout=wide,
                               tooltip=f"This action is required: {rule.title}")
            self.action_boxes[rule.id] = box
            action_rows.append(box)
            if deadline_key(rule) is not None:
                # index=0 shows "Choose a deadline" (value None); value=None would show an empty box.
                dd = ipw.Dropdown(options=deadlines, index=0, description="Deadline for this action",
                                  tooltip=f"Deadline for: {rule.title}",
                                  style={"description_width": "initial"},
                                  layout=ipw.Layout(width="30em", max_width="100%", margin="0 0 0.4em 2em"))
                self.deadline_dropdowns[rule.id] = dd
                action_rows.append(dd)

        self.check_button = ipw.Button(description="Check my answers", button_style="primary", icon="check",
                                       tooltip="Compare your answers with the policy rules",
                                       layout=natural())
        self.check_button.on_click(lambda _: self.check())
        self.feedback_html = ipw.HTML(value="")
        self.saver = progress.Saver()

        self.body = ipw.VBox([
            narrative,
            _step(1, "At-risk indicators", "Tick each at-risk indicator this vignette shows."),
            *self.indicator_boxes.values(),
            _step(2, "Red flags", "Tick each red flag present in this vignette."),
            *self.red_flag_boxes.values(),
            _step(3, "Classification", "Answer each question Yes or No."),
            *self.classification.values(),
            _step(4, "Required actions", "Tick every action the policy requires here, and choose its deadline."),
            *action_rows,
            self.check_button,
            self.feedback_html,
            self.saver.view,
        ], layout=ipw.Layout(display="none"))
        super().__init__(children=[header, self.warning_html, self.acknowledge_button, self.body], **kwargs)
        self.add_class("csec-exercise")

    @property
    def revealed(self) -> bool:
        return self.body.layout.display != "none"

    def reveal(self) -> None:
        self.body.layout.display = None
        self.acknowledge_button.layout.display = "none"

    def answers(self) -> dict:
        """What the trainee chose, in the form csec.feedback.grade_vignette takes."""
        return {
            "marked_indicators": [i for i, b in self.indicator_boxes.items() if b.value],
            "marked_red_flags": [r for r, b in self.red_flag_boxes.items() if b.value],
            "classification": {k: t.value for k, t in self.classification.items()},
            "actions": {a: (self.deadline_dropdowns[a].value if a in self.deadline_dropdowns else None)
                        for a, b in self.action_boxes.items() if b.value},
        }

    def check(self) -> Feedback:
        fb = grade_vignette(self.corpus, self.scenario_id, **self.answers())
        self.feedback = fb
        answer = (f"<h4>The answer under the rules</h4><p><strong>{esc(self.scenario.title)}</strong>. "
                  f"{esc(self.scenario.summary)}</p>" +
                  scenario_answer_html(self.corpus, self.scenario, fb.assessment) +
                  f'<div class="csec-what-would-change">'
                  f"{what_would_change_html(what_would_change(self.corpus, dict(self.scenario.facts), fb.assessment))}"
                  f"</div>")
        self.feedback_html.value = feedback_html(fb, answer=answer)
        if self.trainee:
            self.saver.save(progress.record_vignette, self.trainee, self.scenario_id, self.scenario.module, fb.score,
                            fb.total)
        return fb

    def __repr__(self) -> str:
        return f"VignettePlayer({self.scenario_id!r})"


class ModuleVignettes(ipw.VBox):
    """Choose one of a module's vignettes from a list and work through it (each player is built when chosen)."""

    def __init__(self, module: str, corpus=None, trainee: str | None = None, **kwargs):
        self.corpus = c = get_corpus(corpus)
        if module not in c.modules:
            raise ValueError(f"unknown module {module!r} (known: {', '.join(c.modules) or 'none'})")
        self.module = module
        self.trainee = trainee
        ids = module_scenarios(c, module)
        self.players: dict[str, VignettePlayer] = {}
        self.chooser = ipw.Dropdown(
            options=[(neutral_title(c, c.scenarios[i], k), i) for k, i in enumerate(ids, 1)],
            value=ids[0] if ids else None, description="Vignette", tooltip="Choose a vignette to work through",
            layout=ipw.Layout(width="40em", max_width="100%"))
        self.stage = ipw.VBox()
        self.chooser.observe(lambda _: self._show(), names="value")
        note = [] if ids else [ipw.HTML("<p>This module has no approved vignettes yet.</p>")]
        super().__init__(children=[*note, self.chooser, self.stage], **kwargs)
        self._show()

    @property
    def player(self) -> VignettePlayer | None:
        return self.players.get(self.chooser.value)

    def _show(self) -> None:
        sid = self.chooser.value
        if sid is None:
            self.stage.children = ()
            return
        if sid not in self.players:
            self.players[sid] = VignettePlayer(sid, corpus=self.corpus, trainee=self.trainee)
        self.stage.children = (self.players[sid],)

    def __repr__(self) -> str:
        return f"ModuleVignettes({self.module!r})"
