"""HTML fragments of a vignette's answer and of citations, shared by the widgets and the site's trainer pages.

Every value from the content is escaped (prose goes through csec.render.markup); nothing is fetched from elsewhere.
"""

from __future__ import annotations

import html
from typing import Callable, Iterable

from csec.core import model as m
from csec.engine.explain import action_deadline, allegation_titles, data_grid_label
from csec.engine.rules import Assessment, assess
from csec.training.answer import (
    Citation,
    WhatWouldChange,
    citations,
    present_indicators,
)

esc = html.escape


def cites_html(cites: Iterable[Citation], href: Callable[[str], str] | None = None) -> str:
    """'Source: ACL 16-85, V. ...', each citation a link when HREF (cite id -> URL) is given."""
    cites = list(cites)
    if not cites:
        return ""
    shown = [f'<a href="{esc(href(c.id))}">{esc(c.label)}</a>' if href else esc(c.label) for c in cites]
    return '<div class="csec-cites">Source: ' + "; ".join(shown) + "</div>"


def assessment_html(corpus, result: Assessment, href: Callable[[str], str] | None = None) -> str:
    """The engine's answer in words: outcomes with reasons, allegations, data grid type, actions with deadlines."""
    by_rule = {r.rule: r for r in result.reasons}
    rows = []
    for rule_id in ("at_risk", "sex_trafficking", "labor_trafficking"):
        rule, reason = corpus.rules[rule_id], by_rule[rule_id]
        rows.append(f"<li><strong>{esc(rule.title)}: {'yes' if reason.holds else 'no'}</strong>, because "
                    f"{esc(reason.because)}.{cites_html(citations(corpus, reason.cites), href)}</li>")
    allegations = ", ".join(esc(a) for a in allegation_titles(corpus, result))
    grid_label = esc(data_grid_label(corpus, result) or "none")
    out = [f"<ul>{''.join(rows)}</ul>",
           f"<p><strong>Allegations to enter (each separately):</strong> {allegations or 'none'}<br>"
           f"<strong>CSEC Data Grid type:</strong> {grid_label}</p>"]
    if result.actions:
        items = []
        for action in result.actions:
            when = action_deadline(corpus, action)
            items.append(f"<li>{esc(action['title'])}{f' (<strong>{esc(when)}</strong>)' if when else ''}"
                         f"{cites_html(citations(corpus, action['cites']), href)}</li>")
        out.append(f"<p><strong>Required actions:</strong></p><ol>{''.join(items)}</ol>")
    else:
        out.append("<p><strong>Required actions:</strong> none under these facts.</p>")
    return "\n".join(out)


def scenario_answer_html(corpus, scenario: m.Scenario, result: Assessment | None = None,
                         href: Callable[[str], str] | None = None) -> str:
    """A vignette's full answer: indicators and red flags present, then the engine's answer."""
    result = result or assess(corpus, scenario.facts)
    present = present_indicators(corpus, scenario)
    indicators = "".join(f"<li>{esc(corpus.indicators[i].letter)}. {esc(corpus.indicators[i].la_text)}</li>"
                         for i in present)
    flags = "".join(f"<li>{esc(corpus.red_flags[r].text)}</li>" for r in scenario.red_flags_present
                    if r in corpus.red_flags)
    return "\n".join([
        f"<p><strong>At-risk indicators present:</strong></p><ul>{indicators}</ul>" if indicators else
        "<p><strong>At-risk indicators present:</strong> none.</p>",
        f"<p><strong>Red flags present:</strong></p><ul>{flags}</ul>" if flags else
        "<p><strong>Red flags present:</strong> none.</p>",
        assessment_html(corpus, result, href),
    ])


def facts_html(corpus, scenario: m.Scenario) -> str:
    """The vignette's facts as the engine reads them (for trainers)."""
    rows = []
    for name, value in scenario.facts.items():
        fact = corpus.facts.get(name)
        shown = "yes" if value is True else "no" if value is False else str(value).replace("_", " ")
        rows.append(f"<tr><td>{esc(fact.label if fact else name)}</td><td>{esc(shown)}</td></tr>")
    return ("<table class='table'><thead><tr><th>Fact</th><th>Value</th></tr></thead><tbody>" + "".join(rows) +
            "</tbody></table>")


def what_would_change_html(change: WhatWouldChange) -> str:
    """The "What would change this answer" panel: the given facts that decided it, and what to find out next."""
    decided = "".join(f"<li>{esc(c.label)}: {esc(c.value)}; had it been {esc(c.instead)}, these would differ: "
                      f"{esc(', '.join(c.changes))}</li>" for c in change.decided_by)
    out = ["<h4>What would change this answer</h4>",
           f"<ul>{decided}</ul>" if decided else "<p>No single fact given here would change the answer.</p>"]
    if change.find_out:
        items = []
        for f in change.find_out:
            asks = "".join(f"<li>{esc(q)}</li>" for q in f.questions)
            items.append(f"<li>{esc(f.label)}: could change {esc(', '.join(f.could_change))}"
                         f"{f'<ul>{asks}</ul>' if asks else ''}</li>")
        out.append(f"<p><strong>What to find out next:</strong></p><ul>{''.join(items)}</ul>")
    return "\n".join(out)
