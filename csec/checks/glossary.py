"""The glossary as the {term} role sees it: each term and alias names one definition, and every {term} written in a
book page resolves to a published (approved) definition, so no page depends on a Sphinx warning to catch it."""

from __future__ import annotations

import unicodedata
from typing import Iterator

from csec.checks.status import dependency_message, unapproved_target, where
from csec.core.corpus import TERM_ROLE, Corpus, unknown_term_message
from csec.core.errors import ContentError
from csec.core.pages import book_pages, position


def term_key(name: str) -> str:
    """How two glossary names compare: 'ＣＳＥＣ', 'csec' and 'CSEC' are one term (NFKC, then case-folded)."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def check_duplicate_terms(corpus: Corpus) -> Iterator[ContentError]:
    first: dict[str, tuple[str, tuple]] = {}
    for d in corpus.definitions.values():
        origin = corpus.origin("definitions", d.id)
        names = [(d.term, ("term",)), *((a, ("aliases", i)) for i, a in enumerate(d.aliases))]
        for name, sub in names:
            key = term_key(name)
            if key not in first:
                first[key] = (d.id, sub)
                continue
            other_id, other_sub = first[key]
            other = corpus.origin("definitions", other_id)
            yield origin.error(f"glossary name {name!r} is already a term or alias of definition {other_id!r} "
                               f"({where(other, *other_sub)}); each term and alias names one definition", *sub)


def check_book_terms(corpus: Corpus) -> Iterator[ContentError]:
    """Every {term} role in book/**/*.md names a definition, and an approved one (book pages are always published)."""
    book = corpus.root / "book"
    if not book.is_dir():
        return
    terms = corpus.term_index()
    for display, text in book_pages(corpus.root):  # regular, readable pages only: odd entries are reported apart
        for match in TERM_ROLE.finditer(text):
            name = match.group(1).strip()
            line, col = position(text, match.start())
            if name.lower() not in terms:
                yield ContentError(display, line, col, unknown_term_message(name, terms))
                continue
            found = unapproved_target(corpus, "terms", name)
            if found is not None:
                yield ContentError(display, line, col,
                                   dependency_message(corpus, f"this published page's term {name!r}", *found))


def check_glossary(corpus: Corpus) -> list[ContentError]:
    return [*check_duplicate_terms(corpus), *check_book_terms(corpus)]
