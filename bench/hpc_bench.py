"""%%hpc benchmark: round trips against the scheduler's own floor, streaming latency, and a
100 MB job followed to the end with the kernel's memory sampled. Run on demand:

    .venv/bin/python bench/hpc_bench.py --cluster local [--cluster slurm] [--runs 10]

Needs the kernelspec installed (scripts/setup.sh) and, for slurm, scripts/cluster/slurm-up.sh.
Writes bench/results/hpc-bench.json and .md."""
import argparse
import json
import os
import re
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = Path(os.environ.get("HPC_BENCH_WORKDIR", "/tmp/hpc-bench-work"))


SSH_DIR = "/tmp/hpc-test-cluster/ssh"
SSH_WORK = "/tmp/hpc-bench-work-hpcuser"


def ssh_profile(scheduler, **extra):
    return {"scheduler": scheduler, "workdir": f"{SSH_WORK}/{scheduler}", "host": "127.0.0.1", "port": 2222,
            "user": "hpcuser", "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts", **extra}


def profiles():
    return {"local": {"scheduler": "local", "workdir": str(WORK / "local")},
            "slurm": {"scheduler": "slurm", "workdir": str(WORK / "slurm"), "defaults": {"partition": "debug"}},
            "ssh-slurm": ssh_profile("slurm", defaults={"partition": "debug"}),
            "sge": {"scheduler": "sge", "workdir": str(WORK / "sge")},
            "oar": ssh_profile("oar")}


SSH_CMD = ["ssh", "-F", f"{SSH_DIR}/ssh_config", "-o", "ControlMaster=auto", "-o", "ControlPath=/tmp/hpc-bench-ssh-%C",
           "-o", "ControlPersist=120", "hpc-test-user"]


def poll_until(done, start):
    while not done():
        time.sleep(0.05)
    return time.monotonic() - start


def floor_generic(runs, submit, finished):
    """submit() -> job id; finished(id) -> bool; polled every 50 ms."""
    times = []
    for _ in range(runs):
        t = time.monotonic()
        job = submit()
        times.append(poll_until(lambda: finished(job), t))
    return stats(times)


def floor_ssh_slurm(runs):
    ssh = lambda *cmd: subprocess.run(SSH_CMD + [" ".join(cmd)], capture_output=True, text=True)
    ssh("mkdir -p /tmp/hpc-bench-floor && printf '#!/bin/bash\\necho hi\\n' > /tmp/hpc-bench-floor/f.sh")
    return floor_generic(runs, lambda: ssh("sbatch --parsable -p debug -o /tmp/hpc-bench-floor/out /tmp/hpc-bench-floor/f.sh").stdout.strip().split(";")[0],
                         lambda j: not ssh("squeue -h -j", j).stdout.strip())


def floor_sge(runs):
    tmp = Path(tempfile.mkdtemp())
    script = tmp / "f.sh"
    script.write_text("#!/bin/bash\necho hi\n")
    submit = lambda: subprocess.run(["qsub", "-terse", "-b", "n", "-N", "floor", "-o", str(tmp), "-j", "y", str(script)],
                                    capture_output=True, text=True, check=True).stdout.strip()
    return floor_generic(runs, submit, lambda j: subprocess.run(["qstat", "-j", j], capture_output=True).returncode != 0)


def floor_oar(runs):
    ssh = lambda *cmd: subprocess.run(SSH_CMD + [" ".join(cmd)], capture_output=True, text=True)
    ssh("mkdir -p /tmp/hpc-bench-floor-oar && printf '#!/bin/bash\\necho hi\\n' > /tmp/hpc-bench-floor-oar/f.sh && chmod +x /tmp/hpc-bench-floor-oar/f.sh")
    def submit():
        out = ssh("cd /tmp/hpc-bench-floor-oar && oarsub -S ./f.sh").stdout
        return re.search(r"OAR_JOB_ID=(\d+)", out).group(1)
    return floor_generic(runs, submit, lambda j: re.search(r"(Terminated|Error)", ssh("oarstat -s -j", j).stdout) is not None)


