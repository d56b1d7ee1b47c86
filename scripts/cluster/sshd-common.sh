# Helpers for the test sshd scripts (sshd-up.sh, sshd-down.sh, sshd-mfa-up.sh, sshd-mfa-down.sh).
# Source it; do not run it. Independent of common.sh (the Slurm scripts' helpers).
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
# wait, then SIGKILL; removes the pid file. Never signals anything else.
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
wait_for() {
    local secs="$1" deadline
    shift
    deadline=$(($(date +%s%N) + secs * 1000000000))
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

# pkg_installed PKG -> 0 if the Debian package is installed
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ensure_packages PKG...: apt-get install the packages that are missing (root, no stdin, no prompts).
# Daemons that a package's postinst would start (the system sshd on port 22) are held back with a
# temporary /usr/sbin/policy-rc.d, unless one already exists.
ensure_packages() {
    local missing=() p rc=0 made_policy=0
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get (not Debian?): install them yourself"
    log "installing ${missing[*]} (apt-get)"
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# temporary, from %s: do not start services during install\nexit 101\n' "${0##*/}" >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >&2; then
        log "install failed; running apt-get update and trying again"
        "${apt[@]}" update </dev/null >&2 || true
        "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >&2 || rc=$?
    fi
    if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed (rc $rc)"
    for p in "${missing[@]}"; do pkg_installed "$p" || die "package $p is still not installed"; done
}

# ensure_user NAME: create a non-root test user that sshd (with or without PAM) accepts for key logins.
ensure_user() {
    local u="$1"
    if ! getent passwd "$u" >/dev/null; then
        log "creating user $u"
        # -p '*': no password, but NOT locked. sshd (UsePAM no) refuses locked ('!') accounts even
        # for public-key logins ("User X not allowed because account is locked").
        useradd -m -s /bin/bash -p '*' "$u"
    fi
    if [ "$(getent shadow "$u" | cut -d: -f2)" = '!' ]; then
        log "unlocking $u (password '!' -> '*'): sshd refuses locked accounts"
        usermod -p '*' "$u"
    fi
}
