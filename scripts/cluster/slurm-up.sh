#!/usr/bin/env bash
# Bring up a real single-node Slurm (munged + slurmctld + slurmd, and by default MariaDB +
# slurmdbd so that `sacct` works) on this machine, for hpc-kernel's tests and CI.
#
# Runs as root, without systemd, with no stdin; installs the Debian packages it needs with
# apt-get when they are missing (slurm-wlm munge; mariadb-server slurmdbd for accounting).
# Idempotent: when everything is already up it only checks and reports (well under a second).
# All generated config, state, logs and pid files live under $CLUSTER_DIR; daemons are stopped
# by scripts/cluster/slurm-down.sh through their pid files.
#
# Environment (all optional):
#   CLUSTER_DIR          state/config root                                     [/tmp/hpc-test-cluster]
#   CLUSTER_ACCOUNTING   slurmdbd : MariaDB (127.0.0.1:$MARIADB_PORT) + slurmdbd, sacct works [slurmdbd]
#                        none     : AccountingStorageType=accounting_storage/none
#                                   (sacct says "Slurm accounting storage is disabled")
#                        auto     : slurmdbd if already installed, else none (installs nothing for it)
#   SLURM_CLUSTER_NAME   ClusterName                                           [hpctest]
#   SLURMCTLD_PORT       [6817]   SLURMD_PORT [6818]   SLURMDBD_PORT [6819]   MARIADB_PORT [3307]
#   CLUSTER_CPUS         CPUs to advertise (differs from hardware => config_overrides) [slurmd -C]
#   SLURM_MAX_ARRAY_SIZE MaxArraySize: array indices must be below it           [Slurm's 1001]
#   CLUSTER_LINK_ETC     1: symlink /etc/slurm/slurm.conf -> our slurm.conf so that plain `sbatch`
#                        works without SLURM_CONF (also over ssh and for other users)  [1]
#   CLUSTER_FRESH        1: wipe Slurm state + accounting DB first (job ids restart at 1) [0]
#   CLUSTER_TEST_USER    plain user (uid >= 1000) created if missing, for tests submitting
#                        as a non-root user                                   [hpcuser]
#   CLUSTER_USERS        users given a slurmdbd association (if they exist)  [root $CLUSTER_TEST_USER]
#   CLUSTER_NO_INSTALL   1: never run apt-get; fail if something is missing    [0]
#
# Partitions: debug (default, MaxTime=01:00:00) and long (MaxTime=INFINITE), one node
# (`hostname -s`). EnforcePartLimits=ALL: requests that can never run are refused by sbatch.
# The script exports nothing into your shell: it prints where slurm.conf is; either rely on the
# /etc/slurm/slurm.conf symlink or `source $CLUSTER_DIR/env.sh`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

T0="$(date +%s%N)"
[ "$(id -u)" = 0 ] || die "must run as root (slurmd and munged need it)"
exec </dev/null

SLURM_CLUSTER_NAME="${SLURM_CLUSTER_NAME:-hpctest}"
SLURMCTLD_PORT="${SLURMCTLD_PORT:-6817}"
SLURMD_PORT="${SLURMD_PORT:-6818}"
CLUSTER_LINK_ETC="${CLUSTER_LINK_ETC:-1}"
CLUSTER_FRESH="${CLUSTER_FRESH:-0}"
CLUSTER_ACCOUNTING="${CLUSTER_ACCOUNTING:-slurmdbd}"
CLUSTER_TEST_USER="${CLUSTER_TEST_USER:-hpcuser}"
CLUSTER_USERS="${CLUSTER_USERS:-root $CLUSTER_TEST_USER}"
MARIADB_PORT="${MARIADB_PORT:-3307}"
SLURMDBD_PORT="${SLURMDBD_PORT:-6819}"

have_accounting_bins() {
    command -v mariadbd >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1 \
        && command -v slurmdbd >/dev/null 2>&1
}
if [ "$CLUSTER_ACCOUNTING" = auto ]; then
    if have_accounting_bins; then CLUSTER_ACCOUNTING=slurmdbd; else CLUSTER_ACCOUNTING=none; fi
fi
case "$CLUSTER_ACCOUNTING" in none|slurmdbd) ;; *) die "CLUSTER_ACCOUNTING must be slurmdbd|none|auto" ;; esac

