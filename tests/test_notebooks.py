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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(BOOK).as_posix() for p in NOTEBOOKS])
def test_notebook_executes_and_replays_under_nbval(path, tmp_path, monkeypatch, content_root):
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    env = {"CSEC_PROGRESS_DIR": str(tmp_path / "progress"), "CSEC_TRAINEE": "nbval-trainee",
           "CSEC_ROOT": str(content_root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = jupytext.read(path, fmt="md:myst")
    # Run where the site build runs it (the page's folder); nothing is skipped, so every cell has stored outputs.
    client = NotebookClient(nb, timeout=300, kernel_name="python3", skip_cells_with_tag="nbval-never-skip",
                            allow_errors=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    ipynb = tmp_path / f"{path.stem}.ipynb"
    nbformat.write(nb, ipynb)

    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(ipynb), "-p", "no:cacheprovider", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), "--nbval-cell-timeout", "300", "-q", "--rootdir", str(tmp_path),
         "-o", "addopts="],
        cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f"nbval failed for {path.relative_to(REPO)}:\n{proc.stdout[-6000:]}\n"
                                  f"{proc.stderr[-2000:]}")
    assert " passed" in proc.stdout
    assert not (tmp_path / "progress").exists() or not any((tmp_path / "progress").iterdir())
