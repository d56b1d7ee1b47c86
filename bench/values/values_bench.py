#!/usr/bin/env python3
"""Values through jobs (issue 11), on the test Slurm. Run on demand, not in CI:

    .venv/bin/python bench/values/values_bench.py --before KERNELSPEC --after KERNELSPEC [--rounds 10]
        [--parts a,b,c,d] [--submitit-python /tmp/submitit-venv/bin/python]

(a) a trivial Java cell and a trivial shebang cell of each build, against the floor (`sbatch` +
    `squeue` every 50 ms), interleaved round by round; target: Java cell <= floor + 0.3 s (after).
(b) a trivial Java cell against the same cell with a 1 MiB input and a 1 MiB `--out`, on the local
    backend, on Slurm from the kernel's machine, and over SSH (`--clusters`), both builds interleaved;
    targets +0.2 s (local, Slurm) and +0.4 s (SSH).
(c) `--for` over 100 elements against 100 separate cells: wall time and scheduler commands
    (counting wrappers first on the kernel's PATH, as bench/scale_bench.py does).
(d) submitit's pickled round trip of the same data on the same Slurm (needs a venv with submitit).

Needs scripts/cluster/slurm-up.sh and sshd-up.sh, both kernelspecs installed (two builds: the
kernelspec install copies the jar). Writes bench/results/values-slurm.json and .md.
"""
import argparse
import glob
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from hpc_bench import Kernel, profiles, stats  # noqa: E402
from scale_bench import counting_wrappers  # noqa: E402

RESULTS = HERE.parent / "results"
# 1 MiB of ASCII characters: with its two quotes in JSON just over the default 1 MiB input cap,
# hence --max-input on the cells of part (b).
BIG_CHARS = 1 << 20
WITH_VALUES = "%%hpc --max-input 2MB --out y\nString y = big.replace('x', 'y');"
TRIVIAL_JAVA = '%%hpc\nSystem.out.println("hi");'
TRIVIAL_SHEBANG = "%%hpc\n#!/bin/bash\necho hi"


def floor_once(folder=Path(tempfile.mkdtemp(prefix="values-bench-floor-"))):
    """sbatch --parsable, then squeue every 50 ms until Slurm says the job is gone. A failed squeue
    (slurmctld busy: empty stdout, non-zero exit) is not taken for "gone", as it would make the
    floor look faster than Slurm is."""
    script = folder / "floor.sh"
    script.write_text("#!/bin/bash\necho hi\n")
    t = time.monotonic()
    job = subprocess.run(["sbatch", "--parsable", "-p", "debug", "-o", str(folder / "out"), str(script)],
                         capture_output=True, text=True, check=True).stdout.strip().split(";")[0]
    while True:
        q = subprocess.run(["squeue", "-h", "-j", job, "-o", "%T"], capture_output=True, text=True)
        if q.returncode == 0 and not q.stdout.strip() or "Invalid job id" in q.stderr:
            return time.monotonic() - t
        time.sleep(0.05)


def build(kernelspec):
    """The jar a kernelspec runs, by SHA-256, so that a result names the builds it measured."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernelspec)
    jar = next(a for a in spec.argv if a.endswith(".jar"))
    return {"kernelspec": kernelspec, "jar_sha256": hashlib.sha256(Path(jar).read_bytes()).hexdigest()[:16]}


def machine():
    load = Path("/proc/loadavg").read_text().split()[:3]
    procs = subprocess.run(["ps", "-eo", "comm="], capture_output=True, text=True).stdout.split()
    return {"loadavg": " ".join(load), "cpus": os.cpu_count(), "java_processes": procs.count("java"),
            "mvn_or_surefire": sum(1 for p in procs if p in ("mvn", "surefire")), "kernel": platform.release()}


class Bench:
    """One kernel on one cluster, its ledger and config in a temp dir; optional extra PATH first."""

    def __init__(self, kernelspec, cluster, path_first=None):
        tmp = Path(tempfile.mkdtemp(prefix="values-bench-"))
        config = tmp / "clusters.json"
        config.write_text(json.dumps({"default": cluster, "clusters": {cluster: profiles()[cluster]}}))
        env = {"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp / "data")}
        if path_first:
            env["PATH"] = f"{path_first}:{os.environ['PATH']}"
        self.kernel = Kernel(kernelspec, env)
        self.errors = []
        self.workdir = profiles()[cluster].get("workdir")
        self.idle_at = None

    def cell(self, code, timeout=900):
        """Seconds from execute_request to idle; a failed cell is recorded (a bench of errors is no bench)."""
        errs = []

        def seen(m, now):
            if m["msg_type"] == "error":
                errs.append(m["content"])
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                self.idle_at = now

        elapsed, status = self.kernel.run(code, on_message=seen, timeout=timeout)
        if status != "ok":
            self.errors.append({"cell": code[:120], "error": errs[-1].get("evalue") if errs else status})
        return elapsed

    def end_latency(self):
        """From the last job's end (the mtime of its exit marker, renamed into place by job.sh's EXIT
        trap; the test Slurm runs on this machine, same clock) to the cell's idle: what the kernel
        adds after the job, free of the scheduler's start-up noise."""
        markers = glob.glob(os.path.join(self.workdir, "jobs", "*", "exit"))
        return self.idle_at - max(os.stat(m).st_mtime for m in markers)

    def value(self, expr):
        """The text/plain of a local expression (checks that an --out really arrived)."""
        got = {}
        self.kernel.run(expr, on_message=lambda m, now: got.update(m["content"]["data"])
                        if m["msg_type"] == "execute_result" else None)
        return got.get("text/plain")

    def close(self):
        self.kernel.close()