class Kernel:
    def __init__(self, kernel_name, env):
        self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel(env={**os.environ, **env})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        while True:
            try:
                self.kc.get_shell_msg(timeout=0.3)
            except queue.Empty:
                break

    def run(self, code, on_message=None, timeout=900):
        start = time.monotonic()
        msg_id = self.kc.execute(code)
        while True:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if on_message:
                on_message(m, time.time())
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        while True:
            r = self.kc.get_shell_msg(timeout=30)
            if r["parent_header"].get("msg_id") == msg_id:
                break
        return time.monotonic() - start, r["content"]["status"]

    def pid(self):
        return self.km.provisioner.process.pid

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def rss_mb(pid):
    total = 0
    for p in [pid] + children(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def stats(xs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "p90": xs[min(len(xs) - 1, int(len(xs) * 0.9))], "min": xs[0], "max": xs[-1], "n": len(xs)}


def floor_slurm(runs):
    """sbatch --parsable, then squeue every 50 ms until the job is gone: what a script can do at best."""
    times = []
    tmp = Path(tempfile.mkdtemp())
    script = tmp / "floor.sh"
    script.write_text("#!/bin/bash\necho hi\n")
    for _ in range(runs):
        t = time.monotonic()
        job = subprocess.run(["sbatch", "--parsable", "-p", "debug", "-o", str(tmp / "out"), str(script)],
                             capture_output=True, text=True, check=True).stdout.strip().split(";")[0]
        while subprocess.run(["squeue", "-h", "-j", job], capture_output=True, text=True).stdout.strip():
            time.sleep(0.05)
        times.append(time.monotonic() - t)
    return stats(times)


def floor_local(runs):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        p = subprocess.Popen(["setsid", "/bin/bash", "-c", "echo hi"], stdout=subprocess.DEVNULL)
        p.wait()
        times.append(time.monotonic() - t)
    return stats(times)


def bench_cluster(name, kernel_name, runs):
    config = Path(tempfile.mkdtemp()) / "clusters.json"
    config.write_text(json.dumps({"default": name, "clusters": {name: profiles()[name]}}))
    k = Kernel(kernel_name, {"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(config.parent / "data")})
    out = {"cluster": name}
    try:
        k.run("record Warm(int x) {}")
        k.run("%%hpc\n#!/bin/bash\necho warm")  # stages nothing for shebang, but warms the path
        k.run("%%hpc\nnew Warm(1)")  # stages the runner jar once
        shebang = [k.run("%%hpc\n#!/bin/bash\necho hi")[0] for _ in range(runs)]
        java = [k.run("%%hpc\nSystem.out.println(\"hi\");")[0] for _ in range(runs)]
        out["shebang_round_trip_s"] = stats(shebang)
        out["java_round_trip_s"] = stats(java)
        out["floor_s"] = {"slurm": floor_slurm, "ssh-slurm": floor_ssh_slurm, "sge": floor_sge, "oar": floor_oar}.get(name, floor_local)(runs)
        if name in ("sge", "oar"):
            return out  # round trips only: streaming and 100 MB are measured on local, slurm and ssh-slurm

        lat = []

        def latency(m, now):
            if m["msg_type"] == "stream":
                for line in m["content"]["text"].splitlines():
                    if line.startswith("TS "):
                        lat.append(now - float(line.split()[1]))

        k.run("%%hpc\n#!/bin/bash\nfor i in $(seq 1 100); do echo \"TS $(date +%s.%N)\"; sleep 0.05; done", on_message=latency)
        out["stream_latency_s"] = stats(lat) if lat else None

        samples = []
        stop = {"done": False}

        def sample(m, now):
            if len(samples) < 100000:
                samples.append(rss_mb(k.pid()))

        before = rss_mb(k.pid())
        elapsed, status = k.run("%%hpc\n#!/bin/bash\nyes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -c 100000000",
                                on_message=sample)
        after = rss_mb(k.pid())
        out["follow_100MB"] = {"seconds": elapsed, "status": status, "rss_before_mb": before, "rss_after_mb": after,
                               "rss_max_sampled_mb": max(samples) if samples else None}
    finally:
        k.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cluster", action="append", default=None)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--kernel", default=os.environ.get("HPC_KERNEL_NAME", "java-hpc"))
    a = ap.parse_args()
    clusters = a.cluster or ["local"]
    results = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": a.runs,
               "clusters": [bench_cluster(c, a.kernel, a.runs) for c in clusters]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hpc-bench.json").write_text(json.dumps(results, indent=2))
    lines = ["| cluster | shebang cell (median) | Java cell (median) | floor (median) | shebang − floor | Java − floor | stream latency p50 / p90 | 100 MB followed: time, RSS before → max → after |",
             "|---|---|---|---|---|---|---|---|"]
    for c in results["clusters"]:
        sl = c.get("stream_latency_s") or {"median": float("nan"), "p90": float("nan")}
        f = c.get("follow_100MB") or {"seconds": float("nan"), "rss_before_mb": float("nan"), "rss_max_sampled_mb": float("nan"), "rss_after_mb": float("nan")}
        lines.append(f"| {c['cluster']} | {c['shebang_round_trip_s']['median']:.2f} s | {c['java_round_trip_s']['median']:.2f} s | "
                     f"{c['floor_s']['median']:.2f} s | {c['shebang_round_trip_s']['median'] - c['floor_s']['median']:+.2f} s | "
                     f"{c['java_round_trip_s']['median'] - c['floor_s']['median']:+.2f} s | "
                     f"{sl['median']*1000:.0f} / {sl['p90']*1000:.0f} ms | {f['seconds']:.1f} s, {f['rss_before_mb']:.0f} → {f['rss_max_sampled_mb'] or 0:.0f} → {f['rss_after_mb']:.0f} MB |")
    lines.append("")
    lines.append("Targets: shebang ≤ floor + 0.3 s (also over SSH); Java ≤ floor + 1.0 s; streaming p50 ≤ 300 ms on a local FS, ≤ 500 ms over SSH; memory flat while following 100 MB. Floors: the scheduler's own submit command, then its status command every 50 ms until the job is gone (over SSH: one reused OpenSSH connection).")
    (RESULTS / "hpc-bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
