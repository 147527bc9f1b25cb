#!/usr/bin/env bash
# Set up (idempotently) everything the kit needs: .venv with pinned Python packages, and the npm packages the
# offline site serves (widget manager, require.js). Re-running it is cheap when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Python for a new .venv: $PYTHON when set; else Python 3.12 or 3.13 when this machine has one (on PATH, or
# installed by pyenv), because from 3.12 coverage measures the test suite through sys.monitoring, at a few percent
# of what its tracer costs on 3.11 (where it doubles every process); else python3.
pick_python() {
  local candidate
  for candidate in python3 python3.12 python3.13 "$(pyenv root 2>/dev/null)"/versions/3.1[23].*/bin/python; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 12), (3, 13)))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo python3
}
PY=${PYTHON:-$(pick_python)}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
command -v node >/dev/null || { echo "Node 18+ is required (node not found)" >&2; exit 1; }

stamp=.venv/.setup-stamp
want=$(cat pyproject.toml constraints.txt package.json package-lock.json scripts/ipython_kernel_config.py 2>/dev/null |
  sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/csec ]; then
  exit 0
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# constraints.txt pins every transitive package so builds are reproducible offline-first.
# setuptools notes on every editable install that folders named like the package may shadow it; here the working
# directory is the package's own source, so the note only tells a newcomer something false. Real warnings still show.
PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[test]"
if [ -f package.json ]; then
  if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; else npm install --silent --no-audit --no-fund; fi
fi
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
# Read by every kernel the .venv starts (the build's notebook runs included): see the file for why.
mkdir -p .venv/etc/ipython && cp scripts/ipython_kernel_config.py .venv/etc/ipython/ipython_kernel_config.py
echo "$want" > "$stamp"
