"""Container start overhead on the real Slurm: the same %%hpc cell with and without
`--container` run by Charliecloud's ch-run (the image of scripts/containers/build-java-image.sh).

    .venv/bin/python bench/containers/container_bench.py [--rounds 8] [--inner 20]

Two measurements, both in interleaved rounds (each round runs every variant once, alternating the
order from round to round, so drift and caches fall on all variants alike):
  1. cells: wall time of a shebang cell and of a Java cell, plain and in the container, from
     execute_request to idle, as a user sees it (includes Slurm's scheduling, ~1 s loop);
  2. node: inside one Slurm job, the pieces a container adds, timed with date +%s%N: ch-run
     starting /bin/true, the image's `java -version` (what environment.json records) against the
     host's, and the image digest (SHA-256 of the directory manifest).
Needs the kernelspec (HPC_KERNEL_NAME, JUPYTER_PATH), scripts/cluster/slurm-up.sh, ch-run and the image.
Writes bench/results/containers-slurm.json and .md."""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from hpc_bench import Kernel  # noqa: E402  (one kernel driver for every %%hpc benchmark)

RESULTS = ROOT / "bench" / "results"
IMAGE = os.environ.get("HPC_TEST_IMAGE", "/var/tmp/hpc-kernel-images/bookworm-java17")
WORK = Path(os.environ.get("HPC_BENCH_WORKDIR", "/tmp/hpc-bench-work"))

SHEBANG = "#!/bin/bash\necho hello"
JAVA = 'System.out.println("hello");'

# Runs on the node inside one plain Slurm job; every line it prints is "NAME SECONDS".
NODE = r"""#!/bin/bash
IMAGE=%(image)s
t() { local name=$1; shift; local a b; a=$(date +%%s%%N); "$@" >/dev/null 2>&1; b=$(date +%%s%%N); echo "$name $(( b - a ))"; }
ch() { env -i USER="${USER:-$(id -un)}" HOME="$HOME" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ch-run --cd=/ "$IMAGE" -- "$@"; }
digest() { (cd "$IMAGE" && find . -xdev -printf '%%y %%m %%s %%T@ %%P\t%%l\n' 2>/dev/null | LC_ALL=C sort | sha256sum); }
for i in $(seq %(inner)d); do
  if [ $((i %% 2)) = 0 ]; then
    t true /bin/true; t ch-run-true ch /bin/true; t java-version java -version; t ch-run-java-version ch java -version; t image-digest digest
  else
    t image-digest digest; t ch-run-java-version ch java -version; t java-version java -version; t ch-run-true ch /bin/true; t true /bin/true
  fi
done
"""


