"""`{csec-acknowledge}`: the "read and understood" form (csec-ack.js) for the newest substantive release, if any."""

from __future__ import annotations

import html

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import docname_join

from csec.releases.acknowledge import substantive_releases
from csec.sphinx.render import CsecDirective

# The download's name is completed by csec-ack.js with the reader's name, so a supervisor's folder of records keeps
# one file per person and release; this one is what a browser without the script would save.
FORM = """<form class="csec-ack" data-csec-ack-release="{id}" data-csec-ack-name="{name}" \
data-csec-ack-version="{version}" novalidate>
<fieldset>
<legend class="csec-ack-title">Read and understood: {name}</legend>
<p class="csec-ack-release">{effective}{changes}Then confirm that you have read and understood it.</p>
<div class="csec-ack-row">
<label for="csec-ack-name-{id}">Your name</label>
<input id="csec-ack-name-{id}" name="name" type="text" autocomplete="name" required maxlength="200">
<button type="submit" class="csec-ack-button">I have read and understood this release</button>
</div>
<p class="csec-ack-status" role="status" aria-live="polite"></p>
<p class="csec-ack-download" hidden><a download="acknowledgement-{id}.json" href="#">Download your record
(JSON)</a> and send it to your supervisor. It stays on this computer until you do.</p>
</fieldset>
</form>
"""


class csec_ack_form(nodes.General, nodes.Element):
    """The form for one release (attributes: release, name, effective, version, changes); its HTML is written here,
    escaped, because it is code, not content: no content text can add markup to it."""


def visit_ack_form(self, node: csec_ack_form) -> None:
    effective = f"In effect from {html.escape(node['effective'])}. " if node["effective"] else ""
    changes = ""
    if node["changes"]:
        uri = self.builder.get_relative_uri(self.builder.current_docname, node["changes"])
        changes = f'<a class="csec-ack-changes" href="{html.escape(uri, quote=True)}">Read what changed</a>. '
    self.body.append(FORM.format(id=html.escape(node["release"], quote=True),
                                 version=html.escape(node["version"], quote=True),
                                 name=html.escape(node["name"], quote=True), effective=effective, changes=changes))
    raise nodes.SkipNode


class AcknowledgeDirective(CsecDirective):
    """`:changes: <page>` names the page that says what the release changed (a path as {doc} takes it)."""

    option_spec = {"changes": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        changes = ""
        if "changes" in self.options:
            changes = docname_join(self.env.docname, self.options["changes"])
            if changes not in self.env.found_docs:
                raise self.error(f"unknown page {self.options['changes']!r} for :changes:")
        releases = substantive_releases(self.corpus)
        if not releases:
            return []
        release = releases[0]
        return [csec_ack_form("", release=release.id, name=release.name, effective=release.effective_words or "",
                              version=release.version, changes=changes)]


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    # Only a page that shows the form loads its script (pages load no script they do not use).
    if doctree is not None and any(True for _ in doctree.findall(csec_ack_form)):
        app.add_js_file("csec-ack.js", loading_method="defer")
