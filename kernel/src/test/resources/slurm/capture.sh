#!/usr/bin/env bash
# Records what a real Slurm prints for the commands SlurmScheduler builds, into *.txt next to
# this script (read by SlurmRecordedTest). Run as root on the test cluster:
#   scripts/cluster/slurm-up.sh && kernel/src/test/resources/slurm/capture.sh
# Takes ~2.5 min (one job must reach its time limit). Job ids differ from run to run; the tests
# take them from the recorded argv. Each file: "# argv:", "# rc:", "# stdout:", "# stderr:".
# The #SBATCH lines below are written exactly as SlurmScheduler.directives() renders them.
set -euo pipefail

RES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/hpc-test-cluster}"
W="$CLUSTER_DIR/jobs/capture-$$"
mkdir -p "$W"
F='%i|%A|%T|%N|%r'
ACCT='--format=JobID,State,ExitCode,Elapsed,TotalCPU,MaxRSS,NodeList'

cap() {
    local name="$1" out err rc
    shift
    out="$(mktemp)"; err="$(mktemp)"
    set +e; "$@" >"$out" 2>"$err"; rc=$?; set -e
    { echo "# argv: $*"; echo "# rc: $rc"; echo "# stdout:"; cat "$out"; echo "# stderr:"; cat "$err"; } >"$RES/$name.txt"
    rm -f "$out" "$err"
    printf '%-28s rc=%-3s %s\n' "$name" "$rc" "$(sed -n '4,$p' "$RES/$name.txt" | grep -v '^# std' | head -3 | tr '\n' ' ')" >&2
}

# script NAME [directive...] -- body: writes $W/NAME.sh
script() {
    local name="$1" f="$W/$1.sh"
    shift
    {
        echo '#!/bin/bash'
        echo "#SBATCH --job-name=hk-cap-$name"
        if [[ " $* " == *" --array="* ]]; then
            echo "#SBATCH --output=$W/$name/scheduler.%a.out"
            echo "#SBATCH --error=$W/$name/scheduler.%a.out"
        else
            echo "#SBATCH --output=$W/$name/scheduler.out"
            echo "#SBATCH --error=$W/$name/scheduler.out"
        fi
        while [ "$#" -gt 0 ] && [ "$1" != -- ]; do echo "#SBATCH $1"; shift; done
        shift
        echo 'echo "HPC_JOB_ID=${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID} HPC_ARRAY_INDEX=${SLURM_ARRAY_TASK_ID:-} SLURM_JOB_ID=$SLURM_JOB_ID"'
        printf '%s\n' "$@"
    } >"$f"
    mkdir -p "$W/$name"
    echo "$f"
}

submit() { sbatch --parsable "$1"; }

state_of() { squeue -h -t all -o %T -j "$1" 2>/dev/null | head -1; }
wait_state() { # ID STATE SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(state_of "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "job $1 not $2 after $3 s (is $(state_of "$1"))" >&2
    return 1
}
wait_gone_from_queue() { # ID SECONDS: until a final state
    local i s
    for ((i = 0; i < $2 * 10; i++)); do
        s="$(state_of "$1")"
        case "$s" in COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL) return 0 ;; esac
        sleep 0.1
    done
    return 1
}
wait_acct() { # ID STATE-PREFIX SECONDS: until slurmdbd has the final record
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        sacct -n -P -X -j "$1" -o State 2>/dev/null | head -1 | grep -q "^$2" && return 0
        sleep 0.2
    done
    return 1
}