def part_a(before, after, rounds):
    kernels = {"before": Bench(before, "slurm"), "after": Bench(after, "slurm")}
    samples = {f"{b}_{kind}": [] for b in kernels for kind in ("java", "shebang")}
    samples["floor"] = []
    try:
        for b in kernels.values():  # stages the runner jar and warms both paths once
            b.cell(TRIVIAL_SHEBANG)
            b.cell(TRIVIAL_JAVA)
        for r in range(rounds):
            steps = [("floor", floor_once, None)]
            for name, b in kernels.items():
                steps.append((f"{name}_java", lambda b=b: b.cell(TRIVIAL_JAVA), b))
                steps.append((f"{name}_shebang", lambda b=b: b.cell(TRIVIAL_SHEBANG), b))
            if r % 2:
                steps.reverse()  # neither build always runs right after the floor
            for key, step, b in steps:
                samples[key].append(step())
                if b is not None:
                    samples.setdefault(key + "_end", []).append(b.end_latency())
        return {"figures": {k: stats(v) for k, v in samples.items()}, "samples": samples,
                "errors": {n: b.errors for n, b in kernels.items()}}
    finally:
        for b in kernels.values():
            b.close()


def part_b(kernelspecs, rounds, clusters):
    """Each build's trivial Java cell against its cell with the 1 MiB values, the builds interleaved
    round by round (order reversed every other round), one kernel per build and cluster."""
    out = {}
    for cluster in clusters:
        benches = {name: Bench(ks, cluster) for name, ks in kernelspecs.items()}
        try:
            arrived = {}
            for name, b in benches.items():
                b.cell(f'String big = "x".repeat({BIG_CHARS});')
                b.cell(TRIVIAL_JAVA)
                b.cell(WITH_VALUES)
                arrived[name] = b.value("y.length() + \" \" + y.charAt(7)")
            samples = {name: {"trivial": [], "with_values": [], "with_values_end": []} for name in benches}
            for r in range(rounds):
                # Distinct text each round: a re-run of the same finished cell must not be an attach.
                steps = []
                for name, b in benches.items():
                    steps.append((name, "trivial", lambda b=b, r=r: b.cell(f'%%hpc\nSystem.out.println("hi {r}");')))
                    steps.append((name, "with_values", lambda b=b, r=r: b.cell(f"{WITH_VALUES} // {r}")))
                if r % 2:
                    steps.reverse()
                for name, kind, step in steps:
                    samples[name][kind].append(step())
                    if kind == "with_values":
                        samples[name]["with_values_end"].append(benches[name].end_latency())
            out[cluster] = {}
            for name, s in samples.items():
                paired = [v - t for v, t in zip(s["with_values"], s["trivial"])]
                out[cluster][name] = {"trivial_java": stats(s["trivial"]), "in_1MiB_out_1MiB": stats(s["with_values"]),
                                      "extra_median_s": stats(s["with_values"])["median"] - stats(s["trivial"])["median"],
                                      "extra_paired": stats(paired), "end_to_idle": stats(s["with_values_end"]),
                                      "output_check": arrived[name], "samples": s, "errors": benches[name].errors}
        finally:
            for b in benches.values():
                b.close()
    return out


