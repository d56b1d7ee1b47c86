#!/usr/bin/env python3
"""Cell speed of several kernels in one run, request by request interleaved (issue 14's target).

    .venv/bin/python bench/kernel_speed.py KERNEL [KERNEL ...] [--samples 100] [--mixed 1200]
                                           [--out bench/results] [--stem kernel-speed]

Starts every kernel named (e.g. the previous build's kernelspec, this build's, and ipykernel's
``python3``), then, with the requests of one round sent to each kernel in turn (rotating who goes
first, so load on a shared machine falls on all of them alike):
  * ``1 + 1`` execute round trip (execute_request sent -> status idle), complete_request and
    inspect_request round trips, SAMPLES rounds, in the fresh session;
  * MIXED cells of bench/kernel_bench.py's mixed workload (declarations, methods, expressions,
    output), interleaved the same way;
  * the same three series again.
Reports min / median / max in ms, and each Java kernel's median as a multiple of the Python
kernel's, with the load average before and after every phase. Writes STEM.json and STEM.md.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_bench import REPO, Session, mixed_cell, write_atomic  # noqa: E402

REQUESTS = {
    # (setup cell, completion code and cursor, inspection code and cursor)
    "java": ("", ("Math.ma", 7), ("Math.max", 8)),
    "python": ("import math", ("math.fa", 7), ("math.factorial", 14)),
}


def language(s: Session) -> str:
    return s.km.kernel_spec.language.lower()


def round_trip(s: Session, send) -> float:
    t0 = time.perf_counter()
    msg_id = send()
    reply = s._wait_shell_reply(msg_id, t0 + 120)
    elapsed = time.perf_counter() - t0
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{reply['msg_type']} failed: {reply['content']}")
    return elapsed


def execute(s: Session, code: str) -> float:
    elapsed, _msgs, reply = s.run(code)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    return elapsed


def series(sessions: dict, samples: int) -> dict:
    times = {name: {"execute": [], "complete": [], "inspect": []} for name in sessions}
    names = list(sessions)
    for r in range(samples):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            s = sessions[name]
            _setup, (ccode, ccur), (icode, icur) = REQUESTS[language(s)]
            times[name]["execute"].append(execute(s, "1 + 1"))
            times[name]["complete"].append(round_trip(s, lambda: s.kc.complete(ccode, ccur)))
            times[name]["inspect"].append(round_trip(s, lambda: s.kc.inspect(icode, icur)))
    return {name: {kind: summarize(v) for kind, v in kinds.items()} for name, kinds in times.items()}


def warm(sessions: dict, cells: int) -> dict:
    took = {name: 0.0 for name in sessions}
    for i in range(cells):
        for name, s in sessions.items():
            lang = "python" if language(s) == "python" else "java"
            took[name] += execute(s, mixed_cell(lang, i))
    return {name: round(t, 2) for name, t in took.items()}


def summarize(samples_s: list) -> dict:
    ms = sorted(x * 1000 for x in samples_s)
    return {"n": len(ms), "min": round(ms[0], 2), "median": round(statistics.median(ms), 2), "max": round(ms[-1], 2)}


def loadavg() -> list:
    return [round(x, 2) for x in os.getloadavg()]


def markdown(report: dict) -> str:
    lines = [f"# Cell speed, kernels interleaved ({report['generated']})", "",
             f"{report['host']['cpus']} CPUs, {report['host']['platform']}; {report['config']['samples']} rounds per "
             f"series, {report['config']['mixed']} mixed cells. Each round sends `1 + 1`, a completion and an "
             "inspection to every kernel in turn (rotating who goes first). Times in ms, min / median / max.", ""]
    python = next((n for n, lang in report["languages"].items() if lang == "python"), None)
    for phase in ("fresh", "after_mixed"):
        title = "Fresh session" if phase == "fresh" else f"After {report['config']['mixed']:,} mixed cells"
        p = report["phases"][phase]
        lines += [f"## {title} (load average {p['load_before']} -> {p['load_after']})", "",
                  "| kernel | `1 + 1` execute | ratio | complete | inspect |", "|---|---|---|---|---|"]
        for name, kinds in p["results"].items():
            e, c, i = kinds["execute"], kinds["complete"], kinds["inspect"]
            ratio = ""
            if python and name != python:
                ratio = f"{e['median'] / p['results'][python]['execute']['median']:.2f}×"
            lines.append(f"| `{name}` | {e['min']} / **{e['median']}** / {e['max']} | {ratio} | "
                         f"{c['min']} / **{c['median']}** / {c['max']} | {i['min']} / **{i['median']}** / {i['max']} |")
        lines.append("")
    w = report["phases"]["after_mixed"]["warm_seconds"]
    lines.append("Time to run the mixed cells: " + ", ".join(f"`{n}` {t} s" for n, t in w.items()) + ".")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kernels", nargs="+", help="kernelspec names, e.g. java-hpc java-hpc-new python3")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--mixed", type=int, default=1200)
    ap.add_argument("--out", default=str(REPO / "bench" / "results"))
    ap.add_argument("--stem", default="kernel-speed")
    args = ap.parse_args(argv)

    sessions = {}
    try:
        for name in args.kernels:
            s = Session(name)
            s.start()
            sessions[name] = s
        for s in sessions.values():
            setup = REQUESTS[language(s)][0]
            if setup:
                execute(s, setup)
            for _ in range(20):  # past the first-cell costs the kernels' own start-up already warms
                execute(s, "1 + 1")
        report = {"generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                  "host": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
                  "config": {"samples": args.samples, "mixed": args.mixed},
                  "languages": {n: language(s) for n, s in sessions.items()}, "phases": {}}
        before = loadavg()
        fresh = series(sessions, args.samples)
        report["phases"]["fresh"] = {"load_before": before, "load_after": loadavg(), "results": fresh}
        print(f"fresh done, load {loadavg()}", file=sys.stderr, flush=True)
        before = loadavg()
        took = warm(sessions, args.mixed)
        after = series(sessions, args.samples)
        report["phases"]["after_mixed"] = {"load_before": before, "load_after": loadavg(), "warm_seconds": took,
                                           "results": after}
    finally:
        for s in sessions.values():
            s.stop()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    md = markdown(report)
    write_atomic(out / f"{args.stem}.json", json.dumps(report, indent=2) + "\n")
    write_atomic(out / f"{args.stem}.md", md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
