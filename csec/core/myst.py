"""The one MyST parser for content text and the safe subset it is held to: `csec validate` checks a text with this
parser (csec.checks.markup) and the widgets, the page player's data and the exports render it with the same parser
(csec.render.markup), so what validation approves is what readers are shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

# Directives whose output is made only of the text they are given. Everything else is refused, because the list of
# directives that read files, run code or pass markup through (include, literalinclude, raw, eval-rst, code-cell,
# program-output, bibliography, ...) is open-ended and grows with every Sphinx extension installed.
ADMONITIONS = {"admonition", "attention", "caution", "danger", "error", "hint", "important", "note", "seealso", "tip",
               "warning"}
SAFE_DIRECTIVES = ADMONITIONS | {"topic", "sidebar", "epigraph", "pull-quote", "highlights", "rubric", "list-table",
                                 "table", "csv-table", "figure", "image", "code", "code-block"}
LITERAL_DIRECTIVES = {"code", "code-block"}  # their body is shown as code, never parsed
IMAGE_DIRECTIVES = {"figure", "image"}
# Roles that only style text, and the kit's own roles (each registered by csec.sphinx). Cross-references to the
# book's pages ({ref}, {doc}, {numref}) are not among them: content text is also shown by the widgets and in the LMS
# exports, where the book's pages and labels do not exist.
STYLE_ROLES = {"abbr", "sub", "sup", "subscript", "superscript", "strong", "emphasis", "literal", "code", "kbd",
               "guilabel"}
KIT_ROLES = {"term", "csec-cite", "csec-quote", "csec-deadline", "csec-value", "csec-words"}
SAFE_ROLES = STYLE_ROLES | KIT_ROLES
# The parser's extensions: the site's and more (a superset only finds more).
EXTENSIONS = {"colon_fence", "deflist", "substitution", "attrs_inline", "attrs_block", "fieldlist", "tasklist"}

# Images content may show: files of these types in this one folder of the repository, written from the repository
# root (the site's source folder), so the path means the same file on every page that shows the text. SVG is not
# among them: an SVG file can carry script.
MEDIA_DIR = "content/media"
MEDIA_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}

_NEVER_SCHEMES = ("javascript", "vbscript", "data", "file", "blob")
_LINK_SCHEMES = ("mailto", "tel")  # a link that opens a mail or phone client loads nothing from anywhere
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme ("java\tscript:")
_OPTION = re.compile(r"^\s*:([A-Za-z][\w-]*):\s*(.*)$")
_DIRECTIVE = re.compile(r"^\{([^\s{}]+)\}\s*(.*)$")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)


@lru_cache(maxsize=1)
def parser():
    """myst-parser's markdown-it parser with every URL kept as written: markdown-it would otherwise quietly drop
    `javascript:` links instead of letting the check name them and the renderer refuse them."""
    # Imported here: myst-parser is slow to import, and `csec assess` never parses markup.
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(enable_extensions=EXTENSIONS), RendererHTML)
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    md.normalizeLinkText = lambda url: url
    return md


def tokens(text: str) -> list:
    """TEXT's block tokens (inline content in each `inline` token's children)."""
    return parser().parse(text)


def inline_tokens(text: str) -> list:
    """TEXT parsed as one line of inline markup: the children of its one `inline` token."""
    found = parser().parseInline(text)
    return found[0].children or [] if found else []


@dataclass(frozen=True)
class Directive:
    """A fenced `{name} argument` block: its options (`:key: value` lines or a `---` YAML block) and its body."""

    name: str
    argument: str
    options: dict[str, str]
    body: str


def directive(token) -> Directive | None:
    """The directive a `fence` or `colon_fence` token writes, or None for a plain code fence."""
    if token.type not in ("fence", "colon_fence"):
        return None
    match = _DIRECTIVE.match(token.info.strip())
    if not match:
        return None
    lines = token.content.split("\n")
    options: dict[str, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":  # a YAML options block
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines) - 1)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        start = end + 1
    else:
        while start < len(lines) and (option := _OPTION.match(lines[start])):
            options[option.group(1)] = option.group(2)
            start += 1
    return Directive(match.group(1), match.group(2).strip(), options, "\n".join(lines[start:]))


def role_parts(content: str) -> tuple[str, str]:
    """A role's (shown text, target): `at risk <at risk of CSE>` shows "at risk" and names "at risk of CSE"; a role
    without an explicit title shows and names its whole text."""
    explicit = _EXPLICIT.match(content)
    if explicit and explicit.group(1):
        return explicit.group(1), explicit.group(2).strip()
    return content.strip("<>"), content.strip().strip("<>")


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
        if scheme.group(1) in ("http", "https", "ftp"):
            return elsewhere
        return f"{what} with the {scheme.group(1)}: scheme"
    if clean[:2] in ("//", "\\\\", "/\\", "\\/"):
        return elsewhere
    if image and (".." in re.split(r"[/\\]", clean) or clean.startswith("~")):
        return "an image outside the book ('..' in its path)"
    return None


def media_problem(url: str) -> str | None:
    """Why URL, written as an image in content text, names no file the media folder may hold (judged from the text
    alone; csec.checks.media looks at the file itself), or None."""
    why = target_problem(url, image=True)
    if why:
        return why
    path = PurePosixPath(url)
    if "\\" in url or not url.startswith(f"/{MEDIA_DIR}/") or any(part in ("..", ".") for part in path.parts) \
            or "?" in url or "#" in url:
        return f"an image outside /{MEDIA_DIR}/"
    if path.suffix.lower() not in MEDIA_TYPES:
        return f"an image of type {path.suffix or '(none)'!r}"
    return None
