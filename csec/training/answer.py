"""One answer model: the right answers of a vignette or a question, and what to say about each choice, built once
from the rules engine and the content for every presenter (the grader, the widgets, the site and its page player).

A key holds no trainee input. `judge_item` and `judge_choice` are the only comparisons of a choice with a key in
Python (csec.training.feedback grades with them); the page player does the same comparison on the key exported as JSON, so
neither the player nor the widgets evaluate a rule.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

from csec.core import model as m
from csec.core.deadline import Deadline
from csec.core.site_view import visible
from csec.engine.fact_space import values as fact_values
from csec.engine.rules import (
    CONTRACT_OUTCOMES,
    OUTPUTS,
    Assessment,
    FactsError,
    assess,
    ordered,
    placeholders,
    render_rule,
)
from csec.load.counties import county_name

CLASSIFICATIONS = CONTRACT_OUTCOMES  # the outcome rules a trainee classifies
DEFAULT_WARNING = ("This fictional vignette describes the exploitation of a child or youth. Take care of yourself: "
                   "you can stop at any time and come back later.")
CHOSEN = "{chosen}"  # where a wrong answer's words go in a template (a deadline, an ordering position)
# What a vignette asks, by the topic of its items, in the order it asks it: the module pages, the worksheets and the
# SCORM package word the four steps alike.
VIGNETTE_QUESTIONS = {"indicator": "Which at-risk indicators are present?",
                      "red_flag": "Which red flags are present?",
                      "classification": "Answer yes or no:",
                      "action": "Which actions does the policy require, and by when?"}
# The pass mark of a quiz, in percent: the kit's training choice, not a policy number. The site's quiz shows it and
# the SCORM package declares it (adlcp:masteryscore), so a trainee passes on the site exactly when the LMS says so.
MASTERY_SCORE = 80
# Required actions in three short groups, by the verb that starts the action's title (so a county's new action
# lands in a group without a list of ids to keep): telling someone, writing it down, and the work with the youth.
ACTION_GROUPS = {"report": ("Report and notify", ("call", "report", "contact", "notify", "tell")),
                 "document": ("Document", ("document", "tag", "confirm", "substantiate", "complete")),
                 "serve": ("Assess and serve the youth", ())}


@dataclass(frozen=True)
class Citation:
    id: str  # "acl-16-85#v"
    label: str  # "ACL 16-85, V. Reporting CSEC/Youth to Law Enforcement"


def citations(corpus, cites: Iterable[str]) -> list[Citation]:
    return [Citation(c, corpus.cite_label(c) if corpus is not None else c) for c in cites]


# --- deadlines ----------------------------------------------------------------------------------------------

def deadline_key(rule: m.Rule) -> str | None:
    """'immediately+within_hours:24' (see csec.deadline.Deadline.key); None for an action without a deadline."""
    when = Deadline.of(rule)
    return when.key if when else None


def deadline_label(key: str) -> str:
    return Deadline.from_key(key).words()


def deadline_options(corpus) -> list[tuple[str, str]]:
    """Every deadline the action rules use, as (label, key), shortest first: the candidates a trainee picks from."""
    deadlines = {Deadline.of(r) for r in ordered(corpus, "action")} - {None}
    return [(d.words(), d.key) for d in sorted(deadlines, key=lambda d: d.sort_key)]


def action_group(rule: m.Rule) -> str:
    """The group of ACTION_GROUPS an action rule is shown in (the work with the youth unless its verb says else)."""
    verb = rule.title.split(" ", 1)[0].lower()
    return next((g for g, (_, verbs) in ACTION_GROUPS.items() if verb in verbs), "serve")


def stable_order(seed: str, n: int) -> list[int]:
    """A fixed shuffle of range(N) named by SEED (never the identity when N > 1): the order choices are shipped or
    shown in where no per-trainee order applies, so a list's own order never gives its answer away."""
    order = sorted(range(n), key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return order[1:] + order[:1] if order == sorted(order) else order


# --- explanations in sentences ---------------------------------------------------------------------------------

def _fact_words(corpus, fact_id: str) -> str:
    """A fact's label as it reads inside a sentence ("a commercial sex act" stays capitalised only for acronyms)."""
    label = corpus.facts[fact_id].label if fact_id in corpus.facts else fact_id.replace("_", " ")
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _shown(corpus, facts: dict, fact_ids: Iterable[str]) -> str:
    """What a vignette's facts show of FACT_IDS, in one or two sentences ("" when they name none of them)."""
    seen, unseen = [], []
    for f in fact_ids:
        value = facts.get(f)
        if f == "age" and value is not None:
            seen.append(f"the youth is {value}")
        elif isinstance(value, str):
            seen.append(f"{_fact_words(corpus, f)} {value.replace('_', ' ')}")
        elif value is True:
            seen.append(_fact_words(corpus, f))
        elif f in corpus.facts and corpus.facts[f].type == "bool":
            unseen.append(_fact_words(corpus, f))
    out = []
    # Semicolons: a fact's own words may hold commas ("force, fraud or coercion").
    if seen:
        out.append(f"This vignette shows: {'; '.join(seen[:-1]) + ' and ' if len(seen) > 1 else ''}{seen[-1]}.")
    if unseen:
        out.append(f"It does not show: {'; '.join(unseen[:-1]) + ' or ' if len(unseen) > 1 else ''}{unseen[-1]}.")
    return " ".join(out)


# --- vignettes ----------------------------------------------------------------------------------------------

@dataclass
class DeadlineKey:
    """A required action's deadline and the words for a right, a missing and a wrong choice (CHOSEN in `wrong`)."""

    key: str
    label: str
    right: str
    missing: str
    wrong: str


@dataclass
class ItemKey:
    """One decision on a vignette: the right value and the explanation for each way of getting it right or wrong.

    A ticked item (indicator, red flag, action) is judged when it is expected or chosen: `right` when both,
    `missed` when expected and not chosen, `wrong` when chosen and not expected. A classification (Yes/No) is
    always judged: `right` or `wrong` by the answer, `missed` when not answered.
    """

    topic: str  # indicator | red_flag | classification | action
    key: str
    label: str
    expected: bool
    right: str
    missed: str
    wrong: str
    citations: list[Citation] = field(default_factory=list)
    deadline: DeadlineKey | None = None


@dataclass
class NothingKey:
    """The decision shown when a topic has nothing to find and the trainee chose nothing."""

    topic: str
    label: str
    explanation: str
    citations: list[Citation] = field(default_factory=list)


@dataclass
class VignetteKey:
    scenario_id: str
    module: str
    title: str  # gives the answer away: shown in feedback, the debrief and the trainer's guide only
    neutral_title: str  # what a trainee sees before answering ("Vignette 3: Dev")
    summary: str
    debrief: str | None
    items: list[ItemKey]
    nothing: list[NothingKey]
    red_flags_offered: list[str]
    deadline_options: list[tuple[str, str]]
    assessment: Assessment
    what_would_change: "WhatWouldChange | None" = None

    def topic(self, topic: str) -> list[ItemKey]:
        return [i for i in self.items if i.topic == topic]

    def offered(self) -> list[ItemKey]:
        """The items a trainee is asked about: every item but the red flags the player does not offer."""
        shown = set(self.red_flags_offered)
        return [i for i in self.items if i.topic != "red_flag" or i.key in shown]

    @property
    def total(self) -> int:
        """The vignette's own number of decisions (decision_total): the denominator of every check of it."""
        return decision_total(self.offered())

    def as_dict(self, offered_only: bool = True) -> dict:
        """Plain JSON data; OFFERED_ONLY drops red flags the player does not offer (they can never be ticked)."""
        offered = set(self.red_flags_offered)
        items = [i for i in self.items if not (offered_only and i.topic == "red_flag" and i.key not in offered)]
        return {"scenario": self.scenario_id, "module": self.module, "title": self.title,
                "neutral_title": self.neutral_title, "summary": self.summary, "debrief": self.debrief,
                "items": [asdict(i) for i in items], "nothing": [asdict(n) for n in self.nothing],
                "red_flags_offered": list(self.red_flags_offered),
                "deadline_options": [list(o) for o in self.deadline_options],
                "what_would_change": asdict(self.what_would_change) if self.what_would_change else None}


@dataclass(frozen=True)
class Change:
    """One given fact that decided the answer: had it been INSTEAD, the outputs in CHANGES would differ."""

    fact: str
    label: str
    value: str  # as given, in words
    instead: str  # the other value, in words
    changes: list[str]  # the outputs that would differ, in words


@dataclass(frozen=True)
class FindOut:
    """An unknown fact worth finding out (the engine's find_out), in words."""

    fact: str
    label: str
    could_change: list[str]
    questions: list[str]  # the investigative questions' own words


@dataclass(frozen=True)
class WhatWouldChange:
    """Which given facts decided the answer, and which unknown facts could still change it."""

    decided_by: list[Change]
    find_out: list[FindOut]


def output_words(corpus, output: str) -> str:
    """An output of `csec assess` in words: an outcome by its rule's title, the lists by what they hold."""
    if output in CONTRACT_OUTCOMES:
        return corpus.rules[output].title
    return {"allegations": "Allegations to enter", "csec_data_grid": "CSEC Data Grid type",
            "actions": "Required actions"}[output]


def _words(value) -> str:
    return "not given" if value is None else "yes" if value is True else "no" if value is False else \
        str(value).replace("_", " ")


def what_would_change(corpus, facts: dict, result: Assessment | None = None) -> WhatWouldChange:
    """For each fact FACTS give, each other value it can have (csec.engine.fact_space; ages at the rules' own
    thresholds) that the rules would answer differently, and the answer's find_out in words. Values the conflict
    rules refuse are not tried."""
    result = result or assess(corpus, facts)
    given = result.as_dict()
    decided = []
    for name, value in facts.items():
        if name not in corpus.facts or value is None:
            continue
        for other in fact_values(corpus, name):
            if other == value or (isinstance(value, int) and not isinstance(value, bool) and
                                  _same_stretch(corpus, name, value, other)):
                continue
            try:
                changed = assess(corpus, {**facts, name: other}).as_dict()
            except FactsError:
                continue
            outs = [output_words(corpus, o) for o in OUTPUTS if _norm(changed[o]) != _norm(given[o])]
            if outs:
                decided.append(Change(name, corpus.facts[name].label, _words(value), _words(other), outs))
    texts = {q.id: q.text for qset in corpus.question_sets.values() for q in qset.questions}
    find = [FindOut(e["fact"], corpus.facts[e["fact"]].label, [output_words(corpus, o) for o in e["could_change"]],
                    [texts[q] for q in e["questions"]]) for e in result.find_out]
    return WhatWouldChange(decided, find)


def _same_stretch(corpus, name: str, value: int, other: int) -> bool:
    # A cut point stands for every age up to the next one: the age given is in OTHER's stretch already.
    cuts = fact_values(corpus, name)
    start = max(c for c in cuts if c <= value)
    return start == other


def _norm(value):
    # Lists compare as sets of ids (an action's deadline words are the same rule's), so order never counts as a change.
    if isinstance(value, list):
        return sorted(v["id"] if isinstance(v, dict) else v for v in value)
    return value


def present_indicators(corpus, scenario: m.Scenario) -> list[str]:
    """The indicators present in a vignette: those its facts set (they are the engine's input) or it lists."""
    listed = set(scenario.indicators_present)
    return [i for i in corpus.indicators if scenario.facts.get(i) is True or i in listed]


def red_flag_options(corpus, scenario: m.Scenario, at_least: int = 6) -> list[str]:
    """The red flags offered for a vignette: the ones present plus as many others (at least AT_LEAST in all),
    picked by a stable hash so the choice is the same on every run, and listed in the chart's order."""
    present = [r for r in scenario.red_flags_present if r in corpus.red_flags]
    want = max(at_least, 2 * len(present))
    others = sorted((r for r in corpus.red_flags if r not in present),
                    key=lambda r: hashlib.sha256(f"{scenario.id}/{r}".encode()).hexdigest())
    chosen = set(present) | set(others[:max(0, want - len(present))])
    return [r for r in corpus.red_flags if r in chosen]


def neutral_title(corpus, scenario: m.Scenario, position: int) -> str:
    """'Vignette 3: Dev': the order and the youth's name (the title before ':'), never the title's answer."""
    name = re.split(r"[:(]| at \d", scenario.title, maxsplit=1)[0].strip()
    return f"Vignette {position}: {name}" if name else f"Vignette {position}"


def _indicator_items(corpus, scenario: m.Scenario) -> list[ItemKey]:
    present = present_indicators(corpus, scenario)
    needed = placeholders(corpus, corpus.rules["at_risk"])
    items = []
    for ind in corpus.indicators.values():
        group = corpus.indicator_groups.get(ind.group)
        threshold = needed.get(f"at_least:{ind.group}")
        in_group = ""
        if group is not None:
            in_group = f" It is one of the {group.title}" + (
                f"; the at-risk rule needs at least {threshold} from that group." if threshold else ".")
        items.append(ItemKey("indicator", ind.id, f"{ind.letter}. {ind.la_text}", ind.id in present,
                             f"This vignette shows it.{in_group}",
                             f"This vignette shows it, so it counts.{in_group}",
                             "Nothing in this vignette shows this indicator.",
                             citations(corpus, ind.cites)))
    return items


def _red_flag_items(corpus, scenario: m.Scenario) -> list[ItemKey]:
    flags = set(scenario.red_flags_present)
    return [ItemKey("red_flag", f.id, f.text, f.id in flags, "This vignette shows it.",
                    "This vignette shows it: look for it when you read a case.",
                    "Nothing in this vignette shows this red flag.",
                    citations(corpus, f.cites)) for f in corpus.red_flags.values()]


def _classification_items(corpus, scenario: m.Scenario, result: Assessment) -> list[ItemKey]:
    reasons = {r.rule: r for r in result.reasons}
    items = []
    for rule_id in CLASSIFICATIONS:
        rule, holds = corpus.rules[rule_id], result.holds[rule_id]
        # The answer, what the vignette shows of the facts the rule reads, then the rule as the manual words it:
        # sentences a caseworker would write, never the condition the engine walked.
        shown = _shown(corpus, scenario.facts, reasons[rule_id].facts)
        why = f"The answer is {'yes' if holds else 'no'}. {shown} {render_rule(corpus, rule_id)}".replace("  ", " ")
        items.append(ItemKey("classification", rule_id, f"{rule.title}?", holds, why, why, why,
                             citations(corpus, rule.cites)))
    return items


def _action_items(corpus, scenario: m.Scenario, result: Assessment) -> list[ItemKey]:
    reasons = {r.rule: r for r in result.reasons}
    required = {a["id"] for a in result.actions}
    items = []
    for rule in ordered(corpus, "action"):
        key = deadline_key(rule)
        deadline = None
        if key is not None and rule.id in required:
            words = deadline_label(key)
            deadline = DeadlineKey(key, f"Deadline: {rule.title}", f"The deadline is {words}.",
                                   f"You chose no deadline; it is {words}.",
                                   f"The deadline is {words}, not {CHOSEN}.")
        shown = _shown(corpus, scenario.facts, reasons[rule.id].facts)
        items.append(ItemKey("action", rule.id, rule.title, rule.id in required,
                             f"The policy requires it here. {render_rule(corpus, rule.id)}",
                             f"The policy requires it here. {shown} {render_rule(corpus, rule.id)}".replace("  ", " "),
                             f"Not required in this vignette. {shown} {render_rule(corpus, rule.id)}".replace("  ", " "),
                             citations(corpus, rule.cites), deadline))
    return items


# The keys worked out for one corpus (a build shows each vignette on its module's page, worksheet and trainer's guide:
# three times the same key, and what_would_change tries every fact). Held with the corpus itself, so an object that
# merely reuses a dead corpus's id never finds them; a key is handed out as a copy, so no caller changes another's.
_KEYS: dict = {"corpus": None}


def vignette_key(corpus, scenario_id: str, position: int | None = None) -> VignetteKey:
    """The full answer to a vignette under the rules, with the words for every right and wrong choice.

    POSITION is the vignette's place in its module (for the neutral title); by default its place in the module's
    list of approved vignettes, or its `order`.
    """
    if _KEYS["corpus"] is not corpus:
        _KEYS.clear()
        _KEYS["corpus"] = corpus
    if (scenario_id, position) not in _KEYS:
        _KEYS[scenario_id, position] = _vignette_key(corpus, scenario_id, position)
    return copy.deepcopy(_KEYS[scenario_id, position])


def _vignette_key(corpus, scenario_id: str, position: int | None) -> VignetteKey:
    scenario: m.Scenario = corpus.scenarios[scenario_id]
    result = assess(corpus, scenario.facts)
    items = (_indicator_items(corpus, scenario) + _red_flag_items(corpus, scenario)
             + _classification_items(corpus, scenario, result) + _action_items(corpus, scenario, result))
    nothing = [NothingKey("indicator", "No at-risk indicator",
                          "None of the at-risk indicators is present, and you marked none.",
                          citations(corpus, corpus.rules["at_risk"].cites)),
               NothingKey("red_flag", "No red flag", "None of the red flags offered is present, and you marked none."),
               NothingKey("action", "No required action",
                          "None of the required actions applies under these facts, and you chose none.")]
    if position is None:
        ids = module_scenarios(corpus, scenario.module)
        position = ids.index(scenario_id) + 1 if scenario_id in ids else scenario.order
    return VignetteKey(scenario_id, scenario.module, scenario.title, neutral_title(corpus, scenario, position),
                       scenario.summary, debrief(corpus, scenario), items, nothing, red_flag_options(corpus, scenario),
                       deadline_options(corpus), result, what_would_change(corpus, dict(scenario.facts), result))


def debrief(corpus, scenario: m.Scenario) -> str:
    """A vignette's debrief as MyST: the statewide debrief, then what the county's procedures add (if any)."""
    if not scenario.county_debrief:
        return scenario.debrief
    county = county_name(corpus.layer("scenarios", scenario.id)) if corpus is not None else "County"
    return f"{scenario.debrief}\n\n**{county} procedures.** {scenario.county_debrief}"


def module_scenarios(corpus, module: str) -> list[str]:
    """A module's approved vignettes (every one in a preview) in the module's order (then any others of the module,
    by order and id)."""
    listed = list(corpus.modules[module].scenarios) if module in corpus.modules else []
    others = sorted((s for s in corpus.scenarios.values() if s.module == module and s.id not in listed),
                    key=lambda s: (s.order, s.id))
    ids = listed + [s.id for s in others]
    return [i for i in ids if i in corpus.scenarios and visible(corpus, corpus.scenarios[i])]


def judge_item(item: ItemKey, chosen: bool | None) -> tuple[bool, str] | None:
    """(right?, explanation) for one choice on a vignette, or None when the item is neither expected nor chosen."""
    if item.topic == "classification":
        if chosen is None:
            return False, item.missed
        return (True, item.right) if chosen == item.expected else (False, item.wrong)
    if not (item.expected or chosen):
        return None
    if item.expected and chosen:
        return True, item.right
    return (False, item.missed) if item.expected else (False, item.wrong)


# --- scoring a vignette: one definition for the Python grader and the page's player ---------------------------
# A vignette is scored out of its own fixed number of decisions (each item that applies, each Yes/No question, the
# deadline of each required timed action), whatever was ticked; each right one of those scores FOUND, each answer
# given that does not apply scores EXTRA, and the score never goes below FLOOR. The build writes SCORING and each
# vignette's total into the answer files the page's player reads, and csec.training.feedback.grade_vignette scores
# with the same two functions, so the site and the Python grader cannot drift apart.
SCORING = {"found": 1, "extra": -1, "floor": 0}


def counts(item: ItemKey) -> bool:
    """Whether ITEM is one of its vignette's own decisions (it counts in the total): a Yes/No question always, any
    other item when it applies. A ticked item that does not apply is judged too, but only ever costs."""
    return item.topic == "classification" or item.expected


def decision_total(items: Iterable[ItemKey]) -> int:
    """How many decisions a vignette asks, from its ITEMS (the ones a trainee is offered): each item that counts,
    and the deadline of each required action that has one."""
    items = list(items)
    return sum(counts(i) for i in items) + sum(i.expected and i.deadline is not None for i in items)


def vignette_score(found: int, extra: int) -> int:
    """The score of FOUND right decisions and EXTRA answers given that do not apply, under SCORING."""
    return max(SCORING["floor"], SCORING["found"] * found + SCORING["extra"] * extra)


def vignette_summary(score: int, total: int, found: int, extra: int) -> str:
    """The one-line result of a check, in the page player's words."""
    if score == total:
        return f"{score} of {total} decisions right. Well done."
    costs = f" and chose {extra} that {'does' if extra == 1 else 'do'} not apply" if extra else ""
    return f"{score} of {total} decisions right. You found {found} of {total}{costs}."


def verdict(item: ItemKey, chosen: bool | None) -> str | None:
    """'right', 'missed' (a right answer not given) or 'wrong' (an answer given that does not apply, or a Yes/No
    answered the wrong way), as the page's player words it; None when judge_item does not judge the item."""
    judged = judge_item(item, chosen)
    if judged is None:
        return None
    if judged[0]:
        return "right"
    if item.topic == "classification":
        return "missed" if chosen is None else "wrong"
    return "missed" if item.expected else "wrong"


def judge_deadline(deadline: DeadlineKey, chosen: str | None, chosen_words: str = "") -> tuple[bool, str]:
    if chosen == deadline.key:
        return True, deadline.right
    if chosen is None:
        return False, deadline.missing
    return False, deadline.wrong.replace(CHOSEN, chosen_words or chosen)


# --- questions ----------------------------------------------------------------------------------------------

@dataclass
class ChoiceKey:
    index: int
    text: str
    correct: bool
    when_chosen: str  # a chosen choice (or, ordering, a choice in its right place)
    when_missed: str  # a right choice left unchosen (or, ordering, the words for a misplaced one; CHOSEN inside)


@dataclass
class QuestionKey:
    id: str
    module: str
    kind: str  # single | true_false | multiple | ordering (its choices listed in the right order)
    stem: str
    choices: list[ChoiceKey]
    correct: list[int]
    citations: list[Citation]
    summary_right: str
    summary_wrong: str
    summary_none: str

    def as_dict(self) -> dict:
        return asdict(self)


def correct_answer(question: m.Question) -> list[int]:
    """The indices of the correct choices (for an ordering question: the choices in the right order)."""
    return [i for i, c in enumerate(question.choices) if c.correct]


def question_key(question: m.Question, corpus=None) -> QuestionKey:
    """A question's right answer and the feedback for each choice. With CORPUS the citations carry labels."""
    choices = []
    for i, c in enumerate(question.choices):
        if question.kind == "ordering":
            missed = f"Position {i + 1} is “{c.text}” (you put {CHOSEN}). {c.feedback}"
        else:
            missed = f"You did not choose it, but it is a right answer. {c.feedback}"
        choices.append(ChoiceKey(i, c.text, bool(c.correct), c.feedback, missed))
    answer = "; ".join(question.choices[i].text for i in correct_answer(question))
    wrong = (f"Not quite. The right order: {answer}." if question.kind == "ordering"
             else f"Not quite. The right answer: {answer}.")
    return QuestionKey(question.id, question.module, question.kind, question.stem, choices,
                       correct_answer(question), citations(corpus, question.cites), "Correct.", wrong,
                       f"No answer given. The right answer: {answer}.")


def module_questions(corpus, module: str) -> list[m.Question]:
    """The module's approved questions (every one in a preview), in id order (a quiz draw shuffles them)."""
    return sorted((q for q in corpus.questions.values() if q.module == module and visible(corpus, q)),
                  key=lambda q: q.id)


def judge_choice(choice: ChoiceKey, chosen: bool) -> tuple[bool, str] | None:
    """(right?, explanation) for one choice of a single/true-false/multiple question; None when it is neither
    right nor chosen (not shown)."""
    if not (chosen or choice.correct):
        return None
    return chosen == choice.correct, choice.when_chosen if chosen else choice.when_missed


def judge_position(choice: ChoiceKey, chosen: int | None, chosen_text: str | None) -> tuple[bool, str]:
    """(right?, explanation) for an ordering question's position CHOICE.index, given the choice put there."""
    if chosen == choice.index:
        return True, choice.when_chosen
    return False, choice.when_missed.replace(CHOSEN, chosen_text if chosen is not None else "nothing")
