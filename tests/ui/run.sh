#!/usr/bin/env bash
# Real-browser test of the Java (HPC) kernel in JupyterLab 4 and Notebook 7.
#
#   bash tests/ui/run.sh [--prefix KERNEL_PREFIX] [--kernel NAME] [--headed]
#
# What it does, on a fresh Debian 12 machine too:
#   1. installs what is missing: python3-venv (apt) and the project venv .venv,
#      jupyterlab>=4 and notebook>=7 (PyPI, into .venv), Debian's chromium (apt),
#      Node.js/npm (apt, only if absent), playwright-core (npm ci, into tests/ui/node_modules);
#   2. finds the kernelspec (default java-hpc) in KERNEL_PREFIX/share/jupyter (--prefix) or in
#      Jupyter's usual places (.venv first); if it is missing but kernel/target*/hpc-kernel.jar
#      exists, installs it from that jar (into KERNEL_PREFIX, else .venv). It never builds.
#   3. starts JupyterLab on 127.0.0.1 (free port, random token, temporary root dir and
#      config dir), runs tests/ui/ui-test.js, stops the server.
# Screenshots, the browser console and the server log go to build-artifacts/ui/.
# Exits 0 only if every check passed. The last line is a one-line summary.
#
# Environment: HPC_KERNEL_CONFIG (passed through to the server and so to the kernel: a
# clusters.json selecting e.g. the test Slurm instead of the built-in local backend),
# UI_TEST_JOB_TIMEOUT (seconds to wait for a %%hpc job, default 180), HPC_KERNEL_NAME (default
# java-hpc), HPC_BUILD_DIR (which kernel/<dir>/hpc-kernel.jar to install from if needed).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
UI="$REPO/tests/ui"
ART="$REPO/build-artifacts/ui"
VENV="$REPO/.venv"
PREFIX=""
KERNEL="${HPC_KERNEL_NAME:-java-hpc}"
HEADED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$(cd "$2" && pwd)"; shift 2 ;;
    --prefix=*) PREFIX="$(cd "${1#--prefix=}" && pwd)"; shift ;;
    --kernel) KERNEL="$2"; shift 2 ;;
    --kernel=*) KERNEL="${1#--kernel=}"; shift ;;
    --headed) HEADED=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

