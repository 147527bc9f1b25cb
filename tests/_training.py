"""The training content the widget and notebook tests run on: the repository's own, which must hold all three
modules, each with an approved vignette and approved questions (a missing module fails the tests, never skips)."""

from __future__ import annotations

from pathlib import Path

MODULES = ("csec-101", "csec-102", "labor-trafficking")


def training_root(corpus, repo_root: Path, tmp: Path | None = None) -> Path:
    for module in MODULES:
        assert module in corpus.modules, f"module {module!r} is missing from content/questions/modules.yaml"
        assert any(s.module == module and s.status == "approved" for s in corpus.scenarios.values()), module
        assert any(q.module == module and q.status == "approved" for q in corpus.questions.values()), module
    return repo_root
