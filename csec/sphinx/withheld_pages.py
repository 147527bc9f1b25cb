"""Publish builds leave out, from the table of contents and the build, each page whose front matter
`csec_needs: <kind>[, ...]` names only kinds with no approved item, so no empty shell page is published; and a page
that left the build leaves the output folder too, even when an earlier build's pages were reused (csec.site.build)."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from csec.core.pages import KEY, has_approved, needed_kinds
from csec.sphinx.corpus import corpus_of, leave_out
from csec.sphinx.player import csec_player
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


def on_builder_inited(app: Sphinx) -> None:
    # builder-inited: sphinx-external-toc has parsed _toc.yml into the config (config-inited, priority 900), and
    # Sphinx has not yet looked for source files, so the page is excluded exactly as if _toc.yml did not list it.
    # A link to it from another page then fails the strict build ("unknown document"): no dangling link survives.
    site_map = getattr(app.config, "external_site_map", None)
    if site_map is None or preview(app):
        return
    corpus = corpus_of(app.env)
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
        leave_out(app, left_out)


PRIOR = "csec_prior_pages"  # on the Sphinx application: the pages in the output folder before this build wrote any
SIDE_FILES = "csec_side_files"  # on the environment: page -> the files its players write beside it (player.py)
SIDE_FOLDER = "_csec"  # where those files go (csec.sphinx.player KEYS, QUIZZES)
# Where Sphinx copies the images and downloads of the pages it writes (and only of those): reused with the pages.
ASSET_FOLDERS = ("_images", "_downloads")
REUSED = (SIDE_FOLDER, *ASSET_FOLDERS)  # the folders csec.site.build copies with the pages


def on_builder_inited_outputs(app: Sphinx) -> None:
    outdir = Path(app.outdir)
    pages = [p for p in outdir.rglob("*.html") if not p.relative_to(outdir).parts[0].startswith("_")]
    files = [p for folder in REUSED for p in (outdir / folder).rglob("*") if p.is_file()]
    setattr(app, PRIOR, sorted([*pages, *files]))
    # With every reused page up to date Sphinx would stop before writing the static files, the indices and the
    # search page ("no targets are out of date"), into a folder that has none: one page to write keeps it going.
    Path(app.builder.get_outfilename(app.config.root_doc)).unlink(missing_ok=True)


def on_doctree_read(app: Sphinx, doctree) -> None:
    """Remember the files the page's players write beside it (a vignette's answers, a module's questions): a reused
    page keeps its reused files, and only those."""
    files = getattr(app.env, SIDE_FILES, None)
    if files is None:
        files = {}
        setattr(app.env, SIDE_FILES, files)
    files[app.env.docname] = sorted(node["key_file"][0] for node in doctree.findall(csec_player)
                                    if node.get("key_file"))


def on_env_purge_doc(app: Sphinx, env, docname: str) -> None:
    getattr(env, SIDE_FILES, {}).pop(docname, None)


def on_env_merge_info(app: Sphinx, env, docnames, other) -> None:
    files = getattr(env, SIDE_FILES, None)
    if files is None:
        files = {}
        setattr(env, SIDE_FILES, files)
    files.update({d: f for d, f in getattr(other, SIDE_FILES, {}).items() if d in docnames})


def on_build_finished(app: Sphinx, exception) -> None:
    """Remove every page, and every file beside a page, that an earlier build left in the output folder and this
    build does not produce."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    side = getattr(app.env, SIDE_FILES, {})
    produced = {Path(app.builder.get_outfilename(doc)).resolve() for doc in app.env.found_docs}
    produced |= {(outdir / name).resolve() for doc in app.env.found_docs for name in side.get(doc, [])}
    env = app.env
    produced |= {(outdir / "_images" / name).resolve() for docs, name in env.images.values() if docs & env.found_docs}
    produced |= {(outdir / "_downloads" / name).resolve() for docs, name in env.dlfiles.values()
                 if docs & env.found_docs}
    for file in getattr(app, PRIOR, []):
        if file.resolve() not in produced:
            file.unlink(missing_ok=True)


WRITTEN = "csec_written_pages"  # on the Sphinx application: the pages this build wrote


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None:  # a page of the book (the index and search pages have no doctree)
        if not hasattr(app, WRITTEN):
            setattr(app, WRITTEN, set())
        getattr(app, WRITTEN).add(pagename)


def on_html_collect_pages(app: Sphinx) -> list:
    """Put back the index entries (the glossary's terms) of the reused pages into the search index.

    Sphinx reloads a search index it reuses without its index entries, and adds only those of the pages it writes:
    the entries of every page it reused are taken from the reused index, so the index equals a clean build's.
    """
    indexer = getattr(app.builder, "indexer", None)
    index = Path(app.outdir) / getattr(app.builder, "searchindex_filename", "searchindex.js")
    if indexer is None or not index.is_file():
        return []
    text = index.read_text(encoding="utf-8")  # still the reused one: the new one is written after this event
    try:
        frozen = json.loads(text[text.index("(") + 1:text.rindex(")")])
        docnames = frozen["docnames"]
        places = frozen.get("indexentries", {})
    except (ValueError, KeyError):
        return []
    written = getattr(app, WRITTEN, set())
    entries = {doc: found for doc, found in indexer._index_entries.items() if doc in written}
    for entry, where in places.items():
        for doc_index, target, main in where:
            doc = docnames[doc_index]
            if doc not in written and doc in app.env.found_docs:
                entries.setdefault(doc, []).append((entry, target, "main" if main else ""))
    indexer._index_entries.clear()
    indexer._index_entries.update(sorted(entries.items()))  # in the order a clean build writes the pages
    return []
