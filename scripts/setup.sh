#!/usr/bin/env bash
# Idempotent bootstrap for hpc-kernel on a fresh Debian 12 machine.
#
#   bash scripts/setup.sh [--skip-junit] [--skip-build] [--no-apt] [--main-kernelspec-only]
#
# 1. apt-get installs only what is missing (JDK 17, Maven, python3-venv, sshfs; the JDK
#    sources when they can be had without upgrading the installed JDK, so that
#    inspect can show JDK Javadoc). Runs `apt-get update` only when needed.
# 2. Creates the project-local venv .venv and installs tests/requirements.txt.
# 3. Builds the kernel with Maven (`mvn -B -q package`).
# 4. Installs the kernelspec `java-hpc` into the venv (so the venv's jupyter
#    finds it) and, if a JDK >= 21 exists, a second kernelspec named after that
#    JDK, e.g. `java-hpc-jdk25` shown as "Java (HPC, JDK 25)" (used by the
#    interrupt tests); an older `java-hpc-jdkNN` of another JDK is removed.
#
# Flags / environment:
#   --skip-junit   | HPC_SKIP_JUNIT=1   build with -DskipTests (caller runs JUnit itself)
#   --skip-build   | HPC_SKIP_BUILD=1   do not run Maven; install from the existing jar
#   --no-apt       | HPC_NO_APT=1       never call apt-get (fail if something is missing)
#   --main-kernelspec-only              no second kernelspec on a JDK >= 21 (the quickstart)
#   HPC_BUILD_DIR=target                Maven output folder name (-Dhpc.buildDir), default "target"
#   HPC_KERNEL_NAME=java-hpc            name of the main kernelspec
#   HPC_JDK21_JAVA=/path/to/bin/java    JVM for the second kernelspec (default: newest JDK >= 21 found);
#                                       the kernelspec is named $HPC_KERNEL_NAME-jdkNN after its version
#   HPC_INSTALL_JDK_SOURCE=auto|yes|no  openjdk-17-source: auto = only if it matches the installed JDK
#   PYTHON=python3                      interpreter used to create the venv
#   HPC_INSTALL_ENV_TOOLS=yes|no        Lmod, Charliecloud, mmdebstrap, the container test image and
#                                       Environment Modules unpacked privately
#                                       (default: yes when CI=true, else no)
# Works without a terminal (no stdin), with CI=true and DEBIAN_FRONTEND=noninteractive.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

SKIP_JUNIT="${HPC_SKIP_JUNIT:-0}"
SKIP_BUILD="${HPC_SKIP_BUILD:-0}"
NO_APT="${HPC_NO_APT:-0}"
MAIN_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --skip-junit) SKIP_JUNIT=1 ;;
    --skip-build) SKIP_BUILD=1 ;;
    --no-apt) NO_APT=1 ;;
    --main-kernelspec-only) MAIN_ONLY=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

BUILD_DIR="${HPC_BUILD_DIR:-target}"
KERNEL_NAME="${HPC_KERNEL_NAME:-java-hpc}"
VENV="$REPO/.venv"
JAR="$REPO/kernel/$BUILD_DIR/hpc-kernel.jar"
PYTHON="${PYTHON:-python3}"
export DEBIAN_FRONTEND=noninteractive
exec </dev/null   # never wait for a terminal

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers
# Feature version (17, 21, 25, ...) of a java launcher, or empty.
java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = *\([0-9][0-9.]*\).*/\1/p' | head -n1 | cut -d. -f1
}
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
pkg_candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | head -n1; }
has_candidate() { local c; c="$(pkg_candidate "$1")"; [ -n "$c" ] && [ "$c" != "(none)" ]; }

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else SUDO=(false); fi
fi

APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    "${SUDO[@]}" apt-get update -q || die "apt-get update failed"
    APT_UPDATED=1
  fi
}
apt_lists_fresh() {  # package lists exist and are younger than a day
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)" ]
}

# ---------------------------------------------------------------- 1. system packages
NEED=()   # required packages
OPT=()    # optional packages (failure to install is only a warning)

have_jdk17=0
if command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  f="$(java_feature java)"
  if [ -n "$f" ] && [ "$f" -ge 17 ]; then have_jdk17=1; fi
