"""Executed notebook pages compute their output from the content and the kit's code, so they depend on those files.

Without this, Sphinx would not re-read the rules notebook after a rules.yaml edit, because only the page's own
text is tracked. A notebook names the content kinds it reads in its front matter (`csec_inputs: [rules, ...]`)
so an unrelated edit (a glossary definition) neither re-reads nor re-executes it; csec.site.build keys the execution
cache on the same files, so re-reading a notebook re-executes it only when its inputs changed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from csec.core.corpus import Corpus
from csec.load.loader import content_files
from csec.sphinx.corpus import content_root, corpus_of, depend_on_files

CODE_DIRS = ("csec", "widgets")


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
        files = {corpus.file_of(kind, item_id) for kind in kinds for item_id in corpus.items[kind]}
    for name in CODE_DIRS:
        files.update(p for p in (root / name).rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def executed_notebook_inputs(root: Path, corpus: Corpus) -> list[Path]:
    """Every input of every notebook the build executes (what the execution cache is keyed on)."""
    files: set[Path] = set()
    for page in sorted((root / "book").rglob("*.md")):
        meta = front_matter(page.read_text(encoding="utf-8"))
        if executed(meta):
            files.update(notebook_inputs(root, corpus, meta.get("csec_inputs")))
    return sorted(files)


def on_source_read(app, docname: str, source: list[str]) -> None:
    meta = front_matter(source[0][:4000])
    if executed(meta):
        root = content_root(app)
        depend_on_files(app.env, notebook_inputs(root, corpus_of(app.env), meta.get("csec_inputs")))
