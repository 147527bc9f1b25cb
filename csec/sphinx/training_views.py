"""The training views the `{csec-training}` directive puts on the module pages, trainer's guides and self-paced
path: HTML generated from the content, with citations linked to the sources page.

Everything is derived from the validated corpus and the rules engine, in a fixed order (no clock, no unseeded
randomness), so a build produces the same pages every time. Answers sit behind <details> toggles, which work with a
keyboard and without JavaScript.
"""

from __future__ import annotations

import random
from typing import Callable

from csec.core.site_view import STATUS_WORDS, status_of, visible
from csec.render import markup
from csec.render.html import cites_html as _cites_html
from csec.render.html import esc
from csec.render.html import scenario_answer_html as _scenario_answer_html
from csec.render.markup import inline, to_html
from csec.training.answer import (
    CLASSIFICATIONS,
    DEFAULT_WARNING,
    citations,
    correct_answer,
    debrief,
    module_questions,
    module_scenarios,
    neutral_title,
)

_href: Callable[[str], str] | None = None  # cite id -> URL of its paragraph on the sources page, for this page


class HTML(str):
    """An HTML fragment (`.data`, as IPython's HTML has, so callers read one attribute for either)."""

    @property
    def data(self) -> str:
        return str(self)


def use(corpus, href: Callable[[str], str] | None) -> None:
    """Render the next views from CORPUS, linking citations with HREF."""
    global _href
    _href = href
    markup.use(corpus)


def get_corpus(corpus):
    return corpus


def cites_html(cites) -> str:
    return _cites_html(cites, _href)


def scenario_answer_html(corpus, scenario) -> str:
    return _scenario_answer_html(corpus, scenario, href=_href)

# Inline styles: the pages carry no stylesheet of their own, and these read well in light and dark themes.
WARNING_STYLE = "border-left: 4px solid #b26a00; padding: .4em .8em; margin: .6em 0"
DETAILS = '<details style="margin: .6em 0; padding: .3em .8em; border: 1px solid #8888; border-radius: 4px">'
SUMMARY = '<summary style="cursor: pointer; font-weight: 600">'

PENDING = ("<p><em>The content of this module ({what}) is not written yet; this part of the page fills in from the "
           "training content once it is.</em></p>")


def _module(corpus, module_id: str):
    return corpus.modules.get(module_id)


def _vignette_ids(c, module_id: str) -> list[str] | HTML:
    """The module's approved vignettes in order, or the notice a page shows instead when there are none."""
    if _module(c, module_id) is None:
        return _html(PENDING.format(what="vignettes"))
    ids = module_scenarios(c, module_id)
    return ids or _html("<p><em>This module has no approved vignettes yet.</em></p>")


def _badge(item) -> str:
    """A preview's visible status of an unapproved item (the same classes the manual's badges carry); none if approved."""
    status = status_of(item)
    if status == "approved":
        return ""
    return f' <span class="csec-status csec-status-{status}">status: {STATUS_WORDS[status]}</span>'


def _pool(c, module_id: str) -> list | HTML:
    """The module's approved questions, or the notice a page shows instead when there are none."""
    if _module(c, module_id) is None:
        return _html(PENDING.format(what="quiz questions"))
    return module_questions(c, module_id) or _html("<p><em>This module has no approved quiz questions yet.</em></p>")


def _html(body: str) -> HTML:
    return HTML(f'<div class="csec-static">\n{body}\n</div>')


def module_overview(module_id: str, corpus=None) -> HTML:
    """Who the module is for, its summary, learning objectives and the policy sections it covers."""
    c = get_corpus(corpus)
    mod = _module(c, module_id)
    if mod is None:
        return _html(PENDING.format(what="summary, objectives and policy sections"))
    sections = [c.sections[s] for s in mod.sections if s in c.sections]
    read = "".join(f"<li>{esc(s.title)}{cites_html(citations(c, s.cites[:1])) if s.cites else ''}</li>"
                   for s in sections)
    return _html("\n".join([
        to_html(mod.summary),
        f"<p><strong>For:</strong> {esc(mod.audience)}</p>",
        "<p><strong>Learning objectives.</strong> After this module you will be able to:</p>",
        "<ol>" + "".join(f"<li>{inline(o)}</li>" for o in mod.objectives) + "</ol>",
        f"<p><strong>Policy this module covers:</strong></p><ul>{read}</ul>" if read else "",
    ]))


