#!/usr/bin/env python3
"""Scale: JOBS concurrent jobs plus one TASKS-task array on a real Slurm, submitted and followed
through the kernel's own submit and monitor code (bench/ScaleRun.java against the built jar).
Job i and array task i exit 3 when i % FAIL_EVERY == 0 and must end FAILED; every other one must
end COMPLETED. Reports scheduler commands per job (counting wrappers first on PATH, as
run-scheduler-load.sh does) and the monitoring JVM's CPU time per monitored job (/proc/PID/stat).

The shared 2-CPU test Slurm runs 2 jobs at a time, so the run brings up a private Slurm beside it
(scripts/cluster/slurm-up.sh with its own CLUSTER_DIR and ports) that advertises more CPUs and
takes arrays of more than 1,000 tasks; it is wiped afterwards.

    python3 bench/scale_bench.py [--jobs 200] [--tasks 2000] [--fail-every 97] [--cpus 32]

Writes bench/results/scale-slurm.json and .md. tests/hpc/test_scale.py runs the same code.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLUSTER_SCRIPTS = REPO / "scripts" / "cluster"
SLURM_COMMANDS = ("sbatch", "squeue", "sacct", "scancel", "scontrol")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def private_slurm_env(cluster_dir, cpus, max_array_size):
    return {**os.environ, "CLUSTER_DIR": str(cluster_dir), "CLUSTER_ACCOUNTING": "none", "CLUSTER_LINK_ETC": "0",
            "SLURM_CLUSTER_NAME": "hpcscale", "SLURMCTLD_PORT": "6917", "SLURMD_PORT": "6918",
            "CLUSTER_CPUS": str(cpus), "SLURM_MAX_ARRAY_SIZE": str(max_array_size), "CLUSTER_FRESH": "1"}


@contextmanager
def private_slurm(cpus, max_array_size, cluster_dir="/tmp/hpc-scale-cluster"):
    """A Slurm of its own beside the shared test Slurm; yields its SLURM_CONF. Always wiped after."""
    env = private_slurm_env(cluster_dir, cpus, max_array_size)
    try:
        up = subprocess.run(["bash", str(CLUSTER_SCRIPTS / "slurm-up.sh")], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=300)
        if up.returncode != 0:
            raise RuntimeError(f"private Slurm did not come up (rc={up.returncode}):\n{up.stdout[-2000:]}{up.stderr[-2000:]}")
        yield f"{cluster_dir}/etc/slurm.conf"
    finally:
        subprocess.run(["bash", str(CLUSTER_SCRIPTS / "slurm-down.sh")], env={**env, "CLUSTER_WIPE": "1"},
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def counting_wrappers(bin_dir, log):
    """sbatch, squeue, ... first on PATH: each call appends its name to LOG, then runs the real one."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    log.touch()
    for cmd in SLURM_COMMANDS:
        real = shutil.which(cmd)
        if real is None:
            raise RuntimeError(f"{cmd} not found on PATH (Slurm client missing)")
        wrapper = bin_dir / cmd
        wrapper.write_text(f"#!/bin/sh\necho {cmd} >> '{log}'\nexec '{real}' \"$@\"\n")
        wrapper.chmod(0o755)


