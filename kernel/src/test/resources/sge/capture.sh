#!/usr/bin/env bash
# Records what a real Grid Engine prints for the commands SgeScheduler builds, into *.txt next to
# this script (read by SgeRecordedTest). Run as root on the test cluster:
#   scripts/cluster/sge-up.sh && kernel/src/test/resources/sge/capture.sh
# Takes ~1 min. At the end it stops sge_qmaster for a moment (to record "unreachable") and brings
# it back with scripts/cluster/sge-up.sh. Job ids differ from run to run; the tests take them from
# the recorded argv/output. Each file: "# argv:", "# rc:", "# stdout:", "# stderr:".
# The #$ lines below are written exactly as SgeScheduler.directives() renders them.
set -euo pipefail

RES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$RES/../../../../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/hpc-test-cluster}"
W="$CLUSTER_DIR/jobs/sge-capture-$$"
mkdir -p "$W"

cap() {
    local name="$1" out err rc
    shift
    out="$(mktemp)"; err="$(mktemp)"
    set +e; "$@" >"$out" 2>"$err"; rc=$?; set -e
    { echo "# argv: $*"; echo "# rc: $rc"; echo "# stdout:"; cat "$out"; echo "# stderr:"; cat "$err"; } >"$RES/$name.txt"
    rm -f "$out" "$err"
    printf '%-28s rc=%-3s %s\n' "$name" "$rc" "$(sed -n '4,$p' "$RES/$name.txt" | grep -v '^# std' | head -3 | tr '\n' ' ' | cut -c1-110)" >&2
}

# script NAME [directive...] -- body: writes $W/NAME/job.sh, prints its path
script() {
    local name="$1" dir="$W/$1" f
    shift
    mkdir -p "$dir"
    f="$dir/job.sh"
    {
        echo '#!/bin/bash'
        echo "#\$ -N hk-cap-$name"
        echo '#$ -S /bin/bash'
        if [[ " $* " == *" -t "* ]]; then
            printf '#$ -o %s/scheduler.$TASK_ID.out\n' "$dir"
        else
            printf '#$ -o %s/scheduler.out\n' "$dir"
        fi
        echo '#$ -j y'
        while [ "$#" -gt 0 ] && [ "$1" != -- ]; do echo "#\$ $1"; shift; done
        shift
        echo 'export HPC_JOB_ID="${JOB_ID}"'
        echo 'export HPC_ARRAY_INDEX="${SGE_TASK_ID#undefined}"'
        echo 'echo "HPC_JOB_ID=$HPC_JOB_ID HPC_ARRAY_INDEX=$HPC_ARRAY_INDEX JOB_ID=$JOB_ID SGE_TASK_ID=$SGE_TASK_ID"'
        printf '%s\n' "$@"
    } >"$f"
    echo "$f"
}

submit() { qsub -terse -b n "$1" | head -1 | sed 's/\..*//'; }

