"""`{csec-training} VIEW` (with `:module:`): the training pages' kernel-free fallback rendered at build time.

The module pages and trainer's guides show vignettes with their answers behind a toggle, agendas and answer keys.
Rendering them here, from the model, instead of in notebook code cells means a content edit re-reads just these
pages (like every other directive) and no kernel has to run to build them.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from csec.sphinx import training_views as static
from csec.sphinx import xref
from csec.sphinx.site_directive import SiteViewDirective
from csec.sphinx.trainer_key import vignette_keys
from csec.training.answer import module_questions

VIEWS = ("module_overview", "vignettes", "worksheet", "practice_questions", "agenda", "talking_points", "vignette_plan",
         "answer_key", "quiz_key", "self_paced_path")


class TrainingDirective(SiteViewDirective):
    required_arguments = 1
    option_spec = {"module": directives.unchanged_required, "n": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        view = self.arguments[0]
        if view not in VIEWS:
            raise self.error(f"unknown training view {view!r} (known: {', '.join(VIEWS)})")
        corpus = self.corpus
        self.depend_on_training()
        static.use(corpus, self.cite_href())
        kwargs = {"corpus": corpus}
        if "n" in self.options:
            kwargs["n"] = self.options["n"]
        if view == "self_paced_path":
            html = static.self_paced_path(**kwargs)
        else:
            module = self.options.get("module")
            if module not in corpus.modules and module is not None and corpus.modules:
                raise self.error(f"unknown module {module!r} (known: {', '.join(corpus.modules)})")
            if view == "answer_key":  # docutils nodes: MyST narratives, citations linked by the resolver
                return vignette_keys(self, module)
            html = getattr(static, view)(module, **kwargs)
            if view == "module_overview" and module in corpus.modules:
                xref.note_location(self.env, xref.item_key("modules", module), "")  # the module's page itself
            if view == "quiz_key":
                # Each question of the key is where the sources page's "cited by" links for it lead.
                for q in module_questions(corpus, module):
                    xref.note_location(self.env, xref.item_key("questions", q.id), static.question_anchor(q.id))
        return [nodes.raw("", html.data, format="html")]
