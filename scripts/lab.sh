#!/usr/bin/env bash
# Open the book (the training modules are in book/modules) in JupyterLab on this machine only, with the ipywidgets exercises working
# and the MyST .md notebooks opening as notebooks on a double click (jupytext). Progress is saved under progress/
# (or $CSEC_PROGRESS_DIR) for $CSEC_TRAINEE, else your login name. Nothing is fetched from the internet: the settings
# in scripts/jupyter/ turn off JupyterLab's news, update check and extension manager. Extra arguments go to
# `jupyter lab`, e.g. `bash scripts/lab.sh --port 8890 --no-browser`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export JUPYTER_CONFIG_PATH="$PWD/scripts/jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
args=(--ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$PWD/book")
# Jupyter refuses to run as root unless told; it still only listens on this machine.
[ "$(id -u)" = 0 ] && args+=(--allow-root)
exec .venv/bin/jupyter lab "${args[@]}" "$@"
