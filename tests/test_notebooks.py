"""Every MyST notebook in book/ (a page whose frontmatter has a kernelspec) executes, and replays the same under nbval.

nbval cannot read MyST .md notebooks, and compares a run against stored outputs: so each page is converted with
jupytext into a temporary .ipynb, executed there with nbclient (stored outputs), then checked with
`pytest --nbval` in a fresh kernel. Cells tagged `skip-execution` (the interactive widgets, which the static site
does not run) are executed here too, so the widgets are exercised in a real kernel; their views are not compared
(nbval skips widget-view outputs) and their text form is a stable repr. Progress files go to a temporary folder.
The pages run on the repository's training content, or on the test fixture until that content exists
(tests/_training.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from _training import training_root

REPO = Path(__file__).resolve().parent.parent
BOOK = REPO / "book"
SANITIZE = Path(__file__).with_name("nbval-sanitize.cfg")


def _frontmatter(path: Path) -> dict:
    """A page's YAML frontmatter (not content: pages are not read through the content loader)."""
    import yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    data = yaml.safe_load(text[4:end]) if end > 0 else None
    return data if isinstance(data, dict) else {}


def _notebooks() -> list[Path]:
    return [p for p in sorted(BOOK.rglob("*.md"))
            if not any(part.startswith((".", "_")) for part in p.relative_to(BOOK).parts)
            and "kernelspec" in _frontmatter(p)]


NOTEBOOKS = _notebooks()


def test_there_are_notebooks():
    names = {p.relative_to(BOOK).as_posix() for p in NOTEBOOKS}
    for module in ("csec-101", "csec-102", "labor-trafficking"):
        assert f"modules/{module}.md" in names
        assert f"modules/{module}-trainer-guide.md" in names
    assert "modules/self-paced.md" in names


WIDGETS = ("IndicatorChecklist(", "VignettePlayer(", "ModuleVignettes(", "Quiz(", "ProgressSummary(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(BOOK).as_posix() for p in NOTEBOOKS])
def test_widget_cells_are_skipped_by_the_site_build(path):
    """A widget on the static site would be dead (no kernel) and would embed its whole state in the page."""
    import jupytext

    for cell in jupytext.read(path, fmt="md:myst").cells:
        if cell.cell_type == "code" and any(w in line for line in cell.source.splitlines() if not
                                            line.lstrip().startswith(("#", "from ", "import ")) for w in WIDGETS):
            assert "skip-execution" in cell.metadata.get("tags", []), f"{path.name}: {cell.source!r}"


@pytest.fixture(scope="session")
def content_root(corpus, repo_root, tmp_path_factory):
    return training_root(corpus, repo_root, tmp_path_factory.mktemp("training-root"))


def _env(folder: Path, content_root: Path) -> dict[str, str]:
    return {"CSEC_PROGRESS_DIR": str(folder / "progress"), "CSEC_TRAINEE": "nbval-trainee",
            "CSEC_ROOT": str(content_root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory, content_root) -> dict:
    """Each notebook executed into a .ipynb (its outputs stored), all at once, each in a kernel of its own, then all
    of them replayed by one `pytest --nbval` run in fresh kernels (one interpreter start for them all, not one each).
    Returns {"executed": {path: error or None}, "folder": where they were written, "nbval": the run,
    "cases": {ipynb name: [(cell, outcome)]}}."""
    import asyncio

    import jupytext
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("notebooks")
    assert len({p.stem for p in NOTEBOOKS}) == len(NOTEBOOKS), "two notebooks would write the same .ipynb"
    notebooks = {path: jupytext.read(path, fmt="md:myst") for path in NOTEBOOKS}

    async def execute(path: Path, nb) -> None:
        own = folder / path.stem
        own.mkdir()
        # Run where the site build runs it (the page's folder); nothing is skipped, so every cell has stored
        # outputs. The kernel's environment is this notebook's own (its progress folder). Kernels start and wait
        # for replies concurrently: most of a notebook's time is a kernel starting or answering, not this process.
        client = NotebookClient(nb, timeout=300, kernel_name="python3", skip_cells_with_tag="nbval-never-skip",
                                allow_errors=False, shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(path.parent)}})
        await client.async_execute(env={**os.environ, **_env(own, content_root)})
        assert not (own / "progress").exists() or not any((own / "progress").iterdir()), path

    async def execute_all() -> list:
        return await asyncio.gather(*(execute(path, nb) for path, nb in notebooks.items()), return_exceptions=True)

    executed: dict[Path, str | None] = {}
    for (path, nb), outcome in zip(notebooks.items(), asyncio.run(execute_all())):
        # An error is reported by this notebook's test, not by every one.
        executed[path] = f"{type(outcome).__name__}: {outcome}" if isinstance(outcome, BaseException) else None
        if executed[path] is None:
            nbformat.write(nb, folder / f"{path.stem}.ipynb")
    report = folder / "nbval.xml"
    ipynbs = sorted(str(p) for p in folder.glob("*.ipynb"))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", *ipynbs, "-p", "no:cacheprovider", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), "--nbval-cell-timeout", "300", "-q", "--rootdir", str(folder),
         "-o", "addopts=", f"--junitxml={report}"],
        cwd=folder, env={**os.environ, **_env(folder, content_root)}, capture_output=True, text=True, timeout=1800)
    cases: dict[str, list[tuple[str, str]]] = {}
    if report.is_file():
        import xml.etree.ElementTree as ET

        for case in ET.parse(report).iter("testcase"):
            outcome = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
            # The class name is the notebook's file name: "csec-101.ipynb" for "csec-101.ipynb::Cell 0".
            cases.setdefault(case.get("classname", ""), []).append((case.get("name", ""), outcome))
    return {"executed": executed, "folder": folder, "nbval": proc, "cases": cases}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(BOOK).as_posix() for p in NOTEBOOKS])
def test_notebook_executes_and_replays_under_nbval(path, replayed):
    assert replayed["executed"][path] is None, f"{path.relative_to(REPO)} did not execute: {replayed['executed'][path]}"
    proc = replayed["nbval"]
    log = f"{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    cells = replayed["cases"].get(f"{path.stem}.ipynb", [])
    assert cells, f"nbval reported no cell of {path.stem}.ipynb:\n{log}"
    failed = [(cell, outcome) for cell, outcome in cells if outcome != "passed"]
    assert failed == [], f"nbval failed for {path.relative_to(REPO)}: {failed}\n{log}"
    progress = replayed["folder"] / "progress"
    assert not progress.exists() or not any(progress.iterdir())
