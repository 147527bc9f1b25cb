"""A minimal, safe MyST/Markdown to HTML conversion of content text, for the widgets and the page player's data.

Everything is HTML-escaped first, then a small subset of Markdown is turned into tags: paragraphs, headings, bullet
and numbered lists, block quotes, **bold**, *italic*, `code`, [links](...) (to this site or mailto: only)
and MyST roles (`{term}`text <target>`` shows "text"). Directive fences (```{note} or :::{note}) become a titled
box. No scripts, no styles, nothing fetched from anywhere.
"""

from __future__ import annotations

import html
import re

from csec.checks.markup import target_problem
from csec.engine.numbers import ROLE as POLICY_ROLE
from csec.engine.numbers import resolve

_corpus = None  # where policy-number roles read their rules: a corpus, or a function returning one (the presenter's)


def use(corpus) -> None:
    """Render `{csec-deadline}` and the other policy-number roles from CORPUS (or CORPUS()) from now on."""
    global _corpus
    _corpus = corpus

_ROLE = re.compile(r"\{[a-zA-Z0-9_:+-]+\}`([^`]*)`")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_FENCE = re.compile(r"^(```+|:::+)\s*\{([a-zA-Z0-9_-]+)\}\s*(.*)$")


def _role_text(match: re.Match) -> str:
    # `{term}`at risk <at risk of CSE>`` shows "at risk"; `{term}`CSEC`` shows "CSEC"; a policy-number role shows
    # the rule's words (`{csec-deadline}`notify_otip`` shows "within 24 hours").
    number = POLICY_ROLE.fullmatch(match.group(0))
    if number:
        if _corpus is None:
            raise RuntimeError("csec.markup.use(corpus) must be called before rendering a policy-number role")
        corpus = _corpus() if callable(_corpus) else _corpus
        return resolve(corpus, number.group(1), number.group(2))
    inner = match.group(1)
    explicit = re.match(r"^(.*?)\s*<[^<>]+>$", inner, re.S)
    if explicit and explicit.group(1):
        return explicit.group(1)
    if match.group(0).startswith("{csec-cite}") and _corpus is not None:
        # `{csec-cite}`acl-16-85#v`` reads as the site renders it: "ACL 16-85, V. Reporting ...".
        return (_corpus() if callable(_corpus) else _corpus).cite_label(inner.strip())
    return inner.strip("<>")


def inline(text: str) -> str:
    """Escape TEXT and convert its inline markup."""
    text = _ROLE.sub(_role_text, text)
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(f"<code>{html.escape(match.group(1))}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    out = html.escape(text, quote=True)

    def link(match: re.Match) -> str:
        label, url = match.group(1), html.unescape(match.group(2))
        if target_problem(url):  # the site's rule: no link to another origin, no script URL
            return label
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{label}</a>'

    out = _LINK.sub(link, out)
    out = _BOLD.sub(lambda mt: f"<strong>{mt.group(1) or mt.group(2)}</strong>", out)
    out = _ITALIC.sub(lambda mt: f"<em>{mt.group(1) or mt.group(2)}</em>", out)
    return re.sub("\x00(\\d+)\x00", lambda mt: codes[int(mt.group(1))], out)


def to_html(text: str | None, heading_offset: int = 3) -> str:
    """Convert a MyST/Markdown block to HTML; '#' headings start at <h{heading_offset}>."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if para:
            out.append(f"<p>{inline(' '.join(s.strip() for s in para))}</p>")
            para.clear()
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = ""
        if quote:
            out.append(f"<blockquote>{to_html(chr(10).join(quote), heading_offset)}</blockquote>")
            quote.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line.strip())
        if fence:
            flush()
            marker, name, title = fence.groups()
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                if not lines[i].strip().startswith(":") or body:  # skip directive options (:class: ...)
                    body.append(lines[i])
                i += 1
            heading = inline(title) if title else html.escape(name.replace("-", " ").capitalize())
            out.append(f'<div class="csec-box csec-{html.escape(name)}"><p><strong>{heading}</strong></p>'
                       f"{to_html(chr(10).join(body), heading_offset)}</div>")
            i += 1
            continue
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_offset - 1)
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif stripped.startswith(">"):
            if para or items:
                flush()
            quote.append(stripped[1:].lstrip())
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if para or quote or (items and list_tag != tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))
        elif items and line[:1] in (" ", "\t"):
            items[-1] += " " + stripped  # a list item continued on the next line
        else:
            if items or quote:
                flush()
            para.append(stripped)
        i += 1
    flush()
    return "\n".join(out)