# ---------------------------------------------------------------- packages and users
PKGS=(munged:munge slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client sinfo:slurm-client)
[ "$CLUSTER_ACCOUNTING" = slurmdbd ] && PKGS+=(mariadbd:mariadb-server mariadb-install-db:mariadb-server slurmdbd:slurmdbd)
if [ "${CLUSTER_NO_INSTALL:-0}" = 1 ]; then
    for p in "${PKGS[@]}"; do command -v "${p%%:*}" >/dev/null 2>&1 || die "${p%%:*} not found (package ${p#*:})"; done
else
    ensure_packages "${PKGS[@]}"
fi
ensure_user "$CLUSTER_TEST_USER"

D="$CLUSTER_DIR"
ETC="$D/etc"; RUN="$D/run"; LOG="$D/log"; MUNGE="$D/munge"
CTLD_STATE="$D/state/slurmctld"; SLURMD_SPOOL="$D/state/slurmd"
CONF="$ETC/slurm.conf"
MDB="$D/mariadb"
# Only for the commands this script runs; nothing is exported to the caller.
export SLURM_CONF="$CONF"

NODE="$(hostname -s)"
[ -n "$NODE" ] || die "empty short hostname"

mkdir -p "$D" "$ETC" "$RUN" "$LOG" "$CTLD_STATE" "$SLURMD_SPOOL" "$D/jobs"
# 755 all the way down to the munge socket and slurm.conf: plain users run the client commands.
chmod 755 "$D" "$ETC" "$RUN" "$LOG"
chmod 1777 "$D/jobs"          # scratch directory tests may use for job files

# slurmd/slurmstepd resolve the node name: make sure it resolves (loopback).
if ! getent hosts "$NODE" >/dev/null 2>&1; then
    log "hostname '$NODE' does not resolve; adding '127.0.0.1 $NODE' to /etc/hosts"
    printf '127.0.0.1 %s  # added by hpc-kernel scripts/cluster/slurm-up.sh\n' "$NODE" >>/etc/hosts
fi

# ---------------------------------------------------------------- munge
start_munge() {
    mkdir -p "$MUNGE"
    chmod 755 "$MUNGE"
    if [ ! -s "$MUNGE/munge.key" ]; then
        log "creating munge key"
        ( umask 077; dd if=/dev/urandom of="$MUNGE/munge.key" bs=1 count=1024 status=none )
    fi
    chmod 400 "$MUNGE/munge.key"
    if pid_alive "$MUNGE/munged.pid" munged && [ -S "$MUNGE/munge.socket" ]; then
        return 0
    fi
    rm -f "$MUNGE/munged.pid" "$MUNGE/munge.socket" "$MUNGE/munge.socket.lock"
    log "starting munged"
    # As root (no privilege drop); --force tolerates a leftover socket. Daemonizes itself.
    munged --force \
        --key-file="$MUNGE/munge.key" \
        --socket="$MUNGE/munge.socket" \
        --pid-file="$MUNGE/munged.pid" \
        --log-file="$LOG/munged.log" \
        --seed-file="$MUNGE/munged.seed" \
        || die "munged failed to start; see $LOG/munged.log"
    wait_for 10 test -S "$MUNGE/munge.socket" || die "munge socket did not appear"
    munge -S "$MUNGE/munge.socket" -n | unmunge -S "$MUNGE/munge.socket" >/dev/null \
        || die "munge self-test failed"
}

