"""The one loader: reads every YAML file under content/, validates it into a Corpus and resolves every cross-reference.

Every consumer (the validator, the Sphinx extension, the rules engine, the widgets, the exports) calls `load()` and
reads the Corpus; nothing else parses content YAML. Problems are collected across all files and raised once, as
ContentErrors whose lines read `path:line:col: message`.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from . import counties
from . import model as m
from . import terminology
from .errors import CAUSE, NOTE, ContentError, ContentErrors
from .fact_ranges import scenario_errors
from .safe_markup import check_texts
from .unreadable import unreadable, without_cascade
from .review_checks import check_corpus as check_reviews
from .yamlread import Document, YamlError, read_file

CONTENT_DIRS = ("policy", "questions", "scenarios")
RELEASES_FILE = "releases.yaml"  # the one content file at the top of content/: the versions of everything else
TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<)?([^`<>]+?)>?`")


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
    preview: bool = False  # a preview build's view: consumers show unapproved items too (csec.site_view)
    county: str | None = None  # the county overlay read over the statewide baseline (csec.counties), if any
    # (kind, id) -> the county id, for items a county overlay added or overrode; every other item is statewide.
    # Kept off the items so that moving an item between layers leaves its digest (csec.fingerprint) alone.
    county_items: dict[tuple[str, str], str] = field(default_factory=dict)
    overridden: set[tuple[str, str]] = field(default_factory=set)  # the statewide items a county item replaced
    amended: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # item -> the fields a county replaced
    # Items the model refused (so left out of the corpus), with their errors: references to them are consequences.
    refused: dict[tuple[str, str], list[ContentError]] = field(default_factory=dict)

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
        return self.county_items.get((kind, item_id), counties.STATEWIDE)

    def counts(self) -> dict[str, int]:
        counts = {kind: len(items) for kind, items in self.items.items()}
        counts["investigative_questions"] = sum(len(s.questions) for s in self.question_sets.values())
        return counts

    def summary(self) -> str:
        counts = self.counts()
        order = ["sources", "definitions", "indicators", "red_flags", "rules", "scenarios", "questions",
                 "indicator_groups", "exploitation_categories", "sections", "question_sets",
                 "investigative_questions", "cwscms_codes", "facts", "modules", "releases"]
        return "ok: " + ", ".join(f"{counts[k]} {k}" for k in order)

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


def find_root(start: str | Path | None = None) -> Path:
    """$CSEC_ROOT if set, else the nearest folder at or above START (default: the working directory) that holds
    content/policy/, else the checkout this package lives in (notebooks and widgets use it to find the content)."""
    if os.environ.get("CSEC_ROOT"):
        return Path(os.environ["CSEC_ROOT"]).resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content" / "policy").is_dir():
            return folder
    # Fall back to the checkout this package lives in (an editable install), e.g. for notebooks run elsewhere.
    return Path(__file__).resolve().parent.parent


def _known(names: Any, wrong: str | None = None, limit: int = 12) -> str:
    """'did you mean ...; known: a, b, ...' for an error message: the nearest names first, then a short list."""
    names = sorted(names)
    close = difflib.get_close_matches(wrong, names, n=1, cutoff=0.6) if wrong else []
    hint = f"did you mean {close[0]!r}? " if close else ""
    if not names:
        return f"{hint}none declared"
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    return f"{hint}known: {shown}"


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in a one-line message: repr'd, and cut short when long."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


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


def _yaml_files(base: Path) -> Iterator[Path]:
    for sub in CONTENT_DIRS:
        folder = base / sub
        if folder.is_dir():
            # By name only: a folder, pipe or dangling link named *.yaml is reported by the reader, never skipped.
            yield from sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def layered_files(root: Path, county: str | None) -> Iterator[tuple[Path, str | None]]:
    """Each content file with the county whose overlay it belongs to (None: the statewide baseline), baseline first:
    an overlay item is judged against the whole baseline."""
    if (root / "content" / RELEASES_FILE).is_file():
        yield root / "content" / RELEASES_FILE, None
    yield from ((p, None) for p in _yaml_files(root / "content"))
    if county is not None:
        yield from ((p, county) for p in _yaml_files(counties.overlay_dir(root, county)))


def content_files(root: Path, county: str | None = None) -> Iterator[Path]:
    """Every content file read for COUNTY's resolved corpus (None: statewide only)."""
    return (p for p, _ in layered_files(root, county))