# ---------------------------------------------------------------- refusals
cap submit-bad-partition sbatch --parsable "$(script badpart --partition=debugx -- true)"
cap submit-bad-nodes sbatch --parsable "$(script badnodes --nodes=2 -- true)"
cap submit-bad-cpus sbatch --parsable "$(script badcpus --cpus-per-task=3 -- true)"
cap submit-bad-ntasks sbatch --parsable "$(script badntasks --ntasks=3 -- true)"
cap submit-bad-time sbatch --parsable "$(script badtime --partition=debug --time=02:00:00 -- true)"
cap submit-bad-time-syntax sbatch --parsable "$(script badtimesyntax --time=abc -- true)"
cap submit-bad-mem sbatch --parsable "$(script badmem --mem=102400M -- true)"
cap submit-bad-gpus sbatch --parsable "$(script badgpus --gpus=1 -- true)"
cap submit-bad-array sbatch --parsable "$(script badarray --array=x-y -- true)"
cap submit-bad-account sbatch --parsable "$(script badacct --account=nosuchacct --hold -- true)"
cap submit-bad-qos sbatch --parsable "$(script badqos --qos=nosuchqos --hold -- true)"
printf 'echo no shebang\n' >"$W/noshebang.sh"
cap submit-no-shebang sbatch --parsable "$W/noshebang.sh"
for f in submit-bad-account submit-bad-qos; do
    id="$(sed -n '4p' "$RES/$f.txt" | tr -dc 0-9)"
    [ -z "$id" ] || scancel "$id"
done

# controller unreachable: a copy of slurm.conf pointing at a port nobody listens on
sed -e 's/^SlurmctldPort=.*/SlurmctldPort=9/' -e 's/^AccountingStorageType=.*/AccountingStorageType=accounting_storage\/none/' \
    "$CLUSTER_DIR/etc/slurm.conf" >"$W/unreachable.conf"
SLURM_CONF="$W/unreachable.conf" cap submit-unreachable sbatch --parsable "$(script unreach -- true)"
SLURM_CONF="$W/unreachable.conf" cap status-unreachable squeue -h -t all -r -o "$F" -j 1
SLURM_CONF="$W/unreachable.conf" cap acct-disabled sacct -n -P -j 1 "$ACCT"

# ---------------------------------------------------------------- one of each state
ok="$(script ok --time=00:01:00 -- 'sleep 2')"
cap submit-ok sbatch --parsable "$ok"
OK="$(sed -n '4p' "$RES/submit-ok.txt")"
cap status-just-submitted squeue -h -t all -r -o "$F" -j "$OK"
wait_state "$OK" RUNNING 20
cap status-running squeue -h -t all -r -o "$F" -j "$OK"
wait_gone_from_queue "$OK" 30
cap status-completed squeue -h -t all -r -o "$F" -j "$OK"

FAIL="$(submit "$(script fail -- 'sleep 1' 'exit 3')")"
KILL="$(submit "$(script kill9 -- 'sleep 1' 'kill -9 $$')")"
HELD="$(submit "$(script held --hold -- true)")"
cap status-pending-held squeue -h -t all -r -o "$F" -j "$HELD"
MEM="$(submit "$(script mem -- 'python3 -c "b = b\"x\" * (150 * 2**20); import time; time.sleep(3)"')")"
wait_gone_from_queue "$FAIL" 30; wait_gone_from_queue "$KILL" 30; wait_gone_from_queue "$MEM" 30
cap status-failed squeue -h -t all -r -o "$F" -j "$FAIL"
cap status-killed squeue -h -t all -r -o "$F" -j "$KILL"

CAN="$(submit "$(script cancel -- 'sleep 300')")"
wait_state "$CAN" RUNNING 20
cap cancel-running scancel "$CAN"
cap cancel-pending scancel "$HELD"
wait_gone_from_queue "$CAN" 20
cap status-cancelled squeue -h -t all -r -o "$F" -j "$CAN"
cap status-cancelled-pending squeue -h -t all -r -o "$F" -j "$HELD"
cap cancel-unknown scancel 99999

