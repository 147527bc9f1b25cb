"""The change-set workflow of policy staff: scaffold a change set for an item (`csec change new`), record a review
(`csec change review`), and fold an approved change set in force into the base files (`csec change fold`), which
keeps in content/releases.yaml what it changed, field by field, old and new."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.core.errors import ContentErrors
from csec.core.reviews import Waiting, waiting_for
from csec.load.changesets import CHANGE_FILE, CHANGES_DIR, ID, in_order, read_change
from csec.load.loader import AMENDS, RELEASES_FILE, load
from csec.load.yamlread import read_text
from csec.releases import confirm
from csec.releases.changes import compare
from csec.releases.yamledit import append_item, entry_indent, render, set_field

DECISIONS = {"requested": "in_review", "approve": "approved", "request_changes": "in_review", "reject": "draft"}


class ChangeError(ValueError):
    """A change-set command that cannot be done: one line saying why."""


def _folder(root: Path, change_id: str) -> Path:
    if not ID.match(change_id):
        raise ChangeError(f"a change set id uses lower-case letters, digits and '-' (not {change_id!r})")
    return root / CHANGES_DIR / change_id


def _valid(data: dict) -> None:
    try:
        m.ChangeSet.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        raise ChangeError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def _write_change(folder: Path, data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    (folder / CHANGE_FILE).write_text(text, encoding="utf-8")


def _read_data(folder: Path) -> dict:
    change, errors = read_change(folder, folder.parent.parent)
    if errors:
        raise ChangeError(str(errors[0]))
    return change.model_dump(mode="json", exclude_defaults=True)


def scaffold(corpus: Corpus, change_id: str, *, title: str, summary: str, kind: str, effective: dt.date,
             amend: list[str]) -> list[Path]:
    """Create changes/CHANGE_ID/ with change.yaml (a draft) and, for each KIND/ID in AMEND, an amendment of that item
    in the file that mirrors the item's own, its current fields listed as comments to edit from."""
    folder = _folder(corpus.root, change_id)
    if folder.exists():
        raise ChangeError(f"{folder.relative_to(corpus.root)}: already exists")
    targets = []
    for ref in amend:
        item_kind, _, item_id = ref.partition("/")
        if item_kind not in m.KINDS or item_id not in corpus.items[item_kind]:
            raise ChangeError(f"--amend {ref}: no such item (write KIND/ID, e.g. rules/report_missing_to_ncmec)")
        targets.append((item_kind, item_id))
    data = {"title": title, "summary": summary, "kind": kind, "effective": effective.isoformat(), "status": "draft",
            "reviews": []}
    _valid(data)
    folder.mkdir(parents=True)
    _write_change(folder, data)
    written = [folder / CHANGE_FILE]
    for kind, item_id in targets:
        origin = corpus.origin(kind, item_id)
        target = folder / origin.path
        target.parent.mkdir(parents=True, exist_ok=True)
        item = corpus.items[kind][item_id]
        current = yaml.safe_dump(item.model_dump(mode="json", by_alias=True, exclude_defaults=True,
                                                 exclude={"id", "status", "reviews", "written_against"}),
                                 sort_keys=False, allow_unicode=True, width=100)
        hint = "".join(f"    # {line}\n" for line in current.rstrip("\n").split("\n"))
        entry = (f"  - {AMENDS}: {item_id}\n    # Give only the fields this change sets; the item's fields now:\n"
                 f"{hint}")
        if kind == "scenarios":
            entry = f"{AMENDS}: {item_id}\n" + "".join(line[2:] + "\n" for line in entry.split("\n")[1:] if line)
            target.write_text(entry, encoding="utf-8")
        else:
            existing = target.read_text(encoding="utf-8") if target.exists() else f"{kind}:\n"
            target.write_text(existing + entry, encoding="utf-8")
        written.append(target)
    return written


@dataclass
class Reviewed:
    status: str
    path: Path


def review(root: Path, change_id: str, *, reviewer: str, decision: str, comments: str | None,
           date: dt.date) -> Reviewed:
    """Add a review to the change set's history; the decision sets its status (approve: approved; a request or
    requested changes: in review; reject: back to draft)."""
    folder = _folder(root, change_id)
    if not folder.is_dir():
        raise ChangeError(f"{CHANGES_DIR}/{change_id}: no such change set")
    data = _read_data(folder)
    entry = {"reviewer": reviewer, "date": date.isoformat(), "decision": decision}
    if comments:
        entry["comments"] = comments
    data["reviews"] = [*data.get("reviews", []), entry]
    data["status"] = DECISIONS[decision]
    _valid(data)
    _write_change(folder, data)
    return Reviewed(data["status"], folder / CHANGE_FILE)


