"""Turn an Assessment into words a social worker reads: what holds, why, what to do by when, and where it says so."""

from __future__ import annotations

from csec.core.deadline import Deadline
from csec.engine.rules import CONTRACT_OUTCOMES, Assessment, ordered


def _cites(corpus, cites: list[str]) -> str:
    return "; ".join(corpus.cite_label(c) for c in cites)


def action_deadline(corpus, action: dict) -> str | None:
    """The deadline of an assessed action in words, read from its rule ("immediately" kept where the source says it)."""
    when = Deadline.of(corpus.rules[action["id"]])
    return when.words() if when else None


def allegation_titles(corpus, result: Assessment) -> list[str]:
    """The allegations to enter, by their CWS/CMS names."""
    return [corpus.rules[a].title.removeprefix("Allegation: ") for a in result.allegations or []]


def data_grid_label(corpus, result: Assessment) -> str | None:
    """The CSEC Data Grid type to choose, by its CWS/CMS label (None when no type applies)."""
    grid = next((r for r in ordered(corpus, "data_grid") if r.value == result.csec_data_grid), None)
    return corpus.cwscms_codes[grid.value].label if grid and grid.value in corpus.cwscms_codes else None


def _verdict(holds: bool | None) -> str:
    return "not decided (see below)" if holds is None else "YES" if holds else "no"


def explain(corpus, result: Assessment) -> str:
    by_rule = {r.rule: r for r in result.reasons}
    lines: list[str] = []
    if result.needs:
        names = ", ".join(corpus.facts[f].label.lower() for f in result.needs)
        lines.append(f"Not enough facts: give the {names} ({', '.join(result.needs)}); answers that depend on it "
                     f"are left open below, never assumed.")
    for rule in ordered(corpus, "outcome"):
        if rule.id not in CONTRACT_OUTCOMES:
            continue
        reason = by_rule[rule.id]
        lines.append(f"{rule.title}: {_verdict(reason.holds)}")
        lines.append(f"  because {reason.because}")
        lines.append(f"  source: {_cites(corpus, reason.cites)}")
    fired = [i.text for i in corpus.indicators.values() if i.id in by_rule["at_risk"].facts
             and by_rule["at_risk"].holds]
    if fired:
        lines.append("Indicators present:")
        lines.extend(f"  - {text}" for text in fired)
    if result.allegations is None:
        lines.append("Allegations to enter: not decided until the facts above are given")
    else:
        lines.append("Allegations to enter (each separately): " + (", ".join(allegation_titles(corpus, result))
                                                                   or "none"))
    lines.append(f"CSEC Data Grid type: {data_grid_label(corpus, result) or 'none'}")
    if result.actions is None:
        lines.append("Required actions: not decided until the facts above are given")
    elif result.actions:
        lines.append("Required actions:")
        for action in result.actions:
            when = action_deadline(corpus, action)
            lines.append(f"  - {action['title']}" + (f" ({when})" if when else ""))
            lines.append(f"    source: {_cites(corpus, action['cites'])}")
    else:
        lines.append("Required actions: none under these facts")
    lines.extend(find_out_lines(corpus, result))
    return "\n".join(lines)


def find_out_lines(corpus, result: Assessment) -> list[str]:
    """The "What to find out next" section: each unknown fact that could change the answer, most decisive first,
    what it could change and the investigative questions that would settle it (none where the sources have none)."""
    if not result.find_out:
        return []
    texts = {q.id: q.text for qset in corpus.question_sets.values() for q in qset.questions}
    lines = ["What to find out next:"]
    for entry in result.find_out:
        could = ", ".join(c.replace("_", " ") for c in entry["could_change"])
        lines.append(f"  - {corpus.facts[entry['fact']].label} ({entry['fact']}): could change {could}")
        lines.extend(f"    ask: {texts[q]} ({q})" for q in entry["questions"])
    return lines
