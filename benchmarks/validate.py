"""Time the content loader on the real corpus and on generated valid corpora of 1k and 10k items.

Run: .venv/bin/python benchmarks/validate.py [--runs N] [--sizes 1000,10000] [--profile SIZE]
Prints the median in-process `csec.training.corpus.checked()` time (load and every content check) and items/second
for each corpus, so growth linearity is visible; exits 1 when a corpus does not validate. Targets: the real corpus
under 1 s, 10k items under 5 s. tests/test_benchmarks.py runs it on a tiny corpus so it keeps working.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csec.training.corpus import checked
from csec.core.errors import ContentErrors

# How a generated corpus is split between kinds (fractions of the item count).
MIX = {
    "sources": 0.08,
    "definitions": 0.30,
    "red_flags": 0.22,
    "sections": 0.15,
    "cwscms_codes": 0.08,
    "exploitation_categories": 0.05,
    "facts": 0.06,
    "indicators": 0.06,
}


def _source(i: int) -> str:
    return f"""  - id: src-{i}
    kind: letter
    short: ACL {i:05d}
    title: Generated letter number {i}
    date: 2016-02-05
    issued_by: Benchmark department
    sections:
      - id: i
        title: I. First section
      - id: ii
        title: II. Second section
      - id: iii
        title: III. Third section
"""


def _cite(i: int, n_sources: int) -> str:
    return f"src-{i % n_sources}#{('i', 'ii', 'iii')[i % 3]}"


def _definition(i: int, n: int, n_sources: int) -> str:
    return f"""  - id: def-{i}
    term: Term {i}
    aliases: [alias {i}]
    text: >-
      Definition number {i}, in the source's own words, which refers to {{term}}`Term {(i + 1) % n}` and to
      {{term}}`another wording <alias {(i + 7) % n}>` as generated glossary text tends to.
    cites: [{_cite(i, n_sources)}, src-{(i + 1) % n_sources}]
    status: approved
    effective: 2016-02-05
    see_also: [def-{(i + 3) % n}]
"""


def _red_flag(i: int, n_defs: int, n_sources: int) -> str:
    return f"""  - id: flag-{i}
    text: Red flag number {i}; the youth shows signs described in {{term}}`Term {i % n_defs}`.
    types: [csec, exploiting_labor]
    cites: [{_cite(i, n_sources)}]
    status: in_review
"""


def _section(i: int, n: int, n_defs: int, n_sources: int) -> str:
    parent = f"\n    parent: sec-{i - 1}" if i % 5 else ""
    return f"""  - id: sec-{i}
    title: Policy section {i}{parent}
    order: {i}
    policy: Staff act on what section {i} says about {{term}}`Term {i % n_defs}`.
    body: |
      A paragraph of MyST prose for section {i}.

      A second paragraph citing nothing in particular.
    steps:  # a step's deadline has one home, its action rule (`rule:`); generated corpora have no rules
      - text: Do the first thing.
        cites: [{_cite(i, n_sources)}]
      - text: Do the second thing.
        items: [one, two, three]
    related: [sec-{(i + 1) % n}]
    terms: [def-{i % n_defs}]
    cites: [{_cite(i, n_sources)}]
    status: draft
"""


def _code(i: int, n_sources: int) -> str:
    return f"""  - id: code-{i}
    kind: abuse_subcategory
    label: Code {i}
    text: CWS/CMS code number {i}.
    cites: [{_cite(i, n_sources)}]
    status: approved
"""


def _category(i: int, n_codes: int, n_sources: int) -> str:
    return f"""  - id: cat-{i}
    title: Category {i}
    cwscms_code: code-{i % n_codes}
    text: Exploitation category {i}.
    examples: [An example, Another example]
    cites: [{_cite(i, n_sources)}]
    status: approved
"""


def _fact(i: int, n_sources: int) -> str:
    return f"""  - id: fact_{i}
    type: bool
    group: indicator
    label: Fact {i}
    text: Boolean fact number {i}.
    cites: [{_cite(i, n_sources)}]
"""


def _indicator(i: int, n_sources: int) -> str:
    return f"""  - id: fact_{i}
    group: group-{i % 2}
    letter: {"ABCDEFGH"[i % 8]}
    acl_number: {("i", "ii", "iii", "iv", "v")[i % 5]}
    text: Indicator {i} in the letter's wording.
    la_text: Indicator {i} in the guide's wording.
    cites: [{_cite(i, n_sources)}]
    status: approved
