"""Opening a MyST page in JupyterLab and saving it (what autosave does, through jupytext's contents manager, the
same class JupyterLab uses, rooted at book/ as scripts/lab.sh roots it) leaves the file byte for byte as it was:
front matter the site build reads (mystnb, csec_module, ...) survives, thanks to book/jupytext.toml."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(REPO / "book").as_posix() for p in (REPO / "book").rglob("*.md")
               if "_build" not in p.parts and p.read_text(encoding="utf-8").startswith("---\n")
               and "jupytext:" in p.read_text(encoding="utf-8").split("\n---", 1)[0])


def _manager(root: Path):
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    cls = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)
    return cls(root_dir=str(root))


def test_every_notebook_page_is_found():
    assert "modules/csec-101.md" in PAGES and "rules-examples.md" in PAGES
    assert (REPO / "book" / "jupytext.toml").is_file()
    assert '--ServerApp.root_dir="$PWD/book"' in (REPO / "scripts" / "lab.sh").read_text()


@pytest.mark.parametrize("page", PAGES)
def test_open_and_save_in_jupyterlab_changes_nothing(tmp_path, page):
    shutil.copytree(REPO / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_build"))
    before = (tmp_path / "book" / page).read_bytes()
    manager = _manager(tmp_path / "book")

    async def open_and_save():
        model = await manager.get(page, content=True)
        assert model["type"] == "notebook", "JupyterLab opens the page as a notebook"
        model["content"]["metadata"]["language_info"] = {"name": "python"}  # what a running kernel adds
        await manager.save({"type": "notebook", "format": "json", "content": model["content"]}, page)

    asyncio.run(open_and_save())
    after = (tmp_path / "book" / page).read_bytes()
    assert after == before, f"saving {page} from JupyterLab rewrote it"


def test_without_the_filter_the_front_matter_would_be_lost(tmp_path):
    """The check is real: with no jupytext.toml the same open-and-save drops csec_module (the bug it guards)."""
    shutil.copytree(REPO / "book" / "modules", tmp_path / "modules")
    page = "modules/csec-101.md"
    manager = _manager(tmp_path)

    async def open_and_save():
        model = await manager.get(page, content=True)
        await manager.save({"type": "notebook", "format": "json", "content": model["content"]}, page)

    asyncio.run(open_and_save())
    assert "csec_module" not in (tmp_path / page).read_text(encoding="utf-8")