def load(root: str | Path = ".", *, check_rules: bool = True, county: str | None = None) -> Corpus:
    """Load and validate all content under ROOT/content, with the county overlay COUNTY ('none': statewide only;
    None: as configured, see csec.counties); raise ContentErrors listing every problem."""
    root = Path(root).resolve()
    errors: list[ContentError] = []
    unread = []
    if not (root / "content").is_dir():
        raise ContentErrors([ContentError(str(root / "content"), 1, 1, "no content/ folder here")])
    try:
        corpus = Corpus(root, county=counties.resolve(root, county))
    except counties.CountyError as e:
        raise ContentErrors([e.error]) from None
    for file, layer in layered_files(root, corpus.county):
        display = file.relative_to(root).as_posix()
        corpus.files.append(display)
        try:
            doc = read_file(file, display)
        except YamlError as e:
            unread.append(unreadable(file, e.error, _is_scenario(corpus, file)))
            continue
        errors.extend(_collect(corpus, doc, file, layer))
    errors.extend(_check_references(corpus))
    errors.extend(_publishing_errors(corpus))
    errors.extend(check_texts(_located_texts(corpus)))
    errors.extend(scenario_errors(corpus))
    errors.extend(check_reviews(corpus))
    errors = without_cascade(_without_refused(errors, corpus.refused), unread)
    if not errors:  # the messages cite the guidance, so its citations must resolve first
        errors.extend(terminology.check_corpus(corpus))
        errors.extend(terminology.check_pages(corpus, root))
    if check_rules and not errors:
        # Rule and scenario checks need a corpus whose references resolve; they live with the engine.
        from . import policy_numbers
        from .rules import check_corpus

        errors.extend(check_corpus(corpus))
        if not errors:  # the numbers come from the rules, so read prose for them once the rules are sound
            errors.extend(policy_numbers.check_corpus(corpus))
            errors.extend(policy_numbers.check_pages(corpus, root))
        if not errors:  # records about the content (releases, what training was written against) come last
            from .records import check_records

            errors.extend(check_records(corpus))
    if errors:
        raise ContentErrors(errors)
    if corpus.rules:
        _add_generated_questions(corpus)
    return corpus


def _without_refused(errors: list[ContentError], refused: dict[tuple[str, str], list[ContentError]]
                     ) -> list[ContentError]:
    """An item the model refused is not in the corpus, so references to it dangle: its own errors come first (the
    cause) and one note counts those references instead of listing each one."""
    skipped: dict[tuple[str, str], int] = {}
    kept = []
    for error in errors:
        if error.refers_to in refused:
            skipped[error.refers_to] = skipped.get(error.refers_to, 0) + 1
        else:
            kept.append(error)
    if not skipped:
        return errors
    causes = {e: item for item, own in refused.items() if item in skipped for e in own}
    out = [dataclasses.replace(e, rank=CAUSE) if e in causes else e for e in kept]
    for (kind, item_id), n in skipped.items():
        first = refused[(kind, item_id)][0]
        label = kind[:-1].replace("_", " ")
        out.append(dataclasses.replace(first, rank=NOTE, message=f"note: {n} reference{'s' if n != 1 else ''} to "
                                                                 f"{label} {item_id!r} not checked because it was "
                                                                 "refused"))
    return out


def _publishing_errors(corpus: Corpus) -> list[ContentError]:
    """What would leak unapproved content into, or break, the published site (status, glossary names, book terms)."""
    from .glossary_checks import check_glossary
    from .status_checks import check_status

    return [*check_status(corpus), *check_glossary(corpus)]


