"""Faults injected into the real parts while a %%hpc cell follows its job: a Slurm requeue in the
middle of the output, the SSH link dropped (and the login node's sshd down) while output streams
and while the cell drains the end, a status command that fails for good, and an interrupt while
slurmctld does not answer. Each case asserts that the cell ends, in time, with every byte.

Needs the test Slurm and the loopback sshd (scripts/cluster/slurm-up.sh, sshd-up.sh) and root (it
stops and restarts daemons, always bringing them back in a finally). Under CI=true a missing
cluster fails instead of skipping."""
import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from clusters import SSH_DIR, SSH_WORK, WORK, all_clusters

REPO = Path(__file__).resolve().parents[2]
CLUSTER_DIR = Path(os.environ.get("HPC_TEST_CLUSTER_DIR", "/tmp/hpc-test-cluster"))
SSHD_PID = Path(SSH_DIR) / "sshd.pid"
SLURMCTLD_PID = CLUSTER_DIR / "run" / "slurmctld.pid"

HAVE = os.environ.get("HPC_TEST_SLURM") == "1" and os.environ.get("HPC_TEST_SSHD") == "1"
if not HAVE:
    if os.environ.get("CI") == "true":
        pytest.fail("the fault tests need the test Slurm and the loopback sshd (HPC_TEST_SLURM=1 HPC_TEST_SSHD=1)",
                    pytrace=False)
    pytest.skip("needs the test Slurm and the loopback sshd (scripts/test.sh starts both)", allow_module_level=True)
if os.geteuid() != 0:
    if os.environ.get("CI") == "true":
        pytest.fail("the fault tests stop and restart daemons: they must run as root", pytrace=False)
    pytest.skip("stops and restarts daemons: needs root", allow_module_level=True)


def profile(name, **changes):
    base = next(c.profile for c in all_clusters() if c.name == name)
    prof = json.loads(json.dumps(base))
    prof.update(changes)
    return prof


def statuses(run):
    out = []
    for m in run.of_type("display_data", "update_display_data"):
        text = m["content"].get("data", {}).get("text/plain", "")
        if " job " in text:
            out.append(text)
    return out


def job_of(msg):
    text = msg["content"].get("data", {}).get("text/plain", "") or msg["content"].get("text", "")
    found = re.search(r"job (\d+) on", text)
    return found.group(1) if found else None


def slurm_state(job):
    out = subprocess.run(["squeue", "-h", "-t", "all", "-j", job, "-o", "%T"], capture_output=True, text=True,
                         timeout=30).stdout.strip()
    return out


def scancel(job):
    if job:
        subprocess.run(["scancel", job], capture_output=True, timeout=60)


# ---------------------------------------------------------------- requeue

def test_a_requeued_job_is_followed_through_its_rerun(kernel_with):
    k = kernel_with(profile("slurm"))
    seen = {"text": "", "job": None, "requeued": False}

    def requeue_at_line_50(msg):
        seen["job"] = seen["job"] or job_of(msg)
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            seen["text"] += msg["content"]["text"]
            if not seen["requeued"] and "\n50\n" in seen["text"]:
                seen["requeued"] = True
                r = subprocess.run(["scontrol", "requeue", seen["job"]], capture_output=True, text=True, timeout=60)
                assert r.returncode == 0, r.stderr

    run = k.execute('%%hpc\n#!/bin/bash\necho "run $HPC_JOB_RUN in $HPC_JOB_DIR"\n'
                    'for i in $(seq 1 200); do echo $i; sleep 0.05; done', on_message=requeue_at_line_50, timeout=600)
    assert seen["requeued"], "the job never reached line 50"
    assert run.status == "ok", run.error
    job_dir = Path(re.search(r"run 1 in (\S+)", run.stdout).group(1))
    assert "run 2 in" in run.stdout, "the cell did not follow the second run"
    assert run.stdout == (job_dir / "stdout").read_text(), "the cell's output differs from the job's stdout file"
    assert run.stdout.endswith("".join(f"{i}\n" for i in range(1, 201)))
    shown = statuses(run)
    assert any("requeued" in s for s in shown), shown
    assert "COMPLETED" in shown[-1], shown[-1]


