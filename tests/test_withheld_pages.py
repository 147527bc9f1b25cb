"""A page whose front matter says `csec_needs: question_sets` is left out of a publish build (and its navigation)
while no question set is approved, a link to it from another page fails the strict build, and the preview builds
it. Uses a three-page Sphinx project over this repository's content, built strictly (-W -n) like the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from csec_cli import REPO

CONF = """extensions = ["myst_parser", "sphinx_external_toc", "csec.sphinx"]
external_toc_path = "_toc.yml"
external_toc_exclude_missing = True
"""
TOC = """format: jb-book
root: index
chapters:
  - file: questions
  - file: other
  - file: sources
"""


@pytest.fixture
def project(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "_toc.yml").write_text(TOC, encoding="utf-8")
    (src / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (src / "questions.md").write_text("---\ncsec_needs: question_sets\n---\n\n# Questions\n\n```{csec-questions}\n```\n",
                                      encoding="utf-8")
    (src / "other.md").write_text("# Other\n\nText.\n", encoding="utf-8")
    (src / "sources.md").write_text("# Sources\n\n```{csec-sources}\n```\n", encoding="utf-8")
    return src


def _build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    args = ["-q", "-W", "-n", "-b", "html", "-D", f"csec_root={REPO}", *extra, str(src), str(out)]
    return subprocess.run([sys.executable, "-m", "sphinx", *args], capture_output=True, text=True, timeout=300,
                          cwd=src)


def test_publish_leaves_the_page_out_of_the_build_and_the_navigation(project, tmp_path):
    result = _build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "questions.html").exists()
    for page in ("index.html", "other.html"):
        assert "questions.html" not in (tmp_path / "out" / page).read_text(encoding="utf-8")


def test_a_link_to_a_left_out_page_fails_the_strict_build(project, tmp_path):
    (project / "other.md").write_text("# Other\n\nSee {doc}`questions`.\n", encoding="utf-8")
    result = _build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "other.md:3:unknown document: 'questions'" in result.stderr, result.stderr


def test_preview_builds_the_page_with_its_last_review(project, tmp_path):
    result = _build(project, tmp_path / "out", "-D", "csec_preview=1")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "questions.html").read_text(encoding="utf-8")
    assert "last review: UPE (union), requested 2025-02-05, pending" in page
    assert "questions.html" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_kind_in_csec_needs_fails_the_build(project, tmp_path):
    (project / "questions.md").write_text("---\ncsec_needs: question_set\n---\n\n# Questions\n", encoding="utf-8")
    result = _build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "csec_needs: unknown kind 'question_set'" in result.stderr, result.stderr
