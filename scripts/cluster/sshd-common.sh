# Helpers for the test sshd scripts (sshd-up.sh, sshd-down.sh, sshd-mfa-up.sh, sshd-mfa-down.sh).
# Source it; do not run it.
# shellcheck shell=bash

CLUSTER_DIR="${CLUSTER_DIR:-/tmp/hpc-test-cluster}"

# log, die, read_pid, proc_is, pid_alive, stop_pidfile, wait_for: the same as for the other
# test clusters. The package and user helpers below are the sshd scripts' own.
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

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