# ---------------------------------------------------------------- sshd killed

def descendants(pid):
    pids, todo = {pid}, [pid]
    while todo:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(todo.pop())], capture_output=True, text=True).stdout
        for p in out.split():
            pids.add(int(p))
            todo.append(int(p))
    return pids


def sshd_processes_of(kernel):
    """The server-side sshd processes of this kernel's own SSH connections (not other users' sessions)."""
    mine = descendants(kernel.km.provisioner.pid)
    client = subprocess.run(["ss", "-Htnp", "state", "established", "( dport = :2222 )"], capture_output=True,
                            text=True).stdout
    ports = set()
    for line in client.splitlines():
        pids = {int(p) for p in re.findall(r"pid=(\d+)", line)}
        if pids & mine:
            local = line.split()[2]
            ports.add(local.rsplit(":", 1)[1])
    server = subprocess.run(["ss", "-Htnp", "state", "established", "( sport = :2222 )"], capture_output=True,
                            text=True).stdout
    found = set()
    for line in server.splitlines():
        peer = line.split()[3]
        if peer.rsplit(":", 1)[1] in ports:
            found |= {int(p) for p in re.findall(r"pid=(\d+)", line)}
    return found


def sshd_up():
    subprocess.run([str(REPO / "scripts/cluster/sshd-up.sh")], check=True, capture_output=True, timeout=120)


def kill_link_and_sshd(kernel, down_for=3.0):
    """SIGKILL this kernel's sshd connection processes and stop the listener; it comes back after down_for."""
    victims = sshd_processes_of(kernel)
    listener = int(SSHD_PID.read_text().strip())
    os.kill(listener, signal.SIGTERM)
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    threading.Timer(down_for, sshd_up).start()
    return victims


@pytest.fixture
def sshd_restored():
    try:
        yield
    finally:
        # Wait for a pending restart, then make sure the listener is up for everyone else.
        time.sleep(4)
        sshd_up()


def ssh_profile():
    return profile("ssh-slurm", workdir=f"{SSH_WORK}/faults-{uuid.uuid4().hex[:8]}")


def test_sshd_killed_while_output_streams(kernel_with, sshd_restored):
    prof = ssh_profile()
    k = kernel_with(prof)
    warm = k.execute("%%hpc\n#!/bin/bash\necho warm")
    assert warm.status == "ok", warm.error
    killed = {}

    def drop(msg):
        if msg["msg_type"] == "stream" and "n 100\n" in msg["content"].get("text", "") and not killed:
            killed["pids"] = kill_link_and_sshd(k)

    run = k.execute('%%hpc\n#!/bin/bash\nfor i in $(seq 1 300); do echo "n $i"; sleep 0.03; done', on_message=drop,
                    timeout=600)
    assert killed.get("pids"), "no sshd process of this kernel's connection was found"
    assert run.status == "ok", run.error
    expected = "".join(f"n {i}\n" for i in range(1, 301))
    assert run.stdout == expected
    files = {p.read_text() for p in Path(prof["workdir"], "jobs").glob("*/stdout")}
    assert expected in files
    assert "COMPLETED" in statuses(run)[-1]


