"""`{csec-acknowledge}`: a "read and understood" form for the newest substantive release (none when there is no
such release). The reader types a name; csec-ack.js stores {release, name, acknowledged_at, page_version} in
localStorage and offers it as a JSON download, which `csec acknowledgements` collects into a roster."""

from __future__ import annotations

import html

from docutils import nodes

from ..acknowledge import substantive_releases
from .render import CsecDirective

FORM = """<form class="csec-ack" data-csec-ack-release="{id}" data-csec-ack-version="{version}" novalidate>
<p class="csec-ack-release">Release <strong>{title}</strong>{effective}: please confirm you have read and understood
what changed.</p>
<label for="csec-ack-name-{id}">Your name</label>
<input id="csec-ack-name-{id}" name="name" type="text" autocomplete="name" required maxlength="200">
<button type="submit" class="csec-ack-button">I have read and understood this release</button>
<p class="csec-ack-status" role="status" aria-live="polite"></p>
<p class="csec-ack-download" hidden><a download="acknowledgement-{id}.json" href="#">Download your record
(JSON)</a> and send it to your supervisor. It stays on this computer until you do.</p>
</form>"""


class AcknowledgeDirective(CsecDirective):
    def run(self) -> list[nodes.Node]:
        releases = substantive_releases(self.corpus)
        if not releases:
            return []
        release = releases[0]
        effective = f", effective {html.escape(release.effective)}" if release.effective else ""
        markup = FORM.format(id=html.escape(release.id, quote=True), version=html.escape(release.version, quote=True),
                             title=html.escape(release.title), effective=effective)
        return [nodes.raw("", markup, format="html")]