# ---------------------------------------------------------------- slurm.conf
write_conf() {
    local hw cpus boards sockets cores threads memavail realmem prev extra="" acct
    hw="$(slurmd -C 2>/dev/null | head -1)" || true
    field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$hw"; }
    cpus="$(field CPUs)"; boards="$(field Boards)"; sockets="$(field SocketsPerBoard)"
    cores="$(field CoresPerSocket)"; threads="$(field ThreadsPerCore)"
    [ -n "$cpus" ] || { cpus="$(nproc)"; boards=1; sockets=1; cores="$cpus"; threads=1; }
    local topo="CPUs=$cpus Boards=$boards SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads"
    if [ -n "${CLUSTER_CPUS:-}" ] && [ "$CLUSTER_CPUS" != "$cpus" ]; then
        # Advertise another CPU count than the hardware has: slurmd must trust the config.
        topo="CPUs=$CLUSTER_CPUS Boards=1 SocketsPerBoard=1 CoresPerSocket=$CLUSTER_CPUS ThreadsPerCore=1"
        extra="SlurmdParameters=config_overrides"
    fi
    if [ -n "${SLURM_MAX_ARRAY_SIZE:-}" ]; then
        extra="$extra
MaxArraySize=$SLURM_MAX_ARRAY_SIZE"
    fi
    # RealMemory: 80% of MemAvailable (MiB) rounded down to whole GiB, so re-runs give the same
    # file; it must not exceed what slurmd detects (else the node goes INVAL). The previous value
    # is kept while it still fits, so that the config does not flap.
    memavail="$(awk '/^MemAvailable:/ {print int($2/1024)}' /proc/meminfo)"
    realmem=$(( memavail * 8 / 10 / 1024 * 1024 ))
    [ "$realmem" -ge 1024 ] || realmem=$(( memavail * 8 / 10 ))
    prev=""
    [ -f "$CONF" ] && prev="$(sed -n 's/^NodeName=.* RealMemory=\([0-9]*\).*/\1/p' "$CONF" | head -1)"
    if [ -n "$prev" ] && [ "$prev" -le "$memavail" ]; then realmem="$prev"; fi

    if [ "$CLUSTER_ACCOUNTING" = slurmdbd ]; then
        acct="# Accounting via slurmdbd (MariaDB): sacct works.
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$SLURMDBD_PORT
# Munge socket for connections to slurmdbd (AuthInfo=socket= is NOT used for those; without
# this, sacctmgr fails with: Munge encode failed: Failed to access \"/run/munge/munge.socket.2\").
AccountingStoragePass=$MUNGE/munge.socket"
    else
        acct="# No slurmdbd: sacct fails with 'Slurm accounting storage is disabled'.
AccountingStorageType=accounting_storage/none"
    fi
    cat >"$CONF.tmp" <<EOF
# Generated by hpc-kernel scripts/cluster/slurm-up.sh (single-node test cluster).
# Do not edit: re-run slurm-up.sh.
ClusterName=$SLURM_CLUSTER_NAME
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root

AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE/munge.socket

StateSaveLocation=$CTLD_STATE
SlurmdSpoolDir=$SLURMD_SPOOL
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
PlugStackConfig=$ETC/plugstack.conf

# No systemd / cgroup delegation: track job processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
# Sample job memory/CPU every second (default 30 s): short test jobs get MaxRSS in sacct.
JobAcctGatherFrequency=task=1
MpiDefault=none
SwitchType=switch/none
LaunchType=launch/slurm

$acct
# One line per finished job, in every accounting mode.
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG/jobcomp.log

SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0,bf_interval=1

# Short timings so that tests are fast.
MinJobAge=300
KillWait=2
OverTimeLimit=0
InactiveLimit=0
Waittime=0
MessageTimeout=10
SlurmctldTimeout=30
SlurmdTimeout=60
TCPTimeout=2
ReturnToService=2
# Refuse at submit time what can never run in the requested partition (like most sites):
# bad node counts, CPUs, memory and time limits fail in sbatch instead of pending forever.
EnforcePartLimits=ALL
$extra

NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE $topo RealMemory=$realmem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=01:00:00 State=UP
PartitionName=long  Nodes=$NODE Default=NO  MaxTime=INFINITE State=UP
EOF
    : >"$ETC/plugstack.conf"
    if [ -f "$CONF" ] && cmp -s "$CONF" "$CONF.tmp"; then
        rm -f "$CONF.tmp"
    else
        # Another accounting plugin needs a daemon restart, not just a reconfigure.
        if [ -f "$CONF" ] && [ "$(grep '^AccountingStorageType=' "$CONF")" != "$(grep '^AccountingStorageType=' "$CONF.tmp")" ]; then
            NEED_RESTART=1
        fi
        mv "$CONF.tmp" "$CONF"
        CONF_CHANGED=1
    fi
    chmod 644 "$CONF" "$ETC/plugstack.conf"
    printf '# source me: points Slurm client commands at the hpc-kernel test cluster\nexport SLURM_CONF=%s\n' \
        "$CONF" >"$D/env.sh"
}

