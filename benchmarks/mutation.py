"""How strong are the rule tests? Mutation testing of the rules engine: cosmic-ray makes small changes to the engine's
code (mutants: `<` for `<=`, `and` for `or`, a number changed, a loop skipped ...), the rule tests run against each,
and a mutant the tests fail on is killed. Prints the share of mutants killed, and each survivor's change.

    .venv/bin/python benchmarks/mutation.py [--sample N] [--seed S] [--workers W] [--all] [--list]

A random sample (seeded, so a run is repeatable) keeps a run to minutes on two cores; `--all` tries every mutant.
Each worker tests in its own scratch copy of the repository, so the checkout's files are never changed. One run of
the tests with coverage records which tests run each line; a mutant is tested by those tests only (by all of them
when no test runs its line), and by every test that runs csec in another process (coverage cannot follow it there),
stopping at the first failure. Mutants inside type
annotations are left out: the engine's modules never evaluate their annotations (`from __future__ import
annotations`), so no test could tell such a mutant apart. Target: at least 90% of the sample killed.
tests/test_benchmarks.py runs it on a tiny sample so it keeps working.
"""

from __future__ import annotations

import argparse
import ast
import collections
import difflib
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The engine: the module that evaluates, describes and counts the rules, and the checks of the rules themselves (the
# fact type checks, the policy-number check). Paths from the repository root; move them here when the code moves.
TARGETS = ("csec/engine/rules.py", "csec/checks/rules.py")
# The tests that answer for the engine, the quickest first (a run stops at its first failure).
TESTS = (
    "tests/test_engine_parts.py", "tests/test_rules_examples.py", "tests/test_rule_words.py", "tests/test_rules_validation.py",
    "tests/test_answer.py", "tests/test_scenarios.py", "tests/test_policy_numbers.py",
    "tests/test_rules_properties.py", "tests/test_assess_cli.py", "tests/test_interpreters_agree.py",
)
SKIP = {".git", ".venv", "node_modules", "_build", ".pytest_cache", ".hypothesis", ".jupyter_cache", "progress",
        "__pycache__"}
COVERAGE_ENV = "CSEC_MUTATION_COVERAGE"  # set: this module, loaded as a pytest plugin, records lines per test


@dataclass
class Mutant:
    target: str  # path from the repository root
    operator: str
    args: dict
    occurrence: int
    lines: tuple[int, int]  # first and last line it changes
    where: str  # the function or class it is in


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed | survived | timeout | not applicable | invalid | error
    seconds: float
    tests: int  # how many tests were chosen for it
    diff: str = ""
    output: str = ""


# --- the mutants ------------------------------------------------------------------------------------------------

def _annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions, as (line, column), of every annotation in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        notes = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            notes = [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                                            args.kwarg] if a is not None] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            notes = [node.annotation]
        found += [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in notes if n is not None]
    return found


def mutants(targets=TARGETS) -> tuple[list[Mutant], int]:
    """Every mutant cosmic-ray's default operators make of TARGETS outside annotations, in a stable order, and how
    many inside annotations were left out."""
    from cosmic_ray.commands.init import init
    from cosmic_ray.work_db import WorkDB, use_db

    with tempfile.TemporaryDirectory(prefix="csec-mutants-") as tmp:
        with use_db(Path(tmp) / "session.sqlite", WorkDB.Mode.create) as db:
            init([REPO / t for t in targets], db, {})
            specs = [item.mutations[0] for item in db.work_items]
    spans = {t: _annotation_spans(REPO / t) for t in targets}
    found, in_annotations = [], 0
    for s in specs:
        target = Path(s.module_path).relative_to(REPO).as_posix()
        if any(start <= tuple(s.start_pos) and tuple(s.end_pos) <= end for start, end in spans[target]):
            in_annotations += 1
            continue
        found.append(Mutant(target, s.operator_name, dict(s.operator_args), s.occurrence,
                            (s.start_pos[0], s.end_pos[0]), s.definition_name or ""))
    return sorted(found, key=lambda mu: (mu.target, mu.operator, mu.occurrence)), in_annotations


# --- running the tests --------------------------------------------------------------------------------------------

def scratch_copy(dest: Path) -> Path:
    shutil.copytree(REPO, dest, ignore=lambda d, names: [
        n for n in names if n in SKIP or n.endswith(".egg-info")])
    # The environment and the vendor files are shared; PYTHONPATH makes the copy's csec the one imported, also by
    # the `csec` command the tests run from .venv/bin.
    for shared in (".venv", "node_modules"):
        if (REPO / shared).is_dir():
            (dest / shared).symlink_to(REPO / shared)
    return dest


RUNNING: set[subprocess.Popen] = set()  # the test runs in progress (each its own process group)


