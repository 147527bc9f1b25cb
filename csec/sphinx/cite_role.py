"""The `{csec-cite}` role: `{csec-cite}`acl-16-85#v`` renders "ACL 16-85, §V. Reporting CSEC/Youth to Law
Enforcement", linked to that source section on the sources page. `{csec-cite}`§V <acl-16-85#v>`` sets the text.

(Not `{cite}`: Jupyter Book reserves that name for sphinxcontrib-bibtex.)
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from csec.sphinx import xref
from csec.sphinx.corpus import corpus_of, depend_on_files


class CiteRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        has_title, title, cite = split_explicit_title(self.text)
        cite = cite.strip()
        corpus = corpus_of(self.env)
        source_id, _, section_id = cite.partition("#")
        source = corpus.sources.get(source_id)
        problem = None
        if source is None:
            problem = f"unknown source {source_id!r} in {{csec-cite}}"
        elif section_id and section_id not in {s.id for s in source.sections}:
            known = ", ".join(s.id for s in source.sections) or "none declared"
            problem = f"source {source_id!r} has no section {section_id!r} (known: {known})"
        if problem:
            msg = self.inliner.reporter.error(problem, line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        depend_on_files(self.env, [corpus.file_of("sources", source_id)])
        label = title if has_title else corpus.cite_label(cite)
        return [xref.ref(self.env, xref.cite_key(cite), nodes.Text(label), classes=["csec-cite"])], []
