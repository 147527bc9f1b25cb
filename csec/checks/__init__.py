"""Every content check of `csec validate`, in one visible order, run by validate(), `csec build` and the exports
(never by `csec assess`, the widgets or `csec diff`, which only load).

Each stage runs once the stages before it are clean, because its messages lean on what they establish: the wording
check cites the guidance (its citations must resolve), the rule checks need references that resolve, the number
check reads the numbers off sound rules, and the records are about content that is itself sound.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from csec.checks import (
    characters,
    glossary,
    markup,
    policy_numbers,
    quotes,
    records,
    reviews,
    rules,
    status,
    terminology,
)
from csec.core.corpus import Corpus, located_texts
from csec.core.errors import ContentError, ContentErrors
from csec.core.model import Edition
from csec.engine.fact_ranges import scenario_errors
from csec.load.changesets import CHANGES_DIR
from csec.load.loader import read

Check = Callable[[Corpus], list[ContentError]]

# Stage 1 reads a corpus even where the loader found problems, so one run reports them side by side.
ALONGSIDE_LOADING: tuple[Check, ...] = (
    characters.check_corpus,  # what no export can carry, and what makes text read other than it looks
    lambda corpus: characters.check_pages(corpus.root),
    status.check_status,  # what would leak unapproved content into the published site
    glossary.check_glossary,  # each term and alias names one definition
    lambda corpus: markup.check_texts(located_texts(corpus), corpus.root),  # the safe subset of MyST, media files
    scenario_errors,  # whole-number facts in their declared range
    reviews.check_corpus,  # an approved item's last review approved it
)
# Then each stage in turn, once everything before it is clean.
STAGES: tuple[tuple[Check, ...], ...] = (
    (terminology.check_corpus, lambda corpus: terminology.check_pages(corpus, corpus.root)),
    (rules.check_corpus,),
    (quotes.check_quotes,),  # each rule's number is its quote's, or the departure says on what authority
    (policy_numbers.check_corpus, lambda corpus: policy_numbers.check_pages(corpus, corpus.root)),
    (records.check_records,),
)


def problems(root: str | Path = ".", *, county: str | None = None,
             edition: Edition | None = None) -> tuple[Corpus, list[ContentError]]:
    """The corpus of ROOT's content and every problem the loader and the checks find, causes first."""
    loaded = read(root, county=county, edition=edition)
    corpus = loaded.corpus
    errors = loaded.settled([error for check in ALONGSIDE_LOADING for error in check(corpus)])
    for stage in STAGES:
        if errors:
            break
        errors = [error for check in stage for error in check(corpus)]
    return corpus, errors


def validate(root: str | Path = ".", *, county: str | None = None, edition: Edition | None = None) -> Corpus:
    """The corpus of ROOT's content in EDITION (default: what is published today) once every check passes; raise
    ContentErrors listing every problem. A change set the edition leaves out is checked too, in the preview that
    shows it, so a proposed change is sound before it is reviewed."""
    corpus, errors = problems(root, county=county, edition=edition)
    if not errors and any(cid not in corpus.applied for cid in corpus.change_sets):
        _, more = problems(root, county=county, edition=Edition(corpus.edition.as_of, preview=True))
        errors = [e for e in more if e.path.startswith(CHANGES_DIR + "/")] or more
    if errors:
        raise ContentErrors(errors)
    return corpus
