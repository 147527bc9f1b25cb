"""MyST inline text (roles, emphasis, code) rendered as escaped HTML or plain text for consumers outside Sphinx.

Exports to an LMS and any other presenter that cannot run the Sphinx extension read the same roles the site does:
`{term}`at risk <at risk of CSE>`` shows "at risk", `{csec-cite}`acl-16-85#v`` shows the citation's label, and the
policy-number roles show their rule's words. Everything is escaped before markup is added, so no content can inject
HTML; links show their label only, because a link target in the content is a page of the site, not of the LMS.
"""

from __future__ import annotations

import html
import re

from .policy_numbers import ROLE as NUMBER_ROLE, resolve

ROLE = re.compile(r"\{([a-zA-Z0-9_:+-]+)\}`([^`]*)`")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")


def role_text(corpus, name: str, target: str) -> str:
    """The words a role shows: its explicit title, a citation's label, a rule's number, else its target."""
    if NUMBER_ROLE.fullmatch(f"{{{name}}}`{target}`"):
        return resolve(corpus, name.removeprefix("csec-"), target)
    explicit = _EXPLICIT.match(target)
    if explicit and explicit.group(1):
        return explicit.group(1)
    if name == "csec-cite":
        return corpus.cite_label(target.strip())
    return target.strip("<>").strip()


def _roles(corpus, text: str) -> str:
    return ROLE.sub(lambda mt: role_text(corpus, mt.group(1), mt.group(2)), text)


def to_html(corpus, text: str) -> str:
    """TEXT as safe HTML: paragraphs at blank lines, <strong>, <em> and <code>; every other character escaped."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{_inline_html(corpus, p)}</p>" for p in paragraphs) if len(paragraphs) > 1 else (
        _inline_html(corpus, paragraphs[0]) if paragraphs else "")


def _inline_html(corpus, text: str) -> str:
    text = _LINK.sub(lambda mt: mt.group(1), _roles(corpus, text))
    codes: list[str] = []

    def keep_code(mt: re.Match) -> str:
        # Code is set aside before emphasis so `a*b*` inside backticks keeps its asterisks.
        codes.append(f"<code>{html.escape(mt.group(1))}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = html.escape(_CODE.sub(keep_code, text), quote=True)
    out = _BOLD.sub(lambda mt: f"<strong>{mt.group(1) or mt.group(2)}</strong>", out)
    out = _ITALIC.sub(lambda mt: f"<em>{mt.group(1) or mt.group(2)}</em>", out)
    return re.sub("\x00(\\d+)\x00", lambda mt: codes[int(mt.group(1))], out)


def to_text(corpus, text: str) -> str:
    """TEXT as plain words: roles resolved, emphasis and code markers dropped, whitespace collapsed."""
    text = _LINK.sub(lambda mt: mt.group(1), _roles(corpus, text))
    text = _CODE.sub(lambda mt: mt.group(1), text)
    text = _BOLD.sub(lambda mt: mt.group(1) or mt.group(2), text)
    text = _ITALIC.sub(lambda mt: mt.group(1) or mt.group(2), text)
    return " ".join(text.split())