def _add_generated_questions(corpus: Corpus) -> None:
    """Threshold and deadline questions come from the rules (csec.quizgen); each points back at its rule's file."""
    from .quizgen import generated_questions

    for question in generated_questions(corpus):
        if question.module in corpus.modules:
            # A question generated from a draft rule is as unapproved as its rule.
            question = question.model_copy(update={"status": corpus.rules[question.generated_from].status})
            corpus.items["questions"][question.id] = question
            corpus.origins[("questions", question.id)] = corpus.origins[("rules", question.generated_from)]
            rule = ("rules", question.generated_from)
            if rule in corpus.county_items:  # a question generated from a county's rule is that county's
                corpus.county_items[("questions", question.id)] = corpus.county_items[rule]


# --- reading items ------------------------------------------------------------------------------------------

def _is_scenario(corpus: Corpus, file: Path) -> bool:
    parts = file.relative_to(corpus.root).parts
    if parts[0] == counties.COUNTIES_DIR:
        parts = parts[2:]  # counties/<id>/content/scenarios/...
    return file.parent.name == "scenarios" or "scenarios" in parts[:2]


def _collect(corpus: Corpus, doc: Document, file: Path, layer: str | None = None) -> list[ContentError]:
    errors: list[ContentError] = []
    if _is_scenario(corpus, file):
        if not isinstance(doc.data, dict):
            return [doc.error((), "a scenario file holds one scenario: a mapping with id, title, narrative, ...")]
        if doc.data.get("id", doc.data.get(AMENDS)) != file.stem:  # an amendment may leave its id implicit
            where = ("id",) if "id" in doc.data else (AMENDS,) if AMENDS in doc.data else ()
            return [doc.error(where, f"scenario id must equal the file name {file.stem!r}")]
        errors.extend(_add(corpus, doc, "scenarios", doc.data, (), layer))
        return errors
    if not isinstance(doc.data, dict):
        kinds = ", ".join(k for k in m.KINDS if k != "scenarios")
        return [doc.error((), f"top level must be a mapping of kind to a list of items, e.g. 'definitions:' "
                              f"(kinds: {kinds})")]
    for kind, entries in doc.data.items():
        if kind not in m.KINDS or kind == "scenarios":
            allowed = [k for k in m.KINDS if k != "scenarios"]
            where = " (scenarios go one per file in content/scenarios/)" if kind == "scenarios" else ""
            errors.append(doc.key_error((kind,), f"unknown kind {kind!r}{where} ({_known(allowed, kind, 99)})"))
            continue
        if not isinstance(entries, list):
            errors.append(doc.error((kind,), f"{kind!r} must be a list of items, each starting with '- '"))
            continue
        for i, data in enumerate(entries):
            errors.extend(_add(corpus, doc, kind, data, (kind, i), layer))
    return errors


def _add(corpus: Corpus, doc: Document, kind: str, data: Any, keypath: tuple,
         layer: str | None = None) -> list[ContentError]:
    model = m.KINDS[kind]
    if not isinstance(data, dict):
        got = {str: "text", list: "a list", bool: "true/false", int: "a number", float: "a number",
               type(None): "an empty item"}.get(type(data), type(data).__name__)
        return [doc.error(keypath, f"each {kind} item must be a mapping of keys such as id: and cites: (got {got})")]
    overrides = _MISSING
    for key in (OVERRIDES, AMENDS):
        if layer is None and key in data:
            verb = "override" if key == OVERRIDES else "amend"
            return [doc.key_error(keypath + (key,), f"only a county overlay item (in {counties.COUNTIES_DIR}/<id>/"
                                                    f"content/) can {verb} a statewide item")]
    if AMENDS in data:
        return _amend(corpus, doc, kind, data, keypath, layer)
    if layer is None and kind == "scenarios" and COUNTY_DEBRIEF in data:
        return _refuse(corpus, kind, data, [doc.key_error(
            keypath + (COUNTY_DEBRIEF,), f"{COUNTY_DEBRIEF} is what a county's procedures add: write it in the "
                                         f"county's amendment of the vignette ({counties.COUNTIES_DIR}/<id>/content/"
                                         "scenarios/)")])
    if layer is not None and OVERRIDES in data:
        # The layering key is the loader's, not the model's: an item's digest is what it says, not where it sits.
        data = dict(data)
        overrides = data.pop(OVERRIDES)
    try:
        item = model.model_validate(data)
    except ValidationError as e:
        return _refuse(corpus, kind, data, [_pydantic_error(doc, keypath, data, model, err) for err in e.errors()])
    item_id = item.id
    previous = corpus.origins.get((kind, item_id))
    statewide = previous is not None and (kind, item_id) not in corpus.county_items
    if layer is not None and (overrides is not _MISSING or statewide):
        problem = _override_error(corpus, doc, kind, item_id, keypath, overrides, previous)
        if problem is not None:
            return [problem]
    elif previous is not None:
        where = f"{previous.path}:{previous.doc.mark(previous.keypath + ('id',))[0]}"
        return [doc.error(keypath + ("id",), f"duplicate {kind} id {item_id!r} (first defined at {where})")]
    # An override takes the baseline item's place (its position in listings too); an addition goes at the end.
    corpus.items[kind][item_id] = item
    corpus.origins[(kind, item_id)] = Origin(doc, keypath)
    if layer is not None:
        corpus.county_items[(kind, item_id)] = layer
        if overrides is not _MISSING:
            corpus.overridden.add((kind, item_id))
    return []