def _questions_to_answer(corpus) -> str:
    outcomes = "".join(f"<li>{esc(corpus.rules[r].title)}?</li>" for r in CLASSIFICATIONS)
    return ("<ol><li>Which at-risk indicators are present?</li><li>Which red flags are present?</li>"
            f"<li>Answer yes or no:<ul>{outcomes}</ul></li>"
            "<li>Which actions does the policy require, and by when?</li></ol>")


def vignettes(module_id: str, corpus=None) -> HTML:
    """Each of the module's vignettes: content warning, narrative (behind a toggle), the questions to answer, and
    behind a second toggle the answer under the rules and the debrief."""
    c = get_corpus(corpus)
    ids = _vignette_ids(c, module_id)
    if isinstance(ids, HTML):
        return ids
    parts = []
    for k, sid in enumerate(ids, 1):
        s = c.scenarios[sid]
        parts.append("\n".join([
            f'<section class="csec-vignette" id="vignette-{esc(sid)}">',
            f"<h3>{esc(neutral_title(c, s, k))}{_badge(s)}</h3>",
            "<p><em>Fictional vignette.</em></p>",
            f'<div class="csec-warning" role="note" style="{WARNING_STYLE}"><strong>Content warning.</strong> '
            f"{esc(s.content_warning or DEFAULT_WARNING)}</div>",
            f"{DETAILS}{SUMMARY}I understand: show the vignette</summary>",
            f'<div class="csec-narrative">{to_html(s.narrative, 4)}</div>',
            "</details>",
            "<p><strong>Your task.</strong> Read the vignette, then decide:</p>",
            _questions_to_answer(c),
            f"{DETAILS}{SUMMARY}Show the answer and the debrief</summary>",
            f"<p><strong>{esc(s.title)}</strong>. {esc(s.summary)}</p>",
            scenario_answer_html(c, s),
            f"<p><strong>Debrief.</strong></p>{to_html(debrief(c, s), 4)}",
            "</details>",
            "</section>",
        ]))
    return _html("\n".join(parts))


def practice_questions(module_id: str, n: int = 10, corpus=None) -> HTML:
    """N of the module's approved questions (a fixed draw per module), each with its answer behind a toggle."""
    c = get_corpus(corpus)
    pool = _pool(c, module_id)
    if isinstance(pool, HTML):
        return pool
    # Seeded by the module id (string seeds hash with SHA-512, not Python's per-process hash): same draw every build.
    rng = random.Random(f"practice/{module_id}")
    drawn = rng.sample(pool, min(n, len(pool)))
    parts = ["<ol>"]
    for q in drawn:
        parts.append(f"<li>{_badge(q)}{to_html(q.stem, 4)}{_choices_html(q, show_answer=False)}"
                     f"{DETAILS}{SUMMARY}Show the answer</summary>{_answer_html(c, q)}</details></li>")
    parts.append("</ol>")
    return _html("\n".join(parts))


def _choices_html(q, show_answer: bool) -> str:
    tag = "ol" if q.kind != "ordering" else "ul"
    items = []
    for i, choice in enumerate(q.choices):
        mark = " <strong>(right answer)</strong>" if show_answer and choice.correct and q.kind != "ordering" else ""
        items.append(f"<li>{inline(choice.text)}{mark}</li>")
    if q.kind == "ordering" and not show_answer:
        shown = random.Random(f"order/{q.id}").sample(range(len(items)), len(items))
        if shown == sorted(shown):  # never show an ordering question already in the right order
            shown.reverse()
        items = [items[i] for i in shown]
    lead = {"single": "Choose one:", "true_false": "True or false?", "multiple": "Choose every right answer:",
            "ordering": "Put in order:"}[q.kind]
    return f"<p><em>{lead}</em></p><{tag} type='a'>{''.join(items)}</{tag}>"


def _answer_html(corpus, q) -> str:
    right = [q.choices[i] for i in correct_answer(q)]
    if q.kind == "ordering":
        body = "<ol>" + "".join(f"<li>{inline(c.text)}: {inline(c.feedback)}</li>" for c in right) + "</ol>"
    else:
        body = "<ul>" + "".join(f"<li><strong>{inline(c.text)}</strong>: {inline(c.feedback)}</li>"
                                for c in right) + "</ul>"
    return body + cites_html(citations(corpus, q.cites))


# --- trainer's guide ----------------------------------------------------------------------------------------

