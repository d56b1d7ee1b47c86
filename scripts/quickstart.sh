#!/usr/bin/env bash
# README's main job: build, install the kernelspec, execute notebooks/quickstart.ipynb
# headless and print every cell with its outputs.
#
#   bash scripts/quickstart.sh [NOTEBOOK]
#
# The executed notebook is written to build-artifacts/quickstart/<name>.ipynb.
# Exits non-zero if setup fails, the notebook cannot be executed, or any cell errors.
# The notebook runs on the built-in local backend with a job list and cluster configuration of
# its own (a private temporary XDG_DATA_HOME / XDG_CONFIG_HOME, removed at the end): the user's
# jobs and clusters.json are neither read nor written, so they cannot make it fail.
# Environment: HPC_KERNEL_NAME (default java-hpc), HPC_CELL_TIMEOUT (seconds per cell,
# default 600), plus everything scripts/setup.sh understands.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NOTEBOOK="${1:-notebooks/quickstart.ipynb}"
KERNEL_NAME="${HPC_KERNEL_NAME:-java-hpc}"
OUT_DIR="$REPO/build-artifacts/quickstart"

# JUnit belongs to the test command; the main job only builds (and needs one kernelspec).
bash scripts/setup.sh --skip-junit --main-kernelspec-only >&2

PRIVATE="$(mktemp -d "${TMPDIR:-/tmp}/hpc-quickstart.XXXXXX")"
trap 'rm -rf "$PRIVATE"' EXIT
mkdir -p "$PRIVATE/data" "$PRIVATE/config"
export XDG_DATA_HOME="$PRIVATE/data" XDG_CONFIG_HOME="$PRIVATE/config"
unset HPC_KERNEL_CONFIG

[ -f "$NOTEBOOK" ] || { echo "quickstart: notebook not found: $NOTEBOOK" >&2; exit 1; }
mkdir -p "$OUT_DIR"
name="$(basename "$NOTEBOOK")"
echo "[quickstart] executing $NOTEBOOK with kernel $KERNEL_NAME -> ${OUT_DIR#$REPO/}/$name" >&2
# --allow-errors so that the printout below shows the failing cell; the exit status
# is then decided by print_notebook.py.
"$REPO/.venv/bin/jupyter" nbconvert --to notebook --execute --allow-errors \
  --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
  --ExecutePreprocessor.timeout="${HPC_CELL_TIMEOUT:-600}" \
  --output-dir "$OUT_DIR" --output "$name" "$NOTEBOOK" </dev/null

"$REPO/.venv/bin/python" "$REPO/scripts/print_notebook.py" "$OUT_DIR/$name"
