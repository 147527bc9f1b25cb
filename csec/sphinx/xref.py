"""Links between rendered content: where each item and each cited source is shown, and references to them.

Directives record a *location* (page and anchor) for every item they render under a key such as
`sections:acl-16-85-v` or `cite:acl-16-85#v`, and emit `csec_ref` placeholder nodes for links to keys. Placeholders
are resolved when a page is written, to the first location in reading order (table-of-contents order). When a
location moves, pages that link to it are written again (`env-get-updated`), so links never go stale on incremental
builds.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)


class csec_ref(nodes.inline):
    """A link to a content key, resolved at write time; its children are the link text."""


def _data(env: BuildEnvironment) -> tuple[dict, dict]:
    if not hasattr(env, "csec_locations"):
        env.csec_locations = {}  # key -> list of (docname, anchor)
        env.csec_refs = {}  # docname -> set of keys its placeholders link to
    return env.csec_locations, env.csec_refs


def item_key(kind: str, item_id: str) -> str:
    return f"{kind}:{item_id}"


def cite_key(cite: str) -> str:
    return f"cite:{cite}"


def unique_id(document: nodes.document, wanted: str) -> str:
    anchor, n = wanted, 1
    while anchor in document.ids:
        n += 1
        anchor = f"{wanted}-{n}"
    return anchor


def add_location(env: BuildEnvironment, document: nodes.document, key: str, node: nodes.Element,
                 anchor: str) -> str:
    """Give `node` the HTML id `anchor` (made unique in the page) and record it as a location of `key`."""
    locations, _ = _data(env)
    anchor = unique_id(document, anchor)
    node["ids"].append(anchor)
    document.ids[anchor] = node
    locations.setdefault(key, []).append((env.docname, anchor))
    return anchor


def note_location(env: BuildEnvironment, key: str, anchor: str) -> None:
    """Record an id the page already has (e.g. a glossary term's) as a location of `key`."""
    locations, _ = _data(env)
    locations.setdefault(key, []).append((env.docname, anchor))


def ref(env: BuildEnvironment, key: str, *children: nodes.Node, classes: list[str] | None = None) -> csec_ref:
    _, refs = _data(env)
    refs.setdefault(env.docname, set()).add(key)
    node = csec_ref("", "", *children, classes=classes or [])
    node["csec_key"] = key
    return node


# --- events -------------------------------------------------------------------------------------------------

def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    locations, refs = _data(env)
    for key in list(locations):
        kept = [loc for loc in locations[key] if loc[0] != docname]
        if kept:
            locations[key] = kept
        else:
            del locations[key]
    refs.pop(docname, None)


def on_env_merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    locations, refs = _data(env)
    other_locations, other_refs = _data(other)
    for key, locs in other_locations.items():
        for loc in locs:
            if loc[0] in docnames:
                locations.setdefault(key, []).append(loc)
    for docname in docnames:
        if docname in other_refs:
            refs[docname] = other_refs[docname]


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    locations, _ = _data(env)
    env.csec_locations_before = {key: tuple(locs) for key, locs in locations.items()}
    env.csec_read_now = set(docnames)
    env.csec_titles_before = {doc: env.titles[doc].astext() for doc in docnames if doc in env.titles}
    env.csec_terms_before = _terms(env)


def _terms(env: BuildEnvironment) -> dict:
    """Glossary terms and where they are: a renamed term must be re-resolved on every page that links to it."""
    objects = env.domaindata.get("std", {}).get("objects", {})
    return {name: where for (kind, name), where in objects.items() if kind == "term"}


def moved_keys(env: BuildEnvironment) -> set[str]:
    """Keys whose locations changed while reading this build's pages."""
    locations, _ = _data(env)
    before = getattr(env, "csec_locations_before", {})
    keys = set(before) | set(locations)
    return {k for k in keys if before.get(k) != tuple(locations.get(k, ()))}


def on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose links point at a location that moved in this build must be written again; and every page when
    a page title changed (titles come from the content, and every page's navigation shows them) or a glossary term
    was added, renamed or removed (so a link to a term that no longer exists fails the strict build)."""
    before = getattr(env, "csec_titles_before", {})
    if any(doc in env.titles and env.titles[doc].astext() != title for doc, title in before.items()):
        return sorted(env.found_docs)
    if getattr(env, "csec_terms_before", None) is not None and _terms(env) != env.csec_terms_before:
        return sorted(env.found_docs)
    _, refs = _data(env)
    moved = moved_keys(env)
    if not moved:
        return []
    read_now = getattr(env, "csec_read_now", set())
    return sorted(doc for doc, wanted in refs.items() if wanted & moved and doc not in read_now)


def _reading_order(app: Sphinx) -> dict[str, int]:
    env = app.env
    cached = getattr(app, "_csec_order", None)
    if cached is not None:
        return cached
    order: dict[str, int] = {}

    def visit(doc: str) -> None:
        if doc in order:
            return
        order[doc] = len(order)
        for child in env.toctree_includes.get(doc, []):
            visit(child)

    visit(app.config.root_doc)
    app._csec_order = order
    return order


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    locations, _ = _data(app.env)
    order = _reading_order(app)
    for node in list(doctree.findall(csec_ref)):
        key = node["csec_key"]
        locs = sorted(locations.get(key, ()), key=lambda loc: (order.get(loc[0], len(order)), loc[0]))
        # A link to the same page is preferred; otherwise the first page in the table of contents.
        here = [loc for loc in locs if loc[0] == docname]
        target = (here or locs or [None])[0]
        children = node.children
        if target is None:
            if key.startswith("cite:"):
                logger.warning("citation %r has no anchor: no page renders {csec-sources}", key[5:],
                               location=node, type="csec", subtype="ref")
            replacement = nodes.inline("", "", *children, classes=node["classes"])
        else:
            todoc, anchor = target
            replacement = make_refnode(app.builder, docname, todoc, anchor, list(children))
            replacement["classes"] = list(node["classes"])
        node.replace_self(replacement)