# ---------------------------------------------------------------- MariaDB + slurmdbd
start_mariadb() {
    mkdir -p "$MDB/data" "$MDB/run"
    chmod 700 "$MDB/data"
    if [ ! -d "$MDB/data/mysql" ]; then
        log "initialising MariaDB datadir"
        rm -f "$MDB/user.ok"
        mariadb-install-db --no-defaults --datadir="$MDB/data" --user=root \
            --auth-root-authentication-method=socket --skip-test-db --innodb-log-file-size=16M \
            >"$LOG/mariadb-install.log" 2>&1 \
            || die "mariadb-install-db failed; see $LOG/mariadb-install.log"
    fi
    if ! pid_alive "$MDB/run/mariadbd.pid" mariadbd; then
        rm -f "$MDB/run/mariadbd.pid" "$MDB/run/mysqld.sock"
        log "starting mariadbd on 127.0.0.1:$MARIADB_PORT"
        # mariadbd does not daemonize: detach it with setsid.
        setsid mariadbd --no-defaults --user=root --datadir="$MDB/data" \
            --socket="$MDB/run/mysqld.sock" --pid-file="$MDB/run/mariadbd.pid" \
            --bind-address=127.0.0.1 --port="$MARIADB_PORT" --skip-name-resolve \
            --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
            --innodb-lock-wait-timeout=900 --log-error="$LOG/mariadb.log" \
            </dev/null >/dev/null 2>&1 &
        wait_for 60 mariadb -S "$MDB/run/mysqld.sock" -u root -e 'select 1' \
            || die "mariadbd not answering; see $LOG/mariadb.log"
    fi
    if [ ! -s "$MDB/slurm.pass" ]; then
        ( umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$MDB/slurm.pass" )
        rm -f "$MDB/user.ok"
    fi
    if [ ! -f "$MDB/user.ok" ]; then
        local pw; pw="$(cat "$MDB/slurm.pass")"
        mariadb -S "$MDB/run/mysqld.sock" -u root -e "
            CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
            ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
            GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
            FLUSH PRIVILEGES;" || die "could not create the MariaDB user for slurmdbd"
        : >"$MDB/user.ok"
    fi
}

start_slurmdbd() {
    local pw u want; pw="$(cat "$MDB/slurm.pass")"
    ( umask 077; cat >"$ETC/slurmdbd.conf.tmp" <<EOF
# Generated by hpc-kernel scripts/cluster/slurm-up.sh. Mode 600, owned by SlurmUser (root).
AuthType=auth/munge
AuthInfo=socket=$MUNGE/munge.socket
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$SLURMDBD_PORT
SlurmUser=root
PidFile=$RUN/slurmdbd.pid
LogFile=$LOG/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$MARIADB_PORT
StorageUser=slurm
StoragePass=$pw
StorageLoc=slurm_acct_db
EOF
    )
    if cmp -s "$ETC/slurmdbd.conf" "$ETC/slurmdbd.conf.tmp"; then
        rm -f "$ETC/slurmdbd.conf.tmp"
    else
        mv "$ETC/slurmdbd.conf.tmp" "$ETC/slurmdbd.conf"
        stop_pidfile "$RUN/slurmdbd.pid" slurmdbd 15     # it reads its config only at start
    fi
    chmod 600 "$ETC/slurmdbd.conf"
    if ! pid_alive "$RUN/slurmdbd.pid" slurmdbd; then
        rm -f "$RUN/slurmdbd.pid"
        log "starting slurmdbd on 127.0.0.1:$SLURMDBD_PORT"
        # Reads slurmdbd.conf from the directory of $SLURM_CONF. Daemonizes itself.
        slurmdbd || die "slurmdbd failed; see $LOG/slurmdbd.log"
        wait_for 30 sacctmgr -n list cluster || die "slurmdbd not answering; see $LOG/slurmdbd.log"
    fi
    # Register the cluster and give the test users an association (account root). Without one,
    # jobs still run (no AccountingStorageEnforce) but their records lack the account.
    # A marker remembers what was done, so that a warm re-run skips the sacctmgr round trips.
    want="$SLURM_CLUSTER_NAME:"
    for u in $CLUSTER_USERS; do getent passwd "$u" >/dev/null && want="$want $u"; done
    [ "$(cat "$MDB/registered" 2>/dev/null)" = "$want" ] && return 0
    wait_for 30 sacctmgr -n list cluster || die "slurmdbd not answering; see $LOG/slurmdbd.log"
    if [ -z "$(sacctmgr -n -P list cluster "$SLURM_CLUSTER_NAME" format=cluster 2>/dev/null)" ]; then
        log "registering cluster $SLURM_CLUSTER_NAME in slurmdbd"
        sacctmgr -i add cluster "$SLURM_CLUSTER_NAME" >/dev/null || die "sacctmgr add cluster failed"
    fi
    local have missing=""
    have=" $(sacctmgr -n -P list assoc cluster="$SLURM_CLUSTER_NAME" format=user 2>/dev/null | tr '\n' ' ') "
    for u in $CLUSTER_USERS; do
        getent passwd "$u" >/dev/null && [[ "$have" != *" $u "* ]] && missing="$missing,$u"
    done
    if [ -n "$missing" ]; then
        sacctmgr -i add user name="${missing#,}" account=root cluster="$SLURM_CLUSTER_NAME" >/dev/null \
            || log "WARNING: could not add associations for ${missing#,}"
    fi
    printf '%s\n' "$want" >"$MDB/registered"
}

stop_accounting() {
    stop_pidfile "$RUN/slurmdbd.pid" slurmdbd 15
    stop_pidfile "$MDB/run/mariadbd.pid" mariadbd 60
}

link_etc() {
    [ "$CLUSTER_LINK_ETC" = 1 ] || return 0
    mkdir -p /etc/slurm
    if [ -L /etc/slurm/slurm.conf ] || [ ! -e /etc/slurm/slurm.conf ]; then
        [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$CONF" ] || ln -sfn "$CONF" /etc/slurm/slurm.conf
        LINKED=1
    else
        log "WARNING: /etc/slurm/slurm.conf is a real file; not replacing it. Use SLURM_CONF=$CONF"
    fi
}

node_ready() {
    local st
    st="$(sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -1)" || return 1
    case "$st" in idle|mixed|allocated|completing|idle~|mix|alloc) return 0 ;; *) return 1 ;; esac
}

