"""Jobs outlive the kernel: SIGKILL the kernel while two jobs run, start a new kernel on the same
ledger, and every byte of each job's output comes back through %hpc attach."""
import json
import os
import re
import signal
import time
from pathlib import Path

from clusters import all_clusters


def job_dirs(cluster):
    root = Path(cluster.profile["workdir"]) / "jobs"
    return set(root.iterdir()) if root.exists() else set()


def test_kill_kernel_while_two_jobs_run_then_attach_from_a_new_kernel(fresh_kernel_factory, cluster, tmp_path):
    first = fresh_kernel_factory(cluster)
    detached = first.execute('%%hpc --detach\n#!/bin/bash\nfor i in $(seq 1 40); do echo "steady $i ééé"; sleep 0.1; done')
    assert detached.status == "ok", detached.error
    steady_id = detached.job_id()

    # The second job is followed by a running cell when the kernel dies.
    msg_id = first.kc.execute('%%hpc\n#!/bin/bash\necho "second starts"\nsleep 3\necho "second ends"\nexit 2')
    deadline = time.monotonic() + 120
    second_id = None
    while second_id is None and time.monotonic() < deadline:
        msg = first.kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and "second starts" in msg["content"]["text"]:
            break
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "display_data":
            found = re.search(r"job (\d+(?:\.[A-Za-z0-9]+)?)", msg["content"]["data"]["text/plain"])
            second_id = found.group(1) if found else None
    dirs_before = job_dirs(cluster)
    os.kill(first.km.provisioner.process.pid, signal.SIGKILL)
    first.km.provisioner.process.wait()

    second = fresh_kernel_factory(cluster)
    jobs = second.execute("%hpc jobs")
    assert jobs.status == "ok"
    listing = jobs.result["text/plain"]
    assert steady_id in listing
    ids = re.findall(r"^(\S+)\s", listing, re.M)[1:]
    assert len(ids) >= 2

    for job in ids[:2]:
        run = second.execute(f"%hpc attach {job}", timeout=300)
        entry = next(e for e in (json.loads(f.read_text()) for f in (tmp_path / "data" / "hpc-kernel" / "jobs").glob("*.json"))
                     if e["jobId"] == job and e["cluster"] == cluster.name)
        stdout_file = Path(entry["jobDir"]) / "stdout"
        assert run.stdout == stdout_file.read_text(encoding="utf-8"), f"job {job}: attached output differs from its stdout file"
        if job == steady_id:
            assert run.status == "ok", run.error
            assert "steady 40 ééé" in run.stdout
        else:
            assert run.status == "error"
            assert "exit code 2" in run.error["evalue"]
            assert "second ends" in run.stdout
    assert job_dirs(cluster) == dirs_before, "something was submitted again"
