"""%maven over SSH: a Java cell using three %maven artifacts, its first job (the jars uploaded to the
work directory's cache) and later jobs (cached), against a trivial Java cell of a session without
jars, all on the test Slurm through the loopback sshd as hpcuser. Rounds are interleaved (the
order rotates) so that drift on the shared machine falls on every kind alike. Run on demand:

    .venv/bin/python bench/maven/maven_bench.py [--rounds 7]

Needs the kernelspec installed (scripts/setup.sh, or HPC_KERNEL_NAME), scripts/cluster/slurm-up.sh
and sshd-up.sh, and Maven Central (once, for the artifacts). The cache is emptied between rounds
with a local `rm`: the cluster is this machine's loopback one. Writes bench/results/maven-ssh.md
and .json."""
import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
SSH_DIR = "/tmp/hpc-test-cluster/ssh"
WORKDIR = Path(os.environ.get("HPC_BENCH_MAVEN_WORKDIR", "/tmp/hpc-bench-work-hpcuser/maven"))
ARTIFACTS = ["org.apache.commons:commons-text:1.12.0", "org.apache.commons:commons-csv:1.11.0",
             "org.apache.commons:commons-math3:3.6.1"]
MAVEN_CELL = ('var csv = org.apache.commons.csv.CSVFormat.DEFAULT.format("a", "b");\n'
              'var mean = new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics(new double[] {1, 2, 3}).getMean();\n'
              'System.out.println(org.apache.commons.text.WordUtils.capitalize("round ") + ROUND + " " + csv + " " + mean);\n')
TRIVIAL_CELL = 'System.out.println("round " + ROUND);\n'


def start(env):
    km = KernelManager(kernel_name=os.environ.get("HPC_KERNEL_NAME", "java-hpc"))
    km.start_kernel(env={**os.environ, **env})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def execute(kc, code, timeout=600):
    """Seconds from execute_request to idle, and whether the cell succeeded."""
    t = time.monotonic()
    msg_id = kc.execute(code)
    status = None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            status = msg["content"]["evalue"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    elapsed = time.monotonic() - t
    while True:
        try:
            reply = kc.get_shell_msg(timeout=30)
        except queue.Empty:
            break
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if status:
        raise RuntimeError(f"cell failed: {status}\n{code}")
    return elapsed


def stats(xs):
    return {"min": min(xs), "median": statistics.median(xs), "max": max(xs), "n": len(xs)}


def stage_alone(repo, rounds):
    """The cache's own cost: upload into an empty cache, then one stat per jar (bench/maven/JarCacheStaging.java)."""
    jar = ROOT / "kernel" / "target" / "hpc-kernel.jar"
    argv = ["java", "-cp", str(jar), str(Path(__file__).with_name("JarCacheStaging.java")), "127.0.0.1", "2222", "hpcuser",
            f"{SSH_DIR}/id_ed25519", f"{SSH_DIR}/known_hosts", str(WORKDIR), str(rounds)] + [str(p) for p in sorted(repo.rglob("*.jar"))]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="maven-bench-"))
    settings = tmp / "settings.xml"
    repo = Path(os.environ.get("HPC_BENCH_MAVEN_REPO", "/tmp/hpc-bench-maven-repo"))
    settings.write_text(f"<settings><localRepository>{repo}</localRepository></settings>\n")
    config = tmp / "clusters.json"
    config.write_text(json.dumps({"default": "ssh", "clusters": {"ssh": {
        "scheduler": "slurm", "workdir": str(WORKDIR), "host": "127.0.0.1", "port": 2222, "user": "hpcuser",
        "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts",
        "defaults": {"partition": "debug", "time": "00:05:00"}}}}))
    env = {"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp / "data"), "HPC_KERNEL_MAVEN_SETTINGS": str(settings)}
    with_jars, plain = start(env), start(env)
    kernels = {"maven": with_jars[1], "trivial": plain[1]}
    try:
        t = time.monotonic()
        execute(kernels["maven"], "%maven " + " ".join(ARTIFACTS))
        resolve_first = time.monotonic() - t
        jars = sorted(p.name for p in repo.rglob("*.jar"))
        # Warm-up: the runner jar and its class-data archive, so that rounds differ only by the jars.
        for k in kernels.values():
            execute(k, "int ROUND = 0;")
            execute(k, "%%hpc\nSystem.out.println(0);\n")
        times = {"trivial": [], "trivial, in the session with the jars (cached)": [],
                 "maven first job (upload)": [], "maven later job (cached)": []}
        uploaded_bytes = 0
        for r in range(1, args.rounds + 1):
            order = ["trivial", "upload", "cached", "trivial-jars"] if r % 2 else ["upload", "trivial-jars", "cached", "trivial"]
            for kind in order:
                if kind == "upload":
                    cache = WORKDIR / "jars"
                    uploaded_bytes = sum(p.stat().st_size for p in cache.glob("*.jar"))
                    for p in cache.glob("*.jar"):
                        p.unlink()
                    execute(kernels["maven"], f"ROUND = {r};")
                    times["maven first job (upload)"].append(execute(kernels["maven"], "%%hpc\n" + MAVEN_CELL.replace("ROUND", str(r))))
                elif kind == "cached":
                    times["maven later job (cached)"].append(execute(kernels["maven"], "%%hpc\n" + MAVEN_CELL.replace("ROUND", str(r) + " + 0")))
                elif kind == "trivial-jars":
                    times["trivial, in the session with the jars (cached)"].append(
                        execute(kernels["maven"], "%%hpc\n" + TRIVIAL_CELL.replace("ROUND", str(r))))
                else:
                    times["trivial"].append(execute(kernels["trivial"], "%%hpc\n" + TRIVIAL_CELL.replace("ROUND", str(r))))
        staging = stage_alone(repo, args.rounds)
        result = {"staging_seconds": staging, "rounds": args.rounds, "artifacts": ARTIFACTS, "jars": jars, "jar_bytes": uploaded_bytes,
                  "resolve_first_seconds": resolve_first, "times": {k: stats(v) for k, v in times.items()},
                  "samples": times}
    finally:
        for km, kc in (with_jars, plain):
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "maven-ssh.json").write_text(json.dumps(result, indent=2) + "\n")
    base = result["times"]["trivial"]["median"]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = ["# %maven over SSH (Slurm through the loopback sshd, as hpcuser)", "",
             f"{args.rounds} interleaved rounds; cell wall time from execute_request to idle, seconds"
             f" (load average at the end: {load}).",
             f"Artifacts: {', '.join(ARTIFACTS)} -> {len(jars)} jars, {uploaded_bytes / 1e6:.2f} MB: {', '.join(jars)}.", "",
             "| cell | min | median | max | median - trivial |", "|---|---|---|---|---|"]
    for kind, s in result["times"].items():
        lines.append(f"| {kind} | {s['min']:.2f} | {s['median']:.2f} | {s['max']:.2f} | {s['median'] - base:+.2f} |")
    st = result["staging_seconds"]
    lines += ["", "The jar cache alone (JarCacheStaging.java: the kernel's staging over the same SSH, no scheduler), seconds:", "",
              "| staging | min | median | max |", "|---|---|---|---|"]
    for kind in ("upload", "cached"):
        s = stats(st[kind])
        lines.append(f"| {kind} ({len(jars)} jars) | {s['min']:.3f} | {s['median']:.3f} | {s['max']:.3f} |")
    lines += ["", f"`%maven` of the three (local repository {'already filled' if resolve_first < 5 else 'filled from Maven Central'}):"
              f" {resolve_first:.2f} s.", ""]
    (RESULTS / "maven-ssh.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
