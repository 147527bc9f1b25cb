"""The base of the directives that show training and releases: they read the site's view of the content (approved
items only when publishing), depend on the files the training reads, and link citations to the sources page."""

from __future__ import annotations

from typing import Callable

from csec.core.site_view import for_site
from csec.sphinx.corpus import content_root, corpus_of, depend_on_files
from csec.sphinx.notebooks import notebook_inputs
from csec.sphinx.render import CsecDirective, source_anchor
from csec.sphinx.status import preview

SOURCES_PAGE = "book/reference/sources"  # where every citation links to
# The kinds the training views and players read; a glossary edit does not re-read these pages.
READS = ("scenarios", "questions", "modules", "indicators", "indicator_groups", "red_flags", "rules", "facts",
         "sources", "cwscms_codes")


class SiteViewDirective(CsecDirective):
    @property
    def corpus(self):
        # Publishing: approved items only, so nothing shown (nor the engine's answers) can reach a draft.
        return for_site(corpus_of(self.env), preview(self.env))

    def depend_on_training(self) -> None:
        # Every file holding these kinds, drafts' too: a draft approved later must re-read the page that omits it.
        depend_on_files(self.env, notebook_inputs(content_root(self.env), corpus_of(self.env), list(READS)))

    def cite_href(self) -> Callable[[str], str]:
        """cite id -> its paragraph's URL on the sources page, relative to this page."""
        sources = self.env.app.builder.get_relative_uri(self.env.docname, SOURCES_PAGE)
        return lambda cite: f"{sources}#{source_anchor(cite)}"
