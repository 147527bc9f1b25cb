"""Find what in a content text could run script, read a file or reach the network once published (the safe subset of
MyST that DESIGN.md's "Content markup" section promises), by tokenizing it with the same MyST parser the site uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from csec.core.errors import ContentError

# Directives whose output is made only of the text they are given. Everything else is refused, because the list of
# directives that read files, run code or pass markup through (include, literalinclude, raw, eval-rst, code-cell,
# program-output, bibliography, ...) is open-ended and grows with every Sphinx extension installed.
ADMONITIONS = {"admonition", "attention", "caution", "danger", "error", "hint", "important", "note", "seealso", "tip",
               "warning"}
SAFE_DIRECTIVES = ADMONITIONS | {"topic", "sidebar", "epigraph", "pull-quote", "highlights", "rubric", "list-table",
                                 "table", "csv-table", "figure", "image", "code", "code-block"}
LITERAL_DIRECTIVES = {"code", "code-block"}  # their body is shown as code, never parsed
IMAGE_DIRECTIVES = {"figure", "image"}
# Roles that only style or cross-reference text; the kit's own roles start with "csec-".
SAFE_ROLES = {"term", "abbr", "sub", "sup", "subscript", "superscript", "strong", "emphasis", "literal", "code",
              "kbd", "guilabel", "ref", "doc", "numref"}
# Why the well-known dangerous constructs are refused, said in the message so the author understands the rule.
_WHY = {"raw": "it passes raw HTML through", "include": "it reads a file at build time",
        "literalinclude": "it reads a file at build time", "download": "it copies a file into the site",
        "eval-rst": "it runs reStructuredText, which can hold raw HTML and file includes",
        "code-cell": "it runs code at build time", "math": "math loads MathJax from another origin"}
_NEVER_SCHEMES = ("javascript", "vbscript", "data", "file", "blob")
_LINK_SCHEMES = ("mailto", "tel")  # a link that opens a mail or phone client loads nothing from anywhere
_OPTION = re.compile(r"^\s*:([A-Za-z][\w-]*):\s*(.*)$")
_DIRECTIVE = re.compile(r"^\{([^\s{}]+)\}\s*(.*)$")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme ("java\tscript:")


@dataclass(frozen=True)
class Unsafe:
    """One refused construct: the source text it starts with (to point at it) and the author-facing message."""

    snippet: str
    message: str


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def target_problem(url: str, *, image: bool = False) -> str | None:
    """Why URL may not be a link (or, with image=True, an image or anything else a page loads) target in published
    content, or None when it stays on the site's own origin."""
    clean = _INVISIBLE.sub("", url).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", clean)
    if scheme and scheme.group(1) in _NEVER_SCHEMES:
        return f"a {scheme.group(1)}: URL"
    what = "an image" if image else "a link"
    elsewhere = "an image from another origin" if image else "a link to another origin"
    if scheme and not (scheme.group(1) in _LINK_SCHEMES and not image):
        return elsewhere if scheme.group(1) in ("http", "https", "ftp") else f"{what} with the {scheme.group(1)}: scheme"
    if clean[:2] in ("//", "\\\\", "/\\", "\\/"):
        return elsewhere
    if image and (".." in re.split(r"[/\\]", clean) or clean.startswith("~")):
        return "an image outside the book ('..' in its path)"
    return None


@lru_cache(maxsize=1)
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # The site's extensions and more (a superset only finds more), with every URL kept as written: markdown-it
    # would otherwise quietly drop `javascript:` links instead of letting us name them.
    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "substitution", "attrs_inline",
                                               "attrs_block", "fieldlist", "tasklist"})
    md = create_md_parser(config, RendererHTML)
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    md.normalizeLinkText = lambda url: url
    return md