def test_sshd_killed_during_the_final_drain(kernel_with, sshd_restored):
    prof = ssh_profile()
    k = kernel_with(prof)
    warm = k.execute("%%hpc\n#!/bin/bash\necho warm")
    assert warm.status == "ok", warm.error
    jobs = Path(prof["workdir"], "jobs")
    before = set(jobs.glob("*/job.sh"))
    killed = {}
    stop = threading.Event()

    def kill_at_exit_marker():
        # The job writes its last 400 KB at once and exits: the link goes the moment its exit marker appears.
        while not stop.is_set():
            for script in set(jobs.glob("*/job.sh")) - before:
                if (script.parent / "exit").exists():
                    killed["pids"] = kill_link_and_sshd(k)
                    return
            time.sleep(0.005)

    watcher = threading.Thread(target=kill_at_exit_marker, daemon=True)
    watcher.start()
    try:
        run = k.execute('%%hpc\n#!/bin/bash\necho start\nsleep 3\nseq 1 60000 | sed "s/^/m /"', timeout=600)
    finally:
        stop.set()
    assert killed.get("pids"), "the connection was not dropped at the job's end"
    assert run.status == "ok", run.error
    expected = "start\n" + "".join(f"m {i}\n" for i in range(1, 60001))
    assert len(expected) < 1 << 20, "the test output must stay under the cell's cap"
    assert run.stdout == expected
    assert "COMPLETED" in statuses(run)[-1]


# ---------------------------------------------------------------- status command that fails for good

def test_a_missing_status_command_ends_the_cell_after_bounded_tries(kernel_with, tmp_path):
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    calls = tmp_path / "squeue-calls"
    squeue = wrappers / "squeue"
    squeue.write_text(f'#!/bin/sh\necho called >> "{calls}"\necho "bash: line 1: squeue: command not found" >&2\nexit 127\n')
    squeue.chmod(0o755)
    prof = profile("slurm", monitoring={"pollMin": "1s", "pollMax": "2s"})
    k = kernel_with(prof, env={"PATH": f"{wrappers}:{os.environ['PATH']}"})
    seen = {}

    def note_job(msg):
        seen["job"] = seen.get("job") or job_of(msg)

    started = time.monotonic()
    try:
        run = k.execute("%%hpc\n#!/bin/bash\necho up\nsleep 120", on_message=note_job, timeout=120)
    finally:
        scancel(seen.get("job"))
    took = time.monotonic() - started
    assert run.status == "error"
    assert run.error["ename"] == "JobLost", run.error
    assert "squeue: command not found" in run.error["evalue"], run.error["evalue"]
    tries = len(calls.read_text().splitlines())
    assert 1 <= tries <= 4, f"{tries} status calls"
    assert took < 60, f"the cell took {took:.1f}s to end"


# ---------------------------------------------------------------- interrupt while slurmctld is stopped

def test_interrupt_returns_within_2s_while_slurmctld_is_stopped(kernel_with):
    k = kernel_with(profile("slurm"))
    state = {}

    def interrupt_when_running(msg):
        state["job"] = state.get("job") or job_of(msg)
        if msg["msg_type"] == "stream" and "running-now" in msg["content"].get("text", "") and "sent" not in state:
            pid = int(SLURMCTLD_PID.read_text().strip())
            os.kill(pid, signal.SIGSTOP)
            state["stopped"] = pid
            state["sent"] = time.monotonic()
            k.km.interrupt_kernel()
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            state["idle"] = msg["received"]

    try:
        run = k.execute("%%hpc\n#!/bin/bash\necho running-now\nsleep 300\necho never-printed",
                        on_message=interrupt_when_running, timeout=120)
    finally:
        if "stopped" in state:
            os.kill(state["stopped"], signal.SIGCONT)
    assert "sent" in state, "the job never ran"
    took = state["idle"] - state["sent"]
    assert took < 2.0, f"control came back {took:.2f}s after the interrupt"
    assert run.status == "error"
    assert run.error["ename"] == "JobCancelled", run.error
    assert "cancel requested" in run.error["evalue"]
    # The cancel the kernel keeps sending goes through once the controller answers again.
    deadline = time.monotonic() + 90
    final = None
    while time.monotonic() < deadline:
        final = slurm_state(state["job"])
        if final in ("CANCELLED", ""):
            break
        time.sleep(1)
    assert final in ("CANCELLED", ""), f"job {state['job']} still {final}"
