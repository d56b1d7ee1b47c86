# Helpers shared by sge-up.sh and sge-down.sh. Source it (after common.sh); do not run it.
# shellcheck shell=bash

# Debian's gridengine packages hard-wire these; everything Grid Engine keeps lives there, not under
# $CLUSTER_DIR (only our helper files and the env.sh for clients do).
export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
SGE_SPOOL=/var/spool/gridengine
SGE_QMASTER_PID="$SGE_SPOOL/qmaster/qmaster.pid"
SGE_HELPERS="$CLUSTER_DIR/sge"

# sge_qmaster_alive -> 0 when the qmaster recorded in its pid file runs
sge_qmaster_alive() { pid_alive "$SGE_QMASTER_PID" sge_qmaster; }

# sge_execd_pidfile -> prints the pid file of a live sge_execd (it spools under
# $SGE_SPOOL/execd/<the name it resolves itself to>), or nothing
sge_execd_pidfile() {
    local f
    for f in "$SGE_SPOOL"/execd/*/execd.pid; do
        if [ -f "$f" ] && pid_alive "$f" sge_execd; then
            echo "$f"
            return 0
        fi
    done
    return 0
}

# sge_editor FILE SED-EXPR...: write an $EDITOR for `qconf -m…`/`-a…` that applies the sed
# expressions to the file qconf hands it (qconf has no non-interactive form for -mconf/-aq).
sge_editor() {
    local f="$1" e
    shift
    {
        echo '#!/bin/sh'
        printf 'exec sed -i'
        for e in "$@"; do printf " -e '%s'" "$e"; done
        echo ' "$1"'
    } >"$f"
    chmod +x "$f"
}
