#!/usr/bin/env bash
# The full hpc-kernel test run (README's test command; .ci/run calls this).
#
#   bash scripts/test.sh [extra pytest args...]
#
#   1. scripts/setup.sh --skip-junit   (system packages, venv, build, kernelspecs)
#   2. mvn -B verify                   (JUnit 5 unit tests)
#   3. pytest tests/python -v          (conformance suite, protocol, interrupt, stdin,
#                                       output, lifecycle, fuzz, quickstart notebook)
# Reports: build-artifacts/test-reports/pytest-junit.xml (+ surefire reports under kernel/).
# Exits non-zero if any step fails; the last line is a one-line summary.
#
# Environment: HPC_BUILD_DIR (Maven output folder, default target), HPC_KERNEL_NAME,
# HPC_KERNEL_NAME_JDK21, HPC_SKIP_JUNIT=1 (skip step 2), CI=true (missing JDK>=21 fails).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
BUILD_DIR="${HPC_BUILD_DIR:-target}"
REPORTS="$REPO/build-artifacts/test-reports"
mkdir -p "$REPORTS"
start=$(date +%s)

banner() { printf '\n==================== %s ====================\n' "$*"; }

banner "setup"
if ! bash scripts/setup.sh --skip-junit; then
  echo "TEST SUMMARY: FAILED (setup failed) after $(( $(date +%s) - start ))s"
  exit 1
fi

junit_rc=0
if [ "${HPC_SKIP_JUNIT:-0}" = 1 ]; then
  banner "JUnit: skipped (HPC_SKIP_JUNIT=1)"
  junit_status="skipped"
else
  banner "JUnit (mvn -B verify)"
  # Run every module's tests even if one module has failures (the verdict comes from the
  # surefire reports below), so one run shows all JUnit failures.
  MVN_ARGS=(-B -Dmaven.test.failure.ignore=true)
  [ "$BUILD_DIR" = target ] || MVN_ARGS+=("-Dhpc.buildDir=$BUILD_DIR")
  rm -rf "$REPO"/*/"$BUILD_DIR"/surefire-reports
  mvn "${MVN_ARGS[@]}" verify </dev/null
  mvn_rc=$?
  junit_counts="$("$REPO/.venv/bin/python" - "$REPO" "$BUILD_DIR" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
repo, build_dir = sys.argv[1:3]
tests = failed = skipped = 0
bad = []
for path in sorted(glob.glob(f"{repo}/*/{build_dir}/surefire-reports/TEST-*.xml")):
    root = ET.parse(path).getroot()
    tests += int(root.get("tests", 0))
    skipped += int(root.get("skipped", 0))
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            bad.append(f"{case.get('classname')}.{case.get('name')}")
print(f"{tests} {failed} {skipped}")
for b in bad:
    print(f"JUnit failure: {b}", file=sys.stderr)
PY
)" || junit_counts="0 0 0"
  read -r j_tests j_failed j_skipped <<<"$junit_counts"
  if [ "$mvn_rc" != 0 ]; then
    junit_rc=$mvn_rc; junit_status="FAILED (mvn rc=$mvn_rc; $j_failed of $j_tests tests failed)"
  elif [ "$j_failed" != 0 ]; then
    junit_rc=1; junit_status="FAILED ($j_failed of $j_tests tests failed)"
  elif [ "$j_tests" = 0 ]; then
    junit_rc=1; junit_status="FAILED (no JUnit reports found)"
  else
    junit_status="passed ($j_tests tests, $j_skipped skipped)"
  fi
fi

banner "pytest tests/python"
export PYTHONUNBUFFERED=1
"$REPO/.venv/bin/python" -m pytest "$REPO/tests/python" -v -rfEs \
  --junitxml="$REPORTS/pytest-junit.xml" "$@" </dev/null
py_rc=$?
case "$py_rc" in
  0) py_status="passed" ;;
  5) py_status="FAILED (no tests collected)" ;;
  *) py_status="FAILED (pytest rc=$py_rc)" ;;
esac

elapsed=$(( $(date +%s) - start ))
rc=0
[ "$junit_rc" = 0 ] || rc=1
[ "$py_rc" = 0 ] || rc=1
if [ "$rc" = 0 ]; then overall="PASSED"; else overall="FAILED"; fi
echo
echo "TEST SUMMARY: $overall - JUnit: $junit_status; pytest: $py_status; ${elapsed}s (report: ${REPORTS#$REPO/}/pytest-junit.xml)"
exit "$rc"
