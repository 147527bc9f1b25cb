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
    VIGNETTE_QUESTIONS,
    citations,
    correct_answer,
    deadline_key,
    debrief,
    module_questions,
    module_scenarios,
    neutral_title,
    vignette_key,
)
from csec.training.plan import session_slots

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

# Classes, never style attributes: every page's Content-Security-Policy refuses inline styles (csec.css styles them).
DETAILS = '<details class="csec-details">'
SUMMARY = "<summary>"

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
    # The objectives and the policy list fold away: on a phone they were most of the page before the first exercise.
    return _html("\n".join([
        to_html(mod.summary),
        f"<p><strong>For:</strong> {esc(mod.audience)}</p>",
        f'<details class="csec-more"><summary>Learning objectives ({len(mod.objectives)})</summary>'
        "<p>After this module you will be able to:</p>",
        "<ol>" + "".join(f"<li>{inline(o)}</li>" for o in mod.objectives) + "</ol></details>",
        f'<details class="csec-more"><summary>Policy this module covers ({len(sections)})</summary><ul>{read}</ul>'
        "</details>" if read else "",
    ]))


def _questions_to_answer(corpus) -> str:
    outcomes = "".join(f"<li>{esc(corpus.rules[r].title)}?</li>" for r in CLASSIFICATIONS)
    q = VIGNETTE_QUESTIONS
    return (f"<ol><li>{q['indicator']}</li><li>{q['red_flag']}</li>"
            f"<li>{q['classification']}<ul>{outcomes}</ul></li><li>{q['action']}</li></ol>")


def _vignette_head(c, s, k: int) -> str:
    """A vignette's heading as every printed or shown copy starts it: its neutral title (the K-th of its module),
    that it is fictional, and its content warning before any of the story."""
    return "\n".join([
        f"<h3>{esc(neutral_title(c, s, k))}{_badge(s)}</h3>",
        "<p><em>Fictional vignette.</em></p>",
        f'<div class="csec-warning" role="note"><strong>Content warning.</strong> '
        f"{esc(s.content_warning or DEFAULT_WARNING)}</div>"])


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
            _vignette_head(c, s, k),
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


BOX = '<span class="csec-box" aria-hidden="true">\u2610</span>'
WRITE_IN = '<span class="csec-write-in" aria-hidden="true"></span>'


def _ticks(labels: list[str]) -> str:
    return "<ul class='csec-tick-list'>" + "".join(f"<li>{BOX} {label}</li>" for label in labels) + "</ul>"


def worksheet(module_id: str, corpus=None) -> HTML:
    """The trainee's printed worksheet: each vignette's story, then its four questions with boxes to tick and room to
    write; no answer, no debrief and no title that gives the answer away (those are in the trainer's guide)."""
    c = get_corpus(corpus)
    ids = _vignette_ids(c, module_id)
    if isinstance(ids, HTML):
        return ids
    parts = []
    for k, sid in enumerate(ids, 1):
        s, key = c.scenarios[sid], vignette_key(c, sid, k)
        flags = [r for r in key.red_flags_offered if visible(c, c.red_flags[r])]
        outcomes = "".join(f"<li>{esc(c.rules[i.key].title)}? {BOX} Yes {BOX} No</li>"
                           for i in key.topic("classification"))
        actions = [inline(i.label) + (f" &mdash; by when: {WRITE_IN}" if deadline_key(c.rules[i.key]) else "")
                   for i in key.topic("action")]
        parts.append("\n".join([
            f'<section class="csec-worksheet-vignette" id="worksheet-{k}">',
            _vignette_head(c, s, k),
            f'<div class="csec-narrative">{to_html(s.narrative, 4)}</div>',
            '<div class="csec-worksheet-answers">',
            f"<p><strong>1. {VIGNETTE_QUESTIONS['indicator']}</strong> Tick each one.</p>",
            _ticks([inline(i.label) for i in key.topic("indicator")]),
            f"<p><strong>2. {VIGNETTE_QUESTIONS['red_flag']}</strong> Tick each one.</p>",
            _ticks([inline(c.red_flags[r].text) for r in flags]),
            f"<p><strong>3. {VIGNETTE_QUESTIONS['classification']}</strong></p>"
            f"<ul class='csec-tick-list'>{outcomes}</ul>",
            f"<p><strong>4. {VIGNETTE_QUESTIONS['action']}</strong></p>",
            _ticks(actions),
            "<p><strong>Your notes: why?</strong></p><div class='csec-lines'></div>",
            "</div>",
            "</section>",
        ]))
    return _html('<div class="csec-worksheet">' + "\n".join(parts) + "</div>")


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


def _vignette_names(c, module_id: str, ids: list[str]) -> str:
    """'Vignettes 1, 4 and 5': by their place in the module, as the guide's headings number them."""
    order = module_scenarios(c, module_id)
    numbers = [str(order.index(s) + 1) for s in ids]
    if not numbers:
        return "none"
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"Vignette{'s' if len(numbers) > 1 else ''} {listed}"


def _slot_suggestion(c, module_id: str, plan) -> str:
    return (f"<p class='csec-slot-plan'><strong>Suggested:</strong> {_vignette_names(c, module_id, plan.suggested)} "
            f"(about {plan.each} min each; chosen to show the most different outcomes, pairs kept together). "
            + (f"If time allows, or for self-study: {_vignette_names(c, module_id, plan.others)}.</p>"
               if plan.others else "</p>"))


def agenda(module_id: str, corpus=None) -> HTML:
    """The module's agenda with running times from the start of the session, and for a slot that runs vignettes the
    set that fits it. On a phone each row stacks, labelled (csec.css), so the table never overflows the screen."""
    c = get_corpus(corpus)
    mod = _module(c, module_id)
    if mod is None or not mod.agenda:
        return _html(PENDING.format(what="agenda"))
    plans = dict(session_slots(c, module_id))
    rows, start = [], 0
    for i, item in enumerate(mod.agenda):
        end = start + item.minutes
        notes = inline(item.notes or "") + (_slot_suggestion(c, module_id, plans[i]) if i in plans else "")
        rows.append(f"<tr><td data-label='Time'>{_clock(start)}–{_clock(end)}</td>"
                    f"<td data-label='Length'>{item.minutes} min</td>"
                    f"<td data-label='Activity'>{inline(item.title)}</td><td data-label='Notes'>{notes}</td></tr>")
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
    """Which vignettes to run, in what order, with what each one teaches (and the one it contrasts with); the ones
    suggested for the session's vignette slots marked."""
    c = get_corpus(corpus)
    ids = _vignette_ids(c, module_id)
    if isinstance(ids, HTML):
        return ids
    suggested = {s for _, plan in session_slots(c, module_id) for s in plan.suggested}
    items = []
    for sid in ids:
        s = c.scenarios[sid]
        contrast = ""
        if s.contrast_with and s.contrast_with in c.scenarios:
            changed = c.facts[s.changed_fact].label if s.changed_fact in c.facts else (s.changed_fact or "one fact")
            contrast = (f" Run it right after <em>{esc(c.scenarios[s.contrast_with].title)}</em>: the two differ in "
                        f"one fact ({esc(changed)}).")
        mark = " <em class='csec-suggested'>(suggested for the session)</em>" if sid in suggested else ""
        items.append(f"<li><strong>{esc(s.title)}</strong>{mark}{_badge(s)}: {esc(s.summary)}{contrast}</li>")
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
