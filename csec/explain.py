"""Turn an Assessment into words a social worker reads: what holds, why, what to do by when, and where it says so."""

from __future__ import annotations

from .rules import Assessment, ordered


def _cites(corpus, cites: list[str]) -> str:
    return "; ".join(corpus.cite_label(c) for c in cites)


def deadline_words(within_hours: int | None = None, within_days: int | None = None,
                   every_days: int | None = None) -> str | None:
    """'within 24 hours', 'within 10 days', 'every 30 days' (None when there is no deadline); days in calendar days."""
    parts = []
    if within_hours is not None:
        parts.append(f"within {within_hours} hour{'s' if within_hours != 1 else ''}")
    if within_days is not None:
        parts.append(f"within {within_days} day{'s' if within_days != 1 else ''}")
    if every_days is not None:
        parts.append(f"every {every_days} day{'s' if every_days != 1 else ''}")
    return ", ".join(parts) or None


def action_deadline(corpus, action: dict) -> str | None:
    """The deadline of an assessed action in words, read from its rule (days stay days, not hours)."""
    rule = corpus.rules[action["id"]]
    return deadline_words(rule.within_hours, rule.within_days, rule.every_days)


def explain(corpus, result: Assessment) -> str:
    by_rule = {r.rule: r for r in result.reasons}
    lines: list[str] = []
    for rule in ordered(corpus, "outcome"):
        if rule.id not in ("at_risk", "sex_trafficking", "labor_trafficking"):
            continue
        reason = by_rule[rule.id]
        lines.append(f"{rule.title}: {'YES' if reason.holds else 'no'}")
        lines.append(f"  because {reason.because}")
        lines.append(f"  source: {_cites(corpus, reason.cites)}")
    fired = [i.text for i in corpus.indicators.values() if i.id in by_rule["at_risk"].facts
             and by_rule["at_risk"].holds]
    if fired:
        lines.append("Indicators present:")
        lines.extend(f"  - {text}" for text in fired)
    lines.append("Allegations to enter (each separately): " + (", ".join(
        corpus.rules[a].title.removeprefix("Allegation: ") for a in result.allegations) or "none"))
    grid = next((r for r in ordered(corpus, "data_grid") if r.value == result.csec_data_grid), None)
    lines.append(f"CSEC Data Grid type: {corpus.cwscms_codes[grid.value].label if grid else 'none'}")
    if result.actions:
        lines.append("Required actions:")
        for action in result.actions:
            when = action_deadline(corpus, action)
            lines.append(f"  - {action['title']}" + (f" ({when})" if when else ""))
            lines.append(f"    source: {_cites(corpus, action['cites'])}")
    else:
        lines.append("Required actions: none under these facts")
    return "\n".join(lines)
