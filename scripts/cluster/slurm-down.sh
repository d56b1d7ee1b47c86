#!/usr/bin/env bash
# Stop the single-node Slurm test cluster started by scripts/cluster/slurm-up.sh. Idempotent.
#   CLUSTER_DIR    as for slurm-up.sh                                        [/tmp/hpc-test-cluster]
#   CLUSTER_WIPE   1: also delete Slurm/munge/MariaDB state and config (the next slurm-up starts
#                  again at job id 1; packages and the test user stay)          [0]
# Jobs still queued or running are cancelled first. Only the processes recorded in our own pid
# files are signalled (and only when their name matches).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
exec </dev/null

D="$CLUSTER_DIR"
RUN="$D/run"; MUNGE="$D/munge"; CONF="$D/etc/slurm.conf"
export SLURM_CONF="$CONF"

if pid_alive "$RUN/slurmctld.pid" slurmctld && [ -f "$CONF" ] && command -v squeue >/dev/null 2>&1; then
    jobs="$(timeout 10 squeue -h -o %i 2>/dev/null || true)"
    if [ -n "$jobs" ]; then
        log "cancelling jobs: $(echo $jobs)"
        # shellcheck disable=SC2086
        timeout 10 scancel $jobs 2>/dev/null || true
        wait_for 15 test -z "$(timeout 10 squeue -h -o %i 2>/dev/null)" || log "some jobs still listed; stopping anyway"
    fi
fi

stop_pidfile "$RUN/slurmd.pid" slurmd 15
stop_pidfile "$RUN/slurmctld.pid" slurmctld 15
stop_pidfile "$RUN/slurmdbd.pid" slurmdbd 15
stop_pidfile "$D/mariadb/run/mariadbd.pid" mariadbd 60
stop_pidfile "$MUNGE/munged.pid" munged 10
rm -f "$MUNGE/munge.socket" "$MUNGE/munge.socket.lock"

if [ "${CLUSTER_WIPE:-0}" = 1 ]; then
    log "wiping Slurm state under $D"
    rm -rf "${D:?}/state" "${D:?}/etc" "${D:?}/run" "${D:?}/log" "${D:?}/munge" "${D:?}/mariadb" "${D:?}/env.sh"
    if [ -L /etc/slurm/slurm.conf ] && [ "$(readlink /etc/slurm/slurm.conf)" = "$CONF" ]; then
        rm -f /etc/slurm/slurm.conf
    fi
fi
log "Slurm test cluster stopped"
