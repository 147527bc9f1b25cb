"""`{csec-changes}` (the "What changed" page: the current release's changes, their redlines and the training they touch) and `{csec-module-updates} <module-id>` (a trainer's guide's "What to update in this module")."""

from __future__ import annotations

import hashlib
import json

from docutils import nodes
from sphinx.util.osutil import relative_uri

from csec.core import model as m
from csec.core.corpus import Corpus
from csec.core.redline import ops as redline_ops
from csec.core.site_view import for_site
from csec.releases.changes import module_page, title_of
from csec.releases.release_notes import (
    ReleaseNotes,
    current_release,
    history,
    module_updates,
    release_notes,
)
from csec.sphinx.corpus import corpus_of, depend_on_files, mark_content_page
from csec.sphinx.site_directive import SiteViewDirective
from csec.sphinx.status import preview
from csec.sphinx.training_views import question_anchor

CLASS_WORDS = {"editorial": "Editorial", "substantive": "Substantive"}
PRIVATE_FIELDS = ("reviews", "status")  # review metadata and comments: `csec review` and the preview show them


def trainer_guide(module_id: str) -> str:
    return f"book/modules/{module_id}-trainer-guide"


OP_CLASSES = {"delete": ("csec-redline-del", "removed: "), "insert": ("csec-redline-ins", "added: ")}
# Keyed by the corpus's id, and holding the corpus itself: an id is reused once its object is gone, so a hit counts only
# when the object is the same one.
_CACHE: dict[tuple[int, str, bool], tuple[Corpus, ReleaseNotes]] = {}
SHOWN = "csec_module_updates"  # on the environment: page -> {module id: digest of the updates the page showed}


def _notes(corpus: Corpus, release: m.Release, redlines: bool) -> ReleaseNotes:
    key = (id(corpus), release.id, redlines)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not corpus:
        hit = _CACHE[key] = (corpus, release_notes(corpus, release, redlines=redlines))
    return hit[1]


class _ReleaseDirective(SiteViewDirective):

    def notes(self, redlines: bool, release: m.Release | None = None) -> ReleaseNotes | None:
        release = release or current_release(self.corpus)
        return None if release is None else _notes(self.corpus, release, redlines)

    def class_badge(self, class_: str) -> nodes.inline:
        return nodes.inline("", CLASS_WORDS[class_], classes=["csec-change-class", f"csec-change-{class_}"])

    def page_link(self, docname: str, text: str, anchor: str = "") -> nodes.Node:
        """A link to another page of the book, or to an anchor on it (plain text on that page itself)."""
        if docname == self.env.docname:
            return nodes.inline("", text)
        builder = self.env.app.builder
        uri = relative_uri(builder.get_target_uri(self.env.docname), builder.get_target_uri(docname))
        return nodes.reference("", text, refuri=uri + (f"#{anchor}" if anchor else ""), internal=True)

    def ref_link(self, kind: str, item_id: str) -> nodes.Node:
        """A link to where an item is shown. Vignettes and questions go to their module's trainer's guide, whose
        answer keys hold them with their answers (the trainee pages deliberately hide which vignette is which)."""
        item = self.corpus.items[kind][item_id]
        text = title_of(kind, item)
        if kind == "scenarios":
            return self.page_link(trainer_guide(item.module), text)
        if kind == "questions":  # by its topic and module, never its id; the link finds it in the quiz key
            module = self.corpus.modules.get(item.module)
            label = f"{module.title if module else item.module} quiz: {item.topic or 'question'}"
            return self.page_link(trainer_guide(item.module), label, question_anchor(item_id))
        return self.item_link(kind, item_id, text)

    def link_list(self, label: str, refs: list[tuple[str, str]]) -> list[nodes.Node]:
        # A release may name a county's items; a site built without that county's layer says how many it leaves out.
        shown = [(kind, item_id) for kind, item_id in refs if item_id in self.corpus.items.get(kind, {})]
        elsewhere = len(refs) - len(shown)
        if not refs:
            return []
        para = nodes.paragraph("", "", nodes.strong("", f"{label} "), classes=["csec-change-links"])
        for i, (kind, item_id) in enumerate(shown):
            if i:
                para += nodes.Text(", ")
            para += self.ref_link(kind, item_id)
            if kind not in ("scenarios", "questions"):
                para += nodes.Text(f" ({m.KIND[kind].shown})")
        if elsewhere:
            para += nodes.Text(f"{', and ' if shown else ''}{elsewhere} item{'s' if elsewhere != 1 else ''} of a "
                               "county's own procedures, not part of this site")
        return [para]

    def release_line(self, notes: ReleaseNotes) -> nodes.paragraph:
        release = notes.release
        para = nodes.paragraph("", "", classes=["csec-release"])
        # Readers know a release by its title and date; the id is the authors' handle and stays in the YAML.
        para += nodes.strong("", "Release: ")
        para += self.inline(release.title)
        if release.effective:
            para += nodes.Text(f" — effective {release.effective.strftime('%B')} {release.effective.day}, "
                               f"{release.effective.year}")
        previous = self.corpus.items.get("releases", {}).get(release.previous) if release.previous else None
        if previous is not None:
            para += nodes.Text(f"; follows the release “{previous.title}”")
        return para


