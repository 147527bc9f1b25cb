"""The benchmark scripts still run: each is run here on a tiny input and must exit 0 and print its figures, so a
benchmark cannot rot unnoticed between the times someone measures with it. These are smoke checks, never timings:
performance targets live in the benchmarks themselves."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMBER = r"\d+(?:\.\d+)?"


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_validate_benchmark_loads_the_real_and_a_generated_corpus():
    run = _run("benchmarks/validate.py", "--runs", "1", "--sizes", "120")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["corpus", "items", "files", "median", "s", "items/s"]
    real = next(line for line in lines if line.startswith("real "))
    assert re.match(rf"real +\d+ +\d+ +{NUMBER} +{NUMBER} +ok: ", real), real
    generated = [line for line in lines if line.startswith("generated ")]
    assert len(generated) == 1 and re.fullmatch(rf"generated +\d+ +\d+ +{NUMBER} +{NUMBER}", generated[0]), lines
    assert int(generated[0].split()[1]) >= 120  # every generated item loaded (about the size asked for)


def test_mutation_benchmark_tries_a_tiny_sample_and_reports_the_share_killed():
    # Two mutants under one quick test file: the whole pipeline (mutants, scratch copy, coverage run, mutated runs,
    # report) without the minutes a real sample takes.
    run = _run("benchmarks/mutation.py", "--sample", "2", "--workers", "1", "--tests", "tests/test_rule_words.py",
               timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert re.fullmatch(r"mutants: \d+ of csec/\S+\.py(, csec/\S+\.py)* \(\d+ inside annotations left out\)", lines[0])
    assert re.match(rf"baseline: the tests pass unmutated in {NUMBER} s", lines[2]), lines[2]
    tried = [line for line in lines if re.match(r"\[ *\d+/2\] (killed|survived|timeout) ", line)]
    assert len(tried) == 2, lines
    summary = lines[-1]
    match = re.match(rf"killed (\d) of (\d) mutants \(({NUMBER})%\)", summary)
    assert match and match.group(2) == "2", summary
    assert float(match.group(3)) == 100 * int(match.group(1)) / 2