def part_c(after, n):
    tmp = Path(tempfile.mkdtemp(prefix="values-bench-calls-"))
    log = tmp / "calls.log"
    counting_wrappers(tmp / "bin", log)
    calls = lambda: [l.strip() for l in log.read_text().splitlines() if l.strip()]
    b = Bench(after, "slurm", path_first=tmp / "bin")
    try:
        b.cell(f"List<Integer> params = java.util.stream.IntStream.range(0, {n}).boxed().toList();")
        b.cell(TRIVIAL_JAVA)
        c0 = len(calls())
        t_for = b.cell("%%hpc --for p:params --out r\nint r = p * p;")
        c1 = len(calls())
        check_for = b.value(f"r.size() + \" \" + r.get({n - 1})")
        t0 = time.monotonic()
        for i in range(n):
            b.cell(f"%%hpc --out r{i}\nint r{i} = params.get({i}) * params.get({i});")
        t_sep = time.monotonic() - t0
        c2 = len(calls())
        check_sep = b.value(f"r{n - 1}")
        by_kind = lambda xs: {k: xs.count(k) for k in sorted(set(xs))}
        every = calls()
        return {"elements": n, "for_wall_s": t_for, "for_scheduler_calls": c1 - c0, "for_calls": by_kind(every[c0:c1]),
                "separate_wall_s": t_sep, "separate_scheduler_calls": c2 - c1, "separate_calls": by_kind(every[c1:c2]),
                "checks": {"for": check_for, "separate_last": check_sep, "expected": f"{n} {(n - 1) ** 2}"},
                "errors": b.errors}
    finally:
        b.close()


