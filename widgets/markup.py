"""The safe MyST-to-HTML conversion the widgets use (it lives in csec.render.markup, shared with the page player's data)."""

from csec.render.markup import inline, to_html

__all__ = ["inline", "to_html"]