def _directive_problems(name: str, argument: str, body: str) -> Iterator[Unsafe]:
    snippet = "{" + name + "}"
    if name not in SAFE_DIRECTIVES:
        why = _WHY.get(name) or f"the safe subset of MyST for content allows: {', '.join(sorted(SAFE_DIRECTIVES))}"
        yield Unsafe(snippet, f"the {{{name}}} directive is not allowed in content text ({why})")
        return
    lines = body.split("\n")
    options: dict[str, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":  # a YAML options block
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines) - 1)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        start = end + 1
    else:
        while start < len(lines) and (match := _OPTION.match(lines[start])):
            options[match.group(1)] = match.group(2)
            start += 1
    for key, reading in (("file", "reads a file at build time"), ("url", "fetches a URL at build time")):
        if key in options:
            yield Unsafe(f":{key}:" if f":{key}:" in body else snippet,
                         f"the :{key}: option of {{{name}}} is not allowed in content text (it {reading}); "
                         "write the content into the directive")
    if name in IMAGE_DIRECTIVES and (why := target_problem(argument, image=True)):
        yield Unsafe(argument or snippet, f"{why} is not allowed in content text ({_shown(argument)}); images must "
                                          "be files of this site")
    if "target" in options and (why := target_problem(options["target"])):
        yield Unsafe(options["target"], f"{why} is not allowed in content text ({_shown(options['target'])})")
    if name not in LITERAL_DIRECTIVES:
        yield from _scan("\n".join(lines[start:]))


def _inline_problems(children) -> Iterator[Unsafe]:
    for child in children or ():
        kind = child.type
        if kind == "html_inline":
            yield Unsafe(child.content, f"raw HTML is not allowed in content text ({_shown(child.content)}); write "
                                        "MyST instead")
        elif kind == "myst_role":
            name = child.meta.get("name", "")
            if name not in SAFE_ROLES and not name.startswith("csec-"):
                why = _WHY.get(name.split("-")[0]) or "the safe subset of MyST for content allows: " + \
                    ", ".join(sorted(SAFE_ROLES)) + ", csec-*"
                yield Unsafe("{" + name + "}", f"the {{{name}}} role is not allowed in content text ({why})")
        elif kind.startswith("substitution"):
            yield Unsafe("{{", "substitution references ({{ ... }}) are not allowed in content text (the build "
                               "evaluates them as templates); write the text out")
        elif kind in ("image", "link_open"):
            url = child.attrGet("src" if kind == "image" else "href") or ""
            why = target_problem(url, image=kind == "image")
            if why:
                advice = "; images must be files of this site" if kind == "image" else ""
                yield Unsafe(url, f"{why} is not allowed in content text ({_shown(url)}){advice}")
        for key in (child.attrs or {}):
            if str(key).lower().startswith("on"):
                yield Unsafe(str(key), f"the {key} attribute is not allowed in content text (it runs script)")
        if kind == "image":
            yield from _inline_problems(child.children)


def _scan(text: str) -> Iterator[Unsafe]:
    for token in _parser().parse(text):
        if token.type == "html_block":
            first = token.content.strip().split("\n")[0]
            yield Unsafe(first, f"raw HTML is not allowed in content text ({_shown(first)}); write MyST instead")
        elif token.type in ("fence", "colon_fence"):
            match = _DIRECTIVE.match(token.info.strip())
            if match:
                yield from _directive_problems(match.group(1), match.group(2).strip(), token.content)
        elif token.type == "inline":
            yield from _inline_problems(token.children)
        for key in (token.attrs or {}):
            if str(key).lower().startswith("on"):
                yield Unsafe(str(key), f"the {key} attribute is not allowed in content text (it runs script)")


def problems(text: str) -> list[Unsafe]:
    """Every construct in the MyST TEXT that the safe subset refuses, in reading order."""
    if not any(c in text for c in "<{["):  # every refused construct needs one of these; most texts have none
        return []
    return list(_scan(text))


def check_texts(texts: Iterable[tuple[object, tuple, str]]) -> list[ContentError]:
    """One error per refused construct in each (document, key path, text), at the construct's own line and column
    when the YAML source spells it as written."""
    errors: list[ContentError] = []
    for doc, keypath, text in texts:
        seen: dict[str, int] = {}
        for problem in problems(text):
            nth = seen.get(problem.snippet, 0)
            seen[problem.snippet] = nth + 1
            line, col = doc.locate(keypath, problem.snippet, nth)
            errors.append(ContentError(doc.path, line, col, problem.message))
    return errors