# Resources / Priority: a job that takes both CPUs, then two more
BIG="$(submit "$(script big --cpus-per-task=2 -- 'sleep 4')")"
wait_state "$BIG" RUNNING 20
W1="$(submit "$(script wait1 -- true)")"
W2="$(submit "$(script wait2 -- true)")"
sleep 1.5
cap status-resources squeue -h -t all -r -o "$F" -j "$BIG,$W1,$W2"
wait_gone_from_queue "$W2" 30

# ---------------------------------------------------------------- arrays (task 3 fails)
arr="$(script arr --array=1-4 -- 'sleep 2' '[ "$SLURM_ARRAY_TASK_ID" = 3 ] && exit 5' 'exit 0')"
cap submit-array sbatch --parsable --hold "$arr"
ARR="$(sed -n '4p' "$RES/submit-array.txt")"
cap status-array-held squeue -h -t all -r -o "$F" -j "$ARR"
cap status-array-held-collapsed squeue -h -t all -o "$F" -j "$ARR"
scontrol release "$ARR"
for ((i = 0; i < 200; i++)); do
    squeue -h -t all -r -o %T -j "$ARR" | grep -q RUNNING && break
    sleep 0.1
done
cap status-array-running squeue -h -t all -r -o "$F" -j "$ARR"
cap status-array-running-collapsed squeue -h -t all -o "$F" -j "$ARR"
for ((i = 0; i < 300; i++)); do
    [ -z "$(squeue -h -o %i -j "$ARR" 2>/dev/null)" ] && break
    sleep 0.1
done
cap status-array-final squeue -h -t all -r -o "$F" -j "$ARR"
TASK2="$(squeue -h -t all -r -o '%i %A' -j "$ARR" | awk '$1 ~ /_2$/ {print $2}')"
cap status-array-task-own-id squeue -h -t all -r -o "$F" -j "$TASK2"
for i in 1 2 3 4; do cp "$W/arr/scheduler.$i.out" "$RES/array-task-$i.out"; done
cp "$W/ok/scheduler.out" "$RES/job-output.out"

# ---------------------------------------------------------------- unknown ids, several ids, find
cap status-unknown-one squeue -h -t all -r -o "$F" -j 99999
cap status-unknown-many squeue -h -t all -r -o "$F" -j 99998,99999
cap status-several squeue -h -t all -r -o "$F" -j "$OK,$FAIL,$CAN,$ARR,99999"
cap find-by-name squeue -h --me -t all -n hk-cap-fail -o '%i|%j'
cap find-by-name-none squeue -h --me -t all -n hk-cap-nosuchname -o '%i|%j'
cap version-sbatch sbatch --version
cap version-squeue squeue --version

# ---------------------------------------------------------------- timeout (~80 s: limits are checked every 30 s)
TO="$(submit "$(script timeout --time=00:01:00 -- 'sleep 300')")"
wait_state "$TO" RUNNING 30
echo "waiting for job $TO to time out (~80 s)" >&2
wait_gone_from_queue "$TO" 200
cap status-timeout squeue -h -t all -r -o "$F" -j "$TO"

# ---------------------------------------------------------------- accounting (once slurmdbd has it)
wait_acct "$TO" TIMEOUT 30 || true
wait_acct "$ARR" '' 5 || true
cap acct-completed sacct -n -P -j "$OK" "$ACCT"
cap acct-failed sacct -n -P -j "$FAIL" "$ACCT"
cap acct-killed sacct -n -P -j "$KILL" "$ACCT"
cap acct-cancelled sacct -n -P -j "$CAN" "$ACCT"
cap acct-cancelled-pending sacct -n -P -j "$HELD" "$ACCT"
cap acct-mem sacct -n -P -j "$MEM" "$ACCT"
cap acct-array sacct -n -P -j "$ARR" "$ACCT"
cap acct-timeout sacct -n -P -j "$TO" "$ACCT"
cap acct-unknown sacct -n -P -j 99999 "$ACCT"
cap acct-completed-X sacct -n -P -X -j "$OK" "$ACCT"

rm -rf "$W"
echo "recorded into $RES" >&2
