"""`{csec-player} vignettes|quiz|checklist|progress` (with `:module:`): the roots of the in-page training player,
each carrying the answer model of csec.training.answer as JSON, sliced to the page and to what the build may publish.

The player (player/csec-player.js, loaded only by pages holding one of these roots) compares the trainee's choices
with that data; it never evaluates a rule. The answers and the quiz questions are script files beside the pages, each
assigning its data to `self.csecData[name]` (as Sphinx's searchindex.js does), which the player adds to the page when
it needs them: a page opened from disk (file://, where fetch() fails) works as it does from a server, and no answer
is in the page a trainee reads first. Narratives and debriefs are parsed here as MyST, so their glossary terms
and policy numbers are real Sphinx output, and the player only reveals them.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from dataclasses import asdict
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives

from csec.engine.rules import placeholders, render_rule
from csec.render.markup import inline, to_html
from csec.render.markup import use as use_markup
from csec.sphinx import xref
from csec.sphinx.site_directive import SiteViewDirective
from csec.training.answer import (
    ACTION_GROUPS,
    DEFAULT_WARNING,
    MASTERY_SCORE,
    SCORING,
    ItemKey,
    QuestionKey,
    VignetteKey,
    action_group,
    citations,
    counts,
    deadline_key,
    decision_total,
    module_questions,
    module_scenarios,
    question_key,
    stable_order,
    vignette_key,
)

KEYS = "_csec/keys"  # one answer script per published vignette, loaded when the trainee checks
QUIZZES = "_csec/quizzes"  # per module: a question script loaded when the quiz starts, its answers when one is checked
SCRIPT = Path(__file__).parent / "player_static" / "csec-player.js"
SCRIPT_URL = "player/csec-player.js"  # under _static/; not in html_static_path, so only player pages load it
KINDS = ("vignettes", "quiz", "checklist", "progress")


class csec_player(nodes.General, nodes.Element):
    """A player's root element: <div class="csec-player" data-csec-...>; its children are the page's HTML."""


def visit_player(self, node: csec_player) -> None:
    for name, text in node.get("data_files", []):  # answers and questions, beside the page rather than in it
        path = Path(self.builder.outdir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    attrs = {f"data-{k}": v for k, v in node["data"].items()}
    self.body.append(self.starttag(node, "section" if node.get("section") else "div", CLASS="csec-player", **attrs))


def depart_player(self, node: csec_player) -> None:
    self.body.append("</section>\n" if node.get("section") else "</div>\n")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def data_file(name: str, data) -> str:
    """A data file's text: DATA assigned to `self.csecData[NAME]`, so a <script> can load it from disk or server."""
    return f"(self.csecData = self.csecData || {{}})[{json.dumps(name)}] = {_dumps(data)};\n"


def _json_script(kind: str, data) -> nodes.raw:
    # "</" is escaped so no text in the data can close the script element; the data is never executed.
    text = _dumps(data).replace("</", "<\\/")
    return nodes.raw("", f'<script type="application/json" data-csec-{kind}>{text}</script>', format="html")