# ---------------------------------------------------------------- main
CONF_CHANGED=0
NEED_RESTART=0
LINKED=0
start_munge
if [ "$CLUSTER_FRESH" = 1 ]; then
    log "CLUSTER_FRESH=1: stopping daemons, wiping Slurm state and the accounting DB"
    stop_pidfile "$RUN/slurmd.pid" slurmd 15
    stop_pidfile "$RUN/slurmctld.pid" slurmctld 15
    stop_accounting
    rm -rf "${CTLD_STATE:?}"/* "${SLURMD_SPOOL:?}"/* "${MDB:?}"
fi
write_conf
link_etc
if [ "$CLUSTER_ACCOUNTING" = slurmdbd ]; then
    start_mariadb
    start_slurmdbd
else
    stop_accounting
fi
if [ "$NEED_RESTART" = 1 ]; then
    log "accounting plugin changed; restarting slurmctld and slurmd"
    stop_pidfile "$RUN/slurmd.pid" slurmd 15
    stop_pidfile "$RUN/slurmctld.pid" slurmctld 15
fi

ctld_up=0; slurmd_up=0
pid_alive "$RUN/slurmctld.pid" slurmctld && ctld_up=1
pid_alive "$RUN/slurmd.pid" slurmd && slurmd_up=1

if [ "$ctld_up" = 1 ] && [ "$slurmd_up" = 1 ] && [ "$CONF_CHANGED" = 1 ]; then
    log "slurm.conf changed; asking the daemons to reconfigure"
    scontrol reconfigure || true
fi
if [ "$ctld_up" = 0 ]; then
    log "starting slurmctld"
    rm -f "$RUN/slurmctld.pid"
    # -i: ignore unreadable state files (e.g. after a crash). Daemonizes itself.
    slurmctld -i -f "$CONF" || die "slurmctld failed; see $LOG/slurmctld.log"
    wait_for 20 scontrol ping || die "slurmctld not answering; see $LOG/slurmctld.log"
fi
if [ "$slurmd_up" = 0 ]; then
    log "starting slurmd"
    rm -f "$RUN/slurmd.pid"
    slurmd -f "$CONF" -N "$NODE" || die "slurmd failed; see $LOG/slurmd.log"
fi

if ! wait_for 30 node_ready; then
    # The node may be DOWN/DRAIN after an unclean stop: resume it once.
    log "node not ready ($(sinfo -h -n "$NODE" -o '%T %E' 2>&1)); trying scontrol update state=resume"
    scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true
    wait_for 20 node_ready || die "node $NODE not ready: $(sinfo -h -n "$NODE" -o '%T %E' 2>&1); see $LOG/"
fi

ms=$(( ($(date +%s%N) - T0) / 1000000 ))
log "Slurm cluster '$SLURM_CLUSTER_NAME' up in ${ms} ms: node $NODE, accounting=$CLUSTER_ACCOUNTING, test user $CLUSTER_TEST_USER"
echo "slurm.conf: $CONF"
if [ "$LINKED" = 1 ]; then
    echo "            (/etc/slurm/slurm.conf links to it: plain sbatch/squeue use it)"
else
    echo "            (not linked from /etc/slurm: export SLURM_CONF=$CONF)"
fi
echo "env:        source $D/env.sh   # exports SLURM_CONF=$CONF"
echo "logs:       $LOG/"
sinfo
