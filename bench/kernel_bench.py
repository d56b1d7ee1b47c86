#!/usr/bin/env python3
"""Benchmark hpc-kernel against ipykernel, side by side, through jupyter_client.

    .venv/bin/python bench/kernel_bench.py [--kernel java-hpc] [--baseline python3]
                                           [--no-baseline] [--quick] [--out bench/results]

Measures, for each kernel in the same run (one after the other, never concurrently):
  * cold start: process start -> first kernel_info_reply (median of 5), and -> first `1 + 1`
    execute_result
  * trivial execute round trip (`1 + 1`, execute_request -> status idle): median/p90/max of 200
    - in a fresh session,
    - after 1,000 `1 + 1` cells in the same session,
    - after 1,000 mixed cells (declarations `int v123 = 123;`, methods, expressions, output)
  * 10 MB of stdout (numbered 100-byte lines): time to idle, bytes delivered, lines lost
  * resident memory (sum of VmRSS over the kernel's process tree, from /proc) after start,
    after 200 executes, and after 1,200
Writes bench/results/kernel-bench.json and kernel-bench.md (``--quick``: kernel-bench-quick.*)
and prints the Markdown table. Not part of the test run.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import queue
import statistics
import sys
import time
import traceback
from pathlib import Path

import zmq
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[1]

TARGETS = {
    "cold_kernel_info_s": 0.8,
    "cold_first_result_s": 1.5,
    "exec_fresh_p50_ms": 20.0,
    "exec_after_1000_p50_ms": 30.0,
    "stdout_10mb_s": 0.5,
    "stdout_10mb_lines_lost": 0,
    "rss_after_200_mb": 250.0,
}

LINE_LEN = 100  # 8-digit number + 91 'x' + '\n'
BIG_LINES = 104_858  # 10,485,800 bytes

SNIPPETS = {
    "java": {
        "one_plus_one": "1 + 1",
        "big_output": 'for (int i = 0; i < {n}; i++) {{ System.out.println(String.format("%08d", i) + "x".repeat(91)); }}',
        "mixed": [
            "int v{i} = {i};",
            "int m{i}(int x) {{ return x + {i}; }}",
            "v{a} + m{b}(1)",
            'String s{i} = "s" + {i};',
            'System.out.println("cell " + {i});',
        ],
    },
    "python": {
        "one_plus_one": "1 + 1",
        "big_output": 'for i in range({n}): print(f"{{i:08d}}" + "x" * 91)',
        "mixed": [
            "v{i} = {i}",
            "def m{i}(x):\n    return x + {i}",
            "v{a} + m{b}(1)",
            's{i} = "s" + str({i})',
            'print("cell " + str({i}))',
        ],
    },
}


def mixed_cell(lang: str, i: int) -> str:
    """Cell i of the mixed 1,000-cell workload (declarations, methods, expressions, output)."""
    kinds = SNIPPETS[lang]["mixed"]
    k = i % len(kinds)
    base = i - k  # the v/m declared at the start of this group of 5
    return kinds[k].format(i=i, a=base, b=base + 1)


# ------------------------------------------------------------------------- /proc helpers
def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(rest[1]), []).append(int(entry))
    return children


def tree_rss_mb(pid: int) -> float:
    """Sum of VmRSS of *pid* and all its descendants, in MB (from /proc)."""
    children = _children_map()
    todo, total_kb = [pid], 0
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        break
        except OSError:
            pass
    return round(total_kb / 1024, 1)


# ------------------------------------------------------------------------- stats
def summarize_ms(samples_s: list[float]) -> dict:
    ms = sorted(x * 1000 for x in samples_s)
    if not ms:
        return {}
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return {"n": len(ms), "p50": round(statistics.median(ms), 2), "p90": round(p90, 2),
            "max": round(ms[-1], 2), "min": round(ms[0], 2), "mean": round(statistics.fmean(ms), 2)}


# ------------------------------------------------------------------------- session
class Session:
    """A kernel plus a blocking client; sockets reconnect every 10 ms so that start-up
    timings are not quantised by ZMQ's default 100 ms reconnect interval."""

    def __init__(self, kernel_name: str):
        self.ctx = zmq.Context()
        self.ctx.setsockopt(zmq.RECONNECT_IVL, 10)
        self.ctx.setsockopt(zmq.LINGER, 0)
        self.km = KernelManager(kernel_name=kernel_name, context=self.ctx)
        self.kc = None

    def start(self, timeout: float = 120.0) -> dict:
        """Start the kernel; returns start-up timings (s since process start)."""
        t0 = time.perf_counter()
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        info_id = self.kc.kernel_info()
        self._wait_shell_reply(info_id, t0 + timeout)
        t_info = time.perf_counter() - t0
        # first `1 + 1`: execute right away and wait for its execute_result on IOPub
        exec_id = self.kc.execute("1 + 1")
        t_result, note = None, None
        deadline = t0 + timeout
        reply_at = None
        while t_result is None and time.perf_counter() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
                if msg["parent_header"].get("msg_id") == exec_id and msg["msg_type"] == "execute_result":
                    t_result = time.perf_counter() - t0
                    break
            except queue.Empty:
                pass
            if reply_at is None:
                try:
                    rep = self.kc.get_shell_msg(timeout=0)
                    if rep["parent_header"].get("msg_id") == exec_id:
                        reply_at = time.perf_counter() - t0
                except queue.Empty:
                    pass
            elif time.perf_counter() - t0 - reply_at > 2.0:
                # IOPub was not subscribed yet when the result was published
                t_result, note = reply_at, "execute_result missed on IOPub (slow joiner); execute_reply time used"
        if t_result is None:
            raise TimeoutError("no result for the first `1 + 1`")
        self.kc.wait_for_ready(timeout=timeout)  # also makes sure IOPub is connected
        self.drain()
        return {"kernel_info_s": t_info, "first_result_s": t_result, "note": note}

    def _wait_shell_reply(self, msg_id: str, deadline: float) -> dict:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no shell reply to {msg_id}")
            if not self.km.is_alive():
                raise RuntimeError("kernel died")
            try:
                msg = self.kc.get_shell_msg(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def drain(self) -> None:
        for get in (self.kc.get_iopub_msg, self.kc.get_shell_msg):
            while True:
                try:
                    get(timeout=0.05)
                except queue.Empty:
                    break

    def run(self, code: str, timeout: float = 120.0) -> tuple[float, list[dict], dict]:
        """Execute; returns (seconds from send to idle, IOPub messages, execute_reply)."""
        t0 = time.perf_counter()
        msg_id = self.kc.execute(code)
        deadline = t0 + timeout
        msgs = []
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no idle for {code[:40]!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=left)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                elapsed = time.perf_counter() - t0
                break
            msgs.append(msg)
        reply = self._wait_shell_reply(msg_id, time.perf_counter() + timeout)
        return elapsed, msgs, reply

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid

    def stop(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        finally:
            try:
                self.km.shutdown_kernel(now=False)
            except Exception:
                self.km.shutdown_kernel(now=True)
            self.ctx.term()


# ------------------------------------------------------------------------- phases
def exec_series(s: Session, code: str, n: int) -> dict:
    times, failures = [], 0
    for _ in range(n):
        t, _msgs, reply = s.run(code)
        times.append(t)
        failures += reply["content"]["status"] != "ok"
    out = summarize_ms(times)
    out["failures"] = failures
    return out


def warm_cells(s: Session, cells) -> dict:
    errors, t0 = 0, time.perf_counter()
    first_error = None
    for code in cells:
        _t, msgs, reply = s.run(code)
        if reply["content"]["status"] != "ok":
            errors += 1
            first_error = first_error or f"{code!r}: {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
    return {"cells": len(cells), "errors": errors, "first_error": first_error,
            "seconds": round(time.perf_counter() - t0, 2)}


def big_output(s: Session, lang: str, n_lines: int) -> dict:
    code = SNIPPETS[lang]["big_output"].format(n=n_lines)
    t, msgs, reply = s.run(code, timeout=600)
    text = "".join(m["content"]["text"] for m in msgs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pad = "x" * (LINE_LEN - 9)
    seen, in_order, prev = set(), True, -1
    for line in lines:
        if len(line) == LINE_LEN - 1 and line[:8].isdigit() and line[8:] == pad:
            i = int(line[:8])
            if i <= prev:
                in_order = False
            prev = i
            if i < n_lines:
                seen.add(i)
        else:
            in_order = False
    return {"seconds": round(t, 3), "status": reply["content"]["status"],
            "bytes_expected": n_lines * LINE_LEN, "bytes_delivered": len(text.encode()),
            "lines_expected": n_lines, "lines_lost": n_lines - len(seen),
            "lines_received": len(lines), "in_order": in_order,
            "stream_messages": sum(1 for m in msgs if m["msg_type"] == "stream")}


def bench_kernel(name: str, cfg: dict, log) -> dict:
    spec = KernelSpecManager().get_kernel_spec(name)
    lang = spec.language.lower()
    if lang not in SNIPPETS:
        raise SystemExit(f"no benchmark snippets for language {lang!r} ({name})")
    res: dict = {"kernelspec": name, "display_name": spec.display_name, "language": lang,
                 "argv": spec.argv, "errors": []}

    def phase(key, fn):
        log(f"  {name}: {key} ...")
        try:
            res[key] = fn()
            log(f"  {name}: {key} = {json.dumps(res[key], default=str)[:200]}")
        except Exception as e:  # keep going; report
            res["errors"].append(f"{key}: {type(e).__name__}: {e}")
            log(f"  {name}: {key} FAILED: {e}")
            if cfg["verbose"]:
                traceback.print_exc()

    def cold():
        info, first, notes = [], [], []
        for _ in range(cfg["cold_runs"]):
            s = Session(name)
            try:
                t = s.start()
            finally:
                s.stop()
            info.append(t["kernel_info_s"])
            first.append(t["first_result_s"])
            if t["note"]:
                notes.append(t["note"])
        return {"kernel_info_s": {"median": round(statistics.median(info), 3),
                                  "samples": [round(x, 3) for x in info]},
                "first_result_s": {"median": round(statistics.median(first), 3),
                                   "samples": [round(x, 3) for x in first]},
                "notes": sorted(set(notes))}

    phase("cold_start", cold)

    # session A: fresh executes, RSS, then 1,000 trivial cells, then 200 again
    s = None
    try:
        s = Session(name)
        s.start()
        res["rss_mb"] = {"after_start": tree_rss_mb(s.pid)}
        phase("execute_fresh_ms", lambda: exec_series(s, SNIPPETS[lang]["one_plus_one"], cfg["n_exec"]))
        res["rss_mb"]["after_200_executes"] = tree_rss_mb(s.pid)
        phase("warmup_1000_trivial", lambda: warm_cells(s, [SNIPPETS[lang]["one_plus_one"]] * cfg["n_warm"]))
        phase("execute_after_1000_ms", lambda: exec_series(s, SNIPPETS[lang]["one_plus_one"], cfg["n_exec"]))
        res["rss_mb"]["after_1200_executes"] = tree_rss_mb(s.pid)
    except Exception as e:
        res["errors"].append(f"session A: {type(e).__name__}: {e}")
        log(f"  {name}: session A FAILED: {e}")
    finally:
        if s is not None:
            s.stop()

    # session B: 1,000 mixed cells, then 200 trivial executes
    s = None
    try:
        s = Session(name)
        s.start()
        phase("warmup_1000_mixed", lambda: warm_cells(s, [mixed_cell(lang, i) for i in range(cfg["n_warm"])]))
        phase("execute_after_1000_mixed_ms", lambda: exec_series(s, SNIPPETS[lang]["one_plus_one"], cfg["n_exec"]))
        res.setdefault("rss_mb", {})["after_1000_mixed_200_executes"] = tree_rss_mb(s.pid)
    except Exception as e:
        res["errors"].append(f"session B: {type(e).__name__}: {e}")
        log(f"  {name}: session B FAILED: {e}")
    finally:
        if s is not None:
            s.stop()

    # session C: 10 MB stdout (first run after start + 2 more; the median is reported)
    s = None
    try:
        s = Session(name)
        s.start()

        def out():
            runs = [big_output(s, lang, cfg["big_lines"]) for _ in range(cfg["big_runs"])]
            by_time = sorted(runs, key=lambda r: r["seconds"])
            median = by_time[len(by_time) // 2]
            return {**median, "runs_seconds": [r["seconds"] for r in runs],
                    "worst_lines_lost": max(r["lines_lost"] for r in runs),
                    "min_bytes_delivered": min(r["bytes_delivered"] for r in runs),
                    "all_in_order": all(r["in_order"] for r in runs)}

        phase("stdout_10mb", out)
        res.setdefault("rss_mb", {})["after_10mb_output"] = tree_rss_mb(s.pid)
    except Exception as e:
        res["errors"].append(f"session C: {type(e).__name__}: {e}")
        log(f"  {name}: session C FAILED: {e}")
    finally:
        if s is not None:
            s.stop()
    return res


# ------------------------------------------------------------------------- report
def _get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


ROWS = [
    # label, path, unit, target key, comparison
    ("Cold start -> kernel_info_reply (median)", ("cold_start", "kernel_info_s", "median"), "s", "cold_kernel_info_s", "<="),
    ("Cold start -> first `1 + 1` result (median)", ("cold_start", "first_result_s", "median"), "s", "cold_first_result_s", "<="),
    ("Execute `1 + 1` p50, fresh", ("execute_fresh_ms", "p50"), "ms", "exec_fresh_p50_ms", "<="),
    ("Execute `1 + 1` p90, fresh", ("execute_fresh_ms", "p90"), "ms", None, None),
    ("Execute `1 + 1` max, fresh", ("execute_fresh_ms", "max"), "ms", None, None),
    ("Execute p50 after 1,000 `1 + 1` cells", ("execute_after_1000_ms", "p50"), "ms", "exec_after_1000_p50_ms", "<="),
    ("Execute p90 after 1,000 `1 + 1` cells", ("execute_after_1000_ms", "p90"), "ms", None, None),
    ("Execute max after 1,000 `1 + 1` cells", ("execute_after_1000_ms", "max"), "ms", None, None),
    ("Execute p50 after 1,000 mixed cells", ("execute_after_1000_mixed_ms", "p50"), "ms", "exec_after_1000_p50_ms", "<="),
    ("Execute p90 after 1,000 mixed cells", ("execute_after_1000_mixed_ms", "p90"), "ms", None, None),
    ("Execute max after 1,000 mixed cells", ("execute_after_1000_mixed_ms", "max"), "ms", None, None),
    ("Errors in the 1,000 mixed cells", ("warmup_1000_mixed", "errors"), "", None, None),
    ("10 MB stdout: time to idle (median of runs)", ("stdout_10mb", "seconds"), "s", "stdout_10mb_s", "<="),
    ("10 MB stdout: bytes delivered (min of runs)", ("stdout_10mb", "min_bytes_delivered"), "B", None, None),
    ("10 MB stdout: lines lost (worst run)", ("stdout_10mb", "worst_lines_lost"), "", "stdout_10mb_lines_lost", "<="),
    ("10 MB stdout: all lines in order", ("stdout_10mb", "all_in_order"), "", None, None),
    ("RSS after start", ("rss_mb", "after_start"), "MB", None, None),
    ("RSS after 200 executes", ("rss_mb", "after_200_executes"), "MB", "rss_after_200_mb", "<="),
    ("RSS after 1,200 executes", ("rss_mb", "after_1200_executes"), "MB", None, None),
    ("RSS after 1,000 mixed cells + 200 executes", ("rss_mb", "after_1000_mixed_200_executes"), "MB", None, None),
]


def _fmt(v, unit):
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "ms":
        return f"{v:.2f} ms"
    if unit == "MB":
        return f"{v:.1f} MB"
    if unit == "B":
        return f"{v:,} B"
    return str(v)


def markdown(report: dict) -> str:
    ours_name = report["config"]["kernel"]
    base_name = report["config"].get("baseline")
    ours = report["kernels"].get(ours_name, {})
    base = report["kernels"].get(base_name, {}) if base_name else None
    head = ["Metric", "Target", f"hpc-kernel (`{ours_name}`)"]
    if base is not None:
        head.append(f"ipykernel (`{base_name}`)")
    head.append("hpc-kernel meets target")
    lines = [f"# hpc-kernel benchmark{' (quick mode)' if report['config']['quick'] else ''}", "",
             f"Run {report['generated']} on {report['host']['cpus']} CPUs, {report['host']['platform']}, "
             f"Python {report['host']['python']}.", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, path, unit, tkey, cmp in ROWS:
        v = _get(ours, *path)
        target = TARGETS.get(tkey) if tkey else None
        tstr = f"{cmp} {_fmt(target, unit)}" if target is not None else ""
        row = [label, tstr, _fmt(v, unit)]
        if base is not None:
            row.append(_fmt(_get(base, *path), unit))
        if target is None:
            ok = ""
        elif v is None:
            ok = "n/a"
        else:
            ok = "yes" if v <= target else "**NO**"
        row.append(ok)
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append(f"Counts: cold start runs {report['config']['cold_runs']}, executes per series "
                 f"{report['config']['n_exec']}, warm-up cells {report['config']['n_warm']}, "
                 f"10 MB runs {report['config']['big_runs']} ({report['config']['big_lines']} lines x {LINE_LEN} B). "
                 "Execute = execute_request sent -> status idle received. RSS = sum of VmRSS over the "
                 "kernel process tree (/proc).")
    for name, data in report["kernels"].items():
        notes = (_get(data, "cold_start", "notes") or []) + data.get("errors", [])
        if _get(data, "warmup_1000_mixed", "first_error"):
            notes.append("first error in mixed cells: " + data["warmup_1000_mixed"]["first_error"])
        for n in notes:
            lines.append(f"- `{name}`: {n}")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default=os.environ.get("HPC_KERNEL_NAME", "java-hpc"))
    ap.add_argument("--baseline", default="python3", help="ipykernel kernelspec (default python3)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    ap.add_argument("--out", default=str(REPO / "bench" / "results"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    cfg = {"kernel": args.kernel, "baseline": None if args.no_baseline else args.baseline,
           "quick": args.quick, "verbose": args.verbose,
           "cold_runs": 2 if args.quick else 5, "n_exec": 50 if args.quick else 200,
           "n_warm": 100 if args.quick else 1000, "big_lines": BIG_LINES // 10 if args.quick else BIG_LINES,
           "big_runs": 1 if args.quick else 3}

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    ksm = KernelSpecManager()
    names = [cfg["kernel"]] + ([cfg["baseline"]] if cfg["baseline"] else [])
    for n in names:
        try:
            ksm.get_kernel_spec(n)
        except NoSuchKernel:
            log(f"kernelspec {n!r} not found (known: {', '.join(sorted(ksm.find_kernel_specs()))}); "
                "run scripts/setup.sh")
            return 2

    report = {"generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
              "host": {"cpus": os.cpu_count(), "platform": platform.platform(),
                       "python": platform.python_version()},
              "config": {k: v for k, v in cfg.items() if k != "verbose"},
              "targets": TARGETS, "kernels": {}}
    for n in names:
        log(f"benchmarking {n} ...")
        report["kernels"][n] = bench_kernel(n, cfg, log)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "kernel-bench-quick" if args.quick else "kernel-bench"
    md = markdown(report)
    write_atomic(out / f"{stem}.json", json.dumps(report, indent=2, default=str) + "\n")
    write_atomic(out / f"{stem}.md", md)
    print(md)
    log(f"wrote {out / (stem + '.json')} and {out / (stem + '.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