def _refuse(corpus: Corpus, kind: str, data: dict, errors: list[ContentError]) -> list[ContentError]:
    """ERRORS, remembered as the reason the item is missing (references to it are consequences, not problems)."""
    if isinstance(data.get("id"), str):
        corpus.refused[(kind, data["id"])] = errors
    return errors


OVERRIDES = "overrides"  # a county item's key naming the statewide item it replaces
COUNTY_DEBRIEF = "county_debrief"
AMENDS = "amends"  # a county item's key naming the statewide item some of whose fields it replaces


def _amend(corpus: Corpus, doc: Document, kind: str, data: dict, keypath: tuple, layer: str) -> list[ContentError]:
    """A county amendment: the statewide item AMENDS names, with the fields the amendment gives in place of its own
    (a vignette's expected answers and debrief under the county's extra duties); every other field stays statewide.
    The merged item is validated as a whole, and each error points at the file that wrote the field."""
    label = kind[:-1].replace("_", " ")
    target = data[AMENDS]
    if OVERRIDES in data:
        return [doc.key_error(keypath + (OVERRIDES,), f"a county {label} either overrides a statewide item (all of "
                                                      "it) or amends it (some fields), not both")]
    if isinstance(target, str) and (kind, target) in corpus.county_items:
        return [doc.error(keypath + (AMENDS,), f"the county already changed {label} {target!r} (at "
                                               f"{corpus.origin(kind, target).holder(AMENDS).place()}); give all "
                                               "its changes in one amendment")]
    statewide = [i for i in corpus.items[kind] if corpus.layer(kind, i) == counties.STATEWIDE]
    unknown = _unknown_target(doc, keypath, AMENDS, label, target, statewide)
    if unknown is not None:
        return [unknown]
    if "id" in data and data["id"] != target:
        return [doc.error(keypath + ("id",), f"an amendment keeps the id of the {label} it amends: id: {target} "
                                             f"(not {_shown(data['id'])})")]
    fields = [k for k in data if k not in (AMENDS, "id")]
    if not fields:
        return [doc.key_error(keypath + (AMENDS,), f"an amendment gives the fields of {label} {target!r} it "
                                                   "replaces (none given)")]
    base = corpus.origins[(kind, target)]
    original = base.doc.data
    for step in base.keypath:
        original = original[step]
    merged = {**original, **{k: data[k] for k in fields}}
    try:
        item = m.KINDS[kind].model_validate(merged)
    except ValidationError as e:
        def located(err) -> ContentError:
            ours = bool(err["loc"]) and err["loc"][0] in fields
            return _pydantic_error(doc if ours else base.doc, keypath if ours else base.keypath, merged,
                                   m.KINDS[kind], err)
        return [located(err) for err in e.errors()]
    corpus.items[kind][target] = item
    corpus.origins[(kind, target)] = Origin(base.doc, base.keypath, {f: (doc, keypath + (f,)) for f in fields})
    corpus.county_items[(kind, target)] = layer
    corpus.amended[(kind, target)] = fields
    return []


