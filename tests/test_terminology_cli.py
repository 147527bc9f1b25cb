"""The terminology check through `csec validate`: avoided terms for a youth (content/policy/terminology.yaml) are
reported at path:line:col in item prose and book pages, case-insensitively on word boundaries, except where the
guidance is quoted with {csec-quote} or a wrong quiz choice is marked `names_term: true`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from csec_cli import REPO, content_copy, run_csec

GLOSSARY = "content/policy/glossary.yaml"


def _validate(root: Path) -> subprocess.CompletedProcess:
    return run_csec("validate", str(root))


@pytest.fixture
def root(tmp_path) -> Path:
    return content_copy(tmp_path)


def _add_definition(root: Path, text: str) -> int:
    """Append a definition whose text is TEXT; returns the line its text is on."""
    path = root / GLOSSARY
    body = path.read_text(encoding="utf-8")
    entry = (f"  - id: planted-term\n    term: Planted term\n    text: {text}\n"
             "    cites: [acl-16-85#i-at-risk]\n    status: approved\n")
    path.write_text(body.rstrip("\n") + "\n" + entry, encoding="utf-8")
    return len(body.rstrip("\n").splitlines()) + 3


def _term_lines(result) -> list[str]:
    return [l for l in result.stdout.splitlines() if "is not used for a youth" in l]


def test_the_repository_content_passes():
    result = _validate(REPO)
    assert result.returncode == 0, result.stdout


def test_a_term_in_item_prose_is_reported_with_its_guidance_and_wording(root):
    line = _add_definition(root, "'The youth was treated as a Prostitute by the staff.'")
    result = _validate(root)
    assert result.returncode == 1
    assert _term_lines(result) == [
        f"{GLOSSARY}:{line}:11: 'prostitute' is not used for a youth (LA DCFS policy guide, Recommended "
        "Interviewing Techniques with Youth): say a youth who is (or was) commercially sexually exploited, a victim "
        "of a severe form of child abuse, or the youth's own words for their experience (quote the guidance with "
        "{csec-quote}`...`)"]


def test_word_boundaries_and_the_longest_term_win(root):
    _add_definition(root, "'Street prostitution is named; a child prostitute and a \"willing\" participant are not.'")
    result = _validate(root)
    terms = [re.search(r": '([^']+)' is not used", l).group(1) for l in _term_lines(result)]
    assert sorted(terms) == ["child prostitute", "willing participant"], result.stdout


def test_quoting_the_guidance_is_allowed(root):
    _add_definition(root, "'The guide says {csec-quote}`do not refer to the child as a \"prostitute\"`.'")
    result = _validate(root)
    assert result.returncode == 0, result.stdout


def test_names_term_only_on_a_wrong_choice(root):
    path = root / "content/questions/csec-101.yaml"
    text = path.read_text(encoding="utf-8")
    marked = 'correct: false, names_term: true, feedback: "No: {csec-quote}'
    assert marked in text
    path.write_text(text.replace(marked, 'correct: false, feedback: "No: {csec-quote}'), encoding="utf-8")
    result = _validate(root)
    assert [l.split(":")[0] for l in _term_lines(result)] == ["content/questions/csec-101.yaml"], result.stdout
    right = '{text: "Follow the youth\'s lead and terminology, without labels", correct: true,'
    assert right in text
    path.write_text(text.replace(right, right + " names_term: true,"), encoding="utf-8")
    result = _validate(root)
    assert re.search(r"^content/questions/csec-101\.yaml:\d+:\d+: names_term: true marks a wrong choice",
                     result.stdout, re.M), result.stdout


def test_a_term_in_a_book_page_is_reported_at_its_line_and_column(root):
    (root / "book").mkdir()
    (root / "book" / "page.md").write_text("# A page\n\nSome text, then delinquent youth.\n", encoding="utf-8")
    result = _validate(root)
    assert result.returncode == 1
    lines = _term_lines(result)
    assert len(lines) == 1 and lines[0].startswith("book/page.md:3:17: 'delinquent' is not used for a youth "
                                                   "(LA DCFS policy guide, "), lines
