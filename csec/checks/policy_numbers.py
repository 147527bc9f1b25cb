"""The one-home-per-number check of `csec validate`: a deadline or threshold written as a bare number, or a
policy-number role naming nothing, anywhere in content prose or on a book page (the number's home is its rule)."""

from __future__ import annotations

from pathlib import Path

from csec.core import model as m
from csec.core.corpus import prose_fields
from csec.core.errors import ContentError
from csec.core.pages import book_pages, position
from csec.engine.numbers import number_patterns, problems


def check_corpus(corpus) -> list:
    """Every bare policy number and bad role in the prose of every item except the rules (whose numbers are their
    own data and whose text uses {placeholders}) and the releases (a record of what changed says the numbers of its
    day: "24 → 12 hours" must not change meaning when the rule changes again)."""
    patterns = number_patterns(corpus)
    errors = []
    for kind, items in corpus.items.items():
        if kind in ("rules", "releases"):
            continue
        for item_id, item in items.items():
            origin = corpus.origin(kind, item_id)
            if getattr(item, "generated_from", None):
                continue  # generated questions take their numbers from the rule they are made from
            for path, text in prose_fields(item):
                # Where a bare number is deliberate or the source's own, a role must still name a rule.
                for _, message in problems(corpus, text, [] if _deliberately_wrong(item, path) else patterns,
                                           quotes_source=quotes_source(item, path)):
                    errors.append(origin.error(message, *path))
    return errors


def quotes_source(item, path: tuple) -> bool:
    """True for the text of a section that quotes its source (one with the source's own heading): its policy
    statement, body, steps and items keep the source's words and numbers, whatever the rules say now (the quote check,
    csec.checks.quotes, holds each rule to the quote it rests on)."""
    return (isinstance(item, m.Section) and item.source_title is not None and bool(path)
            and path[0] in ("policy", "body", "items", "steps") and path[-1] != "cites")


def _deliberately_wrong(item, path: tuple) -> bool:
    # A quiz's wrong choice may name a wrong number on purpose ("48 hours"); its feedback still may not. A vignette's
    # story tells time as the story goes ("she was gone four days"): that is the fiction, not a policy number.
    if isinstance(item, m.Scenario) and path == ("narrative",):
        return True
    if isinstance(item, m.Question) and len(path) == 3 and path[0] == "choices" and path[2] == "text":
        return not item.choices[path[1]].correct
    return False


def check_pages(corpus, root: Path) -> list:
    """The same check over the MyST pages in book/ (`book/x.md:line:col: ...`)."""
    patterns = number_patterns(corpus)
    return [ContentError(rel, *position(text, offset), message)
            for rel, text in book_pages(root) for offset, message in problems(corpus, text, patterns)]
