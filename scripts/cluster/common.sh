# Shared helpers for the test-cluster scripts (slurm-up.sh, slurm-down.sh). Source it; do not run it.
# shellcheck shell=bash

CLUSTER_DIR="${CLUSTER_DIR:-/tmp/hpc-test-cluster}"

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# read_pid PIDFILE -> the pid (digits only), or nothing
read_pid() { { tr -dc '0-9' <"$1"; } 2>/dev/null || true; }

# proc_is PID NAME -> 0 if PID is alive, not a zombie, and its comm is NAME
proc_is() {
    local st
    [ -n "$1" ] && [ -d "/proc/$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
    # PID 1 may reap exited daemons late: a zombie still has /proc/PID but counts as dead.
    st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
    [ "$st" != Z ] && [ "$st" != X ]
}

# pid_alive PIDFILE NAME -> 0 if the pid recorded in PIDFILE is alive and named NAME
pid_alive() { proc_is "$(read_pid "$1")" "$2"; }

# stop_pidfile PIDFILE NAME [WAIT_SECONDS]: SIGTERM the recorded pid (only when its comm is NAME),
# wait up to WAIT_SECONDS, then SIGKILL; removes the pid file. Never signals anything else.
stop_pidfile() {
    local f="$1" name="$2" wait="${3:-10}" pid i
    pid="$(read_pid "$f")"
    if ! proc_is "$pid" "$name"; then
        rm -f "$f"
        return 0
    fi
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do
        proc_is "$pid" "$name" || break
        sleep 0.1
    done
    if proc_is "$pid" "$name"; then
        log "$name (pid $pid) still alive after ${wait}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
    fi
    rm -f "$f"
}

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds or SECONDS (wall clock) pass.
# CMD may be a shell function; external commands get a 10 s timeout each.
wait_for() {
    local secs="$1" deadline
    shift
    deadline=$(( $(date +%s%N) + secs * 1000000000 ))
    while :; do
        if [ "$(type -t "$1")" = function ]; then
            if "$@" >/dev/null 2>&1; then return 0; fi
        elif timeout 10 "$@" >/dev/null 2>&1; then
            return 0
        fi
        [ "$(date +%s%N)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# ensure_packages CMD:PACKAGE ...: apt-get install every PACKAGE whose CMD is not on PATH.
# `apt-get update` runs only when something is missing, so a warm re-run costs nothing.
# Package maintainer scripts must not start daemons of their own (no systemd here, and we run
# our own copies under CLUSTER_DIR): a policy-rc.d that forbids it is put in place for the
# duration, unless the machine already has one.
ensure_packages() {
    local pair cmd pkg missing=() policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
    for pair in "$@"; do
        cmd="${pair%%:*}"; pkg="${pair#*:}"
        if ! command -v "$cmd" >/dev/null 2>&1 && [[ " ${missing[*]} " != *" $pkg "* ]]; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]} and not root"
    command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get (install them by hand)"
    log "installing ${missing[*]} (apt-get)"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# temporary, by hpc-kernel scripts/cluster: no daemon starts during apt-get\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2 || rc=$?
    if [ "$rc" = 0 ]; then
        apt-get install -y -qq --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" </dev/null >&2 || rc=$?
    fi
    [ "$own_policy" = 0 ] || rm -f "$policy"
    [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed (rc=$rc)"
    hash -r
}

# ensure_user NAME: a plain login user with uid >= 1000, no password (locked for passwords, but
# not "locked" for sshd key logins: password field '*'), home directory, bash.
ensure_user() {
    local name="$1" uid
    if ! getent passwd "$name" >/dev/null 2>&1; then
        log "creating user $name"
        useradd -m -s /bin/bash -p '*' -K UID_MIN=1000 "$name" || die "useradd $name failed"
    fi
    uid="$(id -u "$name")"
    [ "$uid" -ge 1000 ] || die "user $name exists with uid $uid (< 1000); tests need a plain user"
}
