#!/usr/bin/env bash
# README's third command: open the quickstart notebook in JupyterLab with the Java (HPC) kernel.
#
#   bash scripts/lab.sh [NOTEBOOK] [JUPYTERLAB OPTION]...
#
# Installs JupyterLab 4 from PyPI into the project's .venv if it is not there (no root needed);
# runs scripts/setup.sh first if the kernelspec is missing (i.e. the main command has not run).
# The server listens on 127.0.0.1 only and prints the URL (with its token) to open; a browser is
# started when one can be. Cells run as in any notebook of yours: %%hpc goes to the default
# cluster of your clusters.json (the built-in local backend without one) and its jobs join your
# job list. Stop it with Ctrl+C.
# Environment: HPC_KERNEL_NAME (default java-hpc).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
VENV="$REPO/.venv"
KERNEL_NAME="${HPC_KERNEL_NAME:-java-hpc}"
NOTEBOOK="notebooks/quickstart.ipynb"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then NOTEBOOK="$1"; shift; fi
case "${1:-}" in -h|--help) sed -n '2,13p' "$0"; exit 0 ;; esac
[ -f "$NOTEBOOK" ] || { echo "lab: notebook not found: $NOTEBOOK" >&2; exit 1; }
log() { printf '[lab] %s\n' "$*" >&2; }

has_kernelspec() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - "$KERNEL_NAME" <<'PY' 2>/dev/null
import sys
from jupyter_client.kernelspec import KernelSpecManager
sys.exit(0 if sys.argv[1] in KernelSpecManager().find_kernel_specs() else 1)
PY
}
if ! has_kernelspec; then
  log "kernelspec $KERNEL_NAME not found: running scripts/setup.sh first"
  bash scripts/setup.sh --skip-junit --main-kernelspec-only >&2
fi
if ! "$VENV/bin/python" -c 'import importlib.metadata as m; assert int(m.version("jupyterlab").split(".")[0]) >= 4' 2>/dev/null; then
  log "pip install 'jupyterlab>=4,<5' into .venv"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q 'jupyterlab>=4,<5'
fi

ROOT_FLAG=()
[ "$(id -u)" != 0 ] || ROOT_FLAG=(--allow-root)   # JupyterLab refuses root without it
log "opening $NOTEBOOK (kernel $KERNEL_NAME) in JupyterLab on 127.0.0.1; Ctrl+C stops it"
exec "$VENV/bin/jupyter" lab --ServerApp.ip=127.0.0.1 ${ROOT_FLAG[@]+"${ROOT_FLAG[@]}"} "$@" "$NOTEBOOK"