class PlayerDirective(SiteViewDirective):
    required_arguments = 1
    option_spec = {"module": directives.unchanged, "n": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown player {kind!r} (known: {', '.join(KINDS)})")
        corpus = self.corpus
        module = self.options.get("module")
        if kind in ("vignettes", "quiz") and module not in corpus.modules:
            raise self.error(f"unknown module {module!r} (known: {', '.join(corpus.modules)})")
        self.depend_on_training()
        use_markup(corpus)
        self.cite_table: dict[str, list[str]] = {}
        self.href = self.cite_href()
        out = getattr(self, kind)(module)
        if self.cite_table:
            out.append(_json_script("cites", self.cite_table))
        return out

    # --- data -------------------------------------------------------------------------------------------------

    def _cites(self, cites) -> list[str]:
        for c in cites:
            self.cite_table.setdefault(c.id, [c.label, self.href(c.id)])
        return [c.id for c in cites]

    def _item(self, item: ItemKey) -> dict:
        # Only the words a trainee can be shown: an expected item is right or missed, any other is wrongly chosen.
        data = {"key": item.key, "expected": item.expected, "counts": counts(item), "cites": self._cites(item.citations)}
        if item.topic == "classification" or item.expected:
            data.update(right=inline(item.right), missed=inline(item.missed))
        if item.topic == "classification" or not item.expected:
            data["wrong"] = inline(item.wrong)
        if item.deadline is not None:
            d = item.deadline
            data["deadline"] = {"key": d.key, "label": inline(d.label), "right": inline(d.right),
                                "missing": inline(d.missing), "wrong": inline(d.wrong)}
        return data

    def _key_data(self, key: VignetteKey) -> dict:
        """The answers, fetched when the trainee checks (so they are not in the page a trainee reads first)."""
        offered = set(self._offered(key))
        topics: dict[str, list] = {"indicator": [], "red_flag": [], "classification": [], "action": []}
        asked = [item for item in key.items if item.topic != "red_flag" or item.key in offered]
        for item in asked:
            topics[item.topic].append(self._item(item))
        # The scoring is Python's (csec.training.answer): the player reads the total and the weights from here.
        return {"scenario": key.scenario_id, "title": inline(key.title), "summary": inline(key.summary),
                "total": decision_total(asked), "scoring": SCORING, "items": topics,
                "nothing": {n.topic: {"label": inline(n.label), "explanation": inline(n.explanation),
                                      "cites": self._cites(n.citations)} for n in key.nothing},
                # Plain text (the player writes it as text): which given facts decided the answer.
                "what_would_change": asdict(key.what_would_change) if key.what_would_change else None}

    def _offered(self, key: VignetteKey) -> list[str]:
        return [r for r in key.red_flags_offered if self.shown(self.corpus.red_flags[r])]

    def _form_data(self, key: VignetteKey) -> dict:
        """What every vignette on the page asks, labels only (the same items, the same order as the answer key)."""
        form: dict[str, list] = {"indicator": [], "classification": [], "action": []}
        for item in key.items:
            if item.topic in form:
                entry = {"key": item.key, "label": inline(item.label)}
                if item.topic == "action":  # every timed action gets a deadline choice, required or not
                    rule = self.corpus.rules[item.key]
                    entry["timed"] = deadline_key(rule) is not None
                    entry["group"] = action_group(rule)
                form[item.topic].append(entry)
        form["deadlines"] = [[inline(label), k] for label, k in key.deadline_options]
        form["groups"] = [[g, title] for g, (title, _) in ACTION_GROUPS.items()]
        return form

    @staticmethod
    def _shipped(key: QuestionKey) -> list[int]:
        # The choices leave the build in a fixed shuffle: the bank lists most right answers first, and an ordering
        # question's choices in the right order, so the file's own order must not be the bank's.
        return stable_order(f"site/{key.id}", len(key.choices))

    def _question_data(self, key: QuestionKey) -> dict:
        """What a trainee reads: the stem and the choices, without which ones are right."""
        return {"id": key.id, "kind": key.kind, "stem": to_html(key.stem, 4),
                "choices": [inline(key.choices[i].text) for i in self._shipped(key)],
                "cites": self._cites(key.citations)}

    def _answer_data(self, key: QuestionKey) -> dict:
        """A question's answer, indexed as the shipped choices are: loaded only when a trainee checks an answer."""
        shipped = self._shipped(key)
        at = {original: k for k, original in enumerate(shipped)}
        choices = []
        for i in shipped:
            c = key.choices[i]
            data = {"correct": c.correct, "chosen": inline(c.when_chosen)}
            if c.correct or key.kind == "ordering":  # only a right choice (or a misplaced one) can be missed
                data["missed"] = inline(c.when_missed)
            choices.append(data)
        return {"choices": choices, "order": [at[i] for i in key.correct], "right": inline(key.summary_right),
                "wrong": inline(key.summary_wrong), "none": inline(key.summary_none)}

    # --- the players ------------------------------------------------------------------------------------------

    def _root(self, data: dict, section: bool = False) -> csec_player:
        root = csec_player()
        root["data"] = data
        root["section"] = section
        return root

    def vignettes(self, module: str) -> list[nodes.Node]:
        ids = module_scenarios(self.corpus, module)
        if not ids:
            return [nodes.paragraph("", "This module has no published vignettes yet.")]
        out: list[nodes.Node] = []
        folder = posixpath.dirname(self.env.docname)
        for k, sid in enumerate(ids, 1):
            s = self.corpus.scenarios[sid]
            self.use("scenarios", sid)
            key = vignette_key(self.corpus, sid, k)
            if k == 1:
                out.append(_json_script("form", self._form_data(key)))
            root = self._root({"csec-scenario": sid, "csec-module": module,
                               "csec-key": posixpath.relpath(f"{KEYS}/{sid}.js", folder or ".")}, section=True)
            root["data_files"] = [(f"{KEYS}/{sid}.js", data_file(f"key:{sid}", self._key_data(key)))]
            # By position: the scenario id would name the answer. It is the vignette's place for "cited by" links.
            anchor = self.set_anchor(root, f"vignette-{k}")
            xref.note_location(self.env, xref.item_key("scenarios", sid), anchor)
            root += nodes.raw("", f'<h3 class="csec-vignette-title">{inline(key.neutral_title)}</h3>', format="html")
            root += self.badge(s)
            warning = nodes.container(classes=["csec-warning"])
            warning += nodes.paragraph("", "", nodes.strong("", "Content warning. "),
                                       *self.inline(s.content_warning or DEFAULT_WARNING))
            warning += nodes.paragraph("", "This vignette is fictional.", classes=["csec-fictional"])
            root += warning
            root += self.block(s.narrative, ["csec-narrative"])
            debrief = nodes.container(classes=["csec-debrief"])
            debrief += nodes.raw("", "<h4>Debrief</h4>", format="html")
            debrief += self.block(key.debrief or "").children  # with what the county's procedures add
            root += debrief
            root += _json_script("vignette", {"scenario": sid, "module": module, "red_flags": [
                {"key": r, "label": inline(self.corpus.red_flags[r].text)} for r in self._offered(key)]})
            out.append(root)
        return out

    def quiz(self, module: str) -> list[nodes.Node]:
        pool = module_questions(self.corpus, module)
        for q in pool:
            self.use("questions", q.id)
        folder = posixpath.dirname(self.env.docname)

        def rel(name: str) -> str:
            return posixpath.relpath(f"{QUIZZES}/{name}", folder or ".")

        root = self._root({"csec-quiz": module, "csec-n": str(self.options.get("n", 10)),
                           "csec-title": self.corpus.modules[module].title, "csec-pass": str(MASTERY_SCORE),
                           "csec-questions": rel(f"{module}.js"), "csec-answers": rel(f"{module}-key.js")})
        # The questions live beside the page, loaded when the quiz starts (they are most of a module's data, and the
        # page stays within its budget); their answers in a second file, loaded when the first answer is checked.
        keys = [question_key(q, self.corpus) for q in pool]
        root["data_files"] = [
            (f"{QUIZZES}/{module}.js", data_file(f"quiz:{module}", [self._question_data(k) for k in keys])),
            (f"{QUIZZES}/{module}-key.js", data_file(f"quiz-key:{module}", {k.id: self._answer_data(k) for k in keys}))]
        root += nodes.raw("", "<noscript><p>The quiz needs JavaScript, which this browser has turned off.</p>"
                              "</noscript>", format="html")
        return [root]

    def checklist(self, module: str | None) -> list[nodes.Node]:
        c = self.corpus
        rule = c.rules["at_risk"]
        needed = placeholders(c, rule)
        groups = [{"id": g.id, "title": inline(g.title), "needed": needed.get(f"at_least:{g.id}"),
                   "indicators": [{"id": i.id, "label": inline(f"{i.letter}. {i.la_text}")}
                                  for i in c.indicators.values() if i.group == g.id and self.shown(i)]}
                  for g in c.indicator_groups.values()]
        data = {"groups": groups, "rule": inline(render_rule(c, "at_risk")), "title": inline(rule.title),
                "cites": self._cites(citations(c, rule.cites))}
        root = self._root({"csec-checklist": "at_risk"})
        root += _json_script("risk-rule", data)
        return [root]

    def progress(self, module: str | None) -> list[nodes.Node]:
        c = self.corpus
        modules = {m.id: {"title": m.title, "vignettes": module_scenarios(self.corpus, m.id)}
                   for m in c.modules.values() if self.shown(m)}
        root = self._root({"csec-progress": module or "all"})
        root += _json_script("modules", modules)
        return [root]


def has_player(doctree) -> bool:
    return doctree is not None and next(iter(doctree.findall(csec_player)), None) is not None


def on_builder_inited(app) -> None:
    if app.builder.format == "html":
        target = Path(app.outdir) / "_static" / Path(SCRIPT_URL).parent
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SCRIPT, target / SCRIPT.name)


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    # Added for this page only: pages without a player load no player script.
    if has_player(doctree):
        app.add_js_file(SCRIPT_URL, loading_method="defer")


def setup(app) -> None:
    app.add_directive("csec-player", PlayerDirective)
    app.add_node(csec_player, html=(visit_player, depart_player),
                 latex=(lambda s, n: None, lambda s, n: None), text=(lambda s, n: None, lambda s, n: None))
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_html_page_context)
