#!/usr/bin/env bash
# Run a command that sees DIR the way a login node sees an NFS/Lustre-backed directory written by
# compute nodes: through a cache. New files stay invisible and sizes stay stale for up to LAG
# seconds, while every other process on this machine (slurmd, sge_execd, the jobs) sees DIR directly.
#
#   lagged-view.sh DIR LAG -- CMD [ARGS...]
#
# How: a private mount namespace (unshare -m) in which DIR is replaced by an sshfs mount of DIR
# itself, read through the loopback test sshd as root, with the kernel's and sshfs's caches set to
# LAG seconds. CMD keeps this script's PID (exec all the way), so a Jupyter client that started
# the script signals the command itself. A watchdog inside the namespace unmounts DIR when CMD
# exits, which ends sshfs and with it the namespace: nothing outside the namespace ever changes.
#
# Needs: root, /dev/fuse, sshfs (`apt-get install sshfs`), and the test sshd up (sshd-up.sh: key
# $CLUSTER_DIR/ssh/id_ed25519 authorized for root on 127.0.0.1:$SSHD_PORT).
# Measured on Debian 12 (sshfs 3.7.3): a file created outside stays invisible until the negative
# lookup cache expires (about LAG s); a grown file keeps its old size for up to about 2 x LAG.
set -euo pipefail
[ $# -ge 4 ] && [ "$3" = "--" ] || { echo "usage: $0 DIR LAG -- CMD [ARGS...]" >&2; exit 2; }
[ -d "$1" ] || { echo "lagged-view: $1 is not a directory (create it first)" >&2; exit 2; }
DIR="$(cd "$1" && pwd -P)"; LAG="$2"; shift 3
case "$LAG" in ''|*[!0-9]*) echo "lagged-view: LAG must be whole seconds, got '$LAG'" >&2; exit 2;; esac
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/hpc-test-cluster}"; SSHD_PORT="${SSHD_PORT:-2222}"
[ "$(id -u)" = 0 ] || { echo "lagged-view: must run as root (mount namespace, sshfs as root)" >&2; exit 1; }
command -v sshfs >/dev/null || { echo "lagged-view: sshfs missing: apt-get install -y sshfs" >&2; exit 1; }
[ -c /dev/fuse ] || { echo "lagged-view: /dev/fuse missing (FUSE is needed for sshfs)" >&2; exit 1; }
UMOUNT="$(command -v fusermount3 || command -v fusermount || true)"
[ -n "$UMOUNT" ] || { echo "lagged-view: fusermount3 missing (package fuse3)" >&2; exit 1; }
KEY="$CLUSTER_DIR/ssh/id_ed25519"; KH="$CLUSTER_DIR/ssh/known_hosts"
[ -r "$KEY" ] && [ -r "$KH" ] || { echo "lagged-view: test sshd keys missing under $CLUSTER_DIR/ssh (run scripts/cluster/sshd-up.sh)" >&2; exit 1; }
exec unshare -m --propagation private -- bash -c '
  set -e
  dir=$1 lag=$2 port=$3 key=$4 kh=$5 umount=$6; shift 6
  sshfs -p "$port" -o "IdentityFile=$key,UserKnownHostsFile=$kh,StrictHostKeyChecking=yes,BatchMode=yes" \
        -o "attr_timeout=$lag,entry_timeout=$lag,negative_timeout=$lag,cache_timeout=$lag,allow_other,reconnect" \
        "root@127.0.0.1:$dir" "$dir"
  # The watchdog waits for this PID (CMD after exec) to go, then unmounts, which ends sshfs.
  me=$$ born=$(cut -d" " -f22 /proc/$$/stat)
  ( exec </dev/null >/dev/null 2>&1
    while [ "$(cut -d" " -f22 /proc/$me/stat 2>/dev/null)" = "$born" ]; do sleep 1; done
    "$umount" -u -z "$dir" ) &
  exec "$@"' lagged-view "$DIR" "$LAG" "$SSHD_PORT" "$KEY" "$KH" "$UMOUNT" "$@"
