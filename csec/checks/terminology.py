"""The terminology check of `csec validate`: terms the sources say not to use for a youth (kind `terms_to_avoid`),
found in every prose field and book/ page except inside {csec-quote}`...` or a wrong choice marked `names_term: true`.

Text is read as a reader sees it, not as it is stored: NFKC-folded (full-width and styled letters become plain ones),
each letter that Unicode's confusables data says looks like a Latin letter or digit read as that one (a Cyrillic
'о' as 'o'), and invisible characters (zero-width spaces, soft hyphens) left out. Bidirectional controls, which
could show a stored word reversed, are refused outright by csec.checks.characters."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from confusable_homoglyphs.confusables import confusables_data

from csec.core.corpus import prose_fields
from csec.core.errors import ContentError
from csec.core.inert import BIDI_CONTROLS
from csec.core.pages import book_pages, position

KIND = "terms_to_avoid"
QUOTE_ROLE = re.compile(r"\{csec-quote\}`[^`]*`")
_QUOTES = "\"'“”‘’"


# Characters that show nothing (or only a line-break opportunity) between two letters of a word.
_INVISIBLE = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff" + BIDI_CONTROLS)


@functools.lru_cache(maxsize=1)
def _latin_look_alikes() -> dict[str, str]:
    """Each non-ASCII character the confusables data lists as looking like an ASCII letter or digit -> that letter
    (a letter preferred over a digit: Cyrillic 'О' reads as 'O', not '0')."""
    found = {}
    for char, glyphs in confusables_data.items():
        if char.isascii():
            continue
        plain = [g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()]
        if plain:
            found[char] = sorted(plain, key=lambda c: (not c.isalpha(), c))[0]
    return found


def fold(text: str) -> tuple[str, list[int]]:
    """TEXT as a reader sees it (module docstring), and for each of its characters the offset in TEXT it came from."""
    if text.isascii():  # every invisible character and look-alike is outside ASCII, and NFKC leaves ASCII as it is
        return text, list(range(len(text)))
    look_alikes = _latin_look_alikes()
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        for part in unicodedata.normalize("NFKC", char) if not char.isascii() else char:
            out.append(look_alikes.get(part, part))
            offsets.append(i)
    return "".join(out), offsets


def term_patterns(corpus) -> list[tuple[re.Pattern, object]]:
    """One case-insensitive, word-bounded pattern per term spelling; longer spellings first, so "child prostitute"
    is reported once, under its own guidance, rather than also as "prostitute"."""
    spellings = [(form, term) for term in corpus.items.get(KIND, {}).values() for form in [term.term, *term.forms]]
    spellings.sort(key=lambda pair: -len(pair[0]))
    patterns = []
    for form, term in spellings:
        # Words may be separated by spaces or quotation marks: ACL 16-85 writes 'a "willing" participant'.
        words = rf"[\s{_QUOTES}]+".join(re.escape(w) for w in fold(form)[0].split())
        patterns.append((re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE), term))
    return patterns


def problems(corpus, text: str, patterns) -> Iterator[tuple[int, str]]:
    """(offset, message) for every avoided term in `text` outside {csec-quote} roles."""
    # Blanked, not removed, so offsets still point into the original text.
    bare, offsets = fold(QUOTE_ROLE.sub(lambda mt: " " * len(mt.group(0)), text))
    taken: list[tuple[int, int]] = []
    for pattern, term in patterns:
        for mt in pattern.finditer(bare):
            if any(start < mt.end() and mt.start() < end for start, end in taken):
                continue
            taken.append(mt.span())
            where = corpus.cite_label(term.cites[0])
            yield offsets[mt.start()], f"{term.term!r} is not used for a youth ({where}): say {term.say}"


def _named_on_purpose(item, path: tuple) -> bool:
    if len(path) == 3 and path[0] == "choices" and path[2] == "text":
        return bool(getattr(item.choices[path[1]], "names_term", False))
    return False


def check_corpus(corpus) -> list[ContentError]:
    patterns = term_patterns(corpus)
    errors: list[ContentError] = []
    for kind, items in corpus.items.items():
        if kind == KIND:
            continue  # the terms' own entries name them
        for item_id, item in items.items():
            if (kind, item_id) not in corpus.origins:
                continue
            origin = corpus.origin(kind, item_id)
            for i, choice in enumerate(getattr(item, "choices", None) or []):
                if getattr(choice, "names_term", False) and choice.correct:
                    errors.append(origin.error("names_term: true marks a wrong choice that names an avoided term on "
                                               "purpose; a correct choice may not", "choices", i, "names_term"))
            if not patterns:
                continue
            for path, text in prose_fields(item):
                if "cites" in path or _named_on_purpose(item, path):
                    continue
                for _, message in problems(corpus, text, patterns):
                    errors.append(origin.error(message, *path))
    return errors


def check_pages(corpus, root: Path) -> list[ContentError]:
    patterns = term_patterns(corpus)
    if not patterns:
        return []
    return [ContentError(rel, *position(text, offset), message)
            for rel, text in book_pages(root) for offset, message in problems(corpus, text, patterns)]
