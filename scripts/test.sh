#!/usr/bin/env bash
# Set up and run the whole test suite (what CI runs). Installs Debian's chromium first when running as root and
# it is missing, because the browser tests and PDF handouts drive a real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The kit's bytecode, written before the run: where PYTHONDONTWRITEBYTECODE is set (as in CI), every Python process
# the suite starts (Sphinx builds, notebook kernels, csec commands) would otherwise compile csec/ and widgets/ again.
.venv/bin/python -m compileall -q csec widgets >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian chromium for the browser tests..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Debian's chromium is required for the browser tests: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
# One worker per core (CSEC_TEST_WORKERS overrides; 0 runs in this process), each test file on one worker so that
# a file's module fixtures are built once.
run=(-m pytest -n "${CSEC_TEST_WORKERS:-2}" --dist loadfile "$@")
if [ "${CSEC_COVERAGE:-1}" = 0 ]; then
  exec .venv/bin/python "${run[@]}"
fi
# Coverage of csec/ and widgets/, the workers and every `csec` subprocess included ([tool.coverage] in
# pyproject.toml); CSEC_COVERAGE=0 runs without it.
rm -rf .coverage-data && mkdir -p .coverage-data
# From Python 3.12 on, sys.monitoring: a line is recorded once and then costs nothing (3.11 has only the tracer).
if .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  export COVERAGE_CORE=sysmon
fi
set +e
.venv/bin/coverage run "${run[@]}" 2>&1 | tee .coverage-data/pytest.log
status=${PIPESTATUS[0]}
set -e
.venv/bin/coverage combine -q >/dev/null 2>&1 || true
echo "coverage of csec/ and widgets/ (statements, subprocesses included): $(.venv/bin/coverage report --format=total 2>/dev/null || echo '?')%"
# The runner's own closing line last, as CI reads it.
grep -E '^(=+ )?([0-9]+ (passed|failed|errors?)|no tests ran)' .coverage-data/pytest.log | tail -n 1 || true
exit "$status"
