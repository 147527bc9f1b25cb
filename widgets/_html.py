"""HTML fragments the widgets and the static module pages share: feedback, engine answers, citations, summaries.

Every value from the content is escaped (prose goes through widgets.markup); nothing is fetched from elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as ipw

from csec.render.html import (
    assessment_html,
    cites_html,
    esc,
    facts_html,
    scenario_answer_html,
    what_would_change_html,
)
from csec.training.feedback import Feedback

from .markup import inline, to_html

__all__ = ["STYLE", "assessment_html", "cites_html", "esc", "facts_html", "feedback_html", "natural",
           "scenario_answer_html", "summary_html", "what_would_change_html"]


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
.csec-feedback .csec-missed { border-left: 4px dashed #b26a00; padding-left: .5em; margin: .3em 0; }
.csec-warning { border-left: 4px solid #b26a00; padding: .4em .8em; background: #fff8e1; color: #222; }
.csec-cites { font-size: 90%; color: #444; }
</style>"""


def _missed(d) -> bool:
    """A right answer the trainee left out (an item that applies, left unticked): missed, not wrong."""
    if d.verdict:  # a vignette's decision, judged as the page's player judges it
        return d.verdict == "missed"
    return not d.correct and d.expected is True and not d.chosen


def _verdict(d) -> str:
    # Words, not only colour or a symbol, so the verdict reads the same to everyone; as the page's player says them.
    return "<strong>Right</strong>" if d.correct else "<strong>Missed</strong>" if _missed(d) else \
        "<strong>Not quite</strong>"


def feedback_html(feedback: Feedback, *, with_debrief: bool = True, answer: str = "") -> str:
    parts = [f'<div class="csec-feedback" role="status"><p><strong>{esc(feedback.summary)}</strong></p>']
    for heading, decisions in feedback.by_topic():
        if len(feedback.by_topic()) > 1:
            parts.append(f"<h4>{esc(heading)}</h4>")
        for d in decisions:
            cls = "csec-right" if d.correct else "csec-missed" if _missed(d) else "csec-wrong"
            parts.append(f'<div class="{cls}">{_verdict(d)}: {inline(d.label)}<br>'
                         f"{inline(d.explanation)}{cites_html(d.citations)}</div>")
    if answer:
        parts.append(answer)
    if with_debrief and feedback.debrief:
        parts.append(f"<h4>Debrief</h4>{to_html(feedback.debrief, 5)}")
    parts.append("</div>")
    return "\n".join(parts)


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