state_of() { qstat 2>/dev/null | awk -v id="$1" '$1 == id { print $5; exit }'; }
wait_state() { # ID STATE SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(state_of "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "job $1 not $2 after $3 s (is '$(state_of "$1")')" >&2
    return 1
}
wait_gone() { # ID SECONDS
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [ -z "$(state_of "$1")" ] && return 0
        sleep 0.1
    done
    echo "job $1 still listed after $2 s" >&2
    return 1
}
wait_acct() { # ID SECONDS: until qacct has the record
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        qacct -j "$1" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

# ---------------------------------------------------------------- refusals
cap submit-bad-partition qsub -terse -b n "$(script badq '-q nope' -- 'true')"
cap submit-bad-account qsub -terse -b n "$(script badp '-P nosuchproject' -- 'true')"
cap submit-bad-pe qsub -terse -b n "$(script badpe '-pe nosuchpe 2' -- 'true')"

# ---------------------------------------------------------------- a job: pending -> running -> gone
S="$(script ok '-q all.q' '-l h_rt=0:05:00' -- 'sleep 4' 'echo done')"
cap submit-ok qsub -terse -b n "$S"
OK="$(sed -n '4p' "$RES/submit-ok.txt")"
cap status-just-submitted qstat -xml
wait_state "$OK" r 20
cap status-running qstat -xml
cap find-by-name qstat -xml
wait_gone "$OK" 30
cap status-finished qstat -xml
wait_acct "$OK" 20
cap acct-completed qacct -j "$OK"

# a job that waits (more slots than the cluster has: plain "qw" for good)
PW="$(submit "$(script pending '-pe smp 64' -- 'true')")"
sleep 2
cap status-pending qstat -xml
qdel "$PW" >/dev/null

# ---------------------------------------------------------------- failing exit code
F="$(submit "$(script fail -- 'echo failing >&2' 'exit 3')")"
wait_gone "$F" 30; wait_acct "$F" 20
cap acct-failed qacct -j "$F"

# ---------------------------------------------------------------- held, error state, suspended, several at once
H="$(qsub -terse -b n -h "$(script held -- 'true')")"
E_DIR="$W/eqw-missing-dir"
E_SCRIPT="$W/eqw.sh"
{ echo '#!/bin/bash'; echo '#$ -N hk-cap-eqw'; echo '#$ -S /bin/bash'; printf '#$ -o %s/scheduler.out\n' "$E_DIR"; echo '#$ -j y'; echo 'true'; } >"$E_SCRIPT"
E="$(submit "$E_SCRIPT")"
SU="$(submit "$(script susp -- 'sleep 60')")"
wait_state "$SU" r 20
qmod -sj "$SU" >/dev/null
wait_state "$E" Eqw 20
sleep 1
cap status-several qstat -xml
cap status-held qstat -xml
qdel "$SU" >/dev/null 2>&1 || true

# ---------------------------------------------------------------- cancel: pending, running, unknown
CP="$(qsub -terse -b n -h "$(script cancelpend -- 'sleep 60')")"
cap cancel-pending qdel "$CP"
C="$(submit "$(script cancel -- 'trap "echo got TERM; exit 143" TERM' 'sleep 60 & wait')")"
wait_state "$C" r 20
sleep 1
# Pause our sge_execd so that the deletion cannot complete: the job shows "dr" meanwhile.
EXECD_PID="$(cat /var/spool/gridengine/execd/*/execd.pid | head -1)"
[ "$(cat "/proc/$EXECD_PID/comm")" = sge_execd ] && kill -STOP "$EXECD_PID"
cap cancel-running qdel "$C"
sleep 1
cap status-deleting qstat -xml
kill -CONT "$EXECD_PID"
cap cancel-unknown qdel 999999
wait_gone "$C" 30; wait_acct "$C" 20
cap acct-cancelled qacct -j "$C"
cap acct-unknown qacct -j "$CP"

# ---------------------------------------------------------------- array with one failing task
# pending tasks are listed as one range ("1-3:1") until they start
AP="$(qsub -terse -b n -h "$(script arrayheld '-t 1-3' -- 'true')" | sed 's/\..*//')"
cap status-array-pending qstat -xml
qdel "$AP" >/dev/null
A="$(script array '-t 1-3' -- 'sleep 3' '[ "$SGE_TASK_ID" = 2 ] && exit 5' 'exit 0')"
cap submit-array qsub -terse -b n "$A"
AID="$(sed -n '4p' "$RES/submit-array.txt" | sed 's/\..*//')"
wait_state "$AID" r 20
cap status-array-running qstat -xml
wait_gone "$AID" 40; wait_acct "$AID" 20; sleep 2
cap acct-array qacct -j "$AID"

# ---------------------------------------------------------------- h_rt exceeded (enforced in ~6 s)
T="$(submit "$(script timeout '-l h_rt=0:00:03' -- 'trap "echo got TERM; exit 143" TERM' 'sleep 60 & wait')")"
wait_gone "$T" 60; wait_acct "$T" 20
cap acct-timeout qacct -j "$T"

# ---------------------------------------------------------------- two slots and a memory limit
P="$(submit "$(script pe '-pe smp 2' '-l h_vmem=512M' -- 'ulimit -v' 'sleep 2')")"
wait_state "$P" r 20
cap status-pe qstat -xml
wait_gone "$P" 30; wait_acct "$P" 20
cap acct-pe qacct -j "$P"

cap version-qstat qstat -help

# ---------------------------------------------------------------- qmaster down
"$REPO/scripts/cluster/sge-down.sh" >/dev/null 2>&1
cap status-unreachable qstat -xml
cap submit-unreachable qsub -terse -b n "$S"
cap cancel-unreachable qdel 1
"$REPO/scripts/cluster/sge-up.sh" >/dev/null 2>&1
echo "done; job files under $W" >&2
