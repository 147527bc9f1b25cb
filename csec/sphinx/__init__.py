"""Sphinx extension that renders the kit's validated content on the manual site (`sphinx.extra_extensions:
[csec.sphinx]` in _config.yml).

Pages in book/ only place directives; every piece of policy text comes from the content model:

    {csec-section} <id>    {csec-sections}      {csec-glossary}     {csec-indicators}   {csec-red-flags}
    {csec-questions} [id]  {csec-cwscms}        {csec-exploitation} {csec-sources}      {csec-rule} <id>
    {csec-rules}           {csec-deadlines}     role {csec-cite}`acl-16-85#v`
    {csec-changes}         {csec-module-updates} <module-id>    {csec-county-pages}

Config values: `csec_preview` (False: approved items only; True: draft and in-review items too, badged) and
`csec_root` (the repository root holding content/; default: the book's source folder). A preview also carries a
banner on every page and redlines each change a change set proposes (proposed.py). Pages whose front matter
has `csec_module` or `csec_rules: true` get `window.csec.assess` (see rules_script.py).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from csec.sphinx import (
    changes,
    corpus,
    county_badge,
    county_pages,
    notebooks,
    offline,
    player,
    proposed,
    rules_script,
    sources,
    templates_cache,
    theme,
    toc,
    withheld_pages,
    xref,
)
from csec.sphinx.acknowledge import AcknowledgeDirective, csec_ack_form, visit_ack_form
from csec.sphinx.acknowledge import on_html_page_context as acknowledge_page
from csec.sphinx.changes import ChangesDirective, ModuleUpdatesDirective
from csec.sphinx.cite_role import CiteRole
from csec.sphinx.cwscms import CwsCmsDirective
from csec.sphinx.deadlines import DeadlinesDirective
from csec.sphinx.decision_tables import DecisionTableDirective
from csec.sphinx.exploitation import ExploitationDirective
from csec.sphinx.glossary import GlossaryDirective
from csec.sphinx.indicators import IndicatorsDirective
from csec.sphinx.number_roles import NumberRole
from csec.sphinx.open_questions import OpenQuestionsDirective
from csec.sphinx.questions import QuestionsDirective
from csec.sphinx.quote_role import quote_role
from csec.sphinx.red_flags import RedFlagsDirective
from csec.sphinx.rule import RuleDirective, RulesDirective
from csec.sphinx.sections import SectionDirective, SectionsDirective
from csec.sphinx.sources import SourcesDirective
from csec.sphinx.training import TrainingDirective

STATIC = Path(__file__).parent / "static"

DIRECTIVES = {
    "csec-section": SectionDirective,
    "csec-sections": SectionsDirective,
    "csec-glossary": GlossaryDirective,
    "csec-indicators": IndicatorsDirective,
    "csec-red-flags": RedFlagsDirective,
    "csec-questions": QuestionsDirective,
    "csec-cwscms": CwsCmsDirective,
    "csec-exploitation": ExploitationDirective,
    "csec-sources": SourcesDirective,
    "csec-rule": RuleDirective,
    "csec-rules": RulesDirective,
    "csec-deadlines": DeadlinesDirective,
    "csec-decision-table": DecisionTableDirective,
    "csec-training": TrainingDirective,
    "csec-open-questions": OpenQuestionsDirective,
    "csec-acknowledge": AcknowledgeDirective,
    "csec-changes": ChangesDirective,
    "csec-module-updates": ModuleUpdatesDirective,
    "csec-county-pages": county_pages.CountyPagesDirective,
}


def _add_static_path(app: Sphinx, config) -> None:
    # Only the extension's own files live here (csec.*, theme-fixes.*); the vendor widget files are copied by
    # offline.py instead.
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    # 'env': switching between publish and preview re-reads every page.
    app.add_config_value("csec_preview", False, "env", [bool])
    app.add_config_value("csec_root", "", "env", [str])
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_role("csec-cite", CiteRole())
    app.add_role("csec-deadline", NumberRole("deadline"))
    app.add_role("csec-value", NumberRole("value"))
    app.add_role("csec-words", NumberRole("words"))
    app.add_role("csec-quote", quote_role)
    # Replaced by links when a page is resolved; the visitors only guard builders that skip that step.
    app.add_node(xref.csec_ref, html=(lambda self, node: self.visit_inline(node),
                                      lambda self, node: self.depart_inline(node)))

    player.setup(app)
    proposed.setup(app)  # the preview's banner and redlines
    app.connect("config-inited", _add_static_path)
    app.connect("config-inited", toc.exclude_files_not_in_toc, priority=850)
    app.connect("config-inited", offline.on_config_inited)
    app.connect("builder-inited", offline.on_builder_inited)
    app.connect("builder-inited", templates_cache.on_builder_inited)
    app.connect("html-page-context", rules_script.on_html_page_context)
    app.connect("config-inited", theme.on_config_inited)
    app.connect("builder-inited", theme.on_builder_inited)
    app.connect("builder-inited", county_pages.on_builder_inited, priority=400)  # before withheld_pages
    app.connect("builder-inited", withheld_pages.on_builder_inited)
    app.connect("builder-inited", withheld_pages.on_builder_inited_outputs)
    app.connect("build-finished", withheld_pages.on_build_finished)
    app.connect("doctree-read", withheld_pages.on_doctree_read)
    app.connect("html-page-context", withheld_pages.on_html_page_context)
    app.connect("html-collect-pages", withheld_pages.on_html_collect_pages)
    app.connect("env-purge-doc", withheld_pages.on_env_purge_doc)
    app.connect("env-merge-info", withheld_pages.on_env_merge_info)
    app.connect("html-page-context", offline.on_html_page_context, priority=900)
    app.connect("env-updated", rules_script.on_env_updated)
    app.connect("build-finished", offline.on_build_finished)
    app.add_css_file("csec.css")
    # Font Awesome reads its settings from any script tag's attributes: its stylesheet is a file (offline.py), so
    # it must not write one into the page, where the Content-Security-Policy refuses inline styles.
    app.add_js_file("csec.js", loading_method="defer", **{"data-auto-add-css": "false"})
    app.add_css_file(theme.CSS)
    app.add_js_file(theme.JS, loading_method="defer")
    app.connect("html-page-context", acknowledge_page)
    app.add_node(csec_ack_form, html=(visit_ack_form, None))

    app.connect("env-get-outdated", corpus.on_env_get_outdated)
    app.connect("env-get-outdated", changes.on_env_get_outdated)
    app.connect("env-purge-doc", changes.on_env_purge_doc)
    app.connect("env-merge-info", changes.on_env_merge_info)
    app.connect("doctree-read", county_badge.on_doctree_read)
    app.connect("source-read", notebooks.on_source_read)
    app.connect("env-before-read-docs", corpus.on_env_before_read_docs)
    app.connect("env-purge-doc", corpus.on_env_purge_doc)
    app.connect("env-merge-info", corpus.on_env_merge_info)
    app.connect("env-purge-doc", xref.on_env_purge_doc)
    app.connect("env-merge-info", xref.on_env_merge_info)
    app.connect("env-before-read-docs", xref.on_env_before_read_docs)
    app.connect("env-get-updated", xref.on_env_get_updated)
    app.add_node(sources.csec_backlinks)
    app.connect("env-purge-doc", sources.on_env_purge_doc)
    app.connect("env-merge-info", sources.on_env_merge_info)
    app.connect("env-get-updated", sources.on_env_get_updated)
    app.connect("doctree-resolved", sources.on_doctree_resolved, priority=400)
    app.connect("doctree-resolved", xref.on_doctree_resolved)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
