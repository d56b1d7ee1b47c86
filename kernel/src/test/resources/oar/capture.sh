#!/usr/bin/env bash
# Records what a real OAR 2.5 prints for the commands OarScheduler builds, into *.txt next to this
# script (read by OarRecordedTest). Run as root on the test cluster; every OAR command runs as the
# plain user $OAR_TEST_USER (root may not submit):
#   scripts/cluster/oar-up.sh && kernel/src/test/resources/oar/capture.sh
# Takes ~2.5 min (one job must run out of walltime). Job ids differ from run to run; the tests take
# them from the recorded argv/stdout. Each file: "# argv:" (words shell-quoted with printf %q),
# "# rc:", "# stdout:", "# stderr:". The #OAR lines below are written exactly as
# OarScheduler.directives() renders them (OarSchedulerTest checks the same lines).
set -euo pipefail

RES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
U="${OAR_TEST_USER:-hpcuser}"
[ "$(id -u)" = 0 ] || { echo "run as root (commands run as $U through runuser)" >&2; exit 1; }
W="$(runuser -u "$U" -- mktemp -d /tmp/hk-oar-capture.XXXXXX)"
SQL() { echo "array_id IN ($1) OR job_id IN ($1)"; }

as_user() { runuser -u "$U" -- "$@"; }

cap() { # NAME ARGV...: run ARGV as the user, record it
    local name="$1" out err rc
    shift
    out="$(mktemp)"; err="$(mktemp)"
    set +e; (cd "$W" && as_user "$@") >"$out" 2>"$err" </dev/null; rc=$?; set -e
    { printf '# argv:'; printf ' %q' "$@"; echo; echo "# rc: $rc"; echo "# stdout:"; cat "$out"; echo "# stderr:"; cat "$err"; } >"$RES/$name.txt"
    rm -f "$out" "$err"
    printf '%-30s rc=%-3s %s\n' "$name" "$rc" "$(sed -n '4,$p' "$RES/$name.txt" | grep -v '^# std' | head -3 | tr '\n' ' ' | cut -c1-150)" >&2
}

# script NAME [#OAR line...] -- body: writes $W/NAME/job.sh as OarScheduler renders the header
script() {
    local name="$1" d="$W/$1"
    shift
    as_user mkdir -p "$d"
    {
        echo '#!/bin/bash'
        echo "#OAR -n hk-cap-$name"
        echo "#OAR -d $d"
        echo "#OAR -O $d/scheduler.out"
        echo "#OAR -E $d/scheduler.out"
        while [ "$#" -gt 0 ] && [ "$1" != -- ]; do echo "$1"; shift; done
        shift
        echo 'export HPC_JOB_ID="${OAR_ARRAY_ID:-$OAR_JOB_ID}"'
        echo 'export HPC_ARRAY_INDEX="${1:+$(( $1 + (OAR_ARRAY_INDEX - 1) * ${2:-1} ))}"'
        echo 'echo "HPC_JOB_ID=$HPC_JOB_ID HPC_ARRAY_INDEX=$HPC_ARRAY_INDEX OAR_JOB_ID=$OAR_JOB_ID OAR_ARRAY_INDEX=$OAR_ARRAY_INDEX"'
        printf '%s\n' "$@"
    } | as_user tee "$d/job.sh" >/dev/null
    as_user chmod 700 "$d/job.sh"
    echo "$d/job.sh"
}

id_of() { sed -n 's/^OAR_ARRAY_ID=\([0-9]*\)$/\1/p; s/^OAR_JOB_ID=\([0-9]*\)$/\1/p' "$RES/$1.txt" | tail -1; }

state_of() { as_user oarstat -s -j "$1" 2>/dev/null | sed -n "s/^$1: //p"; }
wait_state() { # ID STATE SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(state_of "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "job $1 not $2 after $3 s (is $(state_of "$1"))" >&2
    return 1
}
wait_final() { # ID SECONDS
    local i s
    for ((i = 0; i < $2 * 10; i++)); do
        s="$(state_of "$1")"
        case "$s" in Terminated|Error) return 0 ;; esac
        sleep 0.1
    done
    echo "job $1 not over after $2 s (is $s)" >&2
    return 1
}

# ---------------------------------------------------------------- versions, refusals
cap version-oarsub oarsub -V
cap version-oarstat oarstat -V
s="$(script badqueue '#OAR -q nope' -- 'true')"
cap submit-bad-queue oarsub -S "$s"
s="$(script badnodes '#OAR -l /nodes=2/core=1' -- 'true')"
cap submit-bad-nodes oarsub -S "$s"
s="$(script badcores '#OAR -l /nodes=1/core=3' -- 'true')"
cap submit-bad-cores oarsub -S "$s"
s="$(script badprop '#OAR -l /gpu=1' -- 'true')"
cap submit-bad-resource oarsub -S "$s"
s="$(script badline '#OAR --mem 4G' -- 'true')"
cap submit-bad-directive oarsub -S "$s"
s="$(script adminq '#OAR -q admin' -- 'true')"
cap submit-admin-queue oarsub -S "$s"
cap submit-not-executable oarsub -S "$W/no-such-script.sh"

