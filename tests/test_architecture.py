"""The package's layers as ARCHITECTURE.md draws them: import-linter's contracts hold (imports inside functions
count too), a planted upward import breaks them, no module reaches for another module's private names, and the top
of csec/ stays small."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
# Sphinx is heavy and only the build's child process runs it, so the site layer imports it inside the function that
# runs in that process. Every other import of a csec module stands at the top of its module.
LAZY = {("csec/site/build.py", "csec.sphinx.notebooks"), ("csec/site/build.py", "csec.sphinx.corpus")}


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": ""})


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("csec", "widgets")):
            yield node, id(node) in top


def test_the_layer_contracts_hold():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    # The contract must be able to fail: the loader importing the engine is exactly what the layers forbid.
    for name in ("csec", "widgets"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    loader = tmp_path / "csec" / "load" / "loader.py"
    loader.write_text(loader.read_text(encoding="utf-8") + "\n\ndef _later():\n    from csec.engine import rules\n",
                      encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "csec.load.loader -> csec.engine.rules" in result.stdout


def test_no_module_imports_a_private_name_from_another():
    offenders = [f"{path.relative_to(REPO)}:{node.lineno}: {alias.name}"
                 for folder in ("csec", "widgets") for path in sorted((REPO / folder).rglob("*.py"))
                 for node, _ in _imports(path) for alias in node.names
                 if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert offenders == []


def test_imports_of_the_kit_stand_at_the_top_of_their_module():
    inside = {(path.relative_to(REPO).as_posix(), node.module)
              for folder in ("csec", "widgets") for path in sorted((REPO / folder).rglob("*.py"))
              for node, at_top in _imports(path) if not at_top}
    assert inside == LAZY


def test_the_top_of_the_package_stays_small():
    top = sorted(p.name for p in (REPO / "csec").glob("*.py"))
    layers = sorted(p.name for p in (REPO / "csec").iterdir() if (p / "__init__.py").is_file())
    assert len(top) <= 12, top
    assert layers == ["checks", "core", "engine", "export", "load", "releases", "render", "site", "sphinx",
                      "training"]
