"""Quiz: N questions drawn from a module's approved question bank (hand-written and generated alike), shuffled with a
seedable random generator, one at a time, with per-answer feedback and citations, a running and a final score.
Grading is csec.feedback.grade_question; a trainee's final score is saved locally (widgets.progress)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import ipywidgets as ipw

from csec.core import model as m
from csec.training.answer import module_questions
from csec.training.feedback import Feedback, grade_question

from . import progress
from ._html import STYLE, esc, feedback_html, natural
from .corpus import get_corpus
from .markup import to_html


@dataclass
class Drawn:
    question: m.Question
    order: list[int]  # choice indices in the order they are shown


def draw(corpus, module: str, n: int, rng: random.Random) -> list[Drawn]:
    pool = module_questions(corpus, module)
    rng.shuffle(pool)
    drawn = []
    for q in pool[:n]:
        order = list(range(len(q.choices)))
        if q.kind != "true_false":  # "True" before "False" reads naturally; everything else is shuffled
            rng.shuffle(order)
        drawn.append(Drawn(q, order))
    return drawn


class Quiz(ipw.VBox):
    def __init__(self, module: str, n: int = 10, seed: int | None = None, trainee: str | None = None, corpus=None,
                 **kwargs):
        self.corpus = c = get_corpus(corpus)
        if module not in c.modules:
            raise ValueError(f"unknown module {module!r} (known: {', '.join(c.modules) or 'none'})")
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ValueError(f"n must be a whole number of questions, at least 1 (got {n!r})")
        self.module = module
        self.n = n
        self.trainee = trainee
        self.rng = random.Random(seed)
        self.title_html = ipw.HTML(STYLE + f"<h3>Quiz: {esc(c.modules[module].title)}</h3>")
        self.question_html = ipw.HTML()
        self.control_box = ipw.VBox()
        self.submit_button = ipw.Button(description="Check answer", button_style="primary", icon="check",
                                        tooltip="Check your answer to this question", layout=natural())
        self.next_button = ipw.Button(description="Next question", icon="arrow-right", disabled=True,
                                      tooltip="Go on to the next question", layout=natural())
        self.restart_button = ipw.Button(description="Start a new quiz", icon="refresh", layout=natural(),
                                         tooltip="Draw a new set of questions and start again")
        self.submit_button.on_click(lambda _: self.submit())
        self.next_button.on_click(lambda _: self.next())
        self.restart_button.on_click(lambda _: self.start())
        self.feedback_html = ipw.HTML()
        self.score_html = ipw.HTML()
        self.saver = progress.Saver()
        super().__init__(children=[self.title_html, self.score_html, self.question_html, self.control_box,
                                   ipw.HBox([self.submit_button, self.next_button]), self.feedback_html,
                                   self.saver.view, self.restart_button], **kwargs)
        self.add_class("csec-exercise")
        self.start()

    # --- state ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Draw the questions (again) and show the first one."""
        self.drawn = draw(self.corpus, self.module, self.n, self.rng)
        self.current = 0
        self.score = 0
        self.answered = 0
        self.results: list[tuple[str, bool]] = []
        self.feedback: Feedback | None = None
        self.finished = False
        self.saved_to = None
        self.restart_button.layout.display = "none"
        self._show()

    @property
    def question(self) -> m.Question | None:
        return self.drawn[self.current].question if self.current < len(self.drawn) else None

    def selected(self) -> list[int] | int | None:
        """The trainee's answer as original choice indices (grade_question's form)."""
        q = self.question
        if q is None:
            return None
        if q.kind in ("single", "true_false"):
            return self.control.value
        if q.kind == "multiple":
            return [i for i, box in self.choice_boxes.items() if box.value]
        return [dd.value for dd in self.position_dropdowns if dd.value is not None]

    # --- actions ------------------------------------------------------------------------------------------

    def submit(self) -> Feedback | None:
        q = self.question
        if q is None or self.submit_button.disabled:
            return None
        answer = self.selected()
        if answer is None or answer == []:
            self.feedback_html.value = "<p role='status'><strong>Choose an answer first.</strong></p>"
            return None
        fb = grade_question(q, answer, self.corpus)
        self.feedback = fb
        self.score += fb.score
        self.answered += 1
        self.results.append((q.id, fb.all_correct))
        self.feedback_html.value = feedback_html(fb)
        self.submit_button.disabled = True
        for w in self._controls():
            w.disabled = True
        last = self.current == len(self.drawn) - 1
        self.next_button.description = "See my final score" if last else "Next question"
        self.next_button.disabled = False
        self._score()
        return fb

    def next(self) -> None:
        if self.next_button.disabled:
            return
        self.current += 1
        if self.current >= len(self.drawn):
            self._finish()
        else:
            self.feedback_html.value = ""
            self._show()

    def _finish(self) -> None:
        self.finished = True
        self.question_html.value = ""
        self.control_box.children = ()
        self.next_button.disabled = True
        self.submit_button.disabled = True
        total = len(self.drawn)
        self.feedback_html.value = (f"<div role='status'><p><strong>Final score: {self.score} of {total}.</strong>"
                                    "</p></div>")
        self._score()
        if self.trainee:
            self.saved_to = self.saver.save(progress.record_quiz, self.trainee, self.module, self.score, total,
                                            [d.question.id for d in self.drawn],
                                            [qid for qid, ok in self.results if ok])
        self.restart_button.layout.display = None

    # --- display ----------------------------------------------------------------------------------------------

    def _score(self) -> None:
        if self.finished:
            self.score_html.value = f"<p>Quiz finished: {self.score} of {len(self.drawn)} right.</p>"
        else:
            self.score_html.value = (f"<p>Question {min(self.current + 1, len(self.drawn))} of {len(self.drawn)}. "
                                     f"Score so far: {self.score} of {self.answered}.</p>")

    def _controls(self) -> list[ipw.Widget]:
        return list(self.control_box.children)

    def _show(self) -> None:
        self.control = None
        self.choice_boxes: dict[int, ipw.Checkbox] = {}
        self.position_dropdowns: list[ipw.Dropdown] = []
        if not self.drawn:
            self.question_html.value = "<p>This module has no approved quiz questions yet.</p>"
            self.control_box.children = ()
            self.submit_button.disabled = True
            self.next_button.disabled = True
            self.score_html.value = ""
            return
        d = self.drawn[self.current]
        q = d.question
        how = {"single": "Choose one answer.", "true_false": "True or false?",
               "multiple": "Tick every right answer.", "ordering": "Put these in the right order."}[q.kind]
        self.question_html.value = f"<div>{to_html(q.stem, 4)}</div><p><em>{how}</em></p>"
        options = [(q.choices[i].text, i) for i in d.order]
        if q.kind in ("single", "true_false"):
            self.control = ipw.RadioButtons(options=options, value=None, description="Your answer",
                                            tooltip=how, layout=ipw.Layout(width="auto"),
                                            style={"description_width": "initial"})
            controls = [self.control]
        elif q.kind == "multiple":
            self.choice_boxes = {i: ipw.Checkbox(value=False, description=text, indent=False, tooltip=how,
                                                 layout=ipw.Layout(width="auto")) for text, i in options}
            controls = list(self.choice_boxes.values())
        else:
            self.position_dropdowns = [
                ipw.Dropdown(options=[("Choose…", None), *options], index=0, description=f"Position {k + 1}",
                             tooltip=f"Which item comes in position {k + 1}",
                             layout=ipw.Layout(width="40em", max_width="100%"))
                for k in range(len(q.choices))]
            controls = list(self.position_dropdowns)
        self.control_box.children = tuple(controls)
        self.submit_button.disabled = False
        self.next_button.disabled = True
        self.next_button.description = "Next question"
        self._score()

    def __repr__(self) -> str:
        return f"Quiz(module={self.module!r}, n={self.n})"

