"""The build's second line of defence behind `csec validate`: content text is parsed with raw HTML and file insertion
switched off, and whatever still arrives as raw HTML, an off-origin image or link or a script URL becomes inert text,
so text that slipped past validation in one place cannot become live markup on the site."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from docutils import nodes

from csec.core.myst import media_problem, target_problem


@contextmanager
def no_raw_no_files(document: nodes.document) -> Iterator[None]:
    """Parse with docutils' own switches off: the raw directive and role, include, csv-table :file:/:url: and
    literalinclude then refuse to work (a warning, which fails the strict build) instead of reading anything."""
    settings = document.settings
    saved = (getattr(settings, "raw_enabled", True), getattr(settings, "file_insertion_enabled", True))
    settings.raw_enabled = settings.file_insertion_enabled = False
    try:
        yield
    finally:
        settings.raw_enabled, settings.file_insertion_enabled = saved


def escaped(text: str) -> str:
    """TEXT with MyST substitutions escaped: `{{ ... }}` is a Jinja expression the parser would evaluate."""
    return text.replace("{{", "\\{\\{")


def defuse(node: nodes.Node) -> nodes.Node:
    """Make everything under NODE inert: raw HTML becomes visible text, images from outside the media folder (or of
    another type) their alt text and unsafe links their label."""
    for raw in list(node.findall(nodes.raw)):
        raw.replace_self(nodes.literal(raw.astext(), raw.astext(), classes=["csec-escaped"]))
    for image in list(node.findall(nodes.image)):
        if media_problem(image.get("uri", "")):
            image.replace_self(nodes.Text(image.get("alt", "")))
    for ref in list(node.findall(nodes.reference)):
        if ref.get("refuri") and target_problem(ref["refuri"]):
            ref.replace_self(nodes.inline("", "", *ref.children))
    return node
