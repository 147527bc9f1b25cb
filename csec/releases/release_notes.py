"""The current release in plain data: its changes, the items and training each touches, and each changed item's redline against the previous release when git still holds it.

The site's "What changed" page and the trainer's guides' "What to update in this module" lists render this; the data
is the same whichever presenter shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.engine.dependencies import Ref, dependents, modules_touching
from csec.releases.changes import compare
from csec.releases.versions import LoadError, load_revision


@dataclass
class ChangeNote:
    change: m.Change
    items: list[Ref]
    scenarios: list[str]  # vignettes that rely on a changed item
    questions: list[str]
    modules: list[str]
    redlines: list[dict] = field(default_factory=list)  # csec.releases.changes item entries for the changed items


@dataclass
class ReleaseNotes:
    release: m.Release
    changes: list[ChangeNote]
    redline_note: str | None = None  # why no redline could be computed, when none could


def history(corpus: Corpus) -> list[m.Release]:
    """Every approved release with a date, newest first (drafts and undated releases are not published)."""
    dated = [r for r in corpus.releases.values() if r.status == "approved" and r.effective is not None]
    return sorted(dated, key=lambda r: (r.effective, r.id), reverse=True)


def current_release(corpus: Corpus) -> m.Release | None:
    """The approved release in effect latest."""
    return next(iter(history(corpus)), None)


def _baseline_report(corpus: Corpus, release: m.Release, repo: Path) -> tuple[dict | None, str | None]:
    if release.baseline is None:
        return None, "this release names no baseline revision to compare with"
    if not (repo / ".git").exists():
        return None, f"this copy of the manual has no git history holding the previous release ({release.baseline})"
    try:
        old = load_revision(release.baseline, repo)
    except LoadError as e:
        first = str(e).splitlines()[0]
        return None, (f"the previous release's content ({release.baseline}) does not load under the current content "
                      f"model; first problem: {first}")
    return compare(old, corpus), None


def release_notes(corpus: Corpus, release: m.Release, *, redlines: bool = True) -> ReleaseNotes:
    """RELEASE's changes with what each touches; with REDLINES, each changed item compared with the baseline revision
    of the repository the corpus was loaded from."""
    report, why = _baseline_report(corpus, release, corpus.root) if redlines else (None, None)
    entries = {(i["kind"], i["id"]): i for i in (report or {}).get("items", [])}
    notes = []
    for change in release.changes:
        items = [(ref.kind, ref.id) for ref in change.items]
        deps = dependents(corpus, set(items))
        notes.append(ChangeNote(change, items, deps["scenarios"], deps["questions"],
                                modules_touching(corpus, items, deps["scenarios"], deps["questions"]),
                                [entries[ref] for ref in items if ref in entries]))
    return ReleaseNotes(release, notes, why)


def module_updates(corpus: Corpus, notes: ReleaseNotes, module_id: str) -> list[tuple[ChangeNote, list[Ref]]]:
    """The substantive changes touching MODULE_ID, each with the module's vignettes, questions and sections it
    touches."""
    module = corpus.modules[module_id]
    out = []
    for note in notes.changes:
        if note.change.class_ != "substantive":
            continue
        touched = [("scenarios", s) for s in note.scenarios if s in module.scenarios]
        touched += [("questions", q) for q in note.questions if corpus.questions[q].module == module_id]
        touched += [ref for ref in note.items if ref[0] == "sections" and ref[1] in module.sections]
        touched += [ref for ref in note.items if ref in {("scenarios", s) for s in module.scenarios}
                    and ref not in touched]
        if touched:
            out.append((note, touched))
    return out