class ChangesDirective(_ReleaseDirective):
    """`{csec-changes}`: every release, newest first, each change with its class, items, redlines (the newest
    against git's copy of the release before; a folded change set's from the values its record keeps) and the
    training it touches."""

    def run(self) -> list[nodes.Node]:
        # The page depends on all of the content: what each change of every release touches is found across it.
        depend_on_files(self.env, [self.corpus.root / f for f in self.corpus.files])
        releases = history(self.corpus)
        if not releases:
            return [nodes.paragraph("", "No release is in effect yet.")]
        out: list[nodes.Node] = []
        for n, release in enumerate(releases):
            body = self.release(self.notes(redlines=n == 0, release=release))
            heading = f"{release.title} ({_date_words(release.effective)})"
            out.append(self.group(["csec-release-entry"], heading, f"release-entry-{release.id}", body))
        return out

    def release(self, notes: ReleaseNotes) -> list[nodes.Node]:
        release = notes.release
        self.use("releases", release.id)
        line = self.release_line(notes)
        self.anchor("releases", release.id, line, prefix="release")  # where the sources page's backlinks point
        out: list[nodes.Node] = [line]
        if release.note:
            out += self.block(release.note).children
        out += self.ambiguity(release)
        out += self.cites_para(release.cites)
        if notes.redline_note:
            note = nodes.admonition("", classes=["note", "csec-redline-unavailable"])
            note += nodes.title("", "Word-by-word redlines")
            note += nodes.paragraph("", f"Not shown for this release: {notes.redline_note}. The summaries below "
                                        "say what each change does; `csec diff OLD NEW` prints the redline of any "
                                        "two versions that load.")
            out.append(note)
        for n, note in enumerate(notes.changes, 1):
            body: list[nodes.Node] = []
            summary = self.para(note.change.summary)
            summary.insert(0, nodes.Text(" "))
            summary.insert(0, self.class_badge(note.change.class_))
            body.append(summary)
            body += self.link_list("Changes:", note.items)
            for entry in note.redlines:
                body += self.redline(entry)
            body += self.recorded(note.change)
            body += self.link_list("Vignettes to review:", [("scenarios", s) for s in note.scenarios])
            body += self.link_list("Questions to review:", [("questions", q) for q in note.questions])
            if note.modules:
                para = nodes.paragraph("", "", nodes.strong("", "Module pages: "))
                for i, mod in enumerate(note.modules):
                    if i:
                        para += nodes.Text(", ")
                    para += self.page_link(module_page(mod)[:-3], self.corpus.modules[mod].title)
                body.append(para)
            heading = f"Change {n}: {CLASS_WORDS[note.change.class_].lower()}"
            out.append(self.group(["csec-change"], heading, f"change-{release.id}-{n}", body))
        return out

    def recorded(self, change: m.Change) -> list[nodes.Node]:
        """The values a folded change set changed, old and new, as its record keeps them (not today's rules)."""
        out = []
        for value in change.values:
            if value.field in PRIVATE_FIELDS:
                continue
            field = {"field": value.field, "old": value.old, "new": value.new}
            if isinstance(value.old, str) and isinstance(value.new, str):
                field["ops"] = redline_ops(value.old, value.new)
            out += self.redline({"kind": value.kind, "id": value.id, "fields": [field]})
        return out

    def redline(self, entry: dict) -> list[nodes.Node]:
        """One changed item's fields, removed words struck through and added words underlined (each also labelled
        in words for screen readers); review records are for policy staff and stay off published pages."""
        out = []
        for field in entry.get("fields", []):
            if field["field"] in PRIVATE_FIELDS:
                continue
            para = nodes.paragraph("", "", classes=["csec-redline"])
            para += nodes.strong("", f"{entry['kind']}/{entry['id']} {field['field']}: ")
            if "ops" in field:
                for op in field["ops"]:
                    if op["op"] == "equal":
                        para += nodes.Text(op["text"])
                    else:
                        cls, words = OP_CLASSES[op["op"]]
                        para += nodes.inline("", "", nodes.inline("", words, classes=["visually-hidden"]),
                                             nodes.Text(op["text"]), classes=[cls])
            else:
                para += nodes.Text(f"{shown_value(field['old'])} → {shown_value(field['new'])}")
            out.append(para)
        return out


