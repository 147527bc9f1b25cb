"""The `{csec-quote}` role: the sources' own guidance quoted as written (it may name a term the terminology check
otherwise refuses, see csec.checks.terminology); rendered as plain text in a span a stylesheet can mark."""

from __future__ import annotations

from docutils import nodes
from docutils.utils import unescape


def quote_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.inline(rawtext, unescape(text), classes=["csec-quote"])], []
