"""`{csec-acknowledge}`: the "read and understood" form (csec-ack.js) for the newest substantive release, if any."""

from __future__ import annotations

import html

from docutils import nodes

from csec.releases.acknowledge import substantive_releases
from csec.sphinx.render import CsecDirective

FORM = """<form class="csec-ack" data-csec-ack-release="{id}" data-csec-ack-version="{version}" novalidate>
<p class="csec-ack-release">Release <strong>{title}</strong>{effective}: please confirm that you have read and
understood what changed.</p>
<label for="csec-ack-name-{id}">Your name</label>
<input id="csec-ack-name-{id}" name="name" type="text" autocomplete="name" required maxlength="200">
<button type="submit" class="csec-ack-button">I have read and understood this release</button>
<p class="csec-ack-status" role="status" aria-live="polite"></p>
<p class="csec-ack-download" hidden><a download="acknowledgement-{id}.json" href="#">Download your record
(JSON)</a> and send it to your supervisor. It stays on this computer until you do.</p>
</form>
"""


class csec_ack_form(nodes.General, nodes.Element):
    """The form for one release (attributes: release, title, effective, version); its HTML is written here, escaped,
    because it is code, not content: no content text can add markup to it."""


def visit_ack_form(self, node: csec_ack_form) -> None:
    effective = f", effective {html.escape(node['effective'])}" if node["effective"] else ""
    self.body.append(FORM.format(id=html.escape(node["release"], quote=True),
                                 version=html.escape(node["version"], quote=True),
                                 title=html.escape(node["title"]), effective=effective))
    raise nodes.SkipNode


class AcknowledgeDirective(CsecDirective):
    def run(self) -> list[nodes.Node]:
        releases = substantive_releases(self.corpus)
        if not releases:
            return []
        release = releases[0]
        return [csec_ack_form("", release=release.id, title=release.title, effective=release.effective or "",
                              version=release.version)]


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    # Only a page that shows the form loads its script (pages load no script they do not use).
    if doctree is not None and any(True for _ in doctree.findall(csec_ack_form)):
        app.add_js_file("csec-ack.js", loading_method="defer")
