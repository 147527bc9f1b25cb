"""Gives every page that hosts a player `window.csec.assess(facts)`: the build writes the rules JSON as
`_static/csec-rules-data.js` and adds it, with the interpreter `csec-rules.js`, to those pages only.

A page gets them when it holds a `{csec-player}` root (the module pages and the self-paced page) or its front matter
says `csec_rules: true`. Both files are plain blocking scripts from this site, so
`window.csec.assess` is defined, synchronously, before any deferred or inline script of the page runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from csec.engine.player_data import player_data
from csec.sphinx.corpus import corpus_of
from csec.sphinx.player import has_player
from csec.sphinx.status import preview

HOOK = "csec_rules"  # the front-matter key; `csec_module` implies it
DATA_FILE = "csec-rules-data.js"
INTERPRETER = "csec-rules.js"  # in csec/sphinx/static/


def data_script(corpus, publish: bool) -> str:
    """The data file's text: the rules JSON assigned to `window.csec.rules` (kept beside the interpreter's API)."""
    data = json.dumps(player_data(corpus, publish=publish), ensure_ascii=False, separators=(",", ":"))
    return f"(self.csec = self.csec || {{}}).rules = {data};\n"


def hosts_player(app: Sphinx, pagename: str, doctree) -> bool:
    """A page hosting a player (any `{csec-player}` root: DESIGN.md's in-page contract), or one asking for the
    interpreter with `csec_rules: true`; a trainer's guide, which hosts none, loads neither file."""
    meta = app.env.metadata.get(pagename, {})
    flag = str(meta.get(HOOK, "")).strip().lower()
    return flag in ("true", "yes", "1") or (doctree is not None and has_player(doctree))


def on_env_updated(app: Sphinx, env) -> list[str]:
    """Write the data file once per build, from the content model (publish: approved items only), before the pages
    are written, so each page's script tag carries the file's checksum and a browser never runs stale rules."""
    if app.builder.format == "html":
        target = Path(app.outdir) / "_static" / DATA_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data_script(corpus_of(env), publish=not preview(env)), encoding="utf-8")
    return []


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # add_js_file during html-page-context adds the file to this page only.
    if doctree is not None and hosts_player(app, pagename, doctree):
        app.add_js_file(DATA_FILE)
        app.add_js_file(INTERPRETER)
