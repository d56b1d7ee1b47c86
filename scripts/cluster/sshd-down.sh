#!/usr/bin/env bash
# Stop the private test sshd started by sshd-up.sh (by its pid file only). Idempotent.
#   CLUSTER_WIPE=1 also deletes keys and config under $CLUSTER_DIR/ssh.
# Open ssh connections (the listener's children) end on their own; nothing else is signalled.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=sshd-common.sh
. "$HERE/sshd-common.sh"

S="$CLUSTER_DIR/ssh"
stop_pidfile "$S/sshd.pid" sshd 10
if [ "${CLUSTER_WIPE:-0}" = 1 ]; then
    rm -rf "${S:?}"
fi
log "test sshd stopped"