fi
[ "$have_jdk17" = 1 ] || NEED+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || NEED+=(maven)
# sshfs (optional: the kernel does not need it): tests/hpc/test_fs_lag.py runs the kernel on a lagged
# view of its work dir (scripts/cluster/lagged-view.sh); that test fails in CI without it.
command -v sshfs >/dev/null 2>&1 || OPT+=(sshfs)
# The software-environment tests (tests/hpc/test_software_environment.py, JobModulesTest) run a real
# Lmod, Charliecloud's ch-run and an image that mmdebstrap builds from Debian's packages. Under CI
# only (or HPC_INSTALL_ENV_TOOLS=yes): Lmod conflicts with Environment Modules, which a user's machine
# may have, and is never swapped in behind their back.
if [ "${HPC_INSTALL_ENV_TOOLS:-$([ "${CI:-}" = true ] && echo yes || echo no)}" = yes ]; then
  if [ -d /usr/share/lmod ] || pkg_installed lmod; then :
  elif pkg_installed environment-modules; then log "note: Environment Modules is installed; not installing Lmod (they conflict)"
  else NEED+=(lmod); fi
  command -v ch-run >/dev/null 2>&1 || NEED+=(charliecloud-runtime)
  command -v mmdebstrap >/dev/null 2>&1 || NEED+=(mmdebstrap)
  BUILD_TEST_IMAGE=1
fi
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  NEED+=(python3 python3-venv)
elif ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  NEED+=(python3-venv)
fi

# JDK sources (src.zip) let the kernel's inspect show JDK Javadoc. openjdk-17-source
# must have exactly the version of the installed openjdk-17 JDK; installing a newer one
# would upgrade the JDK under running builds, so by default only take a matching one.
# Under CI the sources are installed even if that upgrades the JDK: the inspect test needs them.
if [ "${CI:-}" = true ]; then SRC_MODE="${HPC_INSTALL_JDK_SOURCE:-yes}"; else SRC_MODE="${HPC_INSTALL_JDK_SOURCE:-auto}"; fi
if [ "$NO_APT" != 1 ] && [ "$SRC_MODE" != no ] && command -v dpkg-query >/dev/null 2>&1 \
   && ! pkg_installed openjdk-17-source; then
  jdk_ver="$(dpkg-query -W -f='${Version}' openjdk-17-jdk-headless 2>/dev/null || true)"
  if [ "$SRC_MODE" = yes ] || [[ " ${NEED[*]-} " == *" openjdk-17-jdk-headless "* ]]; then
    OPT+=(openjdk-17-source)
  elif [ -n "$jdk_ver" ] && pkg_installed openjdk-17-jdk-headless; then
    if ! apt-cache madison openjdk-17-source 2>/dev/null | grep -qF "| $jdk_ver |" && ! apt_lists_fresh; then
      apt_update
    fi
    if apt-cache madison openjdk-17-source 2>/dev/null | grep -qF "| $jdk_ver |"; then
      OPT+=("openjdk-17-source=$jdk_ver")
    else
      log "note: openjdk-17-source $jdk_ver is not available (only a newer one, which would upgrade the JDK);"
      log "      skipping it - inspect works without JDK Javadoc. HPC_INSTALL_JDK_SOURCE=yes installs it anyway."
    fi
  fi
fi

if [ "${#NEED[@]}" -gt 0 ] || [ "${#OPT[@]}" -gt 0 ]; then
  if [ "$NO_APT" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
    [ "${#NEED[@]}" -eq 0 ] || die "missing: ${NEED[*]} (and apt-get is not available/allowed)"
  else
    "${SUDO[@]}" true 2>/dev/null || die "need root or passwordless sudo to install: ${NEED[*]-} ${OPT[*]-}"
    for p in ${NEED[@]+"${NEED[@]}"} ${OPT[@]+"${OPT[@]}"}; do
      has_candidate "${p%%=*}" || { apt_update; break; }
    done
    if [ "${#NEED[@]}" -gt 0 ]; then
      log "apt-get install ${NEED[*]}"
      "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${NEED[@]}" || die "apt-get install failed"
    fi
    for p in ${OPT[@]+"${OPT[@]}"}; do
      if has_candidate "${p%%=*}"; then
        log "apt-get install $p (optional)"
        "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$p" || log "warning: could not install $p"
      fi
    done
  fi
else
  log "system packages: all present"
fi

command -v java >/dev/null 2>&1 || die "java not found"
command -v mvn >/dev/null 2>&1 || [ "$SKIP_BUILD" = 1 ] || die "mvn not found"

# ---------------------------------------------------------------- 2. project-local venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  log "creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
REQ="$REPO/tests/requirements.txt"
STAMP="$VENV/.hpc-requirements.sha256"
req_hash="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$req_hash" ] \
   || ! "$VENV/bin/python" -c 'import jupyter_client, jupyter_kernel_test, nbclient, nbformat, nbconvert, pytest, pytest_timeout, zmq, psutil' >/dev/null 2>&1; then
  log "pip install -r tests/requirements.txt"
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r "$REQ"
  echo "$req_hash" > "$STAMP"
else
  log "venv: requirements already installed"