def fold(root: Path, change_id: str, *, today: dt.date, county: str | None = None) -> list[str]:
    """Write an approved change set in force into the base files, record it as a release, and remove its folder.
    Returns the files written."""
    folder = _folder(root, change_id)
    if not folder.is_dir():
        raise ChangeError(f"{CHANGES_DIR}/{change_id}: no such change set")
    change, errors = read_change(folder, root)
    if errors:
        raise ChangeError(str(errors[0]))
    if change.status != "approved":
        raise ChangeError(f"{CHANGES_DIR}/{change_id}: is {change.status.replace('_', ' ')}; only an approved change "
                          "set is folded into the base files")
    if change.effective > today:
        raise ChangeError(f"{CHANGES_DIR}/{change_id}: takes effect on {change.effective.isoformat()}; it is folded "
                          "once in force")
    try:
        before = load(root, county=county, edition=m.Edition(change.effective - dt.timedelta(days=1)))
        after = load(root, county=county, edition=m.Edition(today))
    except ContentErrors as e:
        raise ChangeError(str(e.errors[0])) from None
    if change_id not in after.applied:
        raise ChangeError(f"{CHANGES_DIR}/{change_id}: not applied on {today.isoformat()}")
    values, texts = _write_values(root, before, after, change_id)
    written = sorted(texts)
    for path, text in texts.items():
        (root / path).write_text(text, encoding="utf-8")
    shutil.rmtree(folder)
    folded = load(root, county=county, edition=m.Edition(today))
    # The training the change set touched was reviewed with it: its records now name the new versions.
    stale = [i for kind in ("scenarios", "questions") for i, item in folded.items[kind].items()
             if item.written_against and any(k.partition("/")[::2] in _changed_keys(values)
                                             for k in item.written_against)]
    if stale:
        written += sorted({path for path, _ in confirm.confirm(folded, stale)})
    written.append(_record_release(root, change_id, change, values))
    return list(dict.fromkeys(written))


def open_change_sets(root: Path, county: str | None, today: dt.date) -> list[Waiting]:
    """Each change set not yet in force (draft, in review, or approved for a later date), with whom it waits for and
    every item and vignette answer it changes against what is published today (what `csec diff` finds)."""
    published = load(root, county=county, edition=m.Edition.published(today))
    waiting = []
    for change_id in in_order(published.change_sets):
        change = published.change_sets[change_id]
        if change_id in published.applied:
            continue
        alone = load(root, county=county, edition=m.Edition(today, also=frozenset({change_id})))
        report = compare(published, alone)
        affects = [f"{i['kind']}/{i['id']}" for i in report["items"]]
        affects += [f"answer of scenarios/{a['scenario']}" for a in report["answers"]]
        waiting.append(waiting_for("change_sets", change_id, change.title, change.status, change.reviews,
                                   f"{CHANGES_DIR}/{change_id}/{CHANGE_FILE}", 1, today, affects))
    return waiting


def _changed_keys(values: list[m.ValueChange]) -> set[tuple[str, str]]:
    return {(v.kind, v.id) for v in values}


def _write_values(root: Path, before: Corpus, after: Corpus, change_id: str
                  ) -> tuple[list[m.ValueChange], dict[str, str]]:
    """The field-by-field changes of CHANGE_ID and the base files' new texts."""
    values: list[m.ValueChange] = []
    texts: dict[str, str] = {}
    for (kind, item_id), by in after.changed_by.items():
        if by != change_id:
            continue
        new = after.items[kind][item_id]
        old = before.items[kind].get(item_id)
        origin = after.origin(kind, item_id)
        new_data = new.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        if old is None:  # a new item: into the base file the change set's file mirrors
            path = Path(origin.path).relative_to(Path(CHANGES_DIR) / change_id).as_posix()
            text = texts.get(path) or ((root / path).read_text(encoding="utf-8") if (root / path).exists() else "")
            data = {k: v for k, v in new_data.items() if k not in ("status",)}
            data["status"] = "approved"
            texts[path] = append_item(text, kind, data)
            values.append(m.ValueChange(kind=kind, id=item_id, field="id", old=None, new=item_id))
            continue
        old_data = old.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        for name in sorted(set(old_data) | set(new_data)):
            if old_data.get(name) == new_data.get(name):
                continue
            # The field's home before the change: the entry that wrote it (a county's amendment, or the item's own).
            holder = before.origin(kind, item_id)
            doc, keypath = holder.amended.get(name, (holder.doc, holder.keypath + (name,)))
            path = doc.path
            text = texts.get(path) or (root / path).read_text(encoding="utf-8")
            entry = keypath[:-1]
            reread = read_text(path, text)  # positions as the text is now (an earlier field may have moved lines)
            _, indent = entry_indent(reread, entry)
            texts[path] = set_field(text, reread, entry, name, render(name, new_data.get(name), indent))
            values.append(m.ValueChange(kind=kind, id=item_id, field=name, old=old_data.get(name),
                                        new=new_data.get(name)))
    return values, texts


def _record_release(root: Path, change_id: str, change: m.ChangeSet, values: list[m.ValueChange]) -> str:
    """Add the folded change set to content/releases.yaml as a release following the newest one."""
    path = root / "content" / RELEASES_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    releases = (yaml.safe_load(text) or {}).get("releases", [])
    approved = [r for r in releases if r.get("status") == "approved"]
    items = [{"kind": k, "id": i} for k, i in dict.fromkeys((v.kind, v.id) for v in values)]
    record: dict[str, Any] = {
        "id": change_id, "title": change.title, "effective": change.effective.isoformat(),
        "note": change.summary,
        "changes": [{"class": "substantive" if change.kind == "major" else "editorial", "summary": change.title,
                     "items": items, "values": [v.model_dump(mode="json", exclude_defaults=False) for v in values]}],
        "cites": change.cites or _cites_of(root, values), "status": "approved",
        "reviews": [r.model_dump(mode="json", exclude_defaults=True) for r in change.reviews],
    }
    if approved:
        record["previous"] = str(approved[-1]["id"])
    path.write_text(append_item(text, "releases", record), encoding="utf-8")
    return path.relative_to(root).as_posix()


def _cites_of(root: Path, values: list[m.ValueChange]) -> list[str]:
    corpus = load(root)
    cites = [c for v in values if v.id in corpus.items[v.kind] for c in corpus.items[v.kind][v.id].cites]
    if not cites:
        raise ChangeError("the change set's items cite nothing; give the change set its authority in cites:")
    return list(dict.fromkeys(cites))
