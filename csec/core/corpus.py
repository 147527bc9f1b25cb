"""The validated content in memory: the Corpus of items by kind, where each item was written (Origin), and the
references from one item to another, found by one walk over every item."""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from csec.core import model as m
from csec.core.conditions import leaf_facts, walk
from csec.core.document import Document
from csec.core.errors import ContentError

STATEWIDE = "statewide"  # the layer of every item read from content/
TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<)?([^`<>]+?)>?`")
CITE_ROLE = re.compile(r"\{csec-cite\}`(?:[^`<]*<)?([^`<>]+?)>?`")  # `{csec-cite}`acl-16-85#v`` cites like `cites:`


@dataclass
class Origin:
    """Where an item was defined, so errors and Sphinx dependencies can point back at the file."""

    doc: Document
    keypath: tuple
    # A county amendment's fields: field name -> (the county document, the field's key path there). Errors and
    # rewrites about such a field point at the county file; the item's other fields stay in the statewide one.
    amended: dict[str, tuple[Document, tuple]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.doc.path

    def at(self, *sub: Any) -> tuple[Document, tuple]:
        """The document and full key path where SUB (a key path inside the item) is written."""
        if sub and sub[0] in self.amended:
            doc, keypath = self.amended[sub[0]]
            return doc, keypath + tuple(sub[1:])
        return self.doc, self.keypath + tuple(sub)

    def holder(self, name: str) -> "Origin":
        """The item entry where field NAME is written, or would be added: a county amendment's entry when the field
        is amended or the item amended at all (the county's answers get the county's records), else this one."""
        if not self.amended:
            return self
        doc, keypath = self.amended.get(name) or next(iter(self.amended.values()))
        return Origin(doc, keypath[:-1])

    def mark(self, *sub: Any) -> tuple[int, int]:
        doc, keypath = self.at(*sub)
        return doc.mark(keypath)

    def place(self, *sub: Any) -> str:
        """'path:line:col' of the item (or of one of its keys), as a message names another place."""
        line, col = self.mark(*sub)
        return f"{self.at(*sub)[0].path}:{line}:{col}"

    def error(self, message: str, *sub: Any) -> ContentError:
        doc, keypath = self.at(*sub)
        return doc.error(keypath, message)


@dataclass
class Corpus:
    root: Path
    items: dict[str, dict[str, BaseModel]] = field(default_factory=lambda: {k: {} for k in m.KINDS})
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    preview: bool = False  # a preview build's view: consumers show unapproved items too (csec.core.site_view)
    county: str | None = None  # the county overlay read over the statewide baseline (csec.load.counties), if any
    # (kind, id) -> the county id, for items a county overlay added or overrode; every other item is statewide.
    # Kept off the items so that moving an item between layers leaves its digest (csec.core.fingerprint) alone.
    county_items: dict[tuple[str, str], str] = field(default_factory=dict)
    overridden: set[tuple[str, str]] = field(default_factory=set)  # the statewide items a county item replaced
    amended: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # item -> the fields a county replaced
    # Items the model refused (so left out of the corpus), with their errors: references to them are consequences.
    refused: dict[tuple[str, str], list[ContentError]] = field(default_factory=dict)
    # The edition read (csec.core.model.Edition): which change sets apply. None: the base content alone.
    edition: Any = None
    change_sets: dict[str, Any] = field(default_factory=dict)  # change set id -> its ChangeSet, each one read
    applied: list[str] = field(default_factory=list)  # the change sets applied, in the order they were
    # (kind, id) -> the change set that last changed the item, and what the item was before any change set did.
    changed_by: dict[tuple[str, str], str] = field(default_factory=dict)
    before_change: dict[tuple[str, str], Any] = field(default_factory=dict)  # None: the change set added the item

    # Convenience views; each is the same dict the loader filled.
    def __getattr__(self, kind: str) -> dict[str, Any]:
        items = self.__dict__.get("items", {})
        if kind in items:
            return items[kind]
        raise AttributeError(kind)

    def origin(self, kind: str, item_id: str) -> Origin:
        return self.origins[(kind, item_id)]

    def file_of(self, kind: str, item_id: str) -> Path:
        return self.root / self.origins[(kind, item_id)].path

    def layer(self, kind: str, item_id: str) -> str:
        """'statewide', or the id of the county whose overlay added or overrode the item."""
        return self.county_items.get((kind, item_id), STATEWIDE)

    def counts(self) -> dict[str, int]:
        counts = {kind: len(items) for kind, items in self.items.items()}
        counts["investigative_questions"] = sum(len(s.questions) for s in self.question_sets.values())
        return counts

    def summary(self) -> str:
        counts = self.counts()
        return "ok: " + ", ".join(f"{counts[k]} {k}" for k in m.SUMMARY)

    def term_index(self) -> dict[str, str]:
        """Lower-cased glossary term and alias -> definition id (how Sphinx's {term} role matches)."""
        index: dict[str, str] = {}
        for d in self.definitions.values():
            for name in [d.term, *d.aliases]:
                index[name.lower()] = d.id
        return index

    def cite_label(self, cite: str) -> str:
        """'acl-16-85#v' -> 'ACL 16-85, V. Reporting CSEC/Youth to Law Enforcement'."""
        source_id, _, section_id = cite.partition("#")
        source = self.sources[source_id]
        if not section_id:
            return source.short
        title = next(s.title for s in source.sections if s.id == section_id)
        return f"{source.short}, {title}"



def nodes(item: BaseModel) -> Iterator[tuple[tuple, Any]]:
    """Every value reachable from an item (models, lists, mappings and their leaves), with its key path."""
    def walk(value: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
        yield path, value
        if isinstance(value, BaseModel):
            for name, info in type(value).model_fields.items():
                yield from walk(getattr(value, name), path + (info.alias or name,))
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                yield from walk(v, path + (i,))
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, path + (k,))

    yield from walk(item, ())


def prose_fields(item: BaseModel) -> Iterator[tuple[tuple, str]]:
    """Every string reachable from an item, with its key path (to find {term} references in any prose)."""
    return ((path, value) for path, value in nodes(item) if isinstance(value, str))



@dataclass(frozen=True)
class Reference:
    """One item naming another: `target_kind` is a kind of m.KINDS, or 'cites' (a citation) or 'terms' (a
    glossary term or alias written in a {term} role), whose target is resolved by name."""

    kind: str
    item_id: str
    path: tuple
    target_kind: str
    target: str
    checked: bool = True  # False: the engine's checks report it when unknown (conditions), not this module


# Fields that hold ids of other items: (kind, field) -> the kind they name.
_ID_FIELDS = {
    ("definitions", "see_also"): "definitions",
    ("sections", "parent"): "sections",
    ("sections", "related"): "sections",
    ("sections", "terms"): "definitions",
    ("sections", "steps", "rule"): "rules",
    ("indicators", "group"): "indicator_groups",
    ("exploitation_categories", "cwscms_code"): "cwscms_codes",
    ("sources", "part_of"): "sources",
    ("scenarios", "module"): "modules",
    ("scenarios", "contrast_with"): "scenarios",
    ("scenarios", "indicators_present"): "indicators",
    ("scenarios", "red_flags_present"): "red_flags",
    ("questions", "module"): "modules",
    ("modules", "scenarios"): "scenarios",
    ("modules", "discussion", "scenarios"): "scenarios",
    ("modules", "sections"): "sections",
    ("releases", "previous"): "releases",
    ("question_sets", "questions", "settles"): "facts",
}
# Ids the engine resolves (reported by csec.engine.rules when unknown); an approved item depends on them all the same.
_ENGINE_FIELDS = {
    ("questions", "generated_from"): "rules",
    ("rules", "value"): "cwscms_codes",
    ("scenarios", "expected", "actions"): "rules",
    ("scenarios", "expected", "csec_data_grid"): "cwscms_codes",
}


def references(corpus: Corpus) -> Iterator[Reference]:
    """Every reference from one item to another, found by walking each item once: id fields, citations, {term} and
    {csec-cite} roles in any prose, and the rules, indicator groups and indicator facts that conditions and facts
    name."""
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            for path, value in nodes(item):
                field_of = tuple(p for p in path if not isinstance(p, int))
                if isinstance(value, str):
                    if path and path[0] == "cites" or (len(path) > 2 and path[-2] == "cites"):
                        yield Reference(kind, item_id, path, "cites", value)
                        continue
                    target_kind = _ID_FIELDS.get((kind, *field_of))
                    if target_kind:
                        yield Reference(kind, item_id, path, target_kind, value)
                    elif (kind, *field_of) in _ENGINE_FIELDS:
                        yield Reference(kind, item_id, path, _ENGINE_FIELDS[(kind, *field_of)], value, False)
                    else:
                        for match in TERM_ROLE.finditer(value):
                            yield Reference(kind, item_id, path, "terms", match.group(1).strip())
                        for match in CITE_ROLE.finditer(value):
                            yield Reference(kind, item_id, path, "cites", match.group(1).strip())
            if kind == "rules":
                yield from _condition_references(corpus, item)
            if kind == "scenarios":
                for name in item.facts:
                    if name in corpus.indicators:
                        yield Reference(kind, item_id, ("facts", name), "indicators", name, False)


def _condition_references(corpus: Corpus, rule: m.Rule) -> Iterator[Reference]:
    """The rules, indicator groups and indicators a rule's condition names (an indicator is a fact; the rule relies
    on the indicator, and counting a group counts each of its indicators)."""
    for path, c in walk(rule.when, ("when",)):
        if isinstance(c, m.RuleRef):
            yield Reference("rules", rule.id, path + ("rule",), "rules", c.rule, False)
        elif isinstance(c, m.CountTest) and isinstance(c.count, dict):
            yield Reference("rules", rule.id, path + ("count",), "indicator_groups", c.count["indicator_group"], False)
        for i, name in enumerate(leaf_facts(c, corpus.indicators)):
            if name in corpus.indicators:
                sub = ("fact",) if isinstance(c, m.FactTest) else ("count",) if isinstance(c.count, dict) else (
                    "count", i)
                yield Reference("rules", rule.id, path + sub, "indicators", name, False)


def located_texts(corpus: Corpus) -> Iterator[tuple[Document, tuple, str]]:
    """Every string of every item with its document and full key path (the markup check reads them all)."""
    for (kind, item_id), origin in corpus.origins.items():
        for path, text in prose_fields(corpus.items[kind][item_id]):
            yield (*origin.at(*path), text)


def dangling(kind: str, target: str, error: ContentError) -> ContentError:
    """Mark ERROR as a reference to TARGET of KIND that resolved to nothing (see csec.load.unreadable)."""
    return dataclasses.replace(error, refers_to=(kind, target))



def unknown_term_message(name: str, terms: dict[str, str]) -> str:
    close = difflib.get_close_matches(name.lower(), terms, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown glossary term {name!r} ({hint}no definition has it as its term or an alias)"

