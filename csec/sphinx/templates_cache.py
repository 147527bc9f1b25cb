"""Keep the theme's compiled Jinja templates between builds.

Every build is a new process, and Sphinx compiles the theme's Jinja templates from scratch each time (~0.3 s for
pydata-sphinx-theme and sphinx-book-theme, a large share of a one-page rebuild). Jinja's own bytecode cache keyed by
template source checksum makes that a file read; a changed template is recompiled automatically.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from csec.sphinx.corpus import content_root


def on_builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = content_root(app) / "_build" / ".jinja-cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
