#!/usr/bin/env bash
# Stop the Grid Engine daemons started by sge-up.sh (sge_execd, then sge_qmaster), only through
# their own pid files. Idempotent. Jobs are deleted first. Grid Engine's configuration (queues,
# parallel environments) stays in Debian's spool, so the next sge-up.sh is quick.
#
#   CLUSTER_DIR   [/tmp/hpc-test-cluster]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
# shellcheck source=sge-common.sh
. "$HERE/sge-common.sh"

[ "$(id -u)" = 0 ] || die "must run as root"
exec </dev/null
export PATH="$PATH:/usr/sbin:/sbin"

if sge_qmaster_alive && command -v qdel >/dev/null 2>&1; then
    qdel -u '*' >/dev/null 2>&1 || true
fi
for f in "$SGE_SPOOL"/execd/*/execd.pid; do
    [ -f "$f" ] && stop_pidfile "$f" sge_execd 15
done
stop_pidfile "$SGE_QMASTER_PID" sge_qmaster 30
log "Grid Engine stopped"
