"""Content text (the safe subset of MyST) as HTML for the widgets, the page player's data and the exports, parsed by
the same MyST parser that `csec validate` checks it with (csec.core.myst).

Raw HTML is shown as text, links go only to this site or mail and phone, images show their description (the widgets
and exports cannot reach the site's files), directives other than boxes and code show their text, and roles show
their words: `{term}`at risk <at risk of CSE>`` shows "at risk", a policy-number role its rule's words. Nothing
runs script, styles the page or is fetched from anywhere.
"""

from __future__ import annotations

import html
import re

from markdown_it.renderer import RendererHTML

from csec.core.myst import (
    IMAGE_DIRECTIVES,
    LITERAL_DIRECTIVES,
    SAFE_DIRECTIVES,
    directive,
    inline_tokens,
    parser,
    role_parts,
    target_problem,
    tokens,
)
from csec.engine.numbers import resolve

_corpus = None  # where policy-number roles read their rules: a corpus, or a function returning one (the presenter's)


def use(corpus) -> None:
    """Render `{csec-deadline}` and the other policy-number roles from CORPUS (or CORPUS()) from now on."""
    global _corpus
    _corpus = corpus


def _current():
    return _corpus() if callable(_corpus) else _corpus


_NUMBER_ROLES = {"csec-deadline": "deadline", "csec-value": "value", "csec-words": "words"}
_STYLE_TAGS = {"strong": "strong", "emphasis": "em", "literal": "code", "code": "code", "kbd": "kbd", "sub": "sub",
               "subscript": "sub", "sup": "sup", "superscript": "sup", "guilabel": "span", "abbr": "abbr"}
# Attributes the parser sets that stay: a list's start number and a table cell's alignment. Anything an author
# writes with {attrs} is dropped (ids would clash with the page's, styles could fetch from elsewhere).
_TITLED_ROLES = {"term", "csec-cite", "ref", "doc", "numref", "any"}
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with each construct the safe subset names rendered safely."""

    @staticmethod
    def renderAttrs(token) -> str:
        kept = {key: value for key, value in token.attrItems()
                if (key == "start" and str(value).isdigit()) or (key == "style" and _ALIGN.fullmatch(str(value)))}
        return "".join(f' {key}="{html.escape(str(value))}"' for key, value in kept.items())

    def html_block(self, tokens, idx, options, env) -> str:
        return f"<p>{html.escape(tokens[idx].content.strip())}</p>\n"

    def html_inline(self, tokens, idx, options, env) -> str:
        return html.escape(tokens[idx].content)

    def softbreak(self, tokens, idx, options, env) -> str:
        return " "  # lines of one paragraph read as one

    def heading_open(self, tokens, idx, options, env) -> str:
        return f"<{_heading(tokens[idx].tag, env)}>"

    def heading_close(self, tokens, idx, options, env) -> str:
        return f"</{_heading(tokens[idx].tag, env)}>\n"

    def link_open(self, tokens, idx, options, env) -> str:
        url = tokens[idx].attrGet("href") or ""
        if target_problem(url):  # the site's rule: no link to another origin, no script URL; the label stays
            env.setdefault("dropped", []).append(True)
            return ""
        env.setdefault("dropped", []).append(False)
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">'

    def link_close(self, tokens, idx, options, env) -> str:
        return "" if env.get("dropped", [False]).pop() else "</a>"

    def image(self, tokens, idx, options, env) -> str:
        return html.escape(self.renderInlineAsText(tokens[idx].children or [], options, env))

    def myst_role(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        return _role(token.meta.get("name", ""), token.content)

    def substitution_inline(self, tokens, idx, options, env) -> str:
        return html.escape("{{" + tokens[idx].content + "}}")  # a template elsewhere; here, the text as written

    def substitution_block(self, tokens, idx, options, env) -> str:
        return f"<p>{self.substitution_inline(tokens, idx, options, env)}</p>\n"

    def myst_target(self, tokens, idx, options, env) -> str:
        return ""

    def myst_line_comment(self, tokens, idx, options, env) -> str:
        return ""

    def myst_block_break(self, tokens, idx, options, env) -> str:
        return "<hr>\n"

    def front_matter(self, tokens, idx, options, env) -> str:
        return ""

    def fence(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        found = directive(token)
        if found is None or found.name in LITERAL_DIRECTIVES:
            code = found.body if found else token.content
            return f"<pre><code>{html.escape(code)}</code></pre>\n"
        if found.name not in SAFE_DIRECTIVES:  # refused by csec validate; its text is shown, never obeyed
            written = f"{token.markup}{token.info}\n{token.content}"
            return f'<pre class="csec-escaped">{html.escape(written)}</pre>\n'
        if found.name in IMAGE_DIRECTIVES:
            return to_html(found.options.get("alt", "") + "\n\n" + found.body, env["offset"]) + "\n"
        title = (inline(found.argument) if found.argument and found.name not in ("list-table", "table", "csv-table")
                 else html.escape(found.name.replace("-", " ").capitalize()))
        return (f'<div class="csec-box csec-{html.escape(found.name)}"><p><strong>{title}</strong></p>'
                f"{to_html(found.body, env['offset'])}</div>\n")

    colon_fence = fence


def _heading(tag: str, env) -> str:
    return f"h{min(6, int(tag[1:]) + env['offset'] - 1)}"


def _role(name: str, content: str) -> str:
    if name in _NUMBER_ROLES:
        corpus = _current()
        if corpus is None:
            raise RuntimeError("csec.render.markup.use(corpus) must be called before rendering a policy-number role")
        return html.escape(resolve(corpus, _NUMBER_ROLES[name], content))
    # Only cross-reference roles have an explicit title (`text <target>`); any other role shows what it holds.
    shown, target = role_parts(content) if name in _TITLED_ROLES else (content, content)
    if name == "csec-cite" and _corpus is not None and shown.strip() == target:
        # `{csec-cite}`acl-16-85#v`` reads as the site renders it: "ACL 16-85, V. Reporting ...".
        return html.escape(_current().cite_label(target))
    if name == "csec-quote":
        return f'<span class="csec-quote">{html.escape(content)}</span>'
    if name == "abbr":
        shown = re.sub(r"\s*\([^()]*\)\s*$", "", content)
    tag = _STYLE_TAGS.get(name)
    if tag:
        return f"<{tag}>{html.escape(shown)}</{tag}>"
    return html.escape(shown)  # {term}, and roles the safe subset refuses: their words, never their effect


_RENDERER = _Renderer()
_BETWEEN_TAGS = re.compile(r">\n+<")


def inline(text: str) -> str:
    """TEXT's inline markup as HTML (no paragraph around it)."""
    if not text:
        return ""
    return _RENDERER.renderInline(inline_tokens(text), parser().options, {"offset": 3}).strip()


def to_html(text: str | None, heading_offset: int = 3) -> str:
    """A MyST block as HTML; '#' headings start at <h{heading_offset}>."""
    if not text:
        return ""
    out = _RENDERER.render(tokens(text), parser().options, {"offset": heading_offset}).strip()
    # markdown-it puts a line break after every block tag; the views put fragments inline, and escaped text never
    # holds a bare "<" or ">", so only tags are joined.
    return _BETWEEN_TAGS.sub("><", out)
