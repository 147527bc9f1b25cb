"""The one loader: reads every YAML file under content/ (and the chosen county's layer over it) into a Corpus,
validated against the model, with overlays applied and every cross-reference resolved, and nothing else.

Every consumer reads the Corpus; nothing else parses content YAML. The content checks (markup, wording, rules,
policy numbers, records) are csec.checks'; `csec assess`, the widgets and `csec diff` load without them.
Problems are collected across all files and raised once, as ContentErrors whose lines read `path:line:col: message`.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from csec.core import model as m
from csec.core.corpus import STATEWIDE, Corpus, Origin
from csec.core.errors import CAUSE, NOTE, ContentError, ContentErrors, known, shown
from csec.load import changesets, counties
from csec.load.references import check_references
from csec.load.schema import MISSING, pydantic_error
from csec.load.unreadable import Unreadable, unreadable, without_cascade
from csec.load.yamlread import Document, YamlError, read_file

CONTENT_DIRS = ("policy", "questions", "scenarios")
RELEASES_FILE = "releases.yaml"  # the one content file at the top of content/: the versions of everything else


@dataclass
class Loaded:
    """What reading the content gave: the corpus (the items that could be read), the problems found, and the files
    that could not be read at all (their references are consequences, see csec.load.unreadable)."""

    corpus: Corpus
    errors: list[ContentError] = field(default_factory=list)
    unread: list[Unreadable] = field(default_factory=list)

    def settled(self, more: list[ContentError] = ()) -> list[ContentError]:
        """These problems and MORE, causes first: references into a refused item or an unread file become notes."""
        return without_cascade(without_refused([*self.errors, *more], self.corpus.refused), self.unread)


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
    return Path(__file__).resolve().parent.parent.parent



SUFFIXES = (".yaml", ".yml")


def _yaml_files(base: Path) -> Iterator[Path]:
    for sub in CONTENT_DIRS:
        folder = base / sub
        if folder.is_dir():
            # By name only: a folder, pipe or dangling link named *.yaml is reported by the reader, never skipped,
            # and so is x.YAML (in any case), which an author means as content.
            yield from sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)


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



def _leaves(file: Path, root: Path) -> bool:
    """Whether FILE (or a folder on its way) is a symbolic link to somewhere outside ROOT."""
    try:
        return not file.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop: the reader reports it
        return False


def read(root: str | Path = ".", *, county: str | None = None, edition: m.Edition | None = None) -> Loaded:
    """Read ROOT's content with the county overlay COUNTY ('none': statewide only; None: as configured, see
    csec.load.counties) and the change sets EDITION includes (default: what is published today) into a Corpus,
    collecting every problem of reading, schema, overlays and references."""
    root = Path(root).resolve()
    if not (root / "content").is_dir():
        raise ContentErrors([ContentError(str(root / "content"), 1, 1, "no content/ folder here")])
    try:
        loaded = Loaded(Corpus(root, county=counties.resolve(root, county), edition=edition or m.Edition.published()))
    except counties.CountyError as e:
        raise ContentErrors([e.error]) from None
    corpus = loaded.corpus
    for file, layer in layered_files(root, corpus.county):
        _read_into(loaded, file, layer)
    _apply_change_sets(loaded)
    loaded.errors.extend(check_references(corpus))
    return loaded


def _read_into(loaded: Loaded, file: Path, layer: str | None, change: str | None = None) -> None:
    corpus = loaded.corpus
    display = file.relative_to(corpus.root).as_posix()
    corpus.files.append(display)
    if _leaves(file, corpus.root):
        # Never opened: what a link points at outside the repository is not content anyone approved.
        error = ContentError(display, 1, 1, "this is a symbolic link to a file outside the repository; content "
                                            "files are files of the repository")
        kinds = {"scenarios"} if _is_scenario(corpus, file) else set()
        loaded.unread.append(Unreadable(dataclasses.replace(error, rank=CAUSE), kinds, ""))
        return
    try:
        if file.suffix not in SUFFIXES:
            raise YamlError(ContentError(display, 1, 1, f"a content file's name ends in .yaml or .yml, in lower "
                                                        f"case; rename it to {file.stem}{file.suffix.lower()}"))
        doc = read_file(file, display)
    except YamlError as e:
        loaded.unread.append(unreadable(file, e.error, _is_scenario(corpus, file)))
        return
    loaded.errors.extend(_collect(corpus, doc, file, layer, change))


def _apply_change_sets(loaded: Loaded) -> None:
    """Read every change set's description; apply the ones the edition includes, in date order, over the layers."""
    corpus = loaded.corpus
    for folder in changesets.folders(corpus.root):
        change, errors = changesets.read_change(folder, corpus.root)
        loaded.errors.extend(errors)
        if change is not None:
            corpus.change_sets[folder.name] = change
    for change_id in changesets.in_order(corpus.change_sets):
        if not corpus.edition.includes(change_id, corpus.change_sets[change_id]):
            continue
        corpus.applied.append(change_id)
        folder = corpus.root / changesets.CHANGES_DIR / change_id
        for file, layer in changesets.overlay_files(folder, corpus.county, _yaml_files):
            _read_into(loaded, file, layer, change_id)


