"""Quiz questions generated from the rules data, so thresholds and deadlines are never hand-written into a question bank."""

from __future__ import annotations

from csec.core import model as m
from csec.core.deadline import UNITS, Deadline
from csec.engine.rules import ordered, placeholders, render_rule

# Which module teaches which action's deadline. Missing-youth and reporting duties are identification work (CSEC 101);
# intake and investigation are casework skills (CSEC 102); OTIP is taught with immigrant youth in labor trafficking.
# Listing actions that have no deadline today means a deadline added to the policy later still lands sensibly.
MODULE_OF_ACTION = {
    "notify_otip": "labor-trafficking",
    "contact_law_enforcement_labor_trafficking": "labor-trafficking",
    "tag_referral_s_csec": "csec-102",
    "complete_emergency_response_protocol": "csec-102",
    "in_person_investigation": "csec-102",
    "assess_for_cse_on_return": "csec-102",
    "document_in_cws_cms": "csec-102",
    "determine_services": "csec-102",
    "convene_cft": "csec-102",
}
# The at-risk definition is the core of identification, so its thresholds are CSEC 101 questions.
DEFAULT_MODULE = "csec-101"


def _distractors(value: int, is_count: bool) -> list[int]:
    """Plausible wrong numbers derived from the true one (never equal to it, never zero), in a fixed order."""
    if is_count:
        # Indicator counts are small: the tempting mistakes are the neighbours, not multiples.
        candidates = {value - 1, value + 1, value + 2}
    else:
        # Deadlines get confused with halves and multiples of themselves (hours vs days, one reporting window vs another).
        candidates = {value // 2, value * 2, value * 3}
    candidates.discard(value)
    return sorted(c for c in candidates if c > 0)


def _question(qid: str, module: str, rule: m.Rule, stem: str, value: int, unit: str, topic: str,
              corpus) -> m.Question:
    # The feedback is the rule as the manual renders it, with its citations in words, so a trainee sees the
    # paragraph the number comes from and the number always matches the data.
    where = "; ".join(corpus.cite_label(c) for c in rule.cites)
    rule_text = f"{render_rule(corpus, rule.id)} ({where})"
    says = f"{value} {unit}".strip()
    choices = []
    for number in sorted([value, *_distractors(value, is_count=not unit)]):
        label = f"{number} {unit}".strip()
        if number == value:
            choices.append(m.Choice(text=label, correct=True, feedback=f"Yes: {rule_text}"))
        else:
            choices.append(m.Choice(text=label, correct=False,
                                    feedback=f"No: the policy says {says}. {rule_text}"))
    return m.Question(id=qid, module=module, kind="single", stem=stem, choices=choices, topic=topic,
                      generated_from=rule.id, cites=list(rule.cites), status="approved")


def _qid(rule_id: str, key: str) -> str:
    return f"gen-{rule_id}-{key.replace(':', '-')}"


def generated_questions(corpus) -> list[m.Question]:
    questions: list[m.Question] = []
    at_risk = corpus.rules.get("at_risk")
    if at_risk is not None:
        for key, value in placeholders(corpus, at_risk).items():
            # placeholders() also numbers the counts (at_least:1, ...); only the per-group keys name a group.
            group = key.partition(":")[2]
            if not key.startswith("at_least:") or group not in corpus.indicator_groups:
                continue
            members = [i for i in corpus.indicators.values() if i.group == group]
            listing = "; ".join(f"{i.letter}. {i.text.rstrip(';.')}" for i in sorted(members, key=lambda i: i.letter))
            questions.append(_question(
                _qid(at_risk.id, key), DEFAULT_MODULE, at_risk,
                # "On their own": the groups are alternatives (A-C OR D-H), so no group is a must.
                f"On their own, at least how many of the {corpus.indicator_groups[group].title} make a youth at "
                f"risk of CSE? "
                f"({listing})",
                value, "", "at-risk definition", corpus))
    for rule in ordered(corpus, "action"):
        when = Deadline.of(rule)
        if when is not None and when.limit is not None:
            key, value = when.limit
            unit = UNITS[key]
            what = rule.title[:1].lower() + rule.title[1:]  # keep acronyms such as OTIP and NCMEC capitalised
            # One question in one sentence, with the duty as its verb ("... must staff report the missing youth to
            # NCMEC?"); "immediately" is asked as its outer limit, and the feedback gives the rule's full words.
            if key == "every_days":
                stem = f"At most how many {unit} apart must staff {what}?"
            elif when.immediately:
                stem = f"At the latest, within how many {unit} must staff {what}?"
            else:
                stem = f"Within how many {unit} must staff {what}?"
            questions.append(_question(
                _qid(rule.id, key), MODULE_OF_ACTION.get(rule.id, DEFAULT_MODULE), rule,
                stem, value, unit, "deadlines", corpus))
    return questions


def add_generated_questions(corpus) -> None:
    """Add the threshold and deadline questions the rules generate to CORPUS's banks; each points back at its rule's
    file."""
    if not corpus.rules:
        return
    for question in generated_questions(corpus):
        if question.module in corpus.modules:
            # A question generated from a draft rule is as unapproved as its rule.
            question = question.model_copy(update={"status": corpus.rules[question.generated_from].status})
            corpus.items["questions"][question.id] = question
            corpus.origins[("questions", question.id)] = corpus.origins[("rules", question.generated_from)]
            rule = ("rules", question.generated_from)
            if rule in corpus.county_items:  # a question generated from a county's rule is that county's
                corpus.county_items[("questions", question.id)] = corpus.county_items[rule]

