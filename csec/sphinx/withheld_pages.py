"""Publish builds leave out, from the table of contents and the build, each page whose front matter
`csec_needs: <kind>[, ...]` names only kinds with no approved item, so no empty shell page is published."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from csec.core.pages import KEY, has_approved, needed_kinds
from csec.sphinx.corpus import corpus_at_start
from csec.sphinx.status import preview

logger = logging.getLogger(__name__)


def source_file(app: Sphinx, docname: str) -> Path | None:
    for suffix in app.config.source_suffix:
        path = Path(app.srcdir) / (docname + suffix)
        if path.is_file():
            return path
    return None


def drop(site_map, docname: str) -> None:
    """Remove a page (and any pages under it) from the parsed table of contents."""
    for child in [str(i) for tree in site_map[docname].subtrees for i in tree.items if isinstance(i, str)]:
        if child in site_map:
            drop(site_map, child)
    for name in list(site_map):
        doc = site_map[name]
        for tree in doc.subtrees:
            tree.items[:] = [i for i in tree.items if not (isinstance(i, str) and str(i) == docname)]
        doc.subtrees[:] = [tree for tree in doc.subtrees if tree.items]
    del site_map[docname]


def on_config_inited(app: Sphinx, config) -> None:
    # config-inited after sphinx-external-toc (priority 900) has parsed _toc.yml into the config, and before Sphinx
    # compares the configuration with the last build's: the page is excluded exactly as if _toc.yml did not list it,
    # and an unchanged set of pages leaves the configuration unchanged (a later change would re-read every page).
    # A link to it from another page then fails the strict build ("unknown document"): no dangling link survives.
    site_map = getattr(config, "external_site_map", None)
    if site_map is None or preview(app):
        return
    corpus = corpus_at_start(app)
    left_out: list[str] = []
    for docname in list(site_map):
        path = source_file(app, docname)
        needs = needed_kinds(path) if path is not None else []
        unknown = [kind for kind in needs if kind not in corpus.items]
        if unknown:
            logger.warning(f"{KEY}: unknown kind {unknown[0]!r} (known: {', '.join(corpus.items)})",
                           location=f"{path}:1", type="csec", subtype="needs")
            continue
        if needs and not has_approved(corpus, needs):
            left_out.append(Path(path).relative_to(app.srcdir).as_posix())
            drop(site_map, docname)
    if left_out:
        logger.info("[csec] publish: left out %d page(s) with nothing approved to show: %s", len(left_out),
                    ", ".join(left_out))
        config.exclude_patterns = config.exclude_patterns + left_out
