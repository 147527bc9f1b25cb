"""Grading of a trainee's answers against the engine's and the content's answers, with explanations and citations.

The widgets only gather what the trainee chose and call these functions; every comparison with the right answer
(what the rules engine computes for a vignette's facts, what a question's choices say) happens here, so it is tested
headless and the ipywidgets callbacks hold no rule logic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from . import model as m
from .deadline import Deadline
from .rules import CONTRACT_OUTCOMES, Assessment, assess, ordered, placeholders, render_rule

CLASSIFICATIONS = CONTRACT_OUTCOMES  # the outcome rules a trainee classifies
TOPICS = {  # decision topic -> heading, in the order feedback is shown
    "indicator": "At-risk indicators",
    "red_flag": "Red flags",
    "classification": "Classification",
    "action": "Required actions",
    "deadline": "Deadlines",
    "choice": "Your answer",
}


@dataclass(frozen=True)
class Citation:
    id: str  # "acl-16-85#v"
    label: str  # "ACL 16-85, V. Reporting CSEC/Youth to Law Enforcement"


@dataclass
class Decision:
    """One thing the trainee decided (ticked or not, Yes or No, a deadline), judged right or wrong, with why."""

    topic: str  # a key of TOPICS
    key: str  # the item decided about: an indicator, red flag, rule or choice id ("" for "none of them")
    label: str  # the item in words
    correct: bool
    chosen: Any
    expected: Any
    explanation: str
    citations: list[Citation] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"topic": self.topic, "key": self.key, "label": self.label, "correct": self.correct,
                "chosen": self.chosen, "expected": self.expected, "explanation": self.explanation,
                "cites": [c.id for c in self.citations]}


@dataclass
class Feedback:
    decisions: list[Decision]
    score: int
    total: int
    summary: str
    debrief: str | None = None  # MyST text (a vignette's debrief)
    assessment: Assessment | None = None  # the engine's full answer, for a vignette

    @property
    def all_correct(self) -> bool:
        return self.score == self.total

    def by_topic(self) -> list[tuple[str, list[Decision]]]:
        return [(TOPICS[t], [d for d in self.decisions if d.topic == t]) for t in TOPICS
                if any(d.topic == t for d in self.decisions)]

    def as_dict(self) -> dict:
        return {"score": self.score, "total": self.total, "summary": self.summary,
                "decisions": [d.as_dict() for d in self.decisions], "debrief": self.debrief}


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


# --- vignettes ----------------------------------------------------------------------------------------------

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


def _outcome_words(rule: m.Rule, holds: bool) -> str:
    return f"{rule.title}: {'yes' if holds else 'no'}"


def grade_vignette(corpus, scenario_id: str, marked_indicators: Iterable[str], marked_red_flags: Iterable[str],
                   classification: Mapping[str, bool | None], actions: Mapping[str, str | None] | Iterable[str]
                   ) -> Feedback:
    """Compare a trainee's answers on a vignette with the engine's answer for its facts.

    classification: {"at_risk": True, "sex_trafficking": False, "labor_trafficking": None (not answered)}.
    actions: the action rule ids the trainee ticked, or a mapping of those ids to the deadline key they chose
    (see deadline_options). Decisions are listed for every item that is present or required or that the trainee
    marked; an item neither present nor marked is right and not listed.
    """
    scenario: m.Scenario = corpus.scenarios[scenario_id]
    result = assess(corpus, scenario.facts)
    reasons = {r.rule: r for r in result.reasons}
    decisions: list[Decision] = []
    marked_i = set(marked_indicators)
    marked_r = set(marked_red_flags)
    chosen_actions = dict(actions) if isinstance(actions, Mapping) else {a: None for a in actions}
    action_ids = {r.id for r in ordered(corpus, "action")}
    for name, given, known in (("indicator", marked_i, corpus.indicators), ("red flag", marked_r, corpus.red_flags),
                               ("action", set(chosen_actions), action_ids)):
        unknown = sorted(given - set(known))
        if unknown:
            raise ValueError(f"unknown {name} {unknown[0]!r}")

    # Indicators: the facts the at-risk rule counts.
    present = present_indicators(corpus, scenario)
    group_titles = {g.id: g for g in corpus.indicator_groups.values()}
    needed = placeholders(corpus, corpus.rules["at_risk"])
    for ind in corpus.indicators.values():
        is_present, ticked = ind.id in present, ind.id in marked_i
        if not (is_present or ticked):
            continue
        group = group_titles.get(ind.group)
        threshold = needed.get(f"at_least:{ind.group}")
        in_group = ""
        if group is not None:
            in_group = f" It is one of the {group.title}" + (
                f"; the at-risk rule needs at least {threshold} from that group." if threshold else ".")
        if is_present and ticked:
            why = f"Present in this vignette.{in_group}"
        elif is_present:
            why = f"Missed: this indicator is present in this vignette.{in_group}"
        else:
            why = "Not present: nothing in this vignette shows this indicator."
        decisions.append(Decision("indicator", ind.id, f"{ind.letter}. {ind.la_text}", is_present == ticked,
                                  ticked, is_present, why, citations(corpus, ind.cites)))
    if not present and not marked_i:
        decisions.append(Decision("indicator", "", "No at-risk indicator", True, [], [],
                                  "None of the at-risk indicators is present, and you marked none.",
                                  citations(corpus, corpus.rules["at_risk"].cites)))

    # Red flags: what the vignette's author lists as present.
    flags = [r for r in scenario.red_flags_present if r in corpus.red_flags]
    for flag in corpus.red_flags.values():
        is_present, ticked = flag.id in flags, flag.id in marked_r
        if not (is_present or ticked):
            continue
        why = ("Present in this vignette." if is_present and ticked else
               "Missed: this red flag is present in this vignette." if is_present else
               "Not present in this vignette.")
        decisions.append(Decision("red_flag", flag.id, flag.text, is_present == ticked, ticked, is_present, why,
                                  citations(corpus, flag.cites)))
    if not flags and not marked_r:
        decisions.append(Decision("red_flag", "", "No red flag", True, [], [],
                                  "None of the red flags offered is present, and you marked none.", []))

    # Classification: the outcome rules.
    for rule_id in CLASSIFICATIONS:
        rule = corpus.rules[rule_id]
        holds = result.holds[rule_id]
        chosen = classification.get(rule_id)
        verdict = "Not answered. " if chosen is None else ""
        why = (f"{verdict}{_outcome_words(rule, holds)}, because {reasons[rule_id].because}. "
               f"The rule: {render_rule(corpus, rule_id)}")
        decisions.append(Decision("classification", rule_id, f"{rule.title}?", chosen == holds, chosen, holds, why,
                                  citations(corpus, rule.cites)))

    # Actions and their deadlines.
    required = {a["id"]: a for a in result.actions}
    for rule in ordered(corpus, "action"):
        is_required, ticked = rule.id in required, rule.id in chosen_actions
        if not (is_required or ticked):
            continue
        if is_required and ticked:
            why = f"Required: {render_rule(corpus, rule.id)}"
        elif is_required:
            why = f"Missed: this action is required here, because {reasons[rule.id].because}. " \
                  f"{render_rule(corpus, rule.id)}"
        else:
            why = f"Not required under these facts: {reasons[rule.id].because}."
        decisions.append(Decision("action", rule.id, rule.title, is_required == ticked, ticked, is_required, why,
                                  citations(corpus, rule.cites)))
        key = deadline_key(rule)
        if is_required and ticked and key is not None:
            chosen = chosen_actions.get(rule.id)
            if chosen == key:
                why = f"Right: {deadline_label(key)}."
            elif chosen is None:
                why = f"No deadline chosen; the deadline is {deadline_label(key)}."
            else:
                why = f"Not quite: the deadline is {deadline_label(key)}, not {deadline_label(chosen)}."
            decisions.append(Decision("deadline", rule.id, f"Deadline: {rule.title}", chosen == key, chosen, key,
                                      why, citations(corpus, rule.cites)))
    if not required and not chosen_actions:
        decisions.append(Decision("action", "", "No required action", True, [], [],
                                  "None of the required actions applies under these facts, and you chose none.", []))

    score = sum(d.correct for d in decisions)
    summary = (f"{score} of {len(decisions)} decisions right." +
               (" Well done." if score == len(decisions) else " See what was missed below."))
    return Feedback(decisions, score, len(decisions), summary, scenario.debrief, result)


# --- questions ----------------------------------------------------------------------------------------------

def correct_answer(question: m.Question) -> list[int]:
    """The indices of the correct choices (for an ordering question: the choices in the right order)."""
    return [i for i, c in enumerate(question.choices) if c.correct]


def _as_indices(question: m.Question, selected: Any) -> list[int]:
    if selected is None:
        return []
    picks = [selected] if isinstance(selected, int) else list(selected)
    for p in picks:
        if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p < len(question.choices):
            raise ValueError(f"question {question.id!r}: no choice {p!r} (choices are 0-{len(question.choices) - 1})")
    return picks


def grade_question(question: m.Question, selected: int | Sequence[int] | None, corpus=None) -> Feedback:
    """Grade one answer: SELECTED is the chosen choice index, the set of indices (multiple), or for an ordering
    question the indices in the order the trainee put them. Scores 1 when fully right, else 0. With CORPUS the
    citations carry their labels."""
    picks = _as_indices(question, selected)
    decisions: list[Decision] = []
    cites = citations(corpus, question.cites)
    if question.kind == "ordering":
        right = picks == list(range(len(question.choices)))
        for index in range(len(question.choices)):
            position = index  # an ordering question lists its choices in the right order
            chosen = picks[position] if position < len(picks) else None
            choice = question.choices[index]
            ok = chosen == index
            said = question.choices[chosen].text if chosen is not None else "nothing"
            why = choice.feedback if ok else f"Position {position + 1} is “{choice.text}” (you put {said}). " \
                                             f"{choice.feedback}"
            decisions.append(Decision("choice", str(index), f"Position {position + 1}: {choice.text}", ok, chosen,
                                      index, why, cites))
    else:
        chosen_set = set(picks)
        if question.kind in ("single", "true_false") and len(chosen_set) > 1:
            raise ValueError(f"question {question.id!r} takes one answer (got {sorted(chosen_set)})")
        right = chosen_set == set(correct_answer(question))
        for index, choice in enumerate(question.choices):
            ticked = index in chosen_set
            if not (ticked or choice.correct):
                continue
            ok = ticked == choice.correct
            why = choice.feedback if ticked else f"Missed: this is a right answer. {choice.feedback}"
            decisions.append(Decision("choice", str(index), choice.text, ok, ticked, choice.correct, why, cites))
    answer = "; ".join(question.choices[i].text for i in correct_answer(question))
    summary = "Correct." if right else (f"Not quite. The right order: {answer}." if question.kind == "ordering"
                                        else f"Not quite. The right answer: {answer}.")
    if not picks:
        summary = f"No answer given. The right answer: {answer}."
    return Feedback(decisions, int(right), 1, summary)


# --- the at-risk checklist ----------------------------------------------------------------------------------

@dataclass
class GroupCount:
    id: str
    title: str
    ticked: list[str]  # indicator ids
    needed: int | None  # the rule's threshold for this group (None: the rule does not count this group)

    @property
    def met(self) -> bool:
        return self.needed is not None and len(self.ticked) >= self.needed


@dataclass
class RiskExplanation:
    at_risk: bool
    because: str  # the engine's reason, in words
    rule_text: str  # the at-risk rule in words, thresholds filled from the data
    citations: list[Citation]
    groups: list[GroupCount]


def at_risk_explanation(corpus, ticked: Iterable[str]) -> RiskExplanation:
    """Whether the ticked indicators make a youth at risk of CSE, and why, from the rules engine."""
    ticked = list(dict.fromkeys(ticked))
    unknown = [t for t in ticked if t not in corpus.indicators]
    if unknown:
        raise ValueError(f"unknown indicator {unknown[0]!r} (known: {', '.join(corpus.indicators)})")
    result = assess(corpus, {t: True for t in ticked})
    reason = next(r for r in result.reasons if r.rule == "at_risk")
    needed = placeholders(corpus, corpus.rules["at_risk"])
    groups = [GroupCount(g.id, g.title,
                         [i.id for i in corpus.indicators.values() if i.group == g.id and i.id in ticked],
                         needed.get(f"at_least:{g.id}")) for g in corpus.indicator_groups.values()]
    return RiskExplanation(result.at_risk, reason.because, render_rule(corpus, "at_risk"),
                           citations(corpus, reason.cites), groups)
