#!/usr/bin/env bash
# Bring up a real single-node Grid Engine (Son of Grid Engine 8.1.9 from Debian's gridengine-*
# packages: sge_qmaster + sge_execd) on this machine, for hpc-kernel's SGE tests.
#
# Runs as root, without systemd, with no stdin; installs gridengine-master, gridengine-exec and
# gridengine-client with apt-get when they are missing (debconf preseeded: this host is the
# master, cell "default"). Idempotent: when everything is already up it only checks (0.3-0.6 s;
# first install ~8 s with the .debs cached, daemons down -> up ~3 s).
#
# Debian's packages hard-wire SGE_ROOT=/var/lib/gridengine, SGE_CELL=default and the spool
# under /var/spool/gridengine: Grid Engine's own state lives there. Only helper files live under
# $CLUSTER_DIR/sge. Clients need SGE_ROOT and SGE_CELL: `source $CLUSTER_DIR/sge/env.sh`.
# Daemons are stopped by scripts/cluster/sge-down.sh through their own pid files.
#
# What is configured (all idempotent):
#   * host_aliases "<host> localhost <fqdn>": the host name resolves to 127.0.0.1, which
#     reverse-resolves to "localhost"; without the alias every client is refused (access denied).
#   * min_uid 0 / min_gid 0 so root may submit; login_shells NONE: a job's bash starts as a plain
#     shell, not a login shell (root's profile on the test machines runs pyenv, whose rehash lock
#     made concurrent jobs start up to 60 s late). Sites usually keep login shells (for `module`);
#     hpc-kernel's batch script does not rely on either. accounting_flush_time=00:00:01: qacct has a
#     finished job's record after ~1 s instead of up to 15 s. execd is restarted once after a change.
#   * this host as submit and exec host; parallel environment "smp" (allocation_rule $pe_slots);
#   * queues all.q and long.q on this host, slots = CPUs, pe_list smp, load_thresholds NONE;
#   * scheduler every second and right after submit/finish (default: every 15 s).
#
# Environment (all optional):
#   CLUSTER_DIR          helper files and env.sh under $CLUSTER_DIR/sge   [/tmp/hpc-test-cluster]
#   CLUSTER_NO_INSTALL   1: never run apt-get; fail if a package is missing  [0]
#   SGE_SLOTS            slots per queue                                     [nproc]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
# shellcheck source=sge-common.sh
. "$HERE/sge-common.sh"

T0="$(date +%s%N)"
[ "$(id -u)" = 0 ] || die "must run as root (sge_execd runs jobs as their owners)"
exec </dev/null

NODE="$(hostname -s)"
SLOTS="${SGE_SLOTS:-$(nproc)}"
G="$SGE_HELPERS"
mkdir -p "$G"

# ---------------------------------------------------------------- packages
PKGS=(sge_qmaster:gridengine-master sge_execd:gridengine-exec qsub:gridengine-client qconf:gridengine-client)
export PATH="$PATH:/usr/sbin:/sbin"
missing=0
for p in "${PKGS[@]}"; do command -v "${p%%:*}" >/dev/null 2>&1 || missing=1; done
if [ "$missing" = 1 ]; then
    [ "${CLUSTER_NO_INSTALL:-0}" != 1 ] || die "gridengine packages missing (gridengine-master gridengine-exec gridengine-client)"
    # The packages' postinst sets up $SGE_ROOT/$SGE_CELL from these answers (no prompt).
    for p in gridengine-common gridengine-master gridengine-client gridengine-exec; do
        printf '%s shared/gridenginemaster string %s\n%s shared/gridenginecell string default\n%s shared/gridengineconfig boolean true\n' \
            "$p" "$NODE" "$p" "$p"
    done | debconf-set-selections
    ensure_packages "${PKGS[@]}"
fi
[ -f "$SGE_ROOT/$SGE_CELL/common/bootstrap" ] \
    || die "$SGE_ROOT/$SGE_CELL is not initialised (try: dpkg-reconfigure gridengine-master)"

COMMON="$SGE_ROOT/$SGE_CELL/common"
[ "$(cat "$COMMON/act_qmaster" 2>/dev/null)" = "$NODE" ] || echo "$NODE" >"$COMMON/act_qmaster"
ALIASES="$NODE localhost $(hostname)"
[ "$(cat "$COMMON/host_aliases" 2>/dev/null)" = "$ALIASES" ] || echo "$ALIASES" >"$COMMON/host_aliases"
printf 'export SGE_ROOT=%s SGE_CELL=%s\n' "$SGE_ROOT" "$SGE_CELL" >"$G/env.sh"

# ---------------------------------------------------------------- qmaster
if ! sge_qmaster_alive; then
    log "starting sge_qmaster"
    mkdir -p /run/gridengine
    chown sgeadmin:sgeadmin /run/gridengine 2>/dev/null || true
    /usr/sbin/sge_qmaster || die "sge_qmaster failed; see $SGE_SPOOL/qmaster/messages"
    wait_for 30 qstat || die "qmaster not answering; see $SGE_SPOOL/qmaster/messages"
fi