def load(root: str | Path = ".", *, county: str | None = None, edition: m.Edition | None = None) -> Corpus:
    """The corpus of ROOT's content (see read()); raise ContentErrors listing every problem. No content check runs:
    a style problem in prose never stops the engine's answer (csec.checks.validate runs them)."""
    loaded = read(root, county=county, edition=edition)
    errors = loaded.settled()
    if errors:
        raise ContentErrors(errors)
    return loaded.corpus


def without_refused(errors: list[ContentError], refused: dict[tuple[str, str], list[ContentError]]
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
        label = m.KIND[kind].one
        out.append(dataclasses.replace(first, rank=NOTE, message=f"note: {n} reference{'s' if n != 1 else ''} to "
                                                                 f"{label} {item_id!r} not checked because it was "
                                                                 "refused"))
    return out



def _is_scenario(corpus: Corpus, file: Path) -> bool:
    parts = file.relative_to(corpus.root).parts
    if parts[0] == changesets.CHANGES_DIR:
        parts = parts[2:]  # changes/<id>/content/... or changes/<id>/counties/<county>/content/...
    if parts and parts[0] == counties.COUNTIES_DIR:
        parts = parts[2:]  # counties/<id>/content/scenarios/...
    return file.parent.name == "scenarios" or "scenarios" in parts[:2]


def _collect(corpus: Corpus, doc: Document, file: Path, layer: str | None = None,
             change: str | None = None) -> list[ContentError]:
    errors: list[ContentError] = []
    if _is_scenario(corpus, file):
        if not isinstance(doc.data, dict):
            return [doc.error((), "a scenario file holds one scenario: a mapping with id, title, narrative, ...")]
        if doc.data.get("id", doc.data.get(AMENDS)) != file.stem:  # an amendment may leave its id implicit
            where = ("id",) if "id" in doc.data else (AMENDS,) if AMENDS in doc.data else ()
            return [doc.error(where, f"scenario id must equal the file name {file.stem!r}")]
        errors.extend(_add(corpus, doc, "scenarios", doc.data, (), layer, change))
        return errors
    if not isinstance(doc.data, dict):
        kinds = ", ".join(k for k in m.KINDS if k != "scenarios")
        return [doc.error((), f"top level must be a mapping of kind to a list of items, e.g. 'definitions:' "
                              f"(kinds: {kinds})")]
    for kind, entries in doc.data.items():
        if kind not in m.KINDS or kind == "scenarios":
            allowed = [k for k in m.KINDS if k != "scenarios"]
            where = " (scenarios go one per file in content/scenarios/)" if kind == "scenarios" else ""
            errors.append(doc.key_error((kind,), f"unknown kind {kind!r}{where} ({known(allowed, kind, 99)})"))
            continue
        if not isinstance(entries, list):
            errors.append(doc.error((kind,), f"{kind!r} must be a list of items, each starting with '- '"))
            continue
        for i, data in enumerate(entries):
            errors.extend(_add(corpus, doc, kind, data, (kind, i), layer, change))
    return errors


def _add(corpus: Corpus, doc: Document, kind: str, data: Any, keypath: tuple,
         layer: str | None = None, change: str | None = None) -> list[ContentError]:
    model = m.KINDS[kind]
    if not isinstance(data, dict):
        got = {str: "text", list: "a list", bool: "true/false", int: "a number", float: "a number",
               type(None): "an empty item"}.get(type(data), type(data).__name__)
        return [doc.error(keypath, f"each {kind} item must be a mapping of keys such as id: and cites: (got {got})")]
    if change is not None:
        return _change(corpus, doc, kind, data, keypath, layer, change)
    overrides = MISSING
    for key in (OVERRIDES, AMENDS):
        if layer is None and key in data:
            verb = "override" if key == OVERRIDES else "amend"
            return [doc.key_error(keypath + (key,), f"only a county overlay item (in {counties.COUNTIES_DIR}/<id>/"
                                                    f"content/) can {verb} a statewide item")]
    if layer is not None and kind in STATEWIDE_ONLY and (AMENDS in data or OVERRIDES in data):
        key = AMENDS if AMENDS in data else OVERRIDES
        return [doc.key_error(keypath + (key,), f"a county cannot {'amend' if key == AMENDS else 'override'} the "
                                                f"statewide {kind[:-1]} record {shown(data[key])}: it is the "
                                                f"statewide layer's (a county may add {kind} of its own)")]
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
        return _refuse(corpus, kind, data, [pydantic_error(doc, keypath, data, model, err) for err in e.errors()])
    item_id = item.id
    previous = corpus.origins.get((kind, item_id))
    statewide = previous is not None and (kind, item_id) not in corpus.county_items
    if layer is not None and (overrides is not MISSING or statewide):
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
        if overrides is not MISSING:
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
# A layer owns its items' review: an amendment changes what a statewide item says, never whether it is approved.
REVIEW_FIELDS = ("status", "reviews")
STATEWIDE_ONLY = ("releases",)  # records of what the statewide layer published: no county amends or overrides them


def _change(corpus: Corpus, doc: Document, kind: str, data: dict, keypath: tuple, layer: str | None,
            change: str) -> list[ContentError]:
    """An item of change set CHANGE: an amendment of any item the layers below hold (some of its fields), or a new
    item. Its status and reviews are the change set's, so it may not carry its own."""
    label = m.KIND[kind].one
    for key in (*changesets.OWN_KEYS, OVERRIDES):
        if key in data:
            why = ("an item in a change set takes its status and reviews from the change set (change.yaml)"
                   if key != OVERRIDES else "a change set amends an item (the fields it changes) or adds one")
            return [doc.key_error(keypath + (key,), f"{key}: not allowed here; {why}")]
    if AMENDS in data:
        target = data[AMENDS]
        unknown = _unknown_target(doc, keypath, AMENDS, label, target, list(corpus.items[kind]), "")
        if unknown is not None:
            return [unknown]
        fields = [k for k in data if k not in (AMENDS, "id")]
        if not fields:
            return [doc.key_error(keypath + (AMENDS,), f"an amendment gives the fields of {label} {target!r} it "
                                                       "changes (none given)")]
        before = corpus.items[kind][target]
        problems = _merge(corpus, doc, kind, data, keypath, target, fields)
        if problems:
            return problems
        corpus.before_change.setdefault((kind, target), before)
        corpus.changed_by[(kind, target)] = change
        return []
    if isinstance(data.get("id"), str) and (kind, data["id"]) in corpus.origins:
        previous = corpus.origin(kind, data["id"])
        return [doc.error(keypath + ("id",), f"{label} id {data['id']!r} is already an item (at {previous.place()}); "
                                             f"a change to it says 'amends: {data['id']}' and the fields it changes")]
    item_data = {**data, "status": "approved"} if "status" in model_fields(kind) else data
    try:
        item = m.KINDS[kind].model_validate(item_data)
    except ValidationError as e:
        return _refuse(corpus, kind, data, [pydantic_error(doc, keypath, item_data, m.KINDS[kind], err)
                                            for err in e.errors()])
    corpus.items[kind][item.id] = item
    corpus.origins[(kind, item.id)] = Origin(doc, keypath)
    if layer is not None:
        corpus.county_items[(kind, item.id)] = layer
    corpus.before_change[(kind, item.id)] = None
    corpus.changed_by[(kind, item.id)] = change
    return []


def model_fields(kind: str) -> set[str]:
    return {info.alias or name for name, info in m.KINDS[kind].model_fields.items()}


def _raw(origin: Origin) -> dict:
    """The item's data as its files write it: the entry where it is defined, with each amended field's value read
    from the entry that amended it."""
    data = origin.doc.data
    for step in origin.keypath:
        data = data[step]
    data = dict(data)
    for name, (doc, keypath) in origin.amended.items():
        value = doc.data
        for step in keypath:
            value = value[step]
        data[name] = value
    return data


def _merge(corpus: Corpus, doc: Document, kind: str, data: dict, keypath: tuple, target: str,
           fields: list[str]) -> list[ContentError]:
    """Put TARGET's item with FIELDS taken from DATA (an amendment at DOC's KEYPATH) in the corpus, validated as a
    whole; each error points at the file that wrote the field."""
    base = corpus.origins[(kind, target)]
    merged = {**_raw(base), **{k: data[k] for k in fields}}
    try:
        item = m.KINDS[kind].model_validate(merged)
    except ValidationError as e:
        def located(err) -> ContentError:
            # At the entry that wrote the field: this amendment, an earlier one (a county's), or the item's own.
            first = err["loc"][0] if err["loc"] else None
            if first in fields:
                where = doc, keypath
            elif first in base.amended:
                where = base.amended[first][0], base.amended[first][1][:-1]
            else:
                where = base.doc, base.keypath
            return pydantic_error(*where, merged, m.KINDS[kind], err)
        return [located(err) for err in e.errors()]
    corpus.items[kind][target] = item
    corpus.origins[(kind, target)] = Origin(base.doc, base.keypath,
                                            {**base.amended, **{f: (doc, keypath + (f,)) for f in fields}})
    return []


def _amend(corpus: Corpus, doc: Document, kind: str, data: dict, keypath: tuple, layer: str) -> list[ContentError]:
    """A county amendment: the statewide item AMENDS names, with the fields the amendment gives in place of its own
    (a vignette's expected answers and debrief under the county's extra duties); every other field stays statewide.
    The merged item is validated as a whole, and each error points at the file that wrote the field."""
    label = m.KIND[kind].one
    target = data[AMENDS]
    if OVERRIDES in data:
        return [doc.key_error(keypath + (OVERRIDES,), f"a county {label} either overrides a statewide item (all of "
                                                      "it) or amends it (some fields), not both")]
    if isinstance(target, str) and (kind, target) in corpus.county_items:
        return [doc.error(keypath + (AMENDS,), f"the county already changed {label} {target!r} (at "
                                               f"{corpus.origin(kind, target).holder(AMENDS).place()}); give all "
                                               "its changes in one amendment")]
    statewide = [i for i in corpus.items[kind] if corpus.layer(kind, i) == STATEWIDE]
    unknown = _unknown_target(doc, keypath, AMENDS, label, target, statewide)
    if unknown is not None:
        return [unknown]
    if "id" in data and data["id"] != target:
        return [doc.error(keypath + ("id",), f"an amendment keeps the id of the {label} it amends: id: {target} "
                                             f"(not {shown(data['id'])})")]
    fields = [k for k in data if k not in (AMENDS, "id")]
    review = [k for k in fields if k in REVIEW_FIELDS]
    if review:
        return [doc.key_error(keypath + (review[0],), f"a county cannot change the {review[0]} of statewide {label} "
                                                      f"{target!r}: its review is the statewide layer's (an "
                                                      "amendment gives content fields only)")]
    if not fields:
        return [doc.key_error(keypath + (AMENDS,), f"an amendment gives the fields of {label} {target!r} it "
                                                   "replaces (none given)")]
    problems = _merge(corpus, doc, kind, data, keypath, target, fields)
    if problems:
        return problems
    corpus.county_items[(kind, target)] = layer
    corpus.amended[(kind, target)] = fields
    return []


def _override_error(corpus: Corpus, doc: Document, kind: str, item_id: str, keypath: tuple, overrides: Any,
                    previous: Origin | None) -> ContentError | None:
    """Why a county item cannot take the place it claims, or None: an override names, explicitly, a statewide item
    of its kind and keeps its id; an item without `overrides:` may not reuse a statewide id."""
    label = m.KIND[kind].one
    if overrides is MISSING:
        where = f"{previous.path}:{previous.doc.mark(previous.keypath + ('id',))[0]}"
        return doc.error(keypath + ("id",), f"{label} id {item_id!r} is already a statewide item (at {where}); a "
                                            f"county item replacing it says 'overrides: {item_id}'")
    statewide = [i for i in corpus.items[kind] if corpus.layer(kind, i) == STATEWIDE
                 or (kind, i) in corpus.overridden]
    unknown = _unknown_target(doc, keypath, OVERRIDES, label, overrides, statewide)
    if unknown is not None:
        return unknown
    if overrides != item_id:
        return doc.error(keypath + ("id",), f"an override keeps the id of the {label} it replaces: "
                                            f"id: {overrides} (not {item_id!r})")
    return None


def _unknown_target(doc: Document, keypath: tuple, key: str, label: str, target: Any,
                    candidates: list[str], layer: str = "statewide ") -> ContentError | None:
    """The error for `overrides:` or `amends:` (KEY) naming no item of its kind among CANDIDATES (the statewide
    ones, for a county), with the near matches."""
    if isinstance(target, str) and target in candidates:
        return None
    near = difflib.get_close_matches(target, candidates, n=3, cutoff=0.6) if isinstance(target, str) else []
    hint = f"near matches: {', '.join(near)}" if near else known(candidates)
    return doc.error(keypath + (key,), f"{key} unknown {layer}{label} {shown(target)} ({hint})")