def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda(module_id: str, corpus=None) -> HTML:
    """The module's agenda with running times from the start of the session."""
    c = get_corpus(corpus)
    mod = _module(c, module_id)
    if mod is None or not mod.agenda:
        return _html(PENDING.format(what="agenda"))
    rows, start = [], 0
    for item in mod.agenda:
        end = start + item.minutes
        rows.append(f"<tr><td>{_clock(start)}–{_clock(end)}</td><td>{item.minutes} min</td>"
                    f"<td>{inline(item.title)}</td><td>{inline(item.notes or '')}</td></tr>")
        start = end
    # In the theme's scroll container (as the site's own tables are): on a phone the table scrolls, not the page.
    return _html("<div class='pst-scrollable-table-container'><table class='table csec-agenda'><thead><tr>"
                 "<th>Time</th><th>Length</th><th>Activity</th><th>Notes</th></tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table></div><p><strong>Total:</strong> {start} minutes "
                 f"({_clock(start)}).</p>")


def talking_points(module_id: str, corpus=None) -> HTML:
    c = get_corpus(corpus)
    mod = _module(c, module_id)
    if mod is None or not mod.talking_points:
        return _html(PENDING.format(what="talking points"))
    return _html("<ul>" + "".join(f"<li>{inline(p)}</li>" for p in mod.talking_points) + "</ul>")


def vignette_plan(module_id: str, corpus=None) -> HTML:
    """Which vignettes to run, in what order, with what each one teaches (and the one it contrasts with)."""
    c = get_corpus(corpus)
    ids = _vignette_ids(c, module_id)
    if isinstance(ids, HTML):
        return ids
    items = []
    for sid in ids:
        s = c.scenarios[sid]
        contrast = ""
        if s.contrast_with and s.contrast_with in c.scenarios:
            changed = c.facts[s.changed_fact].label if s.changed_fact in c.facts else (s.changed_fact or "one fact")
            contrast = (f" Run it right after <em>{esc(c.scenarios[s.contrast_with].title)}</em>: the two differ in "
                        f"one fact ({esc(changed)}).")
        items.append(f"<li><strong>{esc(s.title)}</strong>{_badge(s)}: {esc(s.summary)}{contrast}</li>")
    return _html(f"<ol>{''.join(items)}</ol>")


def question_anchor(question_id: str) -> str:
    """The HTML id of a question in its module's quiz key (the sources page links its citations there; by id, so a
    new question moves no link)."""
    return f"question-{question_id}"


def question_name(q, position: int) -> str:
    """'Question 3: sex trafficking definition': what a trainer calls a question (its id is for developers)."""
    return f"Question {position}: {q.topic}" if q.topic else f"Question {position}"


def quiz_key(module_id: str, corpus=None) -> HTML:
    """Every approved question of the module with its right answer, feedback and sources."""
    c = get_corpus(corpus)
    pool = _pool(c, module_id)
    if isinstance(pool, HTML):
        return pool
    items = []
    for k, q in enumerate(pool, 1):
        origin = (f" <em>(generated from the rule “{esc(c.rules[q.generated_from].title)}”)</em>"
                  if q.generated_from and q.generated_from in c.rules else "")
        items.append(f'<li id="{esc(question_anchor(q.id))}"><p class="csec-question-name"><strong>'
                     f"{esc(question_name(q, k))}</strong>{_badge(q)}{origin}</p>{to_html(q.stem, 4)}"
                     f"{_choices_html(q, True)}{_answer_html(c, q)}</li>")
    which = "questions, unapproved ones marked (preview)" if c.preview else "approved questions"
    # A plain list: each item names its number, so the list's own numbers would say it twice.
    return _html(f"<p>{len(pool)} {which}.</p><ul class='csec-quiz-key'>{''.join(items)}</ul>")


# --- self-paced path ----------------------------------------------------------------------------------------

def self_paced_path(corpus=None) -> HTML:
    """The modules in order, each with its objectives, vignette count and quiz bank size."""
    c = get_corpus(corpus)
    if not c.modules:
        return _html(PENDING.format(what="modules"))
    items = []
    for mod in c.modules.values():
        if not visible(c, mod):
            continue
        nv, nq = len(module_scenarios(c, mod.id)), len(module_questions(c, mod.id))
        items.append(f"<li><strong>{esc(mod.title)}</strong> (<code>{esc(mod.id)}</code>). {inline(mod.summary)}"
                     "<ul>" + "".join(f"<li>{inline(o)}</li>" for o in mod.objectives) + "</ul>"
                     f"<p>{nv} vignette{'s' if nv != 1 else ''}; a quiz drawn from {nq} question"
                     f"{'s' if nq != 1 else ''}.</p></li>")
    return _html(f"<ol>{''.join(items)}</ol>")
