#!/usr/bin/env bash
# Bring up a real single-node OAR 2.5 (Debian packages oar-server, oar-node, oar-user on
# PostgreSQL) on this machine, for hpc-kernel's OAR tests (OarLiveTest, HPC_TEST_OAR=1).
#
# Runs as root, without systemd, with no stdin; installs the Debian packages it needs with
# apt-get when they are missing. Idempotent: when everything is up it only checks and reports.
# Stop with scripts/cluster/oar-down.sh (pid files only).
#
#   - PostgreSQL cluster under $CLUSTER_DIR/oar/pg on 127.0.0.1:$OAR_PG_PORT, trust auth.
#     (MariaDB does not work: OAR's MySQL schema uses the reserved word `force`.)
#   - /etc/oar/oar.conf edited in place (a pristine copy is kept in $CLUSTER_DIR/oar/oar.conf.dist;
#     oar-down.sh CLUSTER_WIPE=1 puts it back): DB_TYPE=Pg, our port, no cpuset (with cpusets
#     jobs fail with CPUSET_ERROR here), SCHEDULER_MIN_TIME_BETWEEN_2_CALLS=$OAR_SCHEDULER_MIN_TIME.
#     (Almighty defers a scheduling request that comes sooner than that after the last run, and
#     then sleeps up to 10 s waiting for commands: with 1, a job submitted just after another one
#     ended started ~11 s later; with 0 it starts in ~1-2 s.)
#   - OAR's node sshd (/etc/oar/sshd_config) on 127.0.0.1:6667: the server starts jobs through it.
#   - Almighty (oar-server). It listens on 0.0.0.0:6666; OAR has no setting for that.
#   - One resource per CPU of this host, with the properties host/cpu/core so that
#     `-l /nodes=1/core=2` works; queues default, admin, besteffort (OAR's) and long.
#   - A plain user $OAR_TEST_USER (uid >= 1000): root cannot submit
#     ("[ADMISSION RULE] root and oar users are not allowed to submit jobs.").
#
# Environment (all optional):
#   CLUSTER_DIR      state root                                           [/tmp/hpc-test-cluster]
#   OAR_PG_PORT      PostgreSQL port                                      [5433]
#   OAR_TEST_USER    the submitting user, created when missing            [$CLUSTER_TEST_USER or hpcuser]
#   OAR_NO_INSTALL   1: never run apt-get; fail if a package is missing   [0]
#   OAR_SCHEDULER_MIN_TIME  seconds between two scheduler runs (OAR's default is 5)   [0]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=oar-common.sh
. "$HERE/oar-common.sh"

