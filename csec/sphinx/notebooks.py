"""Executed notebook pages compute their output from the content and the kit's code, so they depend on those files.

Without this, Sphinx would not re-read the rules notebook after a rules.yaml edit, because only the page's own
text is tracked. A notebook names the content kinds it reads in its front matter (`csec_inputs: [rules, ...]`)
so an unrelated edit (a glossary definition) neither re-reads nor re-executes it; `execution_cache` drops a
notebook's cached outputs when the same files changed, so re-reading a notebook re-executes it only then.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

from csec.core.corpus import Corpus
from csec.load.loader import content_files
from csec.sphinx.corpus import content_root, corpus_of, depend_on_files, item_files

CODE_DIRS = ("csec", "widgets")
INPUTS_FILE = "csec-inputs.json"  # in an execution cache: each executed page -> the digest of its inputs when cached


def front_matter(text: str) -> dict:
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    try:
        data = yaml.safe_load(text[3:end]) if end > 0 else None
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def executed(meta: dict) -> bool:
    """A MyST-NB notebook that runs at build time (module pages set execution_mode off: directives render them)."""
    return "kernelspec" in meta and (meta.get("mystnb") or {}).get("execution_mode") != "off"


def notebook_inputs(root: Path, corpus: Corpus | None = None, kinds: list[str] | None = None) -> list[Path]:
    """The files an executed notebook's output can depend on: the kit's code, and the content files holding KINDS
    (every content file when KINDS is None or no corpus is given)."""
    if kinds is None or corpus is None:
        files = set(content_files(root, corpus.county if corpus is not None else None))
    else:
        files = {file for kind in kinds for item_id in corpus.items[kind]
                 for file in item_files(corpus, kind, item_id)}
    for name in CODE_DIRS:
        files.update(p for p in (root / name).rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def execution_cache(root: Path, corpus: Corpus, cache: Path) -> Path:
    """CACHE (myst-nb's execution cache folder), without the outputs of any executed notebook whose inputs changed
    since they were cached.

    myst-nb matches a notebook to cached outputs by its code cells alone, but these notebooks print what the content
    and the kit's code say: outputs cached under other inputs are stale, so they go, and the notebook runs again.
    """
    wanted: dict[str, str] = {}
    for page in sorted((root / "book").rglob("*.md")):
        meta = front_matter(page.read_text(encoding="utf-8"))
        if executed(meta):
            digest = hashlib.sha256()
            # The change sets this build applies (those in force on its day, or every one in a preview): a change
            # set comes into force with no file changed.
            digest.update(("applied:" + ",".join(corpus.applied) + "\0").encode())
            for file in notebook_inputs(root, corpus, meta.get("csec_inputs")):
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
            wanted[page.relative_to(root).as_posix()] = digest.hexdigest()
    record = cache / INPUTS_FILE
    try:
        cached = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = {}
    if cache.is_dir() and cached != wanted:
        from jupyter_cache import (
            get_cache,  # lazy: only the build's child process executes notebooks
        )

        store = get_cache(str(cache))
        for entry in store.list_cache_records():
            page = _page_of(root, entry.uri)
            if page not in wanted or cached.get(page) != wanted[page]:
                store.remove_cache(entry.pk)
    cache.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(wanted, indent=1, sort_keys=True), encoding="utf-8")
    return cache


def _page_of(root: Path, uri: str | None) -> str | None:
    try:
        return Path(uri).resolve().relative_to(root).as_posix() if uri else None
    except ValueError:
        return None


def on_source_read(app, docname: str, source: list[str]) -> None:
    meta = front_matter(source[0][:4000])
    if executed(meta):
        root = content_root(app)
        depend_on_files(app.env, notebook_inputs(root, corpus_of(app.env), meta.get("csec_inputs")))
