"""Grading of a trainee's answers against the engine's and the content's answers, with explanations and citations.

The widgets only gather what the trainee chose and call these functions; every comparison with the right answer
(what the rules engine computes for a vignette's facts, what a question's choices say) happens here, so it is tested
headless and the ipywidgets callbacks hold no rule logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from csec.core import model as m
from csec.engine.rules import Assessment, assess, placeholders, render_rule
from csec.training.answer import (
    CLASSIFICATIONS,
    Citation,
    citations,
    correct_answer,
    counts,
    deadline_key,
    deadline_label,
    deadline_options,
    judge_choice,
    judge_deadline,
    judge_item,
    judge_position,
    present_indicators,
    question_key,
    red_flag_options,
    verdict,
    vignette_key,
    vignette_score,
    vignette_summary,
)

__all__ = ["CLASSIFICATIONS", "Citation", "Decision", "Feedback", "citations", "correct_answer", "deadline_key",
           "deadline_label", "deadline_options", "present_indicators", "red_flag_options", "grade_vignette",
           "grade_question", "at_risk_explanation"]
TOPICS = {  # decision topic -> heading, in the order feedback is shown
    "indicator": "At-risk indicators",
    "red_flag": "Red flags",
    "classification": "Classification",
    "action": "Required actions",
    "deadline": "Deadlines",
    "choice": "Your answer",
}
TOPIC_ORDER = {t: k for k, t in enumerate(TOPICS)}


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
    verdict: str = ""  # right | missed | wrong, as the page's player says it ("" where no one asked: a question)
    counts: bool = True  # one of the vignette's own decisions (in the total); else it can only cost

    def as_dict(self) -> dict:
        return {"topic": self.topic, "key": self.key, "label": self.label, "correct": self.correct,
                "chosen": self.chosen, "expected": self.expected, "explanation": self.explanation,
                "cites": [c.id for c in self.citations], "verdict": self.verdict, "counts": self.counts}


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


# --- vignettes ----------------------------------------------------------------------------------------------

def grade_vignette(corpus, scenario_id: str, marked_indicators: Iterable[str], marked_red_flags: Iterable[str],
                   classification: Mapping[str, bool | None], actions: Mapping[str, str | None] | Iterable[str]
                   ) -> Feedback:
    """Compare a trainee's answers on a vignette with its answer key (csec.answer.vignette_key), scored as the page's
    player scores them (csec.training.answer.SCORING): out of the vignette's own fixed number of decisions, each
    right one scoring and each answer given that does not apply costing, never below zero.

    classification: {"at_risk": True, "sex_trafficking": False, "labor_trafficking": None (not answered)}.
    actions: the action rule ids the trainee ticked, or a mapping of those ids to the deadline key they chose
    (see deadline_options). Decisions are listed for every item that is present or required or that the trainee
    marked, and for the deadline of every required action (missed when the action is not ticked); an item neither
    present nor marked is right and not listed.
    """
    key = vignette_key(corpus, scenario_id)
    chosen_actions = dict(actions) if isinstance(actions, Mapping) else {a: None for a in actions}
    chosen = {"indicator": set(marked_indicators), "red_flag": set(marked_red_flags), "action": set(chosen_actions)}
    for topic, name in (("indicator", "indicator"), ("red_flag", "red flag"), ("action", "action")):
        known = {i.key for i in (key.offered() if topic == "red_flag" else key.topic(topic))}
        unknown = sorted(chosen[topic] - known)
        if unknown:
            raise ValueError(f"unknown {name} {unknown[0]!r}")

    decisions: list[Decision] = []
    for item in key.offered():
        given = classification.get(item.key) if item.topic == "classification" else item.key in chosen[item.topic]
        judged = judge_item(item, given)
        if judged is not None:
            decisions.append(Decision(item.topic, item.key, item.label, judged[0], given, item.expected, judged[1],
                                      item.citations, verdict=verdict(item, given), counts=counts(item)))
        if item.deadline is not None and item.expected:
            # A required action's deadline is one of the vignette's decisions whether or not the action was ticked.
            picked = (chosen_actions.get(item.key) or None) if given else None
            ok, why = judge_deadline(item.deadline, picked, deadline_label(picked) if picked else "")
            decisions.append(Decision("deadline", item.key, item.deadline.label, ok, picked, item.deadline.key, why,
                                      item.citations, verdict="right" if ok else "wrong" if picked else "missed"))
    for nothing in key.nothing:
        if not any(d.topic == nothing.topic for d in decisions):
            decisions.append(Decision(nothing.topic, "", nothing.label, True, [], [], nothing.explanation,
                                      nothing.citations, verdict="right", counts=False))
    # Stable: each "nothing to find" decision ends its topic; a deadline stays right after its action.
    decisions.sort(key=lambda d: TOPIC_ORDER["action" if d.topic == "deadline" else d.topic])

    total = key.total
    found = sum(d.counts and d.correct for d in decisions)
    extra = sum(not d.counts and not d.correct for d in decisions)
    assert sum(d.counts for d in decisions) == total, "every decision the vignette counts is judged"
    score = vignette_score(found, extra)
    summary = vignette_summary(score, total, found, extra)
    return Feedback(decisions, score, total, summary, key.debrief, key.assessment)


# --- questions ----------------------------------------------------------------------------------------------

def _as_indices(question: m.Question, selected: Any) -> list[int]:
    if selected is None:
        return []
    picks = [selected] if isinstance(selected, int) else list(selected)
    for p in picks:
        if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p < len(question.choices):
            raise ValueError(f"question {question.id!r}: no choice {p!r} (choices are 0-{len(question.choices) - 1})")
    return picks


def grade_question(question: m.Question, selected: int | Sequence[int] | None, corpus=None) -> Feedback:
    """Grade one answer against the question's key: SELECTED is the chosen choice index, the set of indices
    (multiple), or for an ordering question the indices in the order the trainee put them. Scores 1 when fully
    right, else 0. With CORPUS the citations carry their labels."""
    picks = _as_indices(question, selected)
    key = question_key(question, corpus)
    decisions: list[Decision] = []
    if key.kind == "ordering":
        right = picks == list(range(len(key.choices)))
        for choice in key.choices:
            chosen = picks[choice.index] if choice.index < len(picks) else None
            ok, why = judge_position(choice, chosen, key.choices[chosen].text if chosen is not None else None)
            decisions.append(Decision("choice", str(choice.index), f"Position {choice.index + 1}: {choice.text}", ok,
                                      chosen, choice.index, why, key.citations))
    else:
        chosen_set = set(picks)
        if key.kind in ("single", "true_false") and len(chosen_set) > 1:
            raise ValueError(f"question {question.id!r} takes one answer (got {sorted(chosen_set)})")
        right = chosen_set == set(key.correct)
        for choice in key.choices:
            judged = judge_choice(choice, choice.index in chosen_set)
            if judged is not None:
                decisions.append(Decision("choice", str(choice.index), choice.text, judged[0],
                                          choice.index in chosen_set, choice.correct, judged[1], key.citations))
    summary = key.summary_right if right else key.summary_wrong
    if not picks:
        summary = key.summary_none
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
    at_risk: bool | None  # None: not decided until `needs` is given
    because: str  # the engine's reason, in words
    rule_text: str  # the at-risk rule in words, thresholds filled from the data
    citations: list[Citation]
    groups: list[GroupCount]
    needs: list[str] = field(default_factory=list)


def at_risk_explanation(corpus, ticked: Iterable[str], person: Mapping[str, Any] | None = None) -> RiskExplanation:
    """Whether the ticked indicators make a youth at risk of CSE, and why, from the rules engine. PERSON holds the
    facts about who the youth is (age, receiving child welfare services): without them the answer may stay open
    (`at_risk` None, `needs` naming the fact), since the definition applies to a child or a youth receiving
    services."""
    ticked = list(dict.fromkeys(ticked))
    unknown = [t for t in ticked if t not in corpus.indicators]
    if unknown:
        raise ValueError(f"unknown indicator {unknown[0]!r} (known: {', '.join(corpus.indicators)})")
    result = assess(corpus, {**(person or {}), **{t: True for t in ticked}})
    reason = next(r for r in result.reasons if r.rule == "at_risk")
    needed = placeholders(corpus, corpus.rules["at_risk"])
    groups = [GroupCount(g.id, g.title,
                         [i.id for i in corpus.indicators.values() if i.group == g.id and i.id in ticked],
                         needed.get(f"at_least:{g.id}")) for g in corpus.indicator_groups.values()]
    return RiskExplanation(result.at_risk, reason.because, render_rule(corpus, "at_risk"),
                           citations(corpus, reason.cites), groups, result.needs)
