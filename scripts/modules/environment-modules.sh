#!/usr/bin/env bash
# Unpacks Debian's Environment Modules (the `environment-modules` package) into a private
# directory, without installing it: Debian's Lmod conflicts with it, and the tests run both module
# systems. The package's absolute paths (/usr/share/modules, /usr/lib/<arch>/modulecmd.tcl) are
# rewritten to the directory; /etc/environment-modules is left as is (absent: no site config).
# Once per machine; a second run returns at once.
#
#   bash scripts/modules/environment-modules.sh [DIR]   (default: $HPC_TEST_ENV_MODULES or
#                                                        /var/tmp/hpc-kernel-env-modules)
# Prints the init script for bash (DIR/usr/share/modules/init/bash). Needs apt-get and tclsh8.6.
set -euo pipefail
DIR="${1:-${HPC_TEST_ENV_MODULES:-/var/tmp/hpc-kernel-env-modules}}"
INIT="$DIR/usr/share/modules/init/bash"
if [ -f "$DIR/.complete" ]; then echo "$INIT"; exit 0; fi
command -v tclsh8.6 >/dev/null 2>&1 || { echo "environment-modules.sh: tclsh8.6 not found (apt-get install tcl8.6)" >&2; exit 1; }
TMP="$DIR.partial.$$"
rm -rf -- "$TMP"
mkdir -p "$TMP"
trap 'rm -rf -- "$TMP"' EXIT
# apt downloads as its sandbox user _apt when it can write there (else it warns and downloads as root).
chown _apt "$TMP" 2>/dev/null || true
(cd "$TMP" && apt-get download -q environment-modules >&2)
dpkg-deb -x "$TMP"/environment-modules_*.deb "$TMP/root"
libdir=$(dirname "$(find "$TMP/root/usr/lib" -name modulecmd.tcl | head -n 1)")
libdir=${libdir#"$TMP/root"}
# Rewrite to the final place, then move there.
grep -rlZ -e "$libdir" -e /usr/share/modules "$TMP/root/usr" | xargs -0 sed -i -e "s#$libdir#$DIR$libdir#g" -e "s#/usr/share/modules#$DIR/usr/share/modules#g"
rm -rf -- "$DIR"
mv -- "$TMP/root" "$DIR"
touch "$DIR/.complete"
echo "$INIT"
