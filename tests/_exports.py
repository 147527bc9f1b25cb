"""Helpers the export tests share: run `csec export` through the real CLI, a content root with questions full of
the characters LMS formats reserve, the corpus's approved questions per module, and HTML read back as words."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from csec_cli import copy_layers

REPO = Path(__file__).resolve().parent.parent
CSEC = REPO / ".venv" / "bin" / "csec"
MODULES = ("csec-101", "csec-102", "labor-trafficking")
# Moodle's grade options (question_bank::ensure_fraction_options_initialised), which its importers require.
MOODLE_FRACTIONS = [1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0]

SPECIAL_TOPIC = "special/characters: ~ = # { } \\ -> 50%"
# Every character GIFT reserves (~ = # { } : and the backslash), its line-break escape (\n), the general-feedback
# marker ####, matching's ->, a leading answer weight (%50%) and format name ([plain]), and what XML and HTML reserve.
SPECIAL_QUESTIONS = r"""
questions:
  - id: zz-special-single
    module: csec-101
    kind: single
    topic: 'special/characters: ~ = # { } \ -> 50%'
    stem: 'Tilde ~ equals = hash # braces { } colon : backslash \ path C:\new\table, a -> b, 50% & 1 < 2 > 0 "quoted" ]]> ####'
    choices:
      - {text: 'Right: ~ = # { } : \n', correct: true, feedback: 'Yes #1: {braces} ~tilde =equals \\ double backslash'}
      - {text: '%50% starts like an answer weight', correct: false, feedback: '#leading hash, then ~ and = and }'}
      - {text: '[plain] starts like a format name', correct: false, feedback: '[html] starts like a format name; see {csec-cite}`acl-16-85#i-at-risk`'}
    cites: [acl-16-85#i-at-risk]
    status: approved
  - id: zz-special-multiple
    module: csec-101
    kind: multiple
    topic: 'special/characters: ~ = # { } \ -> 50%'
    stem: 'Which of these: x = y {z} ~w #v?'
    choices:
      - {text: 'a = b', correct: true, feedback: 'yes: = kept'}
      - {text: 'c ~ d', correct: true, feedback: 'yes: ~ kept'}
      - {text: 'e # f', correct: true, feedback: 'yes: # kept'}
      - {text: 'g { h }', correct: false, feedback: 'no: { } kept'}
      - {text: 'i : j', correct: false, feedback: 'no: : kept'}
    cites: [acl-16-85#i-at-risk]
    status: approved
  - id: zz-special-true-false
    module: csec-101
    kind: true_false
    topic: 'special/characters: ~ = # { } \ -> 50%'
    stem: 'True or false: {T} ~ = # : \'
    choices:
      - {text: 'True', correct: false, feedback: 'False #1: the ~ = { } : \ marks are text'}
      - {text: 'False', correct: true, feedback: 'Right #2: FALSE#not a separator'}
    cites: [acl-16-85#i-at-risk]
    status: approved
  - id: zz-special-ordering
    module: csec-101
    kind: ordering
    topic: 'special/characters: ~ = # { } \ -> 50%'
    stem: 'Order these: 1 -> 2 = 3?'
    choices:
      - {text: 'first -> step = one', correct: true, feedback: 'First: #1 {a}'}
      - {text: 'second ~ step', correct: true, feedback: 'Second: \n =2'}
      - {text: 'third : step \', correct: true, feedback: 'Third: ####3'}
    cites: [acl-16-85#i-at-risk]
    status: approved
  - id: zz-special-draft
    module: csec-101
    kind: single
    topic: drafts
    stem: A draft question that no export may contain.
    choices:
      - {text: 'Yes', correct: true, feedback: 'Draft.'}
      - {text: 'No', correct: false, feedback: 'Draft.'}
    cites: [acl-16-85#i-at-risk]
    status: draft
"""


def export(fmt: str, out: Path, root: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([str(CSEC), "export", fmt, "--out", str(out), "--root", str(root)],
                          capture_output=True, text=True, timeout=300)


def export_ok(tmp_path_factory, fmt: str) -> tuple[Path, subprocess.CompletedProcess]:
    """The repository's content exported in FMT into a fresh folder, asserting the command succeeded."""
    out = tmp_path_factory.mktemp(fmt) / "out"
    result = export(fmt, out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out, result


def special_root(tmp: Path) -> Path:
    """A copy of the repository's content with the special-character questions added to the CSEC 101 bank."""
    root = tmp / "special-root"
    copy_layers(root)
    (root / "content" / "questions" / "zz-special.yaml").write_text(SPECIAL_QUESTIONS, encoding="utf-8")
    return root


def approved(corpus, module: str) -> list:
    return [q for q in corpus.questions.values() if q.module == module and q.status == "approved"]


def words(corpus, myst: str) -> str:
    """What the kit shows for a content text anywhere (csec.render.markup, the site player's and widgets' converter),
    as words: roles resolved from CORPUS, markup dropped."""
    from csec.render import markup

    markup.use(corpus)
    return html_words(markup.to_html(myst))


def choice_words(corpus, myst: str) -> str:
    """The same for a choice's text, which every view shows as one line of inline markup (a leading "%" is text,
    not a MyST comment line)."""
    from csec.render import markup

    markup.use(corpus)
    return html_words(markup.inline(myst))


def html_words(fragment: str) -> str:
    """What a browser shows for an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def close_to_moodle_grade(fraction: float) -> bool:
    return any(abs(abs(fraction) - option) < 0.00001 for option in MOODLE_FRACTIONS)