start=$(date +%s)
log() { printf '[ui] %s\n' "$*"; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
apt_install() {
  log "apt-get install $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null \
    || { $SUDO apt-get update >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

# ---- 1. tools -------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
major = lambda d: int(m.version(d).split(".")[0])
assert major("jupyterlab") >= 4 and major("notebook") >= 7
PY
then
  log "pip install jupyterlab>=4 notebook>=7 into .venv"
  "$VENV/bin/pip" install -q 'jupyterlab>=4,<5' 'notebook>=7,<8'
fi
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { apt_install chromium; CHROMIUM=/usr/bin/chromium; }
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "UI TEST SUMMARY: FAILED - playwright-core needs Node.js >= 20, found $(node --version)"
  exit 1
fi
if [ ! -f "$UI/node_modules/playwright-core/package.json" ] \
   || [ "$UI/package-lock.json" -nt "$UI/node_modules/.package-lock.json" ]; then
  log "npm ci (playwright-core into tests/ui/node_modules)"
  (cd "$UI" && npm ci --no-audit --no-fund --loglevel=error)
fi

# ---- 2. kernelspec --------------------------------------------------------------------------
if [ -n "$PREFIX" ]; then
  export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
fi
kernel_dir() {
  "$VENV/bin/python" -c 'import sys
from jupyter_client.kernelspec import KernelSpecManager
print(KernelSpecManager().find_kernel_specs().get(sys.argv[1], ""))' "$KERNEL"
}
KDIR="$(kernel_dir)"
if [ -z "$KDIR" ]; then
  # The jar of HPC_BUILD_DIR (scripts/test.sh's build folder) if set, else the newest one built.
  JAR="$REPO/kernel/${HPC_BUILD_DIR:-target}/hpc-kernel.jar"
  [ -n "${HPC_BUILD_DIR:-}" ] && [ -f "$JAR" ] || JAR="$(ls -t "$REPO"/kernel/target*/hpc-kernel.jar 2>/dev/null | head -1 || true)"
  if [ -z "$JAR" ]; then
    echo "UI TEST SUMMARY: FAILED - kernelspec '$KERNEL' not installed and no kernel/target*/hpc-kernel.jar to install it from (build first: mvn -B package -DskipTests)"
    exit 1
  fi
  log "kernelspec $KERNEL missing: installing from ${JAR#$REPO/} into ${PREFIX:-.venv}"
  java -jar "$JAR" install --prefix "${PREFIX:-$VENV}" --name "$KERNEL" >/dev/null
  KDIR="$(kernel_dir)"
  [ -n "$KDIR" ] || { echo "UI TEST SUMMARY: FAILED - kernelspec install did not make '$KERNEL' visible"; exit 1; }
fi
DISPLAY_NAME="$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["display_name"])' "$KDIR/kernel.json")"
log "kernelspec $KERNEL (\"$DISPLAY_NAME\") at $KDIR"
[ -z "${HPC_KERNEL_CONFIG:-}" ] || log "HPC_KERNEL_CONFIG=$HPC_KERNEL_CONFIG (passed through to the kernel)"

# ---- 3. server ------------------------------------------------------------------------------
mkdir -p "$ART"
rm -f "$ART"/*.png "$ART"/*.log "$ART"/*.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hpc-ui.XXXXXX")"
mkdir -p "$WORK/root" "$WORK/config/labconfig" "$WORK/runtime" "$WORK/data" "$WORK/xdg-data" "$WORK/xdg-config"
# The server and its kernels see only temporary Jupyter and hpc-kernel state: config, data
# (nbsignatures), runtime; the kernel's job ledger and local job directories ($XDG_DATA_HOME);
# no ~/.config/hpc-kernel/clusters.json unless HPC_KERNEL_CONFIG names one. Kernelspecs stay
# visible: the user's data dir is added to JUPYTER_PATH.
USER_JUPYTER_DATA="$("$VENV/bin/jupyter" --data-dir)"
# No "would you like news?" toast over the page, no update check.
cat >"$WORK/config/labconfig/page_config.json" <<'JSON'
{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}
JSON
read -r PORT TOKEN < <("$VENV/bin/python" -c 'import secrets, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], secrets.token_hex(24))')
# api METHOD PATH: one authenticated request to the server (exit status 0 on a 2xx answer).
api() {
  "$VENV/bin/python" - "$1" "http://127.0.0.1:$PORT$2" "$TOKEN" <<'PY'
import sys, urllib.request
method, url, token = sys.argv[1:4]
req = urllib.request.Request(url, method=method, headers={"Authorization": "token " + token})
with urllib.request.urlopen(req, timeout=5) as r:
    sys.exit(0 if 200 <= r.status < 300 else 1)
PY
}
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # Graceful: the server's own shutdown endpoint stops its kernels too.
    api POST /api/shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # %%hpc jobs of the local backend are detached processes that outlive their kernel; end the
  # ones this run started (their environment names a job directory inside $WORK), by pid.
  for envf in /proc/[0-9]*/environ; do
    if { tr '\0' '\n' <"$envf"; } 2>/dev/null | grep -q "^HPC_JOB_DIR=$WORK/"; then
      pid="${envf#/proc/}"; pid="${pid%/environ}"
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting JupyterLab on 127.0.0.1:$PORT (root $WORK/root)"
(
  cd "$WORK/root"
  export JUPYTER_CONFIG_DIR="$WORK/config" JUPYTER_RUNTIME_DIR="$WORK/runtime" JUPYTER_DATA_DIR="$WORK/data"
  export JUPYTER_PATH="${JUPYTER_PATH:+$JUPYTER_PATH:}$USER_JUPYTER_DATA" XDG_DATA_HOME="$WORK/xdg-data"
  [ -n "${HPC_KERNEL_CONFIG:-}" ] || export XDG_CONFIG_HOME="$WORK/xdg-config"
  ROOT_FLAG=()
  [ "$(id -u)" != 0 ] || ROOT_FLAG=(--allow-root)
  exec "$VENV/bin/jupyter" lab --no-browser "${ROOT_FLAG[@]}" \
    --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" --ServerApp.port_retries=0 \
    --IdentityProvider.token="$TOKEN" --ServerApp.root_dir="$WORK/root" \
    --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
) >"$ART/jupyter-server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 300); do
  if api GET /api/status >/dev/null 2>&1; then
    ready=1; break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  tail -20 "$ART/jupyter-server.log" >&2 || true
  echo "UI TEST SUMMARY: FAILED - JupyterLab did not start (log: build-artifacts/ui/jupyter-server.log)"
  exit 1
fi
log "server ready after $(( $(date +%s) - start ))s"

# ---- 4. test --------------------------------------------------------------------------------
rc=0
BASE_URL="http://127.0.0.1:$PORT" JUPYTER_TOKEN="$TOKEN" UI_ARTIFACTS="$ART" \
  UI_ROOT_DIR="$WORK/root" UI_KERNEL_NAME="$KERNEL" UI_KERNEL_DISPLAY_NAME="$DISPLAY_NAME" \
  CHROMIUM="$CHROMIUM" UI_HEADED="$HEADED" \
  node "$UI/ui-test.js" || rc=$?

elapsed=$(( $(date +%s) - start ))
if [ "$rc" = 0 ]; then
  echo "UI TEST SUMMARY: PASSED in ${elapsed}s (screenshots: build-artifacts/ui/)"
else
  echo "UI TEST SUMMARY: FAILED (rc=$rc) in ${elapsed}s (screenshots and logs: build-artifacts/ui/)"
fi
exit "$rc"
