"""Pydantic's validation errors as one located line an author can act on: the real key path (not pydantic's union
tags), the keys allowed where an unknown one stands, and what an id-like pattern means in words."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from csec.core import model as m
from csec.core.document import Document
from csec.core.errors import ContentError, shown

# What each id-like pattern of the model means, said the way an author needs it.
_PATTERNS = {
    r"^[a-z0-9][a-z0-9_.-]*$": "an id uses lower-case letters, digits, '-', '_' and '.', starting with a letter or "
                              "digit (no spaces or capitals)",
    r"^[a-z0-9][a-z0-9_.-]*(#[a-z0-9][a-z0-9_.()-]*)?$": "a citation is a source id, optionally followed by "
                                                         "'#' and one of its section ids, e.g. 'acl-16-85#v'",
    r"^[a-z0-9][a-z0-9_.()-]*$": "a section id uses lower-case letters, digits, '-', '_', '.' and '()'",
    r"^[a-z][a-z0-9_]*$": "a fact name uses lower-case letters, digits and '_', starting with a letter",
    r"^[A-H]$": "one capital letter from A to H",
    r"^(i|ii|iii|iv|v)$": "one of i, ii, iii, iv, v",
}



MISSING = object()


def _data_path(data: Any, loc: tuple) -> tuple:
    """Map a pydantic error location onto real keys, dropping the union tag names pydantic inserts.

    A tag can equal a real key ({fact: age, lt: x} fails at ('when', 'fact', 'lt')), so try both readings and
    keep the one that follows the most of the location, preferring the one that reaches its last element.
    """
    # Best continuation from (node, i) as (keys followed, index of the last one followed or -1, keys). Memoized on
    # the node's identity: trying both readings of every element naively is exponential in the location's length
    # (a rule nested a dozen conditions deep took seconds, twenty would never finish).
    memo: dict[tuple[int, int], tuple[int, int, tuple]] = {}

    def best(node: Any, i: int) -> tuple[int, int, tuple]:
        key = (id(node), i)
        if key in memo:
            return memo[key]
        result: tuple[int, int, tuple] = (0, -1, ())
        if i < len(loc):
            elem = loc[i]
            child = MISSING
            if isinstance(node, dict) and elem in node:
                child = node[elem]
            elif isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node):
                child = node[elem]
            if child is not MISSING:
                n, last, keys = best(child, i + 1)
                result = (n + 1, last if n else i, (elem,) + keys)
            skip = best(node, i + 1)
            if skip[:2] > result[:2]:
                result = skip
        memo[key] = result
        return result

    return best(data, 0)[2]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, str):
        annotation = getattr(m, annotation, None)
        return _models_in(annotation) if annotation is not None else []
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    if typing.get_origin(annotation) is typing.Annotated:
        found.extend(_models_in(typing.get_args(annotation)[0]))
    return list(dict.fromkeys(found))


def _allowed_keys(model: type[BaseModel], data: Any, path: tuple) -> list[str] | None:
    """The keys allowed at data[path] (a mapping) by walking the model alongside the data."""
    models = [model]
    for elem in path:
        if isinstance(elem, int):
            continue
        nxt: list[type[BaseModel]] = []
        for mod in models:
            for name, info in mod.model_fields.items():
                if elem in (name, info.alias):
                    nxt.extend(_models_in(info.annotation))
        models = nxt
        if not models:
            return None
    keys = set(data.keys()) if isinstance(data, dict) else set()
    # For a union (conditions), pick the member that shares a key with the data.
    for mod in models:
        names = {info.alias or name for name, info in mod.model_fields.items()}
        if keys & names or len(models) == 1:
            return sorted(names)
    return None


def pydantic_error(doc: Document, keypath: tuple, data: dict, model: type[BaseModel], err: dict) -> ContentError:
    loc = tuple(err.get("loc", ()))
    path = _data_path(data, loc)
    where = ".".join(str(p) for p in path) or "item"
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = path[:-1] if path and path[-1] == key else path
        node = data
        for p in parent:
            node = node[p]
        allowed = _allowed_keys(model, node, parent)
        known = f" (allowed: {', '.join(allowed)})" if allowed else ""
        close = difflib.get_close_matches(str(key), allowed or [], n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return doc.key_error(keypath + path, f"unknown key {key!r}{hint}{known}")
    if kind == "missing":
        inside = f"{where}: " if path else ""
        return doc.error(keypath + path, f"{inside}missing required key {str(loc[-1])!r}")
    msg = err.get("msg", "invalid value")
    if kind == "string_pattern_mismatch":
        msg = _PATTERNS.get(str((err.get("ctx") or {}).get("pattern")), msg)
    elif kind.startswith("date_"):
        msg = "a date is written YYYY-MM-DD, e.g. 2016-02-05"
    value = err.get("input")
    got = "" if isinstance(value, (dict, list)) else f" (got {shown(value)})"
    return doc.error(keypath + path, f"{where}: {msg}{got}")

