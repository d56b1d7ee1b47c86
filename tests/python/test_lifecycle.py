"""Shutdown (the process exits within 2 s of the reply) and restart (state is gone)."""
from __future__ import annotations

import time

import psutil

SHUTDOWN_DEADLINE = 2.0
KILLED = (-9, -15, 137, 143)  # SIGKILL / SIGTERM, directly or as the JVM's 128+n exit code


def test_shutdown_exits_within_2s(fresh_kernel, snippets):
    k = fresh_kernel
    assert k.eval_text(snippets.one_plus_one) == "2"
    tree = [psutil.Process(p) for p in k.process_tree_pids()]
    assert tree, "kernel process not found"
    proc = k.process
    msg_id = k.send_control("shutdown_request", {"restart": False})
    reply = k.control_reply(msg_id, timeout=10)
    t_reply = time.monotonic()
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok", reply["content"]
    assert reply["content"]["restart"] is False
    try:
        rc = proc.wait(timeout=SHUTDOWN_DEADLINE)
    except Exception:
        rc = None
    children = [p for p in tree if p.pid != proc.pid]
    _, alive = psutil.wait_procs(children, timeout=max(0.0, SHUTDOWN_DEADLINE - (time.monotonic() - t_reply)))
    elapsed = time.monotonic() - t_reply
    assert rc is not None, f"kernel process {proc.pid} still running {elapsed:.1f}s after shutdown_reply"
    assert not alive, f"kernel child processes still running after {elapsed:.1f}s: {[p.pid for p in alive]}"
    assert rc not in KILLED, f"kernel exit status {rc}"


def test_restart_clears_state(fresh_kernel, snippets):
    k = fresh_kernel
    probe = "restartProbe" if snippets.language == "java" else "restart_probe"
    k.execute_ok(snippets.define(probe, 42))
    assert k.eval_text(snippets.use(probe)) == "42"
    old_proc = k.process
    old_tree = [psutil.Process(p) for p in k.process_tree_pids()]
    t0 = time.monotonic()
    k.km.restart_kernel(now=False)  # shutdown_request(restart=True), wait for exit, start again
    took = time.monotonic() - t0
    assert old_proc.returncode is not None
    assert old_proc.returncode not in KILLED, (
        f"the kernel did not exit on shutdown_request(restart=True) and was killed "
        f"(rc={old_proc.returncode}, restart took {took:.1f}s)")
    _, alive = psutil.wait_procs(old_tree, timeout=2)
    assert not alive, f"processes of the old kernel survive the restart: {[p.pid for p in alive]}"
    k.kc.wait_for_ready(timeout=60)
    assert k.pid != old_proc.pid
    res = k.execute(snippets.use(probe))
    assert res.status == "error", f"{probe} still defined after restart:\n" + res.describe()
    assert len(res.errors) == 1, res.describe()
    assert k.eval_text(snippets.one_plus_one) == "2"
    # execution count starts again
    assert k.execute_ok(snippets.one_plus_one).reply["content"]["execution_count"] <= 3