def part_d(python, rounds, n):
    helper = HERE / "submitit_roundtrip.py"
    folder = Path(tempfile.mkdtemp(prefix="values-bench-submitit-"))
    run = subprocess.run([python, str(helper), str(folder), str(rounds), str(BIG_CHARS), str(n)], capture_output=True,
                         text=True, env={**os.environ}, timeout=3600)
    if run.returncode != 0:
        return {"error": run.stderr[-2000:]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def fmt(s):
    return f"{s['min']:.2f} / {s['median']:.2f} / {s['max']:.2f} s"


def fmt_signed(s):
    return f"{s['min']:+.2f} / {s['median']:+.2f} / {s['max']:+.2f} s"


def report(results):
    lines = ["# Values through jobs on Slurm (bench/values/values_bench.py)", "",
             f"Run {results['when']}, {results['rounds']} rounds. Machine: {results['machine_start']['cpus']} cores; "
             f"load average at start {results['machine_start']['loadavg']}, at end {results['machine_end']['loadavg']}; "
             f"java processes at start {results['machine_start']['java_processes']} (other agents' kernels, builds "
             "and tests shared the cores during the run).",
             f"Builds (jar SHA-256 prefix): before {results['builds']['before']['jar_sha256']}, after {results['builds']['after']['jar_sha256']}. "
             + results.get("note", ""), ""]
    a = results.get("a")
    if a:
        f = a["figures"]
        lines += ["## (a) trivial cells against the floor (min / median / max)", "",
                  "| build | Java cell | shebang cell | floor | Java − floor (median) | shebang − floor (median) |",
                  "|---|---|---|---|---|---|"]
        for b in ("before", "after"):
            lines.append(f"| {b} ({results['kernels'][b]}) | {fmt(f[b + '_java'])} | {fmt(f[b + '_shebang'])} | {fmt(f['floor'])} | "
                         f"{f[b + '_java']['median'] - f['floor']['median']:+.2f} s | "
                         f"{f[b + '_shebang']['median'] - f['floor']['median']:+.2f} s |")
        samples = a.get("samples", {})
        if samples.get("floor"):
            # Paired: each cell against the floor of its own round, so a slow moment of the shared
            # machine or of slurmctld weighs on both sides of the difference alike.
            lines += ["", "Per round, cell − that round's floor (min / median / max):", "",
                      "| build | Java − floor | shebang − floor |", "|---|---|---|"]
            for b in ("before", "after"):
                diff = {k: stats([c - fl for c, fl in zip(samples[f"{b}_{k}"], samples["floor"])]) for k in ("java", "shebang")}
                lines.append(f"| {b} | {fmt_signed(diff['java'])} | {fmt_signed(diff['shebang'])} |")
        if samples.get("after_java_end"):
            lines += ["", "From the job's end (its exit marker's mtime) to the cell's idle (min / median / max):", "",
                      "| build | Java cell | shebang cell |", "|---|---|---|"]
            for b in ("before", "after"):
                lines.append(f"| {b} | {fmt(stats(samples[b + '_java_end']))} | {fmt(stats(samples[b + '_shebang_end']))} |")
        lines += ["", "Target: Java cell ≤ floor + 0.3 s (after). Cells failed: "
                  f"{ {k: len(v) for k, v in a['errors'].items()} }", ""]
    bb = results.get("b")
    if bb:
        lines += [f"## (b) trivial Java cell vs the same with a {BIG_CHARS:,}-character String in and a same-size `--out` (1 MiB each)", "",
                  "Both builds interleaved round by round. Extra = with values − trivial: of the medians, and paired (each "
                  "round's with-values cell against that round's trivial cell of the same build). End to idle: from the "
                  "with-values job's end (its exit marker's mtime) to the cell's idle (reading and binding the output).", "",
                  "| cluster | build | trivial | with values | extra (medians) | extra, paired (min / median / max) | end to idle | target |",
                  "|---|---|---|---|---|---|---|---|"]
        for c, builds in bb.items():
            for name, r in builds.items():
                lines.append(f"| {c} | {name} | {fmt(r['trivial_java'])} | {fmt(r['in_1MiB_out_1MiB'])} | {r['extra_median_s']:+.2f} s | "
                             f"{fmt_signed(r['extra_paired'])} | {fmt(r['end_to_idle'])} | "
                             f"{'+0.4 s' if c.startswith('ssh') else '+0.2 s'} |")
        lines += ["", "Output check (`y.length()`, a char): " + "; ".join(f"{c} {n}: {r['output_check']}" for c, b in bb.items() for n, r in b.items()),
                  "Cells failed: " + "; ".join(f"{c} {n}: {len(r['errors'])}" for c, b in bb.items() for n, r in b.items()), ""]
    c = results.get("c")
    if c:
        lines += [f"## (c) `--for` over {c['elements']} elements vs {c['elements']} separate cells", "",
                  "| | wall | scheduler commands |", "|---|---|---|",
                  f"| `--for p:params --out r` | {c['for_wall_s']:.1f} s | {c['for_scheduler_calls']} {c['for_calls']} |",
                  f"| {c['elements']} cells `--out rI` | {c['separate_wall_s']:.1f} s | {c['separate_scheduler_calls']} {c['separate_calls']} |",
                  "", f"Checks: {c['checks']}; cells failed: {len(c['errors'])}", ""]
    d = results.get("d")
    if d:
        lines += ["## (d) submitit (pickled round trip, same Slurm)", ""]
        if "error" in d:
            lines.append(f"Did not run: {d['error'][:500]}")
        else:
            lines += [f"submitit {d['version']}: trivial function {fmt(d['trivial'])}; "
                      f"same {BIG_CHARS:,}-character str in and out {fmt(d['big'])} (extra median {d['big']['median'] - d['trivial']['median']:+.2f} s); "
                      f"`map_array` over {d['elements']} elements {d['map_array_s']:.1f} s. "
                      "submitit follows jobs with `sacct` on its own polling interval."]
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="java-hpc", help="kernelspec of the build before issue 11")
    ap.add_argument("--after", default=os.environ.get("HPC_KERNEL_NAME", "java-hpc"), help="kernelspec with issue 11")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--elements", type=int, default=100)
    ap.add_argument("--parts", default="a,b,c,d")
    ap.add_argument("--clusters", default="local,slurm,ssh-slurm", help="clusters of part (b)")
    ap.add_argument("--submitit-python", default="/tmp/submitit-venv/bin/python")
    ap.add_argument("--name", default="values-slurm", help="result file stem under bench/results")
    ap.add_argument("--note", default="", help="what was measured (e.g. the commits of the two builds), kept in the results")
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    results = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rounds": a.rounds,
               "kernels": {"before": a.before, "after": a.after}, "machine_start": machine(),
               "builds": {"before": build(a.before), "after": build(a.after)}, "note": a.note}
    if "a" in parts:
        results["a"] = part_a(a.before, a.after, a.rounds)
    if "b" in parts:
        results["b"] = part_b({"before": a.before, "after": a.after}, a.rounds, a.clusters.split(","))
    if "c" in parts:
        results["c"] = part_c(a.after, a.elements)
    if "d" in parts:
        results["d"] = part_d(a.submitit_python, a.rounds, a.elements) if Path(a.submitit_python).exists() \
            else {"error": f"{a.submitit_python} missing (python -m venv DIR && DIR/bin/pip install submitit)"}
    results["machine_end"] = machine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{a.name}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = report(results)
    (RESULTS / f"{a.name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
