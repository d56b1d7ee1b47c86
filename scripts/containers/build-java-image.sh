#!/usr/bin/env bash
# Builds, once per machine, the directory image the container tests and benchmark run with
# Charliecloud's ch-run: Debian 12 with a headless Java 17, made offline from Debian's packages
# by mmdebstrap (no registry, no Dockerfile). A second run finds the image and returns at once.
#
#   bash scripts/containers/build-java-image.sh [DIR]     (default: $HPC_TEST_IMAGE or
#                                                           /var/tmp/hpc-kernel-images/bookworm-java17)
# Prints the image directory on stdout. Needs root (mmdebstrap --mode=root) and mmdebstrap.
# The image carries /etc/hpc-test-image, a marker that tests read from inside the container.
set -euo pipefail
DIR="${1:-${HPC_TEST_IMAGE:-/var/tmp/hpc-kernel-images/bookworm-java17}}"
MARKER="$DIR/etc/hpc-test-image"
if [ -f "$MARKER" ] && [ -x "$DIR/usr/bin/java" ]; then echo "$DIR"; exit 0; fi
command -v mmdebstrap >/dev/null 2>&1 || { echo "build-java-image.sh: mmdebstrap not found (apt-get install mmdebstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "build-java-image.sh: needs root (mmdebstrap --mode=root)" >&2; exit 1; }
mkdir -p "$(dirname "$DIR")"
TMP="$DIR.partial.$$"
rm -rf -- "$TMP"
trap 'rm -rf -- "$TMP"' EXIT
# --variant=apt: essential packages plus apt; the JRE is the only addition. The package cache
# stays out of the image.
mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless --mode=root \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  bookworm "$TMP" >&2
echo "hpc-kernel test image: Debian $(cat "$TMP/etc/debian_version"), built $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$TMP/etc/hpc-test-image"
# Every user runs from it read-only (ch-run as a plain user, over SSH as well).
chmod 755 "$TMP"
rm -rf -- "$DIR"
mv -- "$TMP" "$DIR"
trap - EXIT
echo "$DIR"