# ---------------------------------------------------------------- a blocker holds both cores: the next job waits
s="$(script blocker '#OAR -l /nodes=1/core=2,walltime=0:05:00' -- 'sleep 300')"
cap submit-blocker oarsub -S "$s"
BLOCKER="$(id_of submit-blocker)"
wait_state "$BLOCKER" Running 30
cap status-running oarstat -f -J --sql "$(SQL "$BLOCKER")"

s="$(script ok '#OAR -q default' '#OAR --project hk-proj' '#OAR -l /nodes=1/core=1,walltime=0:02:00' -- 'sleep 2' 'exit 0')"
cap submit-ok oarsub -S "$s"
OK="$(id_of submit-ok)"
sleep 2
cap status-waiting oarstat -f -J --sql "$(SQL "$OK")"
as_user oarhold "$OK" >/dev/null
wait_state "$OK" Hold 10
cap status-hold oarstat -f -J --sql "$(SQL "$OK")"
as_user oarresume "$OK" >/dev/null
wait_state "$OK" Waiting 10

s="$(script cancelpending '#OAR -l walltime=0:02:00' -- 'sleep 60')"
cap submit-cancel-pending oarsub -S "$s"
CP="$(id_of submit-cancel-pending)"
cap cancel-pending oardel --array "$CP"
wait_final "$CP" 30
cap status-cancelled-pending oarstat -f -J --sql "$(SQL "$CP")"

cap find-by-name /bin/sh -c "exec oarstat -J --sql \"job_name = '\$1' AND job_user = '\$(id -un)'\"" oarstat hk-cap-ok
cap find-by-name-none /bin/sh -c "exec oarstat -J --sql \"job_name = '\$1' AND job_user = '\$(id -un)'\"" oarstat hk-cap-nosuchname

# the blocker goes: cancelled while running
cap cancel-running oardel --array "$BLOCKER"
wait_final "$BLOCKER" 60
cap status-cancelled oarstat -f -J --sql "$(SQL "$BLOCKER")"
cap cancel-finished oardel --array "$BLOCKER"
cap cancel-unknown oardel --array 999999

wait_final "$OK" 60
cap status-completed oarstat -f -J --sql "$(SQL "$OK")"
cat "$W/ok/scheduler.out" >"$RES/job-output-ok.out"

# ---------------------------------------------------------------- failures
s="$(script fail '#OAR -l walltime=0:02:00' -- 'echo failing >&2' 'exit 3')"
cap submit-fail oarsub -S "$s"
FAIL="$(id_of submit-fail)"
s="$(script killed '#OAR -l walltime=0:02:00' -- 'kill -9 $$')"
cap submit-killed oarsub -S "$s"
KILLED="$(id_of submit-killed)"
wait_final "$FAIL" 60
wait_final "$KILLED" 60
cap status-failed oarstat -f -J --sql "$(SQL "$FAIL")"
cap status-killed oarstat -f -J --sql "$(SQL "$KILLED")"
cap status-several oarstat -f -J --sql "$(SQL "$OK,$FAIL,$KILLED")"
cap status-unknown oarstat -f -J --sql "$(SQL 999999)"

# ---------------------------------------------------------------- an array of 4 with indices 0..3
s="$(script array '#OAR -l /nodes=1/core=1,walltime=0:02:00' '#OAR --array 4' -- 'sleep 3')"
cap submit-array oarsub -S "$s 0 1"
ARR="$(id_of submit-array)"
wait_state "$ARR" Running 30
cap status-array-running oarstat -f -J --sql "$(SQL "$ARR")"
for j in $(seq "$ARR" $((ARR + 3))); do wait_final "$j" 60; done
cap status-array-final oarstat -f -J --sql "$(SQL "$ARR")"
cat "$W/array/scheduler.out" >"$RES/job-output-array.out"

# ---------------------------------------------------------------- walltime: 1 minute, sleeps 300
s="$(script timeout '#OAR -l /nodes=1/core=1,walltime=0:01:00' -- 'sleep 300')"
cap submit-timeout oarsub -S "$s"
TO="$(id_of submit-timeout)"
wait_final "$TO" 150
cap status-timeout oarstat -f -J --sql "$(SQL "$TO")"
cat "$W/timeout/scheduler.out" >"$RES/job-output-timeout.out"

# ---------------------------------------------------------------- the server down: oarsub stores the job anyway
if [ "${CAPTURE_SERVER_DOWN:-1}" = 1 ]; then
    pid="$(tr -dc 0-9 </run/oar-server.pid)"
    kill -TERM "$pid"
    for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    s="$(script serverdown '#OAR -l walltime=0:02:00' -- 'true')"
    cap submit-server-down oarsub -S "$s"
    SD="$(id_of submit-server-down)"
    /usr/sbin/oar-server
    sleep 1
    [ -n "$SD" ] && wait_final "$SD" 60 && cap status-after-server-down oarstat -f -J --sql "$(SQL "$SD")"
fi
echo "captured into $RES (work files in $W)" >&2
