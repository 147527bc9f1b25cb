"""The corpus training reads: the content with the questions the rules generate added to the question banks, either
checked (the site, the exports, `csec validate`) or only loaded (the widgets, a version compared by `csec diff`)."""

from __future__ import annotations

from pathlib import Path

from csec.checks import validate
from csec.core.corpus import Corpus
from csec.core.model import Edition
from csec.load.loader import load
from csec.training.quizgen import add_generated_questions


def checked(root: str | Path = ".", *, county: str | None = None, edition: Edition | None = None) -> Corpus:
    """ROOT's content in EDITION (default: published today) once every check passes, with the generated questions;
    raise ContentErrors otherwise."""
    corpus = validate(root, county=county, edition=edition)
    add_generated_questions(corpus)
    return corpus


def loaded(root: str | Path = ".", *, county: str | None = None, edition: Edition | None = None) -> Corpus:
    """ROOT's content in EDITION read and resolved (no content check runs), with the generated questions."""
    corpus = load(root, county=county, edition=edition)
    add_generated_questions(corpus)
    return corpus
