"""The `csec` command line: validate content, assess facts, compare versions, confirm training, list the review
queue, collect acknowledgements, build the site, export quizzes for an LMS, print handouts."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from csec.core import model as m
from csec.core.errors import MAX_LINE, ContentError, ContentErrors, one_line
from csec.core.inert import printable
from csec.core.reviews import in_order, queue, queue_text
from csec.core.site_view import for_site
from csec.engine.explain import explain
from csec.engine.fact_ranges import out_of_range
from csec.engine.rules import FactsError, assess
from csec.export import FORMATS
from csec.export import main as export_main
from csec.load.book_files import unusable_pages
from csec.load.counties import ENV as COUNTY_ENV
from csec.load.loader import load
from csec.load.yamlread import MAX_BYTES, YamlError, read_bytes, read_file
from csec.releases.acknowledge import roster, roster_csv, write_roster
from csec.releases.confirm import ConfirmError, confirm
from csec.releases.diff import run, run_baseline
from csec.releases.propose import (
    DECISIONS,
    ChangeError,
    fold,
    open_change_sets,
    review,
    scaffold,
)
from csec.releases.versions import LoadError, load_version
from csec.site.build import build
from csec.site.handouts import main as handouts
from csec.training.corpus import checked


class _Inert:
    """A text stream that shows control characters as escapes: every command's output passes through one, so a
    reviewer's name or a file name holding ESC sequences cannot retitle, rewrite or reorder the terminal."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text, lines=True))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _report(e: ContentErrors) -> int:
    for error in e.errors:
        print(error)
    print(f"{e.problems} problem{'s' if e.problems != 1 else ''} found", file=sys.stderr)
    return 1


def _load_or_report(root: str):
    """The validated corpus (pages checked too), or None after printing one line per problem and their count."""
    pages = unusable_pages(Path(root))
    try:
        corpus = checked(Path(root))
    except ContentErrors as e:
        _report(ContentErrors(e.errors + pages))
        return None
    if pages:
        _report(ContentErrors(pages))
        return None
    return corpus


def _validate(args: argparse.Namespace) -> int:
    corpus = _load_or_report(args.root)
    if corpus is None:
        return 1
    print(corpus.summary())
    return 0