def _override_error(corpus: Corpus, doc: Document, kind: str, item_id: str, keypath: tuple, overrides: Any,
                    previous: Origin | None) -> ContentError | None:
    """Why a county item cannot take the place it claims, or None: an override names, explicitly, a statewide item
    of its kind and keeps its id; an item without `overrides:` may not reuse a statewide id."""
    label = kind[:-1].replace("_", " ")
    if overrides is _MISSING:
        where = f"{previous.path}:{previous.doc.mark(previous.keypath + ('id',))[0]}"
        return doc.error(keypath + ("id",), f"{label} id {item_id!r} is already a statewide item (at {where}); a "
                                            f"county item replacing it says 'overrides: {item_id}'")
    statewide = [i for i in corpus.items[kind] if corpus.layer(kind, i) == counties.STATEWIDE
                 or (kind, i) in corpus.overridden]
    unknown = _unknown_target(doc, keypath, OVERRIDES, label, overrides, statewide)
    if unknown is not None:
        return unknown
    if overrides != item_id:
        return doc.error(keypath + ("id",), f"an override keeps the id of the {label} it replaces: "
                                            f"id: {overrides} (not {item_id!r})")
    return None


def _unknown_target(doc: Document, keypath: tuple, key: str, label: str, target: Any,
                    statewide: list[str]) -> ContentError | None:
    """The error for `overrides:` or `amends:` (KEY) naming no statewide item of its kind, with the near matches."""
    if isinstance(target, str) and target in statewide:
        return None
    near = difflib.get_close_matches(target, statewide, n=3, cutoff=0.6) if isinstance(target, str) else []
    hint = f"near matches: {', '.join(near)}" if near else _known(statewide)
    return doc.error(keypath + (key,), f"{key} unknown statewide {label} {_shown(target)} ({hint})")


_MISSING = object()


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
            child = _MISSING
            if isinstance(node, dict) and elem in node:
                child = node[elem]
            elif isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node):
                child = node[elem]
            if child is not _MISSING:
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


def _pydantic_error(doc: Document, keypath: tuple, data: dict, model: type[BaseModel], err: dict) -> ContentError:
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
    shown = "" if isinstance(value, (dict, list)) else f" (got {_shown(value)})"
    return doc.error(keypath + path, f"{where}: {msg}{shown}")


# --- cross-references ---------------------------------------------------------------------------------------

def _nodes(item: BaseModel) -> Iterator[tuple[tuple, Any]]:
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
    return ((path, value) for path, value in _nodes(item) if isinstance(value, str))


_prose_fields = prose_fields  # the name older callers use


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
    ("modules", "sections"): "sections",
    ("releases", "previous"): "releases",
}
# Ids the engine resolves (reported by csec.rules when unknown); an approved item depends on them all the same.
_ENGINE_FIELDS = {
    ("questions", "generated_from"): "rules",
    ("rules", "value"): "cwscms_codes",
    ("scenarios", "expected", "actions"): "rules",
    ("scenarios", "expected", "csec_data_grid"): "cwscms_codes",
}


def references(corpus: Corpus) -> Iterator[Reference]:
    """Every reference from one item to another, found by walking each item once: id fields, citations, {term}
    roles in any prose, and the rules, indicator groups and indicator facts that conditions and facts name."""
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            for path, value in _nodes(item):
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
                elif isinstance(value, m.RuleRef):
                    yield Reference(kind, item_id, path + ("rule",), "rules", value.rule, False)
                elif isinstance(value, m.CountTest) and isinstance(value.count, dict):
                    group = value.count["indicator_group"]
                    yield Reference(kind, item_id, path + ("count",), "indicator_groups", group, False)
                    # Counting a group counts each of its indicators.
                    for indicator in corpus.indicators.values():
                        if indicator.group == group:
                            yield Reference(kind, item_id, path + ("count",), "indicators", indicator.id, False)
                elif isinstance(value, (m.CountTest, m.FactTest)):
                    names = [value.fact] if isinstance(value, m.FactTest) else value.count
                    for i, name in enumerate(names):
                        if name in corpus.indicators:  # an indicator is a fact; the rule relies on the indicator
                            sub = ("fact",) if isinstance(value, m.FactTest) else ("count", i)
                            yield Reference(kind, item_id, path + sub, "indicators", name, False)
            if kind == "scenarios":
                for name in item.facts:
                    if name in corpus.indicators:
                        yield Reference(kind, item_id, ("facts", name), "indicators", name, False)