fi
# The papermill parameter translator for Java (the README's commands install it; it brings papermill).
if ! "$VENV/bin/python" -c 'import papermill_java' >/dev/null 2>&1; then
  log "pip install -e kernelspec/papermill_java"
  # setuptools prints deprecation banners on stderr while building the editable wheel; they are
  # about its own future, not this install: kept out of the output unless the install fails.
  pip_log="$(mktemp)"
  "$VENV/bin/python" -m pip install -q -e "$REPO/kernelspec/papermill_java" >"$pip_log" 2>&1 \
    || { cat "$pip_log" >&2; rm -f "$pip_log"; die "pip install -e kernelspec/papermill_java failed"; }
  rm -f "$pip_log"
fi
# ipykernel's own kernelspec into the venv (baseline for the benchmark; harmless otherwise).
if [ ! -f "$VENV/share/jupyter/kernels/python3/kernel.json" ]; then
  "$VENV/bin/python" -m ipykernel install --sys-prefix >/dev/null
fi

# ---------------------------------------------------------------- 3. build
# -B and style.color=never: no progress lines and no colour codes in the output.
MVN_ARGS=(-B -q -Dstyle.color=never)
[ "$BUILD_DIR" = target ] || MVN_ARGS+=("-Dhpc.buildDir=$BUILD_DIR")
if [ "$SKIP_BUILD" = 1 ]; then
  log "skipping Maven build (using $JAR)"
else
  if [ "$SKIP_JUNIT" = 1 ]; then MVN_ARGS+=(-DskipTests); fi
  log "mvn ${MVN_ARGS[*]} package"
  # Debian's Maven 3.8 still writes ESC[0m resets on exit (its console library), whatever the
  # colour setting: they are filtered out; pipefail keeps Maven's exit status.
  mvn "${MVN_ARGS[@]}" package 2>&1 | sed -u 's/\x1b\[[0-9;]*[A-Za-z]//g' >&2
fi
[ -f "$JAR" ] || die "kernel jar not found: $JAR"

# ---------------------------------------------------------------- 4. kernelspecs
log "installing kernelspec $KERNEL_NAME into $VENV"
java -jar "$JAR" install --prefix "$VENV" --name "$KERNEL_NAME"
[ -f "$VENV/share/jupyter/kernels/$KERNEL_NAME/kernel.json" ] \
  || die "kernelspec not written to $VENV/share/jupyter/kernels/$KERNEL_NAME"

# Second kernelspec on a JDK >= 21 (interrupt has to work there too: Thread.stop is gone),
# named and displayed after that JDK's version.
JAVA21="${HPC_JDK21_JAVA:-}"
if [ "$MAIN_ONLY" = 1 ]; then
  JAVA21=""
elif [ -z "$JAVA21" ]; then
  best=0
  for j in /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    [ -x "$j" ] || continue
    f="$(java_feature "$j")"
    if [ -n "$f" ] && [ "$f" -ge 21 ] && [ "$f" -gt "$best" ]; then best="$f"; JAVA21="$(readlink -f "$j")"; fi
  done
fi
if [ -n "$JAVA21" ]; then
  f="$(java_feature "$JAVA21")"
  [ -n "$f" ] && [ "$f" -ge 21 ] || die "HPC_JDK21_JAVA=$JAVA21 is not a JDK >= 21"
  name="$KERNEL_NAME-jdk$f"
  for old in "$VENV/share/jupyter/kernels/$KERNEL_NAME"-jdk*; do
    [ -d "$old" ] && [ "$(basename "$old")" != "$name" ] || continue
    log "removing kernelspec $(basename "$old") (another JDK than $f)"
    java -jar "$JAR" uninstall --prefix "$VENV" --name "$(basename "$old")" >&2
  done
  log "installing kernelspec $name (JDK $f: $JAVA21)"
  java -jar "$JAR" install --prefix "$VENV" --name "$name" \
    --display-name "Java (HPC, JDK $f)" --java "$JAVA21"
elif [ "$MAIN_ONLY" != 1 ]; then
  log "note: no JDK >= 21 found; the interrupt tests on JDK 21+ will be skipped (they fail when CI=true)"
fi

# The container tests' image: built once per machine (about 25 s), found at once afterwards; and
# Environment Modules unpacked beside Lmod (they conflict as packages), for the module tests.
if [ "${BUILD_TEST_IMAGE:-0}" = 1 ]; then
  log "container test image: $(bash "$REPO/scripts/containers/build-java-image.sh")"
  log "Environment Modules for the tests: $(bash "$REPO/scripts/modules/environment-modules.sh")"
fi

[ "$MAIN_ONLY" = 1 ] || "$VENV/bin/jupyter" kernelspec list >&2 || true
log "done"
