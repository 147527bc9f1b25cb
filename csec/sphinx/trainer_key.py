"""The trainer's guide's vignettes as docutils nodes: per vignette the content warning, the narrative to read aloud,
the answer key from csec.training.answer (indicators, red flags, classification, actions with deadlines, debrief) and
the discussion prompts drawn from the sources' engagement guidance."""

from __future__ import annotations

from docutils import nodes

from csec.engine.explain import action_deadline, allegation_titles, data_grid_label
from csec.sphinx.render import CsecDirective
from csec.training.answer import (
    DEFAULT_WARNING,
    VignetteKey,
    module_scenarios,
    vignette_key,
)
from csec.training.plan import discussion_prompts


def _items(directive: CsecDirective, label: str, entries: list[tuple[list[nodes.Node], list[str]]],
           enumerated: bool = False) -> list[nodes.Node]:
    """'LABEL' then a list of ENTRIES (inline nodes, cite ids), each followed by its linked sources; 'LABEL none.'
    when there are none (a trainer reads "none" as an answer, not as a missing part of the page)."""
    if not entries:
        return [nodes.paragraph("", "", nodes.strong("", label), nodes.Text(" none."))]
    listing = nodes.enumerated_list(enumtype="arabic") if enumerated else nodes.bullet_list(bullet="-")
    for body, cites in entries:
        para = nodes.paragraph("", "", *body)
        span = directive.cites(cites)
        if span is not None:
            para += [nodes.Text(" "), span]
        listing += nodes.list_item("", para)
    return [nodes.paragraph("", "", nodes.strong("", label)), listing]


def _answer(directive: CsecDirective, key: VignetteKey) -> list[nodes.Node]:
    corpus, result = directive.corpus, key.assessment
    present = [([*directive.inline(i.label)], [c.id for c in i.citations]) for i in key.topic("indicator")
               if i.expected]
    flags = [([*directive.inline(i.label)], [c.id for c in i.citations]) for i in key.topic("red_flag") if i.expected]
    reasons = {r.rule: r for r in result.reasons}
    classes = []
    for item in key.topic("classification"):
        reason = reasons[item.key]
        verdict = nodes.strong("", f"{corpus.rules[item.key].title}: {'yes' if item.expected else 'no'}")
        classes.append(([verdict, nodes.Text(f", because {reason.because}.")],
                        list(reason.cites)))
    actions = []
    for action in result.actions or []:
        when = action_deadline(corpus, action)
        body: list[nodes.Node] = [nodes.Text(action["title"])]
        if when:
            body += [nodes.Text(": "), nodes.strong("", when, classes=["csec-deadline"])]
        actions.append((body, list(action["cites"])))
    allegations = ", ".join(allegation_titles(corpus, result)) or "none"
    return [*_items(directive, "At-risk indicators present:", present),
            *_items(directive, "Red flags present:", flags),
            *_items(directive, "Classification:", classes),
            directive.labelled("Allegations to enter (each separately):", allegations),
            directive.labelled("CSEC Data Grid type:", data_grid_label(corpus, result) or "none"),
            *_items(directive, "Required actions and their deadlines:", actions, enumerated=True)]


def _part(directive: CsecDirective, title: str, anchor: str, body: list[nodes.Node]) -> nodes.section:
    return directive.group(["csec-key-part"], title, anchor, body)


def vignette_keys(directive: CsecDirective, module: str) -> list[nodes.Node]:
    """One section per approved vignette of MODULE, in the order the trainer runs them."""
    corpus = directive.corpus
    ids = module_scenarios(corpus, module)
    if not ids:
        return [nodes.paragraph("", "This module has no approved vignettes yet.")]
    out: list[nodes.Node] = []
    for k, sid in enumerate(ids, 1):
        directive.use("scenarios", sid)
        s, key = corpus.scenarios[sid], vignette_key(corpus, sid, k)
        section = nodes.section(classes=["csec-vignette-key"])
        section += directive.heading(s, f"Vignette {k}: {s.title}")
        directive.set_anchor(section, f"vignette-key-{k}")
        warning = nodes.container(classes=["csec-warning"])
        warning += nodes.paragraph("", "", nodes.strong("", "Content warning. "),
                                   *directive.inline(s.content_warning or DEFAULT_WARNING))
        warning += nodes.paragraph("", "This vignette is fictional.", classes=["csec-fictional"])
        section += _part(directive, "Read aloud", f"vignette-key-{k}-narrative",
                         [warning, directive.block(s.narrative, ["csec-narrative"])])
        section += _part(directive, "Answer key", f"vignette-key-{k}-answer",
                         [directive.labelled("In short:", f"{s.title}. {s.summary}"), *_answer(directive, key)])
        section += _part(directive, "Debrief", f"vignette-key-{k}-debrief",
                         [directive.block(key.debrief or "No debrief is written for this vignette yet.",
                                          ["csec-debrief"])])
        prompts = [(directive.inline(p.text), list(p.cites)) for p in discussion_prompts(corpus, module, sid)]
        if prompts:
            section += _part(directive, "Discussion", f"vignette-key-{k}-discussion",
                             _items(directive, "Ask the group:", prompts, enumerated=True))
        out.append(section)
    return out