def _assess(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        # Bytes, at most one more than the limit: binary, non-UTF-8 or huge input is one line, never a traceback.
        doc = read_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), name) if args.file == "-" else \
            read_file(Path(args.file), name, pipes=True)
    except YamlError as e:
        print(e.error, file=sys.stderr)
        return 2
    except OSError as e:
        print(one_line(name, f"cannot read: {e.strerror or type(e).__name__}"), file=sys.stderr)
        return 2
    data = doc.data
    if not isinstance(data, dict) or "facts" not in data or set(data) - {"facts"}:
        print(one_line(name, "expected a mapping with one key 'facts:' holding the facts", "1:1:"), file=sys.stderr)
        return 2
    edition = m.Edition.of_build(True) if args.preview else m.Edition.published(args.as_of)
    try:
        # What the publish build serves on that day (approved rules of the chosen layers and the change sets in
        # force), or with --preview every rule and every proposed change set.
        corpus = for_site(load(Path(args.root), edition=edition), preview=args.preview)
    except ContentErrors as e:
        for error in e.errors:
            print(error, file=sys.stderr)
        return 1
    for fact, message in out_of_range(corpus, data["facts"] or {}):
        print(ContentError(name, *doc.mark(("facts", fact)), message), file=sys.stderr)
        return 2
    try:
        result = assess(corpus, data["facts"] or {})
    except FactsError as e:
        # Allowed longer than other lines: it lists the whole fact vocabulary, which is what the author needs.
        line, col = doc.key_mark(("facts", e.fact) if e.fact is not None else ("facts",))
        print(one_line(name, str(e), f"{line}:{col}:", limit=3 * MAX_LINE), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(f"Rules: {_as_of_words(edition)}")
        print(explain(corpus, result))
    return 0


def _as_of_words(edition: m.Edition) -> str:
    if edition.preview:
        return "a preview (draft and in-review rules included, not yet published)"
    if edition.dated:
        return f"as published on {edition.as_of.isoformat()} (approved rules only, with the change sets in force that day)"
    return "as published (approved rules only)"


def _review(args: argparse.Namespace) -> int:
    corpus = _load_or_report(args.root)
    if corpus is None:
        return 1
    entries = in_order(queue(corpus, dt.date.today()) + open_change_sets(Path(args.root), None, dt.date.today()))
    print(json.dumps([w.as_dict() for w in entries], indent=2) if args.json else queue_text(entries))
    return 0


def _acknowledgements(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"{folder}: not a folder of acknowledgement records", file=sys.stderr)
        return 2
    rows, refused = roster(folder, args.release)
    for line in refused:
        print(line, file=sys.stderr)
    text = roster_csv(rows)
    if args.out:
        try:
            write_roster(Path(args.out), text)
        except ValueError as e:
            print(one_line(args.out, str(e)), file=sys.stderr)
            return 2
        print(f"{args.out}: {len(rows)} acknowledgement{'s' if len(rows) != 1 else ''}")
    else:
        sys.stdout.write(text)
    return 1 if refused else 0


def _build(args: argparse.Namespace) -> int:
    pages = unusable_pages(Path(args.root).resolve())
    if pages:  # before Sphinx, which would wait forever on a named pipe
        return _report(ContentErrors(pages))
    return build(Path(args.root), preview=args.preview)


def _export(args: argparse.Namespace) -> int:
    return export_main(args.format, Path(args.root), Path(args.out))


def _confirm(args: argparse.Namespace) -> int:
    if bool(args.ids) == args.all:
        print("csec confirm: name the scenarios or questions to confirm, or give --all", file=sys.stderr)
        return 2
    try:
        corpus = load_version(args.root, folder_only=True)
        changed = confirm(corpus, args.ids)
    except (LoadError, ConfirmError) as e:
        print(e, file=sys.stderr)
        return 2
    for path, item_id in changed:
        print(f"{path}: confirmed {item_id}")
    print(f"{len(changed)} written_against block{'s' if len(changed) != 1 else ''} updated")
    return 0


def _diff(args: argparse.Namespace) -> int:
    if args.baseline:
        if args.new is not None:
            print("csec diff --baseline: give at most one folder (the repository root), not two versions",
                  file=sys.stderr)
            return 2
        return run_baseline(args.old or ".", args.county, as_json=args.json)
    if args.old is None or args.new is None:
        print("csec diff: give two versions (folders or git revisions), or --baseline", file=sys.stderr)
        return 2
    return run(args.old, args.new, as_json=args.json)


def _handouts(args: argparse.Namespace) -> int:
    corpus = _load_or_report(args.root)
    if corpus is None:
        return 1
    return handouts(Path(args.root), Path(args.out), corpus)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _change(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    try:
        if args.action == "new":
            corpus = load(root)
            for path in scaffold(corpus, args.id, title=args.title, summary=args.summary, kind=args.kind,
                                 effective=args.effective, amend=args.amend):
                print(path.relative_to(root).as_posix())
        elif args.action == "review":
            done = review(root, args.id, reviewer=args.reviewer, decision=args.decision, comments=args.comments,
                          date=args.date or dt.date.today())
            print(f"{done.path.relative_to(root).as_posix()}: {done.status.replace('_', ' ')}")
        else:
            for path in fold(root, args.id, today=args.date or dt.date.today()):
                print(path)
    except ContentErrors as e:
        return _report(e)
    except ChangeError as e:
        print(one_line("csec change", str(e)), file=sys.stderr)
        return 1
    return 0


def _change_parser(sub) -> None:
    p = sub.add_parser("change", help="propose, review and fold a change set (changes/<id>/)")
    actions = p.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="scaffold a draft change set, with an amendment of each --amend item")
    new.add_argument("id", help="the change set's id: its folder under changes/")
    new.add_argument("--title", required=True)
    new.add_argument("--summary", required=True, help="what changes and why, in a sentence or two")
    new.add_argument("--kind", choices=("major", "minor"), required=True,
                     help="major: staff must acknowledge it again; minor: they need not")
    new.add_argument("--effective", type=_date, required=True, help="the day it is published (YYYY-MM-DD)")
    new.add_argument("--amend", action="append", default=[], metavar="KIND/ID",
                     help="an item the change amends, e.g. rules/report_missing_to_ncmec (repeatable)")
    rev = actions.add_parser("review", help="record a review; approve makes the change set approved")
    rev.add_argument("id")
    rev.add_argument("--reviewer", required=True)
    rev.add_argument("--decision", choices=tuple(DECISIONS), required=True)
    rev.add_argument("--comments")
    rev.add_argument("--date", type=_date, help="the review's date (default: today)")
    fld = actions.add_parser("fold", help="write an approved change set in force into the base files, as a release")
    fld.add_argument("id")
    fld.add_argument("--date", type=_date, help="the day to fold on (default: today)")
    for q in (new, rev, fld):
        q.add_argument("--root", default=".", help="repository root (default: .)")
    p.set_defaults(func=_change)


def _county_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--county", metavar="ID|none",
                   help="county overlay to read over the statewide content, or none (default: $CSEC_COUNTY, else "
                        "csec.yaml's county:)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csec", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every content file; one line per problem")
    p.add_argument("root", nargs="?", default=".", help="repository root (default: .)")
    p.set_defaults(func=_validate)
    p = sub.add_parser("assess", help="apply the rules to a facts file (YAML or JSON; - for stdin)")
    p.add_argument("file", help="file holding `facts:`; - reads standard input")
    p.add_argument("--json", action="store_true", help="print the machine-readable result")
    p.add_argument("--root", default=".", help="repository root whose content/ holds the rules (default: .)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                      help="answer under the rules in force that day (default: today's published rules)")
    when.add_argument("--preview", action="store_true", help="answer with draft and in-review rules and every proposed change set too (default: the published, approved rules)")
    p.set_defaults(func=_assess)
    p = sub.add_parser("review", help="list the draft and in-review items, grouped by whom they wait for")
    p.add_argument("root", nargs="?", default=".", help="repository root (default: .)")
    p.add_argument("--json", action="store_true", help="print the queue as JSON")
    p.set_defaults(func=_review)
    p = sub.add_parser("acknowledgements", help="turn a folder of read-and-understood records into a roster CSV")
    p.add_argument("dir", help="folder of the JSON records readers downloaded from the site")
    p.add_argument("--release", help="only records for this release id")
    p.add_argument("--out", help="write the roster CSV here (default: standard output)")
    p.set_defaults(func=_acknowledgements)
    p = sub.add_parser("build", help="validate, then build the site strictly and atomically into _build/html "
                                         "(--preview: _build/preview)")
    p.add_argument("root", nargs="?", default=".", help="repository root (default: .)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--publish", dest="preview", action="store_false", help="approved content only (default)")
    mode.add_argument("--preview", dest="preview", action="store_true",
                      help="include draft and in-review content and every change set, redlined, into _build/preview")
    p.set_defaults(func=_build, preview=False)
    p = sub.add_parser("export", help="write the approved quiz questions for an LMS, one file per module")
    p.add_argument("format", choices=list(FORMATS),
                   help=", ".join(f"{f.name}: {f.describe}" for f in FORMATS.values()))
    p.add_argument("--out", required=True, help="folder to write (replaced atomically)")
    p.add_argument("--root", default=".", help="repository root whose content/ holds the questions (default: .)")
    p.set_defaults(func=_export)
    p = sub.add_parser("diff", help="what changed between two versions (folders or git revisions); exit 1 if any")
    p.add_argument("old", nargs="?", help="a folder holding content/, or a git revision of the current repository "
                                          "(with --baseline: the repository root, default .)")
    p.add_argument("new", nargs="?", help="a folder holding content/, or a git revision of the current repository")
    p.add_argument("--baseline", action="store_true",
                   help="where the county differs from the statewide baseline: its added items and its overrides")
    p.add_argument("--json", action="store_true", help="print the changes as structured JSON")
    p.set_defaults(func=_diff)
    p = sub.add_parser("confirm", help="record that vignettes/questions were reviewed against the current rules")
    p.add_argument("ids", nargs="*", help="scenario or question ids")
    p.add_argument("--all", action="store_true", help="every hand-written scenario and question")
    p.add_argument("--root", default=".", help="repository root (default: .)")
    p.set_defaults(func=_confirm)
    p = sub.add_parser("handouts", help="print the published site's handouts to PDF (Chromium), one file each")
    p.add_argument("--out", required=True, help="folder to write (replaced atomically)")
    p.add_argument("--root", default=".", help="repository root to build and print (default: .)")
    p.set_defaults(func=_handouts)
    _change_parser(sub)
    for p in sub.choices.values():
        if p.prog.split()[-1] != "acknowledgements":  # every command that reads content
            _county_option(p)
    args = parser.parse_args(argv)
    if getattr(args, "county", None):
        # Through the environment, so the Sphinx child and the notebook kernels a build starts read the same corpus.
        os.environ[COUNTY_ENV] = args.county
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Inert(sys.stdout), _Inert(sys.stderr)
    try:
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a reader that left (`| head -2`) is noticed here, not at exit
        return code
    except m.BuildDateError as e:  # a malformed $SOURCE_DATE_EPOCH: the command cannot know its day
        print(f"csec: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader closed the pipe: end quietly, as a command killed by SIGPIPE would, and point standard output
        # at /dev/null so the interpreter's last flush has nowhere to fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, streams[0].fileno())
        os.close(devnull)
        return 141
    finally:
        sys.stdout, sys.stderr = streams


if __name__ == "__main__":
    sys.exit(main())
