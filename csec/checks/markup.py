"""Find what in a content text could run script, read a file or reach the network once published (the safe subset of
MyST that DESIGN.md's "Content markup" section promises), or names something only the book has, by tokenizing it
with the one MyST parser (csec.core.myst) that also renders it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from csec.core.errors import ContentError
from csec.core.myst import (
    IMAGE_DIRECTIVES,
    LITERAL_DIRECTIVES,
    MEDIA_DIR,
    MEDIA_TYPES,
    SAFE_DIRECTIVES,
    SAFE_ROLES,
    directive,
    media_problem,
    target_problem,
    tokens,
)
from csec.load.yamlread import not_a_file

_BOOK_ONLY = ("content text is also shown in the widgets and the LMS exports, where the book's pages and labels do "
              "not exist; link to it from a book page, or name the item with {term} or {csec-cite}")
# Why the well-known refused constructs are refused, said in the message so the author understands the rule.
_WHY = {"raw": "it passes raw HTML through", "include": "it reads a file at build time",
        "literalinclude": "it reads a file at build time", "download": "it copies a file into the site",
        "eval-rst": "it runs reStructuredText, which can hold raw HTML and file includes",
        "code-cell": "it runs code at build time", "math": "math loads MathJax from another origin",
        "ref": _BOOK_ONLY, "doc": _BOOK_ONLY, "numref": _BOOK_ONLY, "any": _BOOK_ONLY}
_LINK_SCHEMES = re.compile(r"^\s*(mailto|tel):", re.I)
_IMAGES = (f"images must be {', '.join(sorted(set(MEDIA_TYPES.values())))} files in {MEDIA_DIR}/, written from the "
           f"repository root: ![what it shows](/{MEDIA_DIR}/NAME.png)")
# What each image type's file starts with: a file named .png must be one, whatever it holds otherwise.
_MAGIC = {"PNG": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
          "JPEG": lambda head: head.startswith(b"\xff\xd8\xff"),
          "WebP": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"}


@dataclass(frozen=True)
class Unsafe:
    """One refused construct: the source text it starts with (to point at it) and the author-facing message."""

    snippet: str
    message: str


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def media_file_problem(root: Path, url: str) -> str | None:
    """Why the image URL (already a /content/media/ path of a declared type) does not name a media file of ROOT:
    missing, a link leaving the media folder, not a regular file, or not of the type its name says."""
    root = root.resolve()
    file = root / url.lstrip("/")
    if not file.exists():
        return (f"the image {url} is a symbolic link whose target does not exist" if file.is_symlink()
                else f"no image file {url}")
    real = file.resolve()
    # The folder as written, not where it points: a media folder that is itself a link leaves it too.
    if not real.is_relative_to(root / MEDIA_DIR):
        where = "the repository" if not real.is_relative_to(root) else f"{MEDIA_DIR}/"
        return f"the image {url} is a symbolic link to a file outside {where}"
    what = not_a_file(real)
    if what:
        return f"the image {url} is {what}, not a file"
    kind = MEDIA_TYPES[real.suffix.lower()]
    try:
        with open(real, "rb") as handle:
            head = handle.read(16)
    except OSError as e:
        return f"cannot read the image {url}: {e.strerror or type(e).__name__}"
    if not _MAGIC[kind](head):
        return f"the image {url} is not a {kind} file (its bytes do not start as a {kind} file's do)"
    return None


def _image_problems(url: str, root: Path | None, snippet: str) -> Iterator[Unsafe]:
    why = media_problem(url)
    if why:
        yield Unsafe(url or snippet, f"{why} is not allowed in content text ({_shown(url)}); {_IMAGES}")
    elif root is not None and (why := media_file_problem(root, url)):
        yield Unsafe(url, f"{why}; {_IMAGES}")


def _link_problems(url: str) -> Iterator[Unsafe]:
    why = target_problem(url)
    if why:
        yield Unsafe(url, f"{why} is not allowed in content text ({_shown(url)})")
    elif not _LINK_SCHEMES.match(url):
        # A relative target means a different page on each page that shows the text, and nothing in an export.
        yield Unsafe(url, f"a link to a page ({_shown(url)}) is not allowed in content text ({_BOOK_ONLY}); "
                          "links in content text are mailto: and tel: only")


def _directive_problems(token, root: Path | None) -> Iterator[Unsafe]:
    found = directive(token)
    name = found.name
    snippet = "{" + name + "}"
    if name not in SAFE_DIRECTIVES:
        why = _WHY.get(name) or f"the safe subset of MyST for content allows: {', '.join(sorted(SAFE_DIRECTIVES))}"
        yield Unsafe(snippet, f"the {{{name}}} directive is not allowed in content text ({why})")
        return
    for key, reading in (("file", "reads a file at build time"), ("url", "fetches a URL at build time")):
        if key in found.options:
            yield Unsafe(f":{key}:" if f":{key}:" in token.content else snippet,
                         f"the :{key}: option of {{{name}}} is not allowed in content text (it {reading}); "
                         "write the content into the directive")
    if name in IMAGE_DIRECTIVES:
        yield from _image_problems(found.argument, root, snippet)
    if "target" in found.options:
        yield from _link_problems(found.options["target"])
    if name not in LITERAL_DIRECTIVES:
        yield from _scan(found.body, root)


def _inline_problems(children, root: Path | None) -> Iterator[Unsafe]:
    for child in children or ():
        kind = child.type
        if kind == "html_inline":
            yield Unsafe(child.content, f"raw HTML is not allowed in content text ({_shown(child.content)}); write "
                                        "MyST instead")
        elif kind == "myst_role":
            name = child.meta.get("name", "")
            if name not in SAFE_ROLES:
                why = _WHY.get(name.split("-")[0]) or "the safe subset of MyST for content allows: " + \
                    ", ".join(sorted(SAFE_ROLES))
                yield Unsafe("{" + name + "}", f"the {{{name}}} role is not allowed in content text ({why})")
        elif kind.startswith("substitution"):
            yield Unsafe("{{", "substitution references ({{ ... }}) are not allowed in content text (the build "
                               "evaluates them as templates); write the text out")
        elif kind == "image":
            yield from _image_problems(child.attrGet("src") or "", root, "![")
        elif kind == "link_open":
            yield from _link_problems(child.attrGet("href") or "")
        for key in (child.attrs or {}):
            if str(key).lower().startswith("on"):
                yield Unsafe(str(key), f"the {key} attribute is not allowed in content text (it runs script)")
        if kind == "image":
            yield from _inline_problems(child.children, root)


def _scan(text: str, root: Path | None) -> Iterator[Unsafe]:
    for token in tokens(text):
        if token.type == "html_block":
            first = token.content.strip().split("\n")[0]
            yield Unsafe(first, f"raw HTML is not allowed in content text ({_shown(first)}); write MyST instead")
        elif directive(token):
            yield from _directive_problems(token, root)
        elif token.type == "inline":
            yield from _inline_problems(token.children, root)
        for key in (token.attrs or {}):
            if str(key).lower().startswith("on"):
                yield Unsafe(str(key), f"the {key} attribute is not allowed in content text (it runs script)")


def problems(text: str, root: Path | None = None) -> list[Unsafe]:
    """Every construct in the MyST TEXT that the safe subset refuses, in reading order; with ROOT, also every image
    that names no media file of ROOT."""
    if not any(c in text for c in "<{["):  # every refused construct needs one of these; most texts have none
        return []
    return list(_scan(text, root))


def check_texts(texts: Iterable[tuple[object, tuple, str]], root: Path | None = None) -> list[ContentError]:
    """One error per refused construct in each (document, key path, text), at the construct's own line and column
    when the YAML source spells it as written; with ROOT, images are looked up in ROOT's media folder."""
    errors: list[ContentError] = []
    for doc, keypath, text in texts:
        seen: dict[str, int] = {}
        for problem in problems(text, root):
            nth = seen.get(problem.snippet, 0)
            seen[problem.snippet] = nth + 1
            line, col = doc.locate(keypath, problem.snippet, nth)
            errors.append(ContentError(doc.path, line, col, problem.message))
    return errors
