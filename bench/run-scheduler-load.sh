#!/usr/bin/env bash
# Scheduler commands per job for N concurrent short jobs, counted by wrappers placed first on PATH.
#   bash bench/run-scheduler-load.sh [slurm] [N=50] [SECONDS=2]
# Writes bench/results/scheduler-load-<scheduler>.json. Needs the test Slurm (scripts/cluster/slurm-up.sh).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCHED="${1:-slurm}"; N="${2:-50}"; SECONDS_PER_JOB="${3:-2}"
JAR="${HPC_KERNEL_JAR:-$REPO/kernel/target/hpc-kernel.jar}"
TMP="$(mktemp -d)"; LOG="$TMP/calls.log"; : > "$LOG"
mkdir -p "$TMP/bin"
case "$SCHED" in
  slurm) CMDS="sbatch squeue sacct scancel" ;;
  sge) CMDS="qsub qstat qacct qdel" ;;
  oar) CMDS="oarsub oarstat oardel" ;;
  *) echo "unknown scheduler $SCHED" >&2; exit 2 ;;
esac
for cmd in $CMDS; do
  real="$(command -v "$cmd")"
  printf '#!/bin/sh\necho %s >> %q\nexec %q "$@"\n' "$cmd" "$LOG" "$real" > "$TMP/bin/$cmd"
  chmod +x "$TMP/bin/$cmd"
done
chmod 755 "$TMP" "$TMP/bin"; chmod 666 "$LOG"
# OAR refuses root submitters: run the harness as HPC_BENCH_USER (default hpcuser) for oar.
RUN=()
[ "$SCHED" = oar ] && RUN=(runuser -u "${HPC_BENCH_USER:-hpcuser}" --)
WORKDIR="$TMP/work"; [ "$SCHED" = oar ] && WORKDIR="/tmp/hpc-bench-work-hpcuser/load-$$"
out="$("${RUN[@]}" env PATH="$TMP/bin:$PATH" java -cp "$JAR" "$REPO/bench/SchedulerLoad.java" "$SCHED" "$WORKDIR" "$N" "$SECONDS_PER_JOB")"
echo "$out"
pending="$(sed -n 's/.*pending_seconds_total=\([0-9.]*\).*/\1/p' <<<"$out")"
python3 - "$LOG" "$N" "$pending" "$SCHED" "$REPO/bench/results" <<'PY'
import collections, json, sys
log, n, pending, sched, results = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
calls = collections.Counter(l.strip() for l in open(log) if l.strip())
total = sum(calls.values())
target = 4 + pending / n / 30
r = {"scheduler": sched, "jobs": n, "calls": dict(calls), "calls_per_job": total / n,
     "pending_seconds_per_job": pending / n, "target_calls_per_job": target}
json.dump(r, open(f"{results}/scheduler-load-{sched}.json", "w"), indent=2)
print(f"{sched}: {total} scheduler commands for {n} concurrent jobs = {total/n:.2f} per job {dict(calls)}; "
      f"mean pending {pending/n:.1f} s -> target <= {target:.2f} per job")
PY
rm -rf "$TMP"