def stats(xs):
    xs = sorted(xs)
    return {"min": xs[0], "median": statistics.median(xs), "max": xs[-1], "n": len(xs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--inner", type=int, default=20)
    ap.add_argument("--render-only", action="store_true", help="rewrite the .md from the last .json")
    args = ap.parse_args()
    if args.render_only:
        render(json.loads((RESULTS / "containers-slurm.json").read_text()))
        return
    kernel_name = os.environ.get("HPC_KERNEL_NAME", "java-hpc")
    base = {"scheduler": "slurm", "defaults": {"partition": "debug", "time": "00:10:00"}}
    profiles = {"slurm": {**base, "workdir": str(WORK / "slurm")},
                "slurm-ch": {**base, "workdir": str(WORK / "slurm-ch"), "containerRuntime": "charliecloud", "container": IMAGE}}
    tmp = Path(tempfile.mkdtemp(prefix="container-bench-"))
    (tmp / "clusters.json").write_text(json.dumps({"default": "slurm", "clusters": profiles}))
    k = Kernel(kernel_name, {"HPC_KERNEL_CONFIG": str(tmp / "clusters.json"), "XDG_DATA_HOME": str(tmp / "data")})
    try:
        variants = {"shebang plain": "%%hpc --cluster slurm\n" + SHEBANG, "shebang ch-run": "%%hpc --cluster slurm-ch\n" + SHEBANG,
                    "java plain": "%%hpc --cluster slurm\n" + JAVA, "java ch-run": "%%hpc --cluster slurm-ch\n" + JAVA}
        for code in variants.values():  # warm-up: runner jar staged, image in the page cache
            _, status = k.run(code)
            assert status == "ok", code
        cells = {name: [] for name in variants}
        for r in range(args.rounds):
            order = list(variants) if r % 2 == 0 else list(reversed(variants))
            for name in order:
                seconds, status = k.run(variants[name])
                assert status == "ok", name
                cells[name].append(seconds)
        lines = []

        def collect(m, _now):
            if m["msg_type"] == "stream" and m["content"]["name"] == "stdout":
                lines.append(m["content"]["text"])
        _, status = k.run("%%hpc --cluster slurm\n" + NODE % {"image": IMAGE, "inner": args.inner}, on_message=collect)
        assert status == "ok"
        node = {}
        for line in "".join(lines).splitlines():
            name, ns = line.split()
            node.setdefault(name, []).append(int(ns) / 1e9)
    finally:
        k.close()

    result = {"image": IMAGE, "rounds": args.rounds, "inner": args.inner, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "cells": {n: stats(v) for n, v in cells.items()}, "node": {n: stats(v) for n, v in node.items()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "containers-slurm.json").write_text(json.dumps(result, indent=2) + "\n")
    render(result)


def render(result):
    c, n = result["cells"], result["node"]
    md = ["# Container start overhead on Slurm (Charliecloud ch-run)", "",
          f"`bench/containers/container_bench.py --rounds {result['rounds']} --inner {result['inner']}`, {result['when']}; "
          "image: Debian 12 + openjdk-17-jre-headless built by mmdebstrap (directory image). One Slurm 22.05 node, 2 vCPUs, "
          "shared with other work. Interleaved rounds (the order alternates from round to round).", "",
          "## Cells (execute_request to idle, seconds)", "", "| cell | min | median | max | n |", "|---|---|---|---|---|"]
    for name, st in c.items():
        md.append(f"| {name} | {st['min']:.2f} | {st['median']:.2f} | {st['max']:.2f} | {st['n']} |")
    md += ["", f"Median overhead of the container: shebang {c['shebang ch-run']['median'] - c['shebang plain']['median']:+.2f} s, "
               f"Java {c['java ch-run']['median'] - c['java plain']['median']:+.2f} s (cell times include Slurm's scheduling loop).",
           "", "## On the node, inside one Slurm job (seconds)", "", "| piece | min | median | max | n |", "|---|---|---|---|---|"]
    for name, st in n.items():
        md.append(f"| {name} | {st['min']:.3f} | {st['median']:.3f} | {st['max']:.3f} | {st['n']} |")
    start = n["ch-run-true"]["median"] - n["true"]["median"]
    md += ["", "## Reading", "",
           f"- Starting a process through `ch-run` costs {start * 1000:.0f} ms more than starting it directly (median), "
           f"and the image's `java -version` {(n['ch-run-java-version']['median'] - n['java-version']['median']) * 1000:+.0f} ms "
           "against the host's: the container start itself is small.",
           f"- A container job adds, on the node: the image digest ({n['image-digest']['median'] * 1000:.0f} ms for the directory "
           "manifest), one `ch-run` for the payload and, for a Java cell, one more for the recorded `java -version`.",
           "- The rest of the Java cell's difference is not the container start: in the image the runner runs without the work "
           "directory's class-data archive (another JVM's archive is neither used nor written), while the plain cell uses it; "
           "how much that accounts for is not measured separately here.",
           "- Cell times spread over several tenths of a second from Slurm's scheduling loop alone (see the min/max), so "
           "differences of medians below that spread are within noise."]
    (RESULTS / "containers-slurm.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
