#!/usr/bin/env bash
# papermill-java tests: unit tests of the Java parameter translator and end-to-end papermill runs
# of tests/papermill/params.ipynb against the installed Java (HPC) kernelspec.
#
#   bash tests/papermill/run.sh [--prefix KERNEL_PREFIX] [pytest args...]
#
# Installs papermill and papermill-java (editable, from kernelspec/papermill_java) into .venv if
# missing. The kernelspec (HPC_KERNEL_NAME, default java-hpc) must be installed already, in .venv
# or in KERNEL_PREFIX/share/jupyter (--prefix); without it the end-to-end tests are skipped
# (failed under CI=true). Report: build-artifacts/test-reports/papermill-junit.xml.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$REPO/.venv"
if [ "${1:-}" = --prefix ]; then
  export JUPYTER_PATH="$(cd "$2" && pwd)/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
  shift 2
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import papermill, papermill_java, pytest' 2>/dev/null; then
  echo "[papermill] pip install -e kernelspec/papermill_java (and papermill) into .venv"
  "$VENV/bin/pip" install -q -e "$REPO/kernelspec/papermill_java" pytest
fi
mkdir -p "$REPO/build-artifacts/test-reports"
exec "$VENV/bin/python" -m pytest "$REPO/tests/papermill" -v -rfEs \
  --junitxml="$REPO/build-artifacts/test-reports/papermill-junit.xml" "$@" </dev/null
