#!/usr/bin/env bash
# The full hpc-kernel test run (README's test command; .ci/run calls this).
#
#   bash scripts/test.sh [extra pytest args for tests/python...]
#
#   1. scripts/setup.sh --skip-junit   system packages, venv, build, kernelspecs
#   2. test clusters                   scripts/cluster/*-up.sh: Slurm (+slurmdbd), sshd (+MFA), Grid Engine, OAR
#   3. mvn -B verify                   JUnit, with the live scheduler/SSH tests enabled for what came up
#   4. pytest tests/python             conformance suite, protocol, interrupt, stdin, output, lifecycle, fuzz, quickstart
#   5. pytest tests/hpc                %%hpc scenarios and notebooks on every cluster that came up
#   6. tests/papermill, tests/ui       papermill translator; JupyterLab and Notebook 7 in headless Chromium
# Reports: build-artifacts/test-reports/*.xml, logs in build-artifacts/clusters/, screenshots in build-artifacts/ui/.
# Exits non-zero if any step fails; the last line is a one-line summary.
#
# Environment: HPC_TEST_CLUSTERS (default "slurm sshd sge oar"; a cluster that fails to come up
# fails the run), HPC_TEST_KEEP_CLUSTERS=1 (leave them running), HPC_SKIP_UI=1, HPC_SKIP_JUNIT=1,
# HPC_BUILD_DIR, HPC_KERNEL_NAME, HPC_KERNEL_NAME_NEWJDK, CI=true (missing JDK>=21 fails).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
BUILD_DIR="${HPC_BUILD_DIR:-target}"
REPORTS="$REPO/build-artifacts/test-reports"
CLUSTER_LOGS="$REPO/build-artifacts/clusters"
mkdir -p "$REPORTS" "$CLUSTER_LOGS"
start=$(date +%s)
failures=()
summary=()

banner() { printf '\n==================== %s ====================\n' "$*"; }
stage_result() {  # name rc [detail]
  if [ "$2" = 0 ]; then summary+=("$1: passed${3:+ ($3)}"); else summary+=("$1: FAILED${3:+ ($3)}"); failures+=("$1"); fi
}

banner "setup"
if ! bash scripts/setup.sh --skip-junit; then
  echo "TEST SUMMARY: FAILED (setup failed) after $(( $(date +%s) - start ))s"
  exit 1
fi
PY="$REPO/.venv/bin/python"

banner "test clusters"
up_clusters=()
for c in ${HPC_TEST_CLUSTERS-slurm sshd sge oar}; do
  t0=$(date +%s)
  case "$c" in
    sshd) cmd=(bash -c 'bash scripts/cluster/sshd-up.sh && bash scripts/cluster/sshd-mfa-up.sh') ;;
    *) cmd=(bash "scripts/cluster/$c-up.sh") ;;
  esac
  if "${cmd[@]}" </dev/null >"$CLUSTER_LOGS/$c-up.log" 2>&1; then
    up_clusters+=("$c")
    echo "$c: up in $(( $(date +%s) - t0 ))s"
    case "$c" in
      slurm) export HPC_TEST_SLURM=1 HPC_TEST_SLURM_ACCOUNTING=1 SLURM_CONF=/tmp/hpc-test-cluster/etc/slurm.conf ;;
      sshd) export HPC_TEST_SSHD=1 ;;
      sge) export HPC_TEST_SGE=1 ;;
      oar) export HPC_TEST_OAR=1 ;;
    esac
  else
    echo "$c: FAILED to come up in $(( $(date +%s) - t0 ))s; last lines of $CLUSTER_LOGS/$c-up.log:"
    tail -n 25 "$CLUSTER_LOGS/$c-up.log"
    stage_result "cluster $c" 1 "did not come up"
  fi
done
stop_clusters() {
  [ "${HPC_TEST_KEEP_CLUSTERS:-0}" = 1 ] && return
  for c in "${up_clusters[@]}"; do
    case "$c" in
      sshd) bash scripts/cluster/sshd-mfa-down.sh; bash scripts/cluster/sshd-down.sh ;;
      *) bash "scripts/cluster/$c-down.sh" ;;
    esac
  done >"$CLUSTER_LOGS/down.log" 2>&1
}
trap stop_clusters EXIT

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

summary+=("JUnit: $junit_status"); [ "$junit_rc" = 0 ] || failures+=("JUnit")

export PYTHONUNBUFFERED=1
banner "pytest tests/python (kernel protocol)"
"$PY" -m pytest "$REPO/tests/python" -v -rfEs --junitxml="$REPORTS/pytest-kernel.xml" "$@" </dev/null
stage_result "kernel protocol (tests/python)" $? 

banner "pytest tests/hpc (%%hpc on: local ${up_clusters[*]})"
"$PY" -m pytest "$REPO/tests/hpc" -v -rfEs --junitxml="$REPORTS/pytest-hpc.xml" </dev/null
stage_result "%%hpc (tests/hpc)" $?

banner "papermill (Java parameter translator)"
bash "$REPO/tests/papermill/run.sh" </dev/null
stage_result "papermill" $?

if [ "${HPC_SKIP_UI:-0}" != 1 ]; then
  # %%hpc cells in the browser go to the test Slurm when it is up, else to the local backend.
  ui_env=()
  if [ "${HPC_TEST_SLURM:-0}" = 1 ]; then
    ui_config="$REPO/build-artifacts/ui-clusters.json"
    printf '{"default": "slurm", "clusters": {"slurm": {"scheduler": "slurm", "workdir": "/tmp/hpc-test-work/ui-slurm", "defaults": {"partition": "debug"}}}}\n' > "$ui_config"
    ui_env=(HPC_KERNEL_CONFIG="$ui_config")
  fi
  banner "JupyterLab and Notebook 7 in Chromium (%%hpc on ${ui_env:+the test Slurm}${ui_env:-the local backend})"
  env "${ui_env[@]}" bash "$REPO/tests/ui/run.sh" </dev/null
  stage_result "browser (tests/ui)" $?
fi

elapsed=$(( $(date +%s) - start ))
echo
for line in "${summary[@]}"; do echo "  $line"; done
if [ ${#failures[@]} = 0 ]; then
  echo "TEST SUMMARY: PASSED - ${#summary[@]} stages; ${elapsed}s"
  exit 0
fi
echo "TEST SUMMARY: FAILED - ${failures[*]}; ${elapsed}s"
exit 1
