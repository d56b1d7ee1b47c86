#!/usr/bin/env python3
"""Completion and inspect latency of two hpc-kernel builds, interleaved request by request.

    .venv/bin/python bench/assist_bench.py --before KERNELSPEC --after KERNELSPEC [--rounds 60]

Both kernels run at once, idle apart from the request being timed; each round sends every sample
to one kernel then the other (alternating which goes first), so machine load hits both alike.
Times are request sent -> reply received (p50/p90 in ms). Writes bench/results/assist-bench.json
and .md. Not part of the test run.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_bench import REPO, Session, summarize_ms, write_atomic  # noqa: E402

SETUP = ['String name = "abc";', "int square(int x) { return x * x; }", "var list = new java.util.ArrayList<String>();"]
SAMPLES = [
    ("complete", "Math.ma"),
    ("complete", "name.toUpp"),
    ("complete", "list."),
    ("complete", "squ"),
    ("complete", 'String s = "abc"; s.toUpp'),  # same-cell declaration (no match before)
    ("complete", "int a = 1;\nint b = 2;\nString t = \"x\";\nt."),
    ("inspect", "Math.max"),
    ("inspect", "name.substring"),
]


def request(s: Session, kind: str, code: str) -> tuple[float, dict]:
    t0 = time.perf_counter()
    msg_id = s.kc.complete(code, len(code)) if kind == "complete" else s.kc.inspect(code, len(code), 0)
    reply = s._wait_shell_reply(msg_id, t0 + 60)
    return time.perf_counter() - t0, reply["content"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--out", default=str(REPO / "bench" / "results"))
    args = ap.parse_args(argv)
    sessions = {}
    try:
        for label in ("before", "after"):
            s = Session(getattr(args, label))
            s.start()
            for cell in SETUP:
                s.run(cell)
            sessions[label] = s
        times = {label: {i: [] for i in range(len(SAMPLES))} for label in sessions}
        matches = {label: {} for label in sessions}
        for _ in range(5):  # warm-up, not counted
            for label, s in sessions.items():
                for kind, code in SAMPLES:
                    request(s, kind, code)
        for r in range(args.rounds):
            order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
            for i, (kind, code) in enumerate(SAMPLES):
                for label in order:
                    t, content = request(sessions[label], kind, code)
                    times[label][i].append(t)
                    matches[label][i] = len(content.get("matches", [])) if kind == "complete" else content.get("found")
        rows = []
        for i, (kind, code) in enumerate(SAMPLES):
            b, a = summarize_ms(times["before"][i]), summarize_ms(times["after"][i])
            rows.append({"kind": kind, "code": code, "before": b, "after": a,
                         "before_result": matches["before"][i], "after_result": matches["after"][i]})
    finally:
        for s in sessions.values():
            s.stop()
    report = {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "rounds": args.rounds,
              "before": args.before, "after": args.after, "rows": rows}
    lines = [f"# Completion / inspect latency, {report['date']} ({args.rounds} interleaved rounds)", "",
             f"before = `{args.before}`, after = `{args.after}`; ms from request to reply.", "",
             "| request | code | before p50 / p90 | after p50 / p90 | before → after result |", "|---|---|---|---|---|"]
    for row in rows:
        code = row["code"].replace("\n", "⏎").replace("|", "\\|")
        lines.append(f"| {row['kind']} | `{code}` | {row['before']['p50']} / {row['before']['p90']} | "
                     f"{row['after']['p50']} / {row['after']['p90']} | {row['before_result']} → {row['after_result']} |")
    md = "\n".join(lines) + "\n"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "assist-bench.json", json.dumps(report, indent=1) + "\n")
    write_atomic(out / "assist-bench.md", md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