def _located_texts(corpus: Corpus) -> Iterator[tuple[Document, tuple, str]]:
    """Every string of every item with its document and full key path (the markup check reads them all)."""
    for (kind, item_id), origin in corpus.origins.items():
        for path, text in _prose_fields(corpus.items[kind][item_id]):
            yield (*origin.at(*path), text)


def dangling(kind: str, target: str, error: ContentError) -> ContentError:
    """Mark ERROR as a reference to TARGET of KIND that resolved to nothing (see csec.unreadable)."""
    return dataclasses.replace(error, refers_to=(kind, target))


def _check_references(corpus: Corpus) -> list[ContentError]:
    errors: list[ContentError] = []
    sections_of = {s.id: {sec.id for sec in s.sections} for s in corpus.sources.values()}
    terms = corpus.term_index()
    for ref in references(corpus):
        origin = corpus.origin(ref.kind, ref.item_id)
        if not ref.checked:
            continue
        if ref.target_kind == "cites":
            source_id, _, section_id = ref.target.partition("#")
            if source_id not in sections_of:
                errors.append(dangling("sources", source_id, origin.error(
                    f"unknown source {source_id!r} in citation {ref.target!r} ({_known(sections_of, source_id)})",
                    *ref.path)))
            elif section_id and section_id not in sections_of[source_id]:
                errors.append(origin.error(f"source {source_id!r} has no section {section_id!r} "
                                           f"({_known(sections_of[source_id], section_id, 99)})", *ref.path))
        elif ref.target_kind == "terms":
            if ref.target.lower() not in terms:
                errors.append(dangling("definitions", ref.target,
                                       origin.error(unknown_term_message(ref.target, terms), *ref.path)))
        elif ref.target not in corpus.items[ref.target_kind]:
            label = ref.target_kind[:-1].replace("_", " ")
            errors.append(dangling(ref.target_kind, ref.target, origin.error(
                f"unknown {label} {ref.target!r} ({_known(corpus.items[ref.target_kind], ref.target)})", *ref.path)))
    for kind, items in corpus.items.items():
        for item_id, item in items.items():
            origin = corpus.origin(kind, item_id)
            if kind == "indicators":
                fact = corpus.facts.get(item_id)
                if fact is None:
                    bools = [f.id for f in corpus.facts.values() if f.type == "bool"]
                    errors.append(dangling("facts", item_id, origin.error(
                        f"indicator id {item_id!r} is not a fact; an indicator's id must be a boolean fact declared "
                        f"under facts: ({_known(bools, item_id)})", "id")))
                elif fact.type != "bool":
                    errors.append(origin.error(f"indicator id {item_id!r} names a fact of type {fact.type}; an "
                                               "indicator's id must be a boolean (type: bool) fact", "id"))
            elif kind == "questions":
                errors.extend(_check_choices(origin, item))
    return errors


def unknown_term_message(name: str, terms: dict[str, str]) -> str:
    close = difflib.get_close_matches(name.lower(), terms, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown glossary term {name!r} ({hint}no definition has it as its term or an alias)"


def _check_choices(origin: Origin, q: m.Question) -> list[ContentError]:
    correct = sum(c.correct for c in q.choices)
    if q.kind in ("single", "true_false") and correct != 1:
        return [origin.error(f"a {q.kind} question needs exactly one correct choice (has {correct})", "choices")]
    if q.kind == "true_false" and len(q.choices) != 2:
        return [origin.error("a true_false question has exactly two choices", "choices")]
    if q.kind == "multiple" and correct < 1:
        return [origin.error("a multiple question needs at least one correct choice", "choices")]
    if q.kind == "ordering" and correct != len(q.choices):
        return [origin.error("an ordering question lists its choices in the correct order, all correct: true",
                             "choices")]
    return []
