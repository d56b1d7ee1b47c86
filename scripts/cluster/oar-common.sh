# OAR helpers for oar-up.sh / oar-down.sh (on top of common.sh). Source it; do not run it.
# shellcheck shell=bash

OAR_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$OAR_HERE/common.sh"

OAR_DIR="$CLUSTER_DIR/oar"            # everything of ours: PostgreSQL cluster, logs, pid copies
OAR_PG_DIR="$OAR_DIR/pg"
OAR_PG_PORT="${OAR_PG_PORT:-5433}"
OAR_CONF=/etc/oar/oar.conf            # OAR reads only this path: edited in place, pristine copy kept
OAR_TEST_USER="${OAR_TEST_USER:-${CLUSTER_TEST_USER:-hpcuser}}"

# The newest PostgreSQL server binaries directory, or nothing.
oar_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# pkg_installed PACKAGE -> 0 when dpkg has it fully installed
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# oar_ensure_packages PACKAGE...: apt-get install those not installed. Maintainer scripts must not
# start daemons (no systemd here; we run our own copies): a policy-rc.d forbids it meanwhile,
# unless the machine already has one. `apt-get update` only when something is missing.
oar_ensure_packages() {
    local p missing=() policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    [ "${OAR_NO_INSTALL:-0}" = 0 ] || die "missing packages ${missing[*]} and OAR_NO_INSTALL=1"
    command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get"
    log "installing ${missing[*]} (apt-get; log in $OAR_DIR/apt.log)"
    mkdir -p "$OAR_DIR"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# temporary, by hpc-kernel scripts/cluster: no daemon starts during apt-get\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq </dev/null >>"$OAR_DIR/apt.log" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then
        apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" </dev/null >>"$OAR_DIR/apt.log" 2>&1 || rc=$?
    fi
    [ "$own_policy" = 0 ] || rm -f "$policy"
    [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed (rc=$rc); see $OAR_DIR/apt.log"
    hash -r
}

# oar_ensure_user NAME: a plain login user (uid >= 1000), no password ('*': not locked for ssh keys).
oar_ensure_user() {
    local name="$1" uid
    if ! getent passwd "$name" >/dev/null 2>&1; then
        log "creating user $name"
        useradd -m -s /bin/bash -p '*' -K UID_MIN=1000 "$name" || die "useradd $name failed"
    fi
    uid="$(id -u "$name")"
    [ "$uid" -ge 1000 ] || die "user $name exists with uid $uid (< 1000); OAR tests need a plain user"
}

# oar_psql SQL: one query on OAR's database as its owner (trust auth on 127.0.0.1), tuples only.
oar_psql() { psql -X -h 127.0.0.1 -p "$OAR_PG_PORT" -U oar -d oar -tAc "$1"; }

# as_postgres CMD...: run CMD as the postgres user, argv kept as is (no shell string)
as_postgres() { runuser -u postgres -- "$@"; }

oar_pg_running() {
    local bin
    bin="$(oar_pg_bin)"
    [ -n "$bin" ] && [ -f "$OAR_PG_DIR/data/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$OAR_PG_DIR/data" status >/dev/null 2>&1
}

# Almighty's pid file (written by /usr/sbin/oar-server) holds a perl process.
oar_server_alive() { pid_alive /run/oar-server.pid perl || pid_alive /run/oar-server.pid Almighty; }

# oar_stop_server: TERM Almighty (pid file /run/oar-server.pid; its children exit with it), KILL after 10 s.
oar_stop_server() {
    local pid
    pid="$(read_pid /run/oar-server.pid)"
    if proc_is "$pid" perl || proc_is "$pid" Almighty; then
        log "stopping Almighty (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do { proc_is "$pid" perl || proc_is "$pid" Almighty; } || break; sleep 0.1; done
        if proc_is "$pid" perl || proc_is "$pid" Almighty; then
            log "Almighty (pid $pid) still alive after 10 s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f /run/oar-server.pid "$OAR_DIR/oar-server.pid"
}
