#!/usr/bin/env bash
# Stop the single-node OAR test cluster started by scripts/cluster/oar-up.sh. Idempotent.
#   CLUSTER_DIR    as for oar-up.sh                                          [/tmp/hpc-test-cluster]
#   CLUSTER_WIPE   1: also delete OAR's PostgreSQL cluster (job ids restart at 1) and put the
#                  pristine /etc/oar/oar.conf back; packages and the test user stay  [0]
# Jobs still waiting or running are deleted first (oardel as root). Only the processes recorded in
# pid files (Almighty's /run/oar-server.pid, our sshd's and PostgreSQL's) are signalled, and
# only when their name matches.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=oar-common.sh
. "$HERE/oar-common.sh"

[ "$(id -u)" = 0 ] || die "must run as root"
exec </dev/null
PGBIN="$(oar_pg_bin)"

# ---------------------------------------------------------------- jobs
if oar_server_alive && oar_pg_running; then
    jobs="$(oar_psql "select job_id from jobs where state not in ('Terminated','Error')" 2>/dev/null | tr '\n' ' ' || true)"
    if [ -n "${jobs// /}" ]; then
        log "deleting jobs: $jobs"
        # shellcheck disable=SC2086
        timeout 20 oardel $jobs >/dev/null 2>&1 || true
        gone() { [ "$(oar_psql "select count(*) from jobs where state not in ('Terminated','Error')")" = 0 ]; }
        wait_for 30 gone || log "some jobs still listed; stopping anyway"
    fi
fi

# ---------------------------------------------------------------- Almighty
oar_stop_server

# ---------------------------------------------------------------- node sshd, PostgreSQL
stop_pidfile "$OAR_DIR/oar-node-sshd.pid" sshd 10
if [ -n "$PGBIN" ] && [ -f "$OAR_PG_DIR/data/PG_VERSION" ] && oar_pg_running; then
    log "stopping PostgreSQL"
    as_postgres "$PGBIN/pg_ctl" -D "$OAR_PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
fi

if [ "${CLUSTER_WIPE:-0}" = 1 ]; then
    log "wiping OAR state under $OAR_DIR"
    rm -rf "${OAR_PG_DIR:?}"
    if [ -f "$OAR_DIR/oar.conf.dist" ]; then
        cp -p "$OAR_DIR/oar.conf.dist" "$OAR_CONF"
        rm -f "$OAR_DIR/oar.conf.dist"
    fi
fi
log "OAR stopped"