def _dump(value) -> object:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def updates_digest(corpus: Corpus, module_id: str) -> str:
    """A digest of everything `{csec-module-updates} MODULE_ID` shows from CORPUS: the current release and the one it
    follows, the substantive changes touching the module, and every item and module those name (titles, topics,
    statuses and counties all show)."""
    release = current_release(corpus)
    if module_id not in corpus.modules or release is None:
        data: object = [module_id in corpus.modules, _dump(release)]
    else:
        updates = module_updates(corpus, _notes(corpus, release, redlines=False), module_id)
        refs = sorted({ref for _, touched in updates for ref in touched})
        previous = corpus.items.get("releases", {}).get(release.previous) if release.previous else None
        data = {"release": _dump(release), "previous": _dump(previous),
                "updates": [[_dump(note.change), touched] for note, touched in updates],
                "items": [[kind, item_id, _dump(corpus.items.get(kind, {}).get(item_id))] for kind, item_id in refs],
                "modules": {mid: _dump(module) for mid, module in corpus.modules.items()}}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _shown(env) -> dict[str, dict[str, str]]:
    if not hasattr(env, SHOWN):
        setattr(env, SHOWN, {})
    return getattr(env, SHOWN)


def on_env_get_outdated(app, env, added, changed, removed) -> list[str]:
    """The trainer's guides whose module updates would show something else with the content as it is now."""
    shown = _shown(env)
    if not shown:
        return []
    corpus = for_site(corpus_of(env), preview(env))
    return sorted(doc for doc, digests in shown.items() if doc not in removed and doc not in changed
                  and any(updates_digest(corpus, module_id) != digest for module_id, digest in digests.items()))


def on_env_purge_doc(app, env, docname: str) -> None:
    _shown(env).pop(docname, None)


def on_env_merge_info(app, env, docnames, other) -> None:
    _shown(env).update({doc: d for doc, d in _shown(other).items() if doc in docnames})


def shown_value(value) -> str:
    """A recorded value as a reader reads it: a number or words, not Python's notation."""
    if value is None:
        return "(none)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _date_words(day) -> str:
    return f"effective {day.strftime('%B')} {day.day}, {day.year}"


class ModuleUpdatesDirective(_ReleaseDirective):
    """`{csec-module-updates} <module-id>`: the current release's substantive changes that touch the module."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        module_id = self.arguments[0]
        self.lookup("modules", module_id)
        # What a change touches is found across all of the content, but a trainer's guide is the costliest page to
        # read: rather than depend on every file, the page keeps a digest of what it shows here and is read again
        # when that digest, worked out from the new content, differs (on_env_get_outdated).
        _shown(self.env).setdefault(self.env.docname, {})[module_id] = updates_digest(self.corpus, module_id)
        mark_content_page(self.env)
        notes = self.notes(redlines=False)
        if notes is None:
            return [nodes.paragraph("", "No release is in effect yet.")]
        updates = module_updates(self.corpus, notes, module_id)
        out: list[nodes.Node] = [self.release_line(notes)]
        if not updates:
            out.append(nodes.paragraph("", "No substantive change in this release touches this module."))
            return out
        items = nodes.bullet_list(classes=["csec-module-updates"])
        for note, touched in updates:
            entry = nodes.list_item()
            summary = self.para(note.change.summary)
            summary.insert(0, nodes.Text(" "))
            summary.insert(0, self.class_badge(note.change.class_))
            entry += summary
            for label, kind in (("Vignettes:", "scenarios"), ("Questions:", "questions"), ("Sections:", "sections")):
                entry += self.link_list(label, [ref for ref in touched if ref[0] == kind])
            items += entry
        out.append(items)
        return out
