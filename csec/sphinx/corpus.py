"""The content corpus as the Sphinx build sees it: loaded once per build, reloaded when a content file changes.

Directives call `corpus_of(env)`; `depend_on(env, kind, id)` records the YAML file an item comes from as a
dependency of the page being read, so editing that file re-reads exactly the pages that show its items.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from csec.core.corpus import Corpus
from csec.core.errors import ContentErrors
from csec.core.model import Edition
from csec.load import counties
from csec.load.loader import content_files
from csec.training.corpus import checked

logger = logging.getLogger(__name__)


class CorpusCache:
    """Holds the loaded corpus on the environment without pickling it with the environment.

    The environment is pickled between builds; the corpus is cheap to reload and must reflect the files on disk,
    so only the list of content files survives (to notice files being added or removed).
    """

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.signature: tuple | None = None
        self.checked = False  # the signature was compared with the files on disk during this build
        self.files: tuple[str, ...] = ()

    def __getstate__(self) -> dict:
        return {"files": self.files}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.files = tuple(state.get("files", ()))


_PRELOADED: list[tuple[Corpus, tuple]] = []


def preload(corpus: Corpus) -> None:
    """Hand the build a corpus already validated in this process (csec.site.build does), so it is not loaded twice."""
    _PRELOADED[:] = [(corpus, _signature(corpus.root))]


def content_root(app_or_env) -> Path:
    """The repository root: where content/ lives (the csec_root config value, else the book's source folder)."""
    config = app_or_env.config
    root = config.csec_root or app_or_env.srcdir
    return Path(root).resolve()


def _signature(root: Path) -> tuple:
    try:
        county = counties.resolve(root)
    except counties.CountyError:
        county = None  # load() reports it
    entries: list[tuple] = [("county", county)]  # a county chosen by $CSEC_COUNTY or csec.yaml is a different corpus
    for path in content_files(root, county):
        st = path.stat()
        entries.append((path.relative_to(root).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(entries)


def _cache(env: BuildEnvironment) -> CorpusCache:
    cache = getattr(env, "csec_cache", None)
    if cache is None:
        cache = env.csec_cache = CorpusCache()
    return cache


def corpus_of(env: BuildEnvironment) -> Corpus:
    """The validated corpus for this build; loaded on first use and whenever a content file changed on disk."""
    cache = _cache(env)
    if cache.corpus is not None and cache.checked:
        return cache.corpus
    root = content_root(env)
    signature = _signature(root)
    cache.checked = True
    if cache.corpus is None or cache.signature != signature:
        ready = [c for c, sig in _PRELOADED if c.root == root and sig == signature]
        if ready:
            cache.corpus, cache.signature = ready[0], signature
            return cache.corpus
        try:
            cache.corpus = checked(root, edition=Edition.of_build(bool(env.config.csec_preview)))
        except ContentErrors as e:
            for error in e.errors:
                logger.warning(error.message, location=(str(root / error.path), error.line), type="csec",
                               subtype="content")
            raise ExtensionError(f"{len(e.errors)} content problem(s); run `csec validate` for the list") from None
        cache.signature = signature
    return cache.corpus


def on_env_get_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read every page that shows content when content files were added or removed, and every page when the
    pages the build leaves out (csec.sphinx.withheld_pages) changed.

    Per-file dependencies catch edits; a new file can add items to a listing (the glossary, the red flags) that no
    page depends on yet, so a changed file list re-reads all pages using csec directives. A page entering or leaving
    the build changes its parent's table of contents and the county pages' list, which no dependency records.
    """
    cache = _cache(env)
    files = tuple(p[0] for p in _signature(content_root(env)))
    previous, cache.files = cache.files, files
    left_out = tuple(sorted(getattr(app, LEFT_OUT, ())))
    before, env.csec_left_out = getattr(env, "csec_left_out", None), left_out
    if before is not None and before != left_out:
        return sorted(env.found_docs - set(changed) - set(added))
    if previous and previous != files:
        return sorted(getattr(env, "csec_docs", set()) - set(changed) - set(added))
    return []


LEFT_OUT = "csec_left_out"  # on the Sphinx application: the pages this build leaves out (see leave_out)


def leave_out(app: Sphinx, pages: list[str]) -> None:
    """Leave PAGES (paths under the source folder) out of this build, as exclude_patterns would.

    The patterns are added for the build only: the environment is pickled with the configuration as _config.yml
    says it, since Sphinx re-reads every page when a config value differs from the pickled one; a change in what is
    left out re-reads the pages instead (on_env_get_outdated).
    """
    config = app.config
    if not hasattr(app, LEFT_OUT):
        setattr(app, LEFT_OUT, [])
        original = list(config.exclude_patterns)
        app.connect("env-updated", lambda app, env: setattr(config, "exclude_patterns", original), priority=900)
    getattr(app, LEFT_OUT).extend(pages)
    config.exclude_patterns = config.exclude_patterns + pages


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    # Compare the content files with the loaded corpus once per build, not once per directive.
    _cache(env).checked = False


def depend_on_files(env: BuildEnvironment, files: Iterable[Path]) -> None:
    srcdir = Path(env.srcdir).resolve()
    for file in files:
        try:
            dep = os.path.relpath(file, srcdir)
        except ValueError:  # another drive on Windows
            dep = str(file)
        env.note_dependency(dep)
    mark_content_page(env)


def mark_content_page(env: BuildEnvironment) -> None:
    """Note that the page being read shows content: a content file added or removed reads it again."""
    env.csec_docs = getattr(env, "csec_docs", set())
    env.csec_docs.add(env.docname)


def item_files(corpus: Corpus, kind: str, item_id: str) -> set[Path]:
    """The files (kind, item_id) is written in: its own, and a county amendment's (which gives some of its fields)."""
    origin = corpus.origin(kind, item_id)
    return {corpus.file_of(kind, item_id), *(corpus.root / doc.path for doc, _ in origin.amended.values())}


def depend_on(env: BuildEnvironment, kind: str, item_id: str) -> None:
    """Record the files defining (kind, item_id), and the files of the sources it cites, as dependencies."""
    corpus = corpus_of(env)
    files = item_files(corpus, kind, item_id)
    for cite in cites_in(corpus.items[kind][item_id]):
        source_id = cite.partition("#")[0]
        if ("sources", source_id) in corpus.origins:
            files |= item_files(corpus, "sources", source_id)
    depend_on_files(env, files)


def cites_in(value) -> list[str]:
    """Every citation anywhere inside an item (its own, its steps', its questions'), in order, without repeats."""
    from pydantic import BaseModel

    found: list[str] = []

    def walk(v) -> None:
        if isinstance(v, BaseModel):
            for name in type(v).model_fields:
                field = getattr(v, name)
                if name == "cites" and isinstance(field, list):
                    found.extend(c for c in field if isinstance(c, str))
                else:
                    walk(field)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(value)
    return list(dict.fromkeys(found))


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "csec_docs", set()).discard(docname)


def on_env_merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    env.csec_docs = getattr(env, "csec_docs", set()) | (getattr(other, "csec_docs", set()) & set(docnames))