def cpu_seconds(pid):
    """(own CPU, CPU of waited-for children) of PID in seconds, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime) / CLK_TCK, (cutime + cstime) / CLK_TCK


def run_scale(slurm_conf, jobs, tasks, fail_every, timeout_s, jar=None, workdir=None):
    """Runs ScaleRun.java under counting wrappers; returns the figures and every job's and task's state."""
    jar = jar or os.environ.get("HPC_KERNEL_JAR", str(REPO / "kernel" / "target" / "hpc-kernel.jar"))
    tmp = Path(tempfile.mkdtemp(prefix="hpc-scale-"))
    try:
        log = tmp / "calls.log"
        counting_wrappers(tmp / "bin", log)
        work = Path(workdir) if workdir else tmp / "work"
        env = {**os.environ, "PATH": f"{tmp / 'bin'}:{os.environ['PATH']}", "SLURM_CONF": slurm_conf}
        proc = subprocess.Popen(["java", "-cp", jar, str(REPO / "bench" / "ScaleRun.java"), "slurm", str(work),
                                 str(jobs), str(tasks), str(fail_every), str(timeout_s)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # stderr drained aside so the harness never blocks on a full pipe.
        err = []
        threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True).start()
        killer = threading.Timer(timeout_s + 120, proc.kill)
        killer.start()
        marks, result = {}, None
        try:
            for line in proc.stdout:
                word = line.split(" ", 1)[0].strip()
                if word in ("READY", "SUBMITTED", "RESULT"):
                    marks[word] = (time.monotonic(), cpu_seconds(proc.pid), sum(1 for _ in open(log)))
                if word == "RESULT":
                    result = json.loads(line.split(" ", 1)[1])
                    proc.stdin.write("\n")
                    proc.stdin.flush()
            proc.wait(timeout=60)
        finally:
            killer.cancel()
            if proc.poll() is None:
                proc.kill()
        if result is None or "READY" not in marks:
            raise RuntimeError(f"ScaleRun ended without a result (rc={proc.returncode}):\n{''.join(err)[-3000:]}")
        calls = collections.Counter(l.strip() for l in open(log) if l.strip())
        ids = [j["id"] for j in result["jobs"]] + ([result["array"]["id"]] if result["array"] else [])
        slurm_view = scheduler_states(slurm_conf, ids)
        evidence = {}
        for job in result["jobs"]:
            evidence[job["id"]] = job_files(job.get("dir"), "")
        if result["array"]:
            for i in range(1, tasks + 1):
                evidence[f"{result['array']['id']}_{i}"] = job_files(result["array"]["dir"], f".{i}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    (t0, (cpu0, _), _), (t1, (cpu1, _), calls1), (t2, (cpu2, child2), calls2) = (
        marks["READY"], marks["SUBMITTED"], marks["RESULT"])
    monitored = jobs + tasks
    return {
        "jobs": jobs, "array_tasks": tasks, "fail_every": fail_every,
        "wall_seconds": round(t2 - t0, 1), "submit_seconds": round(t1 - t0, 1),
        "scheduler_calls": dict(calls), "scheduler_calls_total": sum(calls.values()),
        "scheduler_calls_while_following": calls2 - calls1,
        "scheduler_calls_per_job": round(sum(calls.values()) / (jobs + (1 if tasks else 0)), 2),
        "scheduler_calls_per_job_or_task": round(sum(calls.values()) / monitored, 3),
        "kernel_cpu_seconds": round(cpu2 - cpu0, 2),
        "kernel_cpu_seconds_submitting": round(cpu1 - cpu0, 2),
        "kernel_cpu_seconds_following": round(cpu2 - cpu1, 2),
        "kernel_cpu_ms_per_monitored_job": round(1000 * (cpu2 - cpu0) / monitored, 2),
        "scheduler_command_cpu_seconds": round(child2, 2),
        "result": result,
        "slurm_view": slurm_view,
        "evidence": evidence,
    }


def job_files(job_dir, suffix):
    """The job's own exit marker and the tail of its stderr, read directly: evidence for a wrong state."""
    if not job_dir:
        return None
    def tail(name):
        try:
            return Path(job_dir, name + suffix).read_text(errors="replace")[-300:]
        except OSError as e:
            return f"<{e.strerror}>"
    return {"exit": tail("exit").strip(), "stderr": tail("stderr"), "scheduler_out": tail("scheduler" + suffix + ".out" if suffix else "scheduler.out")}


def slurm_state_of(figures, slurm_id):
    """Slurm's own state for JOBID or ARRAYID_TASK (plain job ids of ended array tasks are listed as ARRAY_TASK)."""
    return figures["slurm_view"].get(slurm_id)