T0="$(date +%s%N)"
[ "$(id -u)" = 0 ] || die "must run as root"
exec </dev/null
NODE="$(hostname -s)"
OAR_SCHEDULER_MIN_TIME="${OAR_SCHEDULER_MIN_TIME:-0}"
[[ "$OAR_SCHEDULER_MIN_TIME" =~ ^[0-9]+$ ]] || die "OAR_SCHEDULER_MIN_TIME must be a number of seconds"
[[ "$OAR_PG_PORT" =~ ^[0-9]+$ ]] || die "OAR_PG_PORT must be a port number"
[[ "$OAR_TEST_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "OAR_TEST_USER is not a plain user name: $OAR_TEST_USER"

# ---------------------------------------------------------------- packages, user
oar_ensure_packages oar-server oar-server-pgsql oar-node oar-user oar-user-pgsql libdbd-pg-perl postgresql
PGBIN="$(oar_pg_bin)"
[ -n "$PGBIN" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
oar_ensure_user "$OAR_TEST_USER"
mkdir -p "$OAR_DIR" "$OAR_PG_DIR/run"

# ---------------------------------------------------------------- PostgreSQL
if [ ! -f "$OAR_PG_DIR/data/PG_VERSION" ]; then
    log "initdb $OAR_PG_DIR/data"
    rm -rf "$OAR_PG_DIR/data"
    mkdir -p "$OAR_PG_DIR/data"
    chown -R postgres:postgres "$OAR_PG_DIR"
    chmod 700 "$OAR_PG_DIR/data"
    as_postgres "$PGBIN/initdb" -D "$OAR_PG_DIR/data" -A trust -U postgres >"$OAR_DIR/initdb.log" 2>&1 \
        || die "initdb failed; see $OAR_DIR/initdb.log"
fi
chown -R postgres:postgres "$OAR_PG_DIR"
if ! oar_pg_running; then
    log "starting PostgreSQL on 127.0.0.1:$OAR_PG_PORT"
    rm -f "$OAR_PG_DIR/data/postmaster.pid"   # stale after an unclean stop; pg_ctl status said no
    as_postgres "$PGBIN/pg_ctl" -D "$OAR_PG_DIR/data" -l "$OAR_PG_DIR/postgres.log" -w -t 60 \
        -o "-p $OAR_PG_PORT -k $OAR_PG_DIR/run -c listen_addresses=127.0.0.1" start >/dev/null \
        || die "PostgreSQL did not start; see $OAR_PG_DIR/postgres.log"
fi

# ---------------------------------------------------------------- oar.conf
[ -f "$OAR_DIR/oar.conf.dist" ] || cp -p "$OAR_CONF" "$OAR_DIR/oar.conf.dist"
conf_before="$(md5sum <"$OAR_CONF")"
sed -i \
    -e 's/^#\?DB_TYPE=.*/DB_TYPE="Pg"/' \
    -e "s/^#\?DB_PORT=.*/DB_PORT=\"$OAR_PG_PORT\"/" \
    -e 's/^#\?DB_HOSTNAME=.*/DB_HOSTNAME="127.0.0.1"/' \
    -e 's/^#\?DB_BASE_PASSWD=.*/DB_BASE_PASSWD="oarpw"/' \
    -e 's/^#\?DB_BASE_PASSWD_RO=.*/DB_BASE_PASSWD_RO="oarropw"/' \
    -e 's|^#\?JOB_RESOURCE_MANAGER_FILE=.*|JOB_RESOURCE_MANAGER_FILE="/etc/oar/job_resource_manager.pl"|' \
    -e 's/^JOB_RESOURCE_MANAGER_PROPERTY_DB_FIELD=/#JOB_RESOURCE_MANAGER_PROPERTY_DB_FIELD=/' \
    -e "s/^#\\?SCHEDULER_MIN_TIME_BETWEEN_2_CALLS=.*/SCHEDULER_MIN_TIME_BETWEEN_2_CALLS=$OAR_SCHEDULER_MIN_TIME/" \
    "$OAR_CONF"
grep -q '^DB_TYPE="Pg"' "$OAR_CONF" || die "could not set DB_TYPE in $OAR_CONF"
if [ "$(md5sum <"$OAR_CONF")" != "$conf_before" ] && oar_server_alive; then
    log "$OAR_CONF changed: restarting Almighty"
    oar_stop_server
fi

# ---------------------------------------------------------------- OAR database
if ! oar_psql 'select count(*) from queues' >/dev/null 2>&1; then
    log "creating the OAR database (log in $OAR_DIR/oar-database.log)"
    oar-database --create --db-admin-user=postgres --db-admin-pass=x -y >"$OAR_DIR/oar-database.log" 2>&1 \
        || die "oar-database failed; see $OAR_DIR/oar-database.log"
fi

# ---------------------------------------------------------------- node sshd (the server starts jobs over it)
if ! pid_alive "$OAR_DIR/oar-node-sshd.pid" sshd; then
    log "starting OAR's node sshd on 127.0.0.1:6667"
    mkdir -p /run/sshd
    /usr/sbin/sshd -f /etc/oar/sshd_config -o PidFile="$OAR_DIR/oar-node-sshd.pid" -o ListenAddress=127.0.0.1 \
        -E "$OAR_DIR/oar-node-sshd.log" || die "OAR's sshd did not start; see $OAR_DIR/oar-node-sshd.log"
fi
wait_for 10 runuser -u oar -- ssh -p 6667 -o StrictHostKeyChecking=accept-new -o BatchMode=yes "$NODE" true \
    || die "user oar cannot ssh to $NODE:6667; see $OAR_DIR/oar-node-sshd.log"

# ---------------------------------------------------------------- resources: one per CPU, with host/cpu/core
# column type of a resources property: "integer", "character varying" or nothing
prop_type() { oar_psql "select data_type from information_schema.columns where table_name='resources' and column_name='$1'"; }
case "$(prop_type host)" in
    "character varying") ;;
    "") oarproperty -a host -c >/dev/null ;;
    *) oarproperty -d host >/dev/null && oarproperty -a host -c >/dev/null ;;   # must hold a host name
esac
for prop in cpu core; do
    [ -n "$(prop_type "$prop")" ] || oarproperty -a "$prop" >/dev/null
done
have="$(oar_psql "select count(*) from resources where network_address='$NODE'")"
for ((i = have; i < $(nproc); i++)); do oarnodesetting -a -h "$NODE" >/dev/null; done
n=0
for rid in $(oar_psql "select resource_id from resources where network_address='$NODE' order by resource_id"); do
    n=$((n + 1))
    oar_psql "update resources set host='$NODE', cpu=1, core=$n where resource_id=$rid and (host is distinct from '$NODE' or cpu is distinct from 1 or core is distinct from $n)" >/dev/null
done
oar_psql "select 1 from queues where queue_name='long'" | grep -q 1 \
    || oarnotify --add_queue "long,3,oar_sched_gantt_with_timesharing_and_fairsharing_and_quotas" >/dev/null

# ---------------------------------------------------------------- Almighty
if ! oar_server_alive; then
    log "starting oar-server (Almighty)"
    /usr/sbin/oar-server || die "oar-server did not start; see /var/log/oar.log"
    wait_for 10 oar_server_alive || die "Almighty not running; see /var/log/oar.log"
fi
cp /run/oar-server.pid "$OAR_DIR/oar-server.pid" 2>/dev/null || true
oarnodesetting -s Alive -h "$NODE" >/dev/null 2>&1 || true
alive() { [ "$(oar_psql "select count(*) from resources where network_address='$NODE' and state='Alive'")" -ge 1 ]; }
wait_for 20 alive || die "no Alive resource on $NODE: $(oarnodes -s 2>&1 | tr '\n' ' ')"

ms=$(( ($(date +%s%N) - T0) / 1000000 ))
log "OAR up in ${ms} ms: node $NODE, $(oar_psql "select count(*) from resources where state='Alive'") Alive resources, PostgreSQL 127.0.0.1:$OAR_PG_PORT"
echo "submit as $OAR_TEST_USER (root may not), e.g.: runuser -u $OAR_TEST_USER -- oarsub -l /nodes=1/core=1,walltime=0:05:00 hostname"
echo "logs: /var/log/oar.log, $OAR_DIR/"
