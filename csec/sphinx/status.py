"""Publish or preview: which items a build may show, the status badge of a previewed item, and the notice that
stands in for items withheld from the published site.

`csec build` (publish) shows approved items only; `csec build --preview` sets the `csec_preview` config value and
shows draft and in-review items too, each marked with a visible badge.
"""

from __future__ import annotations

from docutils import nodes

from csec.core.site_view import STATUS_WORDS, status_of


def preview(env) -> bool:
    return bool(env.config.csec_preview)


def shown(env, item) -> bool:
    return preview(env) or status_of(item) == "approved"


def badge(item) -> list[nodes.Node]:
    """A visible badge for a draft or in-review item (previews only ever call this for those); none if approved."""
    status = status_of(item)
    if status == "approved":
        return []
    return [nodes.inline("", f"status: {STATUS_WORDS[status]}", classes=["csec-status", f"csec-status-{status}"])]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def withheld_notice(count: int, one: str, many: str, reviewers: list[str] | None = None) -> nodes.admonition:
    """The admonition shown on the published site where `count` items are not yet approved."""
    what = _plural(count, one, many)
    verb = "is" if count == 1 else "are"
    state = f"awaiting review by {', '.join(dict.fromkeys(reviewers))}" if reviewers else "not yet approved"
    text = f"{what} {verb} {state} and {verb} not published; see the preview build ("
    admonition = nodes.admonition("", classes=["csec-withheld", "note"])
    admonition += nodes.title("", "Not yet published")
    admonition += nodes.paragraph("", "", nodes.Text(text), nodes.literal("", "csec build --preview"),
                                  nodes.Text(")."))
    return admonition
