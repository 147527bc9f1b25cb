"""The training content the widget and notebook tests run on: the repository's once it holds all three modules,
each with an approved vignette and approved questions; until then tests/fixtures/training (made-up modules,
vignettes and questions) next to a copy of the real content/policy, so rules, indicators and citations are real."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "training"
MODULES = ("csec-101", "csec-102", "labor-trafficking")


def training_ready(corpus) -> bool:
    for module in MODULES:
        if module not in corpus.modules:
            return False
        if not any(s.module == module and s.status == "approved" for s in corpus.scenarios.values()):
            return False
        if not any(q.module == module and q.status == "approved" for q in corpus.questions.values()):
            return False
    return True


def training_root(corpus, repo_root: Path, tmp: Path) -> Path:
    """REPO_ROOT when its content is ready, else a root under TMP with the real policy and the fixture training."""
    if training_ready(corpus):
        return repo_root
    shutil.copytree(repo_root / "content" / "policy", tmp / "content" / "policy")
    for sub in ("scenarios", "questions"):
        shutil.copytree(FIXTURE / "content" / sub, tmp / "content" / sub)
    return tmp
