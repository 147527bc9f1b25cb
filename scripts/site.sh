#!/usr/bin/env bash
# Set up, validate and build the manual site strictly into _build/html, then say how to preview it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/csec build "$@"
echo
echo "The site is in $(pwd)/_build/html. Open $(pwd)/_build/html/index.html in a browser: it works from disk,"
echo "vignettes and quizzes included (zip the folder for a complete offline course), or serve it on this machine only:"
echo "  .venv/bin/python -m http.server --bind 127.0.0.1 --directory _build/html 8000"