"""


def generate(root: Path, n_items: int) -> int:
    """Write a valid corpus of about n_items items over 20-100 files under root/content/policy; return the count."""
    counts = {kind: max(1, round(n_items * share)) for kind, share in MIX.items()}
    counts["facts"] = counts["indicators"] = max(counts["facts"], counts["indicators"])
    ns, nd, nc = counts["sources"], counts["definitions"], counts["cwscms_codes"]
    makers = {
        "sources": lambda i: _source(i),
        "definitions": lambda i: _definition(i, nd, ns),
        "red_flags": lambda i: _red_flag(i, nd, ns),
        "sections": lambda i: _section(i, counts["sections"], nd, ns),
        "cwscms_codes": lambda i: _code(i, ns),
        "exploitation_categories": lambda i: _category(i, nc, ns),
        "facts": lambda i: _fact(i, ns),
        "indicators": lambda i: _indicator(i, ns),
    }
    total = sum(counts.values()) + 2  # + the two indicator groups
    n_files = min(100, max(20, total // 100))
    per_file = -(-total // n_files)
    policy = root / "content" / "policy"
    policy.mkdir(parents=True)
    (policy / "groups.yaml").write_text(
        "indicator_groups:\n" + "".join(
            f"  - id: group-{g}\n    title: Group {g}\n    text: Indicator group {g}.\n"
            f"    cites: [src-0#i]\n    status: approved\n" for g in (0, 1)), encoding="utf-8")
    # Fill files of about per_file items each, kinds interleaved so most files hold several kinds.
    chunks: list[tuple[str, str]] = [(kind, makers[kind](i)) for kind in counts for i in range(counts[kind])]
    chunks.sort(key=lambda kc: hash(kc[1]) % 7919)
    for f in range(n_files):
        by_kind: dict[str, list[str]] = {}
        for kind, text in chunks[f * per_file:(f + 1) * per_file]:
            by_kind.setdefault(kind, []).append(text)
        if by_kind:
            (policy / f"part-{f:03d}.yaml").write_text(
                "".join(f"{kind}:\n" + "".join(texts) + "\n" for kind, texts in by_kind.items()), encoding="utf-8")
    return total


def time_load(root: Path, runs: int) -> tuple[float, int, str]:
    """Median seconds of `checked(root)`, the number of items loaded and the outcome line."""
    times: list[float] = []
    items, outcome = 0, ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            corpus = checked(root)
            items = sum(len(v) for v in corpus.items.values())
            outcome = corpus.summary()
        except ContentErrors as e:
            outcome = f"INVALID: {len(e.errors)} problems, first: {e.errors[0]}"
        times.append(time.perf_counter() - start)
    return statistics.median(times), items, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per corpus; the median is reported")
    parser.add_argument("--sizes", default="1000,10000", help="generated corpus sizes, comma separated")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="cProfile one load of a generated corpus")
    args = parser.parse_args()

    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), args.profile)
            checked(tmp)  # warm imports
            prof = cProfile.Profile()
            prof.enable()
            checked(tmp)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        return 0

    print(f"{'corpus':<14} {'items':>7} {'files':>6} {'median s':>9} {'items/s':>9}")
    seconds, items, outcome = time_load(ROOT, args.runs)
    files = sum(1 for folder in ("content", "counties") for _ in (ROOT / folder).rglob("*.y*ml"))  # both layers
    rate = f"{items / seconds:9.0f}" if items else f"{'-':>9}"
    print(f"{'real':<14} {items:>7} {files:>6} {seconds:>9.3f} {rate}   {outcome[:120]}")
    if not items:
        print(f"the repository's corpus did not validate: {outcome}", file=sys.stderr)
        return 1
    for size in (int(s) for s in args.sizes.split(",") if s):
        with tempfile.TemporaryDirectory() as tmp:
            total = generate(Path(tmp), size)
            files = sum(1 for _ in Path(tmp).rglob("*.yaml"))
            seconds, items, outcome = time_load(Path(tmp), args.runs)
            if items != total:
                print(f"generated corpus of {size} did not validate: {outcome}", file=sys.stderr)
                return 1
            print(f"{'generated':<14} {items:>7} {files:>6} {seconds:>9.3f} {items / seconds:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
