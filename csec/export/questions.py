"""The approved quiz questions and vignettes of each training module as plain data the LMS writers share: text
already rendered to safe HTML, policy numbers resolved from their rules, in the order the content gives, with the
grading choices (penalty, category, tags) every format makes the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass

from csec.render import markup
from csec.training.answer import (
    CHOSEN,
    DEFAULT_WARNING,
    VIGNETTE_QUESTIONS,
    deadline_key,
    module_scenarios,
    vignette_key,
)

# What a wrong try costs when a quiz allows another (Moodle's "penalty for each incorrect try"). GIFT has no way to
# say it, and Moodle's GIFT reader gives every question its default, 0.3333333 (qformat_default::defaultquestion); so
# Moodle XML writes that same value, and the bank imports alike from either file. The SCO gives one try per
# question, so no penalty arises there.
PENALTY = "0.3333333"


@dataclass(frozen=True)
class LmsChoice:
    html: str
    correct: bool
    feedback: str  # HTML


@dataclass(frozen=True)
class LmsQuestion:
    id: str
    kind: str  # single | multiple | true_false | ordering (ordering: choices in the correct order)
    topic: str | None
    stem: str  # HTML
    choices: tuple[LmsChoice, ...]


@dataclass(frozen=True)
class LmsOption:
    html: str
    correct: bool
    chosen: str  # HTML: what the site's player says when it is ticked (right or wrong)
    missed: str  # HTML: what it says when a right option is left unticked ("" for a wrong option)


@dataclass(frozen=True)
class LmsDecision:
    """One decision a trainee makes on a vignette: tick what applies (choice) or answer yes or no (true_false)."""

    id: str  # <scenario>.<decision>, unique in the module (an LMS interaction id)
    kind: str  # choice | true_false | deadline
    topic: str  # indicators | red flags | classification | actions | deadlines
    prompt: str  # HTML
    options: tuple[LmsOption, ...]  # true_false: one option, correct when the answer is yes
    # deadline: the required action's place among the actions decision's options; its options are the deadlines
    # (the right one correct), and the deadline is given only when that action is ticked (as the site judges it).
    action: int | None = None
    timed: tuple[bool, ...] = ()  # actions: which options are timed actions (each is offered a deadline choice)


@dataclass(frozen=True)
class LmsVignette:
    id: str
    title: str  # neutral: the vignette's place and the youth's name, never its answer
    warning: str  # HTML
    narrative: str  # HTML
    decisions: tuple[LmsDecision, ...]
    debrief: str  # HTML, shown once the trainee has checked their answers
    deadlines: tuple[str, ...] = ()  # HTML: the deadlines a timed action's choice offers, shortest first


@dataclass(frozen=True)
class LmsModule:
    id: str
    title: str
    summary: str  # HTML
    questions: tuple[LmsQuestion, ...]
    vignettes: tuple[LmsVignette, ...] = ()

    def notes(self, fmt: str) -> list[str]:
        """What the format cannot carry as written, said once per export on standard error."""
        if fmt in ("gift", "moodle-xml") and any(q.kind == "ordering" for q in self.questions):
            return ["ordering questions are exported as Moodle matching questions (each step matched to its place: "
                    "GIFT has no ordering type, and core Moodle's ordering type only exists from Moodle 4.4)"]
        return []


def lms_modules(corpus) -> list[LmsModule]:
    """Every approved module with its approved questions; a module with none is left out (an LMS cannot score it)."""
    markup.use(corpus)  # policy-number and citation roles read this corpus
    modules = []
    for module in corpus.modules.values():
        if module.status != "approved":
            continue
        questions = tuple(_question(corpus, q) for q in corpus.questions.values()
                          if q.module == module.id and q.status == "approved")
        if questions:
            vignettes = tuple(_vignette(corpus, sid, k) for k, sid in enumerate(module_scenarios(corpus, module.id), 1)
                              if corpus.scenarios[sid].status == "approved")
            modules.append(LmsModule(module.id, module.title, markup.to_html(module.summary), questions, vignettes))
    return modules


# Each topic's decision, the topic (an LMS tag) it is recorded under, and its question, as the site asks it.
_DECISIONS = (("indicator", "indicators", VIGNETTE_QUESTIONS["indicator"]),
              ("red_flag", "red flags", VIGNETTE_QUESTIONS["red_flag"]),
              ("action", "actions", VIGNETTE_QUESTIONS["action"]))


def _vignette(corpus, scenario_id: str, position: int) -> LmsVignette:
    """A vignette's decisions as the site's player asks them (the same answer key): the ticks of each topic, each
    Yes/No question, and the deadline of each required action with one (the site's own decisions, as it scores
    them). Every timed action is offered a deadline choice, so the choices never tell which actions are required."""
    key = vignette_key(corpus, scenario_id, position)
    scenario = corpus.scenarios[scenario_id]
    offered = set(key.red_flags_offered)

    def option(item) -> LmsOption:
        return LmsOption(markup.inline(item.label), item.expected,
                         markup.inline(item.right if item.expected else item.wrong),
                         markup.inline(item.missed) if item.expected else "")

    decisions = []
    for topic, name, prompt in _DECISIONS:
        items = [i for i in key.topic(topic) if topic != "red_flag" or i.key in offered]
        timed = tuple(deadline_key(corpus.rules[i.key]) is not None for i in items) if topic == "action" else ()
        decisions.append(LmsDecision(f"{scenario_id}.{topic}", "choice", name, prompt,
                                     tuple(option(i) for i in items), timed=timed))
    actions = key.topic("action")
    for place, item in enumerate(actions):
        if item.expected and item.deadline is not None:
            d = item.deadline
            decisions.append(LmsDecision(
                f"{scenario_id}.deadline.{item.key}", "deadline", "deadlines", markup.inline(d.label),
                tuple(LmsOption(markup.inline(label), k == d.key, markup.inline(
                    d.right if k == d.key else d.wrong.replace(CHOSEN, label)), markup.inline(d.missing))
                      for label, k in key.deadline_options), action=place))
    # Each classification is its own yes-or-no decision, asked before the actions (as the player asks them).
    decisions[2:2] = [LmsDecision(f"{scenario_id}.{i.key}", "true_false", "classification", markup.inline(i.label),
                                  (option(i),)) for i in key.topic("classification")]
    return LmsVignette(scenario_id, key.neutral_title, markup.inline(scenario.content_warning or DEFAULT_WARNING),
                       markup.to_html(scenario.narrative), tuple(decisions), markup.to_html(key.debrief or ""),
                       tuple(markup.inline(label) for label, _ in key.deadline_options))


def _question(corpus, q) -> LmsQuestion:
    # A choice is one line of a list; a stem or a feedback may run to paragraphs.
    return LmsQuestion(q.id, q.kind, q.topic, markup.to_html(q.stem),
                       tuple(LmsChoice(markup.inline(c.text), c.correct, markup.to_html(c.feedback))
                             for c in q.choices))


def category_path(module: str) -> str:
    """The LMS category of a module's questions: the module, one category each, so a random quiz draws from the whole
    bank of a module (a category per topic gave a few questions each). Moodle reads '/' in a path as a subcategory and
    '//' as a slash inside one name."""
    return module.replace("/", "//")


def tags(q: LmsQuestion) -> list[str]:
    """A question's tags: its topic (Moodle filters a bank and picks random questions by tag)."""
    return [" ".join(q.topic.split())] if q.topic else []


def objective_id(text: str) -> str:
    """TEXT as a SCORM identifier (letters, digits, hyphens): the SCO's objective for a module or a topic."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "topic"