def wrong_states(figures):
    """Every job or task whose final state is not the one its exit code calls for (empty = all right)."""
    fail_every, r = figures["fail_every"], figures["result"]
    wrong = []
    for job in r["jobs"]:
        want = ("FAILED", 3) if job["index"] % fail_every == 0 else ("COMPLETED", 0)
        if (job["state"], job.get("exit")) != want:
            wrong.append(f"job {job['index']} ({job['id']}): {job['state']} exit {job.get('exit')}, want {want}; "
                         f"Slurm says {slurm_state_of(figures, job['id'])}, files {figures['evidence'].get(job['id'])}")
    if figures["array_tasks"]:
        a = r["array"]
        codes = {int(k): v for k, v in a["taskExitCodes"].items()}
        failing = {i for i in range(1, figures["array_tasks"] + 1) if i % fail_every == 0}
        for i in range(1, figures["array_tasks"] + 1):
            want = 3 if i in failing else 0
            if codes.get(i) != want:
                key = f"{a['id']}_{i}"
                wrong.append(f"array {a['id']} task {i}: exit {codes.get(i)}, want {want}; "
                             f"Slurm says {slurm_state_of(figures, key)}, files {figures['evidence'].get(key)}")
        want_states = {"COMPLETED": figures["array_tasks"] - len(failing), **({"FAILED": len(failing)} if failing else {})}
        if a["taskStates"] != want_states:
            wrong.append(f"array {a['id']} task states {a['taskStates']}, want {want_states}")
        want_state = "FAILED" if failing else "COMPLETED"
        if a["state"] != want_state:
            wrong.append(f"array {a['id']}: {a['state']}, want {want_state}")
    return wrong


def scheduler_states(slurm_conf, job_ids):
    """Slurm's own final states (squeue -t all keeps finished jobs MinJobAge=300 s): id or id_task → state."""
    out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i|%T", "-j", ",".join(job_ids)],
                         env={**os.environ, "SLURM_CONF": slurm_conf}, capture_output=True, text=True, timeout=60)
    return dict(line.split("|", 1) for line in out.stdout.split() if "|" in line)


def summary_line(f):
    return (f"{f['jobs']} jobs + {f['array_tasks']}-task array on Slurm: {f['wall_seconds']} s; "
            f"{f['scheduler_calls_total']} scheduler commands = {f['scheduler_calls_per_job']} per job "
            f"({f['scheduler_calls_per_job_or_task']} per job or task) {f['scheduler_calls']}; kernel CPU "
            f"{f['kernel_cpu_seconds']} s = {f['kernel_cpu_ms_per_monitored_job']} ms per monitored job or task "
            f"(submitting {f['kernel_cpu_seconds_submitting']} s, following {f['kernel_cpu_seconds_following']} s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--fail-every", type=int, default=97)
    ap.add_argument("--cpus", type=int, default=32, help="CPUs the private Slurm advertises (jobs at once)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds to wait for every job to end")
    ap.add_argument("--out", default=str(REPO / "bench" / "results"))
    a = ap.parse_args()
    with private_slurm(a.cpus, max(1001, a.tasks + 1)) as conf:
        figures = run_scale(conf, a.jobs, a.tasks, a.fail_every, a.timeout)
    figures["private_slurm_cpus"] = a.cpus
    figures["wrong_states"] = wrong_states(figures)
    line = summary_line(figures)
    print(line)
    print(f"wrong final states: {len(figures['wrong_states'])}", *figures["wrong_states"][:20], sep="\n  ")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    kept = {k: v for k, v in figures.items() if k not in ("result", "slurm_view", "evidence")}
    (out / "scale-slurm.json").write_text(json.dumps(kept, indent=2) + "\n")
    (out / "scale-slurm.md").write_text(
        "# Scale run on Slurm (bench/scale_bench.py)\n\n" + line + "\n\n"
        f"Private Slurm advertising {a.cpus} CPUs on a {os.cpu_count()}-core machine; job i and array task i "
        f"exit 3 when i % {a.fail_every} == 0.\nWrong final states: {len(figures['wrong_states'])}.\n")
    return 1 if figures["wrong_states"] else 0


if __name__ == "__main__":
    sys.exit(main())
