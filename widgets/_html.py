"""HTML fragments the widgets and the static module pages share: feedback, engine answers, citations, summaries.

Every value from the content is escaped (prose goes through widgets.markup); nothing is fetched from elsewhere.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterable

import ipywidgets as ipw

from csec import model as m
from csec.explain import action_deadline
from csec.feedback import Citation, Feedback, citations, present_indicators
from csec.rules import Assessment, assess, ordered

from .markup import inline, to_html

esc = html.escape


def natural() -> ipw.Layout:
    """A control as wide as its label, not stretched across the output (buttons, long checkbox labels)."""
    return ipw.Layout(width="auto", align_self="flex-start")

# Long checkbox and radio labels wrap instead of being cut off; the widgets' own CSS keeps them on one line.
STYLE = """<style>
.csec-exercise .widget-checkbox, .csec-exercise .widget-radio-box label, .csec-exercise .widget-inline-hbox {
  height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.csec-exercise .widget-checkbox label, .csec-exercise .widget-checkbox span, .csec-exercise .widget-label-basic,
.csec-exercise .widget-radio-box label { white-space: normal; overflow: visible; text-overflow: clip;
  line-height: 1.4; }
.csec-exercise .widget-checkbox { width: auto; max-width: 100%; }
.csec-feedback .csec-right { border-left: 4px solid #2e7d32; padding-left: .5em; margin: .3em 0; }
.csec-feedback .csec-wrong { border-left: 4px solid #c62828; padding-left: .5em; margin: .3em 0; }
.csec-warning { border-left: 4px solid #b26a00; padding: .4em .8em; background: #fff8e1; color: #222; }
.csec-cites { font-size: 90%; color: #444; }
</style>"""


def cites_html(cites: Iterable[Citation]) -> str:
    cites = list(cites)
    if not cites:
        return ""
    return '<div class="csec-cites">Source: ' + "; ".join(esc(c.label) for c in cites) + "</div>"


def _verdict(correct: bool) -> str:
    # Words, not only colour or a symbol, so the verdict reads the same to everyone.
    return "<strong>Right</strong>" if correct else "<strong>Not quite</strong>"


def feedback_html(feedback: Feedback, *, with_debrief: bool = True, answer: str = "") -> str:
    parts = [f'<div class="csec-feedback" role="status"><p><strong>{esc(feedback.summary)}</strong></p>']
    for heading, decisions in feedback.by_topic():
        if len(feedback.by_topic()) > 1:
            parts.append(f"<h4>{esc(heading)}</h4>")
        for d in decisions:
            cls = "csec-right" if d.correct else "csec-wrong"
            parts.append(f'<div class="{cls}">{_verdict(d.correct)}: {inline(d.label)}<br>'
                         f"{inline(d.explanation)}{cites_html(d.citations)}</div>")
    if answer:
        parts.append(answer)
    if with_debrief and feedback.debrief:
        parts.append(f"<h4>Debrief</h4>{to_html(feedback.debrief, 5)}")
    parts.append("</div>")
    return "\n".join(parts)


def assessment_html(corpus, result: Assessment) -> str:
    """The engine's answer in words: outcomes with reasons, allegations, data grid type, actions with deadlines."""
    by_rule = {r.rule: r for r in result.reasons}
    rows = []
    for rule_id in ("at_risk", "sex_trafficking", "labor_trafficking"):
        rule, reason = corpus.rules[rule_id], by_rule[rule_id]
        rows.append(f"<li><strong>{esc(rule.title)}: {'yes' if reason.holds else 'no'}</strong>, because "
                    f"{esc(reason.because)}.{cites_html(citations(corpus, reason.cites))}</li>")
    allegations = ", ".join(esc(corpus.rules[a].title.removeprefix("Allegation: ")) for a in result.allegations)
    grid = next((r for r in ordered(corpus, "data_grid") if r.value == result.csec_data_grid), None)
    grid_label = esc(corpus.cwscms_codes[grid.value].label) if grid and grid.value in corpus.cwscms_codes else "none"
    out = [f"<ul>{''.join(rows)}</ul>",
           f"<p><strong>Allegations to enter (each separately):</strong> {allegations or 'none'}<br>"
           f"<strong>CSEC Data Grid type:</strong> {grid_label}</p>"]
    if result.actions:
        items = []
        for action in result.actions:
            when = action_deadline(corpus, action)
            items.append(f"<li>{esc(action['title'])}{f' (<strong>{esc(when)}</strong>)' if when else ''}"
                         f"{cites_html(citations(corpus, action['cites']))}</li>")
        out.append(f"<p><strong>Required actions:</strong></p><ol>{''.join(items)}</ol>")
    else:
        out.append("<p><strong>Required actions:</strong> none under these facts.</p>")
    return "\n".join(out)


def scenario_answer_html(corpus, scenario: m.Scenario, result: Assessment | None = None) -> str:
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
        assessment_html(corpus, result),
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


def summary_html(summary: dict[str, Any], path: Path | None = None) -> str:
    rows = []
    for module_id, info in summary["modules"].items():
        quiz = info["quiz_best"]
        best = f"{quiz['score']} of {quiz['total']}" if quiz else "not taken"
        rows.append(f"<tr><td>{esc(info['title'])}</td><td>{len(info['vignettes_completed'])} of "
                    f"{len(info['vignettes'])}</td><td>{esc(best)}</td><td>{'yes' if info['complete'] else 'no'}"
                    "</td></tr>")
    table = ("<table class='table'><thead><tr><th>Module</th><th>Vignettes completed</th><th>Best quiz score</th>"
             "<th>Complete</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    where = f"<p class='csec-cites'>Saved on this computer only: {esc(str(path))}</p>" if path else ""
    return f"<p><strong>Progress of {esc(summary['trainee'])}</strong></p>{table}{where}"