# ---------------------------------------------------------------- configuration
CONF_CHANGED=0
qconf -sconf global >"$G/global-conf"
if ! grep -qE '^min_uid +0$' "$G/global-conf" || ! grep -qE '^min_gid +0$' "$G/global-conf" \
        || ! grep -qE '^login_shells +NONE$' "$G/global-conf" || ! grep -q 'accounting_flush_time=00:00:01' "$G/global-conf"; then
    sge_editor "$G/ed-conf.sh" 's/^min_uid .*/min_uid 0/' 's/^min_gid .*/min_gid 0/' 's/^login_shells .*/login_shells NONE/' \
        's/ accounting_flush_time=[^ ]*//' 's/joblog=/accounting_flush_time=00:00:01 joblog=/'
    EDITOR="$G/ed-conf.sh" qconf -mconf global >/dev/null
    CONF_CHANGED=1
fi
qconf -ss 2>/dev/null | grep -qx "$NODE" || qconf -as "$NODE" >/dev/null
if ! qconf -sel 2>/dev/null | grep -qx "$NODE"; then
    printf 'hostname %s\nload_scaling NONE\ncomplex_values NONE\nuser_lists NONE\nxuser_lists NONE\nprojects NONE\nxprojects NONE\nusage_scaling NONE\nreport_variables NONE\n' \
        "$NODE" >"$G/exechost"
    qconf -Ae "$G/exechost" >/dev/null
fi
if ! qconf -spl 2>/dev/null | grep -qx smp; then
    printf 'pe_name smp\nslots 9999\nuser_lists NONE\nxuser_lists NONE\nstart_proc_args /bin/true\nstop_proc_args /bin/true\nallocation_rule $pe_slots\ncontrol_slaves FALSE\njob_is_first_task TRUE\nurgency_slots min\naccounting_summary FALSE\nqsort_args NONE\n' \
        >"$G/pe-smp"
    qconf -Ap "$G/pe-smp" >/dev/null
fi
# load_thresholds NONE: a busy shared machine (load above 1.75 per CPU) would otherwise put the
# queue in alarm state "a" and nothing would be dispatched.
sge_editor "$G/ed-queue.sh" 's/^pe_list .*/pe_list smp/' "s/^hostlist .*/hostlist $NODE/" "s/^slots .*/slots $SLOTS/" \
    's/^load_thresholds .*/load_thresholds NONE/'

QUEUES="$(qconf -sql 2>/dev/null || true)"
for q in all.q long.q; do
    if ! grep -qx "$q" <<<"$QUEUES"; then
        EDITOR="$G/ed-queue.sh" qconf -aq "$q" >/dev/null
    else
        # a queue made by an older recipe (pe_list NONE, other slots): bring it in line
        QCONF="$(qconf -sq "$q")"
        grep -qE '^pe_list +smp$' <<<"$QCONF" || qconf -rattr queue pe_list smp "$q" >/dev/null
        grep -qE "^slots +$SLOTS\$" <<<"$QCONF" || qconf -mattr queue slots "$SLOTS" "$q" >/dev/null
        grep -qE '^load_thresholds +NONE$' <<<"$QCONF" || qconf -rattr queue load_thresholds NONE "$q" >/dev/null
    fi
done
qconf -ssconf >"$G/sconf"
if ! grep -qE '^schedule_interval +0:0:1$' "$G/sconf" || ! grep -qE '^flush_submit_sec +1$' "$G/sconf" \
        || ! grep -qE '^flush_finish_sec +1$' "$G/sconf"; then
    sed -i -e 's/^schedule_interval .*/schedule_interval 0:0:1/' \
        -e 's/^flush_submit_sec .*/flush_submit_sec 1/' -e 's/^flush_finish_sec .*/flush_finish_sec 1/' "$G/sconf"
    qconf -Msconf "$G/sconf" >/dev/null
fi

# ---------------------------------------------------------------- execd
EXECD_PID="$(sge_execd_pidfile)"
if [ -n "$EXECD_PID" ] && [ "$CONF_CHANGED" = 1 ]; then
    # execd caches the global configuration (min_uid...): restart it
    stop_pidfile "$EXECD_PID" sge_execd 15
    EXECD_PID=""
fi
if [ -z "$EXECD_PID" ]; then
    log "starting sge_execd"
    /usr/sbin/sge_execd || die "sge_execd failed; see $SGE_SPOOL/execd/*/messages"
fi
# The queue instance is usable once its state column (6th) is empty (not "au", "E"...).
queue_ok() { qstat -f -q all.q 2>/dev/null | awk '$1 ~ /^all\.q@/ { found = 1; if ($6 != "") bad = 1 } END { exit !(found && !bad) }'; }
wait_for 30 queue_ok || die "all.q not available: $(qstat -f 2>&1 | head -5)"

T1="$(date +%s%N)"
log "Grid Engine up in $(( (T1 - T0) / 1000000 )) ms (SGE_ROOT=$SGE_ROOT SGE_CELL=$SGE_CELL; queues: $(qconf -sql | tr '\n' ' ')pe: smp)"
log "clients: source $G/env.sh"
