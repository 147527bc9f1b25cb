"""Quiz questions generated from the rules data: thresholds and deadlines are never hand-written into a question bank.

A threshold or deadline edited in content/policy/rules.yaml changes these questions with the engine and the manual,
so a trainee is never taught a number the policy no longer says.
"""

from __future__ import annotations

from . import model as m
from .rules import ordered, placeholders, render_rule

# Which module teaches which action's deadline; an action not listed falls to CSEC 101 (identification and reporting).
MODULE_OF_ACTION = {
    "notify_otip": "labor-trafficking",
    "in_person_investigation": "csec-102",
}
DEFAULT_MODULE = "csec-101"
_UNIT = {"within_hours": "hours", "within_days": "calendar days", "every_days": "days"}


def _distractors(value: int) -> list[int]:
    """Plausible wrong numbers derived from the true one (never equal to it), in a fixed order."""
    candidates = {value * 2, value * 3, value // 2}
    if value <= 3:  # small counts: neighbours are the tempting mistakes
        candidates |= {value + 1, value + 2, value - 1}
    candidates.discard(value)
    candidates.discard(0)
    return sorted(candidates)[:3]


def _question(qid: str, module: str, rule: m.Rule, stem: str, value: int, unit: str, correct_text: str,
              topic: str) -> m.Question:
    choices = []
    says = f"{value} {unit}".strip()
    for number in sorted([value, *_distractors(value)]):
        label = f"{number} {unit}".strip()
        if number == value:
            choices.append(m.Choice(text=label, correct=True, feedback=f"Yes. {correct_text}"))
        else:
            choices.append(m.Choice(text=label, correct=False,
                                    feedback=f"No: the policy says {says}. {correct_text}"))
    return m.Question(id=qid, module=module, kind="single", stem=stem, choices=choices, topic=topic,
                      generated_from=rule.id, cites=list(rule.cites), status=rule.status)


def generated_questions(corpus) -> list[m.Question]:
    questions: list[m.Question] = []
    at_risk = corpus.rules.get("at_risk")
    if at_risk is not None:
        text = render_rule(corpus, "at_risk")
        for key, value in placeholders(corpus, at_risk).items():
            group = key.partition(":")[2]
            if not key.startswith("at_least:") or group not in corpus.indicator_groups:
                continue
            members = "; ".join(i.text.rstrip(";.") for i in corpus.indicators.values() if i.group == group)
            questions.append(_question(
                f"gen-at_risk-at_least-{group}", DEFAULT_MODULE, at_risk,
                f"How many of these indicators must a youth show, at the least, to be at risk of CSE through this "
                f"group alone? {members}",
                value, "", text, "at-risk definition"))
    for rule in ordered(corpus, "action"):
        for key, unit in _UNIT.items():
            value = getattr(rule, key)
            if value is None:
                continue
            how = "Every how many" if key == "every_days" else "Within how many"
            questions.append(_question(
                f"gen-{rule.id}-{key.replace('_', '-')}", MODULE_OF_ACTION.get(rule.id, DEFAULT_MODULE), rule,
                f"{how} {unit}: {rule.title}?", value, unit, render_rule(corpus, rule.id), "deadlines"))
    return questions