def _stop_running(*_) -> None:
    for proc in list(RUNNING):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    sys.exit(128 + signal.SIGTERM)


def run_tests(copy: Path, tests: list[str], timeout: float | None, extra_env: dict | None = None,
              plugin: bool = False) -> tuple[int | None, str]:
    """Run TESTS (files or test ids) in COPY, importing its csec, not the checkout's: (exit status, or None on a
    timeout; output)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(copy / "benchmarks")]),
           "PYTHONDONTWRITEBYTECODE": "1", "CI": "1", **(extra_env or {})}
    env.pop("CSEC_ROOT", None)
    args = copy / ".mutation-tests.txt"  # test ids can be many: pytest reads them from a file (@file)
    args.write_text("\n".join(tests) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-x", "-q", "--no-header",
           "-o", "addopts=", *(["-p", "mutation"] if plugin else []), f"@{args}"]
    proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    RUNNING.add(proc)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, "timeout"
    finally:
        RUNNING.discard(proc)
    return proc.returncode, out


def tests_by_line(copy: Path, tests: list[str]) -> tuple[dict[tuple[str, int], list[str]], list[str], set[str],
                                                         float, str]:
    """Run TESTS once with coverage: ({(target, line): the test functions that ran it, in run order}, every test
    function in run order, those that ran csec in another process (where coverage cannot follow: they run for every
    mutant), seconds, output); raises SystemExit when they fail unmutated."""
    out = copy / ".mutation-coverage.json"
    start = time.perf_counter()
    status, output = run_tests(copy, tests, None, {COVERAGE_ENV: str(out)}, plugin=True)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"the tests fail with no mutant at all; fix them first:\n{output[-4000:]}")
    raw = json.loads(out.read_text(encoding="utf-8"))
    # By test function (a parametrized test runs whole): an id is always selectable that way.
    order = {test: k for k, test in enumerate(dict.fromkeys(_function(t) for t in raw["order"]))}
    lines: dict[tuple[str, int], list[str]] = {}
    for target, by_line in raw["lines"].items():
        for line, ids in by_line.items():
            lines[(target, int(line))] = sorted({_function(t) for t in ids}, key=order.__getitem__)
    return lines, list(order), {_function(t) for t in raw["spawning"]}, seconds, output


def _function(test_id: str) -> str:
    return test_id.split("[", 1)[0]


def try_mutant(copy: Path, mutant: Mutant, tests: list[str], timeout: float) -> Outcome:
    import cosmic_ray.plugins
    from cosmic_ray.mutating import use_mutation

    operator = cosmic_ray.plugins.get_operator(mutant.operator)(**mutant.args)
    start = time.perf_counter()
    with use_mutation(copy / mutant.target, operator, mutant.occurrence) as (before, after):
        if after is None:
            return Outcome(mutant, "not applicable", 0.0, 0)
        try:
            compile(after, mutant.target, "exec")
        except SyntaxError:  # `{**d}` made `{%d}`: not a program, so not a mutant any test could be asked to kill
            return Outcome(mutant, "invalid", 0.0, 0)
        diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), mutant.target,
                                            mutant.target, n=0))
        status, output = run_tests(copy, tests, timeout)
    # pytest's exit status: 1 a test failed, 2 collection failed (the mutant broke an import): killed; 0 all
    # passed: survived; anything else is trouble with the run itself, not a verdict.
    verdict = {None: "timeout", 0: "survived", 1: "killed", 2: "killed"}.get(status, "error")
    return Outcome(mutant, verdict, time.perf_counter() - start, len(tests), diff, output)


# --- the pytest plugin (loaded in the coverage run as `-p mutation`) -------------------------------------------------

class _LinesPerTest:
    def __init__(self, out: Path, root: Path):
        import coverage

        self.out, self.root = out, root
        self.cov = coverage.Coverage(data_file=None, include=[str(root / t) for t in TARGETS])
        self.order: list[str] = []
        self.spawning: set[str] = set()  # tests that run csec in another process, out of this coverage's sight
        self._spy_on_subprocesses()
        self.cov.start()

    def _spy_on_subprocesses(self) -> None:
        original, plugin = subprocess.Popen.__init__, self

        def spy(popen, args, *rest, **kwargs):
            words = args if isinstance(args, (list, tuple)) else [args]
            if plugin.order and any("csec" in str(w) for w in words):
                plugin.spawning.add(plugin.order[-1])
            return original(popen, args, *rest, **kwargs)

        subprocess.Popen.__init__ = spy

    def pytest_runtest_protocol(self, item, nextitem):
        self.cov.switch_context(item.nodeid)
        self.order.append(item.nodeid)

    def pytest_unconfigure(self, config):
        self.cov.stop()
        data = self.cov.get_data()
        lines: dict[str, dict[int, list[str]]] = {}
        for target in TARGETS:
            path = str(self.root / target)
            if path not in data.measured_files():
                continue
            by_line = data.contexts_by_lineno(path)
            lines[target] = {line: [c for c in contexts if c] for line, contexts in by_line.items()}
        self.out.write_text(json.dumps({"order": self.order, "lines": lines, "spawning": sorted(self.spawning)}),
                            encoding="utf-8")


def pytest_configure(config):
    out = os.environ.get(COVERAGE_ENV)
    if out:
        config.pluginmanager.register(_LinesPerTest(Path(out), Path(config.rootpath)), "mutation-lines")


# --- the report ---------------------------------------------------------------------------------------------------

def _changed_lines(diff: str) -> str:
    return "\n".join(line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=40, help="how many random mutants to try (default 40)")
    parser.add_argument("--seed", type=int, default=16, help="seed of the sample (default 16)")
    parser.add_argument("--all", action="store_true", help="try every mutant instead of a sample")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="test runs side by side")
    parser.add_argument("--list", action="store_true", help="only count the mutants, by file and operator")
    parser.add_argument("--tests", nargs="+", default=list(TESTS), help="test files to run (default: the rule tests)")
    args = parser.parse_args(argv)
    # A stopped run still removes its scratch copies (the with-blocks below).
    signal.signal(signal.SIGTERM, _stop_running)

    everything, in_annotations = mutants()
    print(f"mutants: {len(everything)} of {', '.join(TARGETS)} ({in_annotations} inside annotations left out)")
    if args.list:
        by_kind = collections.Counter((mu.target, mu.operator.split("/")[-1].split("_")[0]) for mu in everything)
        for (target, operator), n in sorted(by_kind.items()):
            print(f"  {n:5d}  {target}  {operator}")
        return 0
    chosen = everything if args.all else random.Random(args.seed).sample(everything, min(args.sample, len(everything)))
    print(f"trying {len(chosen)} ({'all' if args.all else f'sample, seed {args.seed}'}) under {len(args.tests)} test "
          f"files, {args.workers} at a time", flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="csec-mutation-") as tmp:
        copies: queue.Queue[Path] = queue.Queue()
        for k in range(args.workers):
            copies.put(scratch_copy(Path(tmp) / f"worker-{k}"))
        first = copies.get()
        by_line, every_test, spawning, baseline, output = tests_by_line(first, list(args.tests))
        copies.put(first)
        print(f"baseline: the tests pass unmutated in {baseline:.1f} s with coverage "
              f"({output.strip().splitlines()[-1] if output.strip() else ''})", flush=True)
        timeout = max(60.0, 3 * baseline)

        def work(mutant: Mutant) -> Outcome:
            first_line, last_line = mutant.lines
            ids = {t for line in range(first_line, last_line + 1) for t in by_line.get((mutant.target, line), [])}
            # Run where no test ran the line (module level, say): all the files.
            tests = [t for t in every_test if t in ids | spawning] if ids else list(args.tests)
            copy = copies.get()
            try:
                return try_mutant(copy, mutant, tests, timeout)
            finally:
                copies.put(copy)

        outcomes: list[Outcome] = []
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            for n, outcome in enumerate(pool.map(work, chosen), 1):
                mu = outcome.mutant
                print(f"[{n:3d}/{len(chosen)}] {outcome.verdict:<8} {outcome.seconds:6.1f} s {outcome.tests:4d} tests  "
                      f"{mu.target}:{mu.lines[0]} {mu.operator.split('/')[-1]} #{mu.occurrence} ({mu.where})",
                      flush=True)
                outcomes.append(outcome)
    elapsed = time.perf_counter() - started

    counts = collections.Counter(o.verdict for o in outcomes)
    judged = counts["killed"] + counts["timeout"] + counts["survived"]
    killed = counts["killed"] + counts["timeout"]
    for o in (o for o in outcomes if o.verdict == "survived"):
        mu = o.mutant
        print(f"\nsurvived: {mu.target}:{mu.lines[0]} in {mu.where or 'module'} "
              f"({mu.operator.split('/')[-1]} #{mu.occurrence})\n{_changed_lines(o.diff)}")
    share = 100 * killed / judged if judged else 0.0
    print(f"\nkilled {killed} of {judged} mutants ({share:.1f}%): {counts['killed']} by a failing test, "
          f"{counts['timeout']} by a timeout; {counts['survived']} survived"
          + (f", {counts['not applicable']} not applicable" if counts["not applicable"] else "")
          + (f", {counts['invalid']} not valid Python (not counted)" if counts["invalid"] else "")
          + (f", {counts['error']} runs in error (not counted)" if counts["error"] else "")
          + f"; {elapsed:.0f} s on {args.workers} worker(s); target: at least 90% "
          + ("met" if share >= 90 else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
