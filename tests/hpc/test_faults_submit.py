"""Exactly one job per submitted cell, whatever fails: faults injected into the real Slurm at the
moment of the submit. The kernel finds `sbatch`/`squeue` through its PATH, so a wrapper placed
first there runs the real command and then misbehaves on cue; slurmctld itself is stopped and
restarted. Each case counts the jobs Slurm holds under the cell's (unique, per test) job name."""
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from clusters import all_clusters, write_config
from conftest import start_kernel

REPO = Path(__file__).resolve().parents[2]
SLURM = next((c for c in all_clusters() if c.name == "slurm"), None)
SLURM_CONF = os.environ.get("SLURM_CONF", "/tmp/hpc-test-cluster/etc/slurm.conf")
CLUSTER_DIR = Path(SLURM_CONF).parent.parent
SUBMIT_TIMEOUT = 4   # HPC_KERNEL_SUBMIT_TIMEOUT: short, so that a hanging sbatch times out quickly
SETTLE = 15          # HPC_KERNEL_SUBMIT_SETTLE: how long the kernel keeps looking for a late job


@pytest.fixture(autouse=True)
def needs_slurm():
    if SLURM is None:
        # In CI the test Slurm must be up: a missing cluster is a failure there, not a skip.
        if os.environ.get("CI") == "true":
            pytest.fail("the test Slurm is not up (HPC_TEST_SLURM unset)")
        pytest.skip("the test Slurm is not up")


def real(command):
    path = shutil.which(command)
    assert path, f"{command} not on PATH"
    return path


def wrapper(bindir, name, body):
    bindir.mkdir(exist_ok=True)
    script = bindir / name
    script.write_text("#!/bin/bash\n" + body)
    script.chmod(0o755)


class Kernels:
    """Kernels that share one ledger and one PATH with the wrappers first. With no profile they use
    the test clusters' config and the Slurm one; with one, a config of that cluster alone."""

    def __init__(self, tmp_path, profile=None, tuning=None):
        self.tmp = tmp_path
        self.bin = tmp_path / "bin"
        self.bin.mkdir(exist_ok=True)
        self.state = tmp_path / "state"
        self.state.mkdir(exist_ok=True)
        self.config = tmp_path / "clusters.json"
        if profile is None:
            write_config(self.config)
        else:
            self.config.write_text(json.dumps({"default": "c", "clusters": {"c": profile}}))
        self.profile = profile
        self.tuning = tuning if tuning is not None else {
            "HPC_KERNEL_SUBMIT_TIMEOUT": str(SUBMIT_TIMEOUT), "HPC_KERNEL_SUBMIT_SETTLE": str(SETTLE)}
        self.made = []

    def start(self):
        k = start_kernel({"HPC_KERNEL_CONFIG": str(self.config), "XDG_DATA_HOME": str(self.tmp / "data"),
                          "PATH": f"{self.bin}:{os.environ['PATH']}", "SLURM_CONF": SLURM_CONF,
                          "FAULT_STATE": str(self.state), "HPC_KERNEL_PASS_ENV": "FAULT_STATE",
                          **self.tuning})
        self.made.append(k)
        # the ledger is open, and the cluster chosen, before the test's cell runs
        warm = k.execute("%hpc use slurm" if self.profile is None else "%hpc jobs")
        assert warm.status == "ok", warm.error
        return k

    def ledger(self):
        d = self.tmp / "data" / "hpc-kernel" / "jobs"
        return [json.loads(f.read_text()) for f in d.glob("*.json")]

    def close(self):
        for k in self.made:
            k.close()


@pytest.fixture
def kernels(tmp_path):
    k = Kernels(tmp_path)
    yield k
    k.close()


def slurm_env():
    return {**os.environ, "SLURM_CONF": SLURM_CONF}


def jobs_named(name):
    """Every job Slurm knows by that name: slurmctld's (squeue -t all) and, with accounting, slurmdbd's."""
    out = subprocess.run([real("squeue"), "-h", "-t", "all", "-n", name, "-o", "%i|%T"], capture_output=True,
                         text=True, env=slurm_env(), check=True).stdout
    ids = {line.split("|")[0].split("_")[0] for line in out.splitlines() if line.strip()}
    if SLURM.has_accounting:
        acct = subprocess.run([real("sacct"), "-n", "-X", "-P", "-S", "now-1hour", "--name", name, "-o", "JobID"],
                              capture_output=True, text=True, env=slurm_env(), check=True).stdout
        ids |= {line.strip().split("_")[0] for line in acct.splitlines() if line.strip()}
    return ids


def final_state(job_id):
    """Slurm's state of the job once it has left COMPLETING (bounded wait)."""
    out = ""
    for _ in range(300):
        out = subprocess.run([real("squeue"), "-h", "-t", "all", "-j", job_id, "-o", "%T"], capture_output=True,
                             text=True, env=slurm_env()).stdout.strip()
        if not out and SLURM.has_accounting:
            out = subprocess.run([real("sacct"), "-n", "-X", "-P", "-j", job_id, "-o", "State"], capture_output=True,
                                 text=True, env=slurm_env()).stdout.strip()
        if out and out not in ("COMPLETING", "RUNNING", "PENDING", "CONFIGURING"):
            return out
        time.sleep(0.1)
    return out


def cell(name, marker):
    return (f"%%hpc -J {name}\n#!/bin/bash\necho \"start {marker} ééé\"\n"
            f"for i in $(seq 1 5); do echo \"line $i\"; done\necho \"end {marker}\"")


def expected_stdout(marker):
    return f"start {marker} ééé\n" + "".join(f"line {i}\n" for i in range(1, 6)) + f"end {marker}\n"


def test_sbatch_that_created_the_job_then_reports_a_socket_timeout_leaves_one_job(kernels):
    # The first sbatch call really submits, then fails as sbatch does when slurmctld's reply is lost.
    wrapper(kernels.bin, "sbatch", f"""
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    {real("sbatch")} "$@" > "$FAULT_STATE/real-sbatch.out" 2>&1
    echo "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation" >&2
    exit 1
fi
exec {real("sbatch")} "$@"
""")
    k = kernels.start()
    name, marker = "ft-sock-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    run = k.execute(cell(name, marker), timeout=300)
    assert run.status == "ok", run.error
    assert expected_stdout(marker) in run.stdout
    created = (kernels.state / "real-sbatch.out").read_text().strip()
    assert jobs_named(name) == {created}, "a second job was submitted"
    assert "COMPLETED" in final_state(created)


def test_sbatch_that_hangs_past_the_timeout_and_whose_job_lands_after_the_first_lookup_leaves_one_job(kernels):
    # The first sbatch hangs (the kernel gives up after SUBMIT_TIMEOUT s); its request reaches
    # slurmctld 5 s after the kernel's first look-up, as an abandoned request can.
    wrapper(kernels.bin, "squeue", f"""
case "$*" in *"%i|%o"*) [ -e "$FAULT_STATE/first-lookup" ] || date +%s.%N > "$FAULT_STATE/first-lookup";; esac
exec {real("squeue")} "$@"
""")
    wrapper(kernels.bin, "sbatch", f"""
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    (
        for i in $(seq 1 600); do [ -e "$FAULT_STATE/first-lookup" ] && break; sleep 0.1; done
        sleep 5
        {real("sbatch")} "$@" > "$FAULT_STATE/late-sbatch.out" 2>&1
        date +%s.%N > "$FAULT_STATE/landed"
    ) < /dev/null > /dev/null 2>&1 &
    echo $! > "$FAULT_STATE/late.pid"
    sleep 600
fi
exec {real("sbatch")} "$@"
""")
    k = kernels.start()
    name, marker = "ft-hang-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    run = k.execute(cell(name, marker), timeout=300)
    assert run.status == "ok", run.error
    assert expected_stdout(marker) in run.stdout
    late = (kernels.state / "late-sbatch.out").read_text().strip()
    landed = float((kernels.state / "landed").read_text())
    first_lookup = float((kernels.state / "first-lookup").read_text())
    assert landed - first_lookup >= 5, "the job did not land after the first look-up"
    assert jobs_named(name) == {late}, "a second job was submitted"
    assert "COMPLETED" in final_state(late)


def stop_slurmctld():
    pid = int((CLUSTER_DIR / "run" / "slurmctld.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    for _ in range(300):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError("slurmctld did not stop")


def start_slurmctld():
    subprocess.run(["bash", str(REPO / "scripts" / "cluster" / "slurm-up.sh")], check=True, env={
        **os.environ, "CLUSTER_NO_INSTALL": "1", "CLUSTER_DIR": str(CLUSTER_DIR)}, capture_output=True, timeout=120)


def test_slurmctld_stopped_for_30_s_during_the_submit_leaves_one_job_with_the_right_state(kernels):
    k = kernels.start()
    name, marker = "ft-ctld-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    k.execute("%hpc jobs")  # the ledger and cluster are opened before the controller goes
    stop_slurmctld()
    restarted = threading.Event()
    try:
        def restart_after_30_s():
            time.sleep(30)  # the length of the outage, not a synchronisation
            try:
                start_slurmctld()
            finally:
                restarted.set()
        threading.Thread(target=restart_after_30_s, daemon=True).start()
        run = k.execute(cell(name, marker), timeout=400)
    finally:
        if not restarted.wait(120):
            start_slurmctld()
    assert run.status == "ok", run.error
    assert expected_stdout(marker) in run.stdout
    ids = jobs_named(name)
    assert len(ids) == 1, f"jobs of the cell: {ids}"
    assert "COMPLETED" in final_state(ids.pop())


def test_slurmctld_stopped_for_30_s_while_the_cell_follows_its_job_leaves_one_job_with_the_right_state(kernels):
    # The controller goes away once the job runs and comes back before it ends: the cell keeps
    # following (slurmd runs the job on), nothing is submitted again, every byte arrives.
    k = kernels.start()
    name, marker = "ft-mon-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    code = (f"%%hpc -J {name}\n#!/bin/bash\necho \"start {marker}\"\nsleep 40\n"
            f"for i in $(seq 1 5); do echo \"line $i\"; done\necho \"end {marker}\"")
    outage = {}

    def stop_when_running(msg):
        if msg["msg_type"] == "stream" and f"start {marker}" in msg["content"].get("text", "") and not outage:
            outage["thread"] = threading.Thread(target=outage_of_30_s, daemon=True)
            outage["thread"].start()

    def outage_of_30_s():
        try:
            stop_slurmctld()
            outage["stopped"] = time.monotonic()
            time.sleep(30)  # the length of the outage, not a synchronisation
        finally:
            start_slurmctld()
            outage["restarted"] = time.monotonic()

    try:
        run = k.execute(code, timeout=400, on_message=stop_when_running)
    finally:
        if "thread" in outage:
            outage["thread"].join(120)
        if "restarted" not in outage:
            start_slurmctld()
    assert "stopped" in outage, "the job never ran, or slurmctld was not stopped"
    assert run.status == "ok", run.error
    assert run.stdout.endswith(f"start {marker}\n" + "".join(f"line {i}\n" for i in range(1, 6)) + f"end {marker}\n")
    ids = jobs_named(name)
    assert len(ids) == 1, f"jobs of the cell: {ids}"
    assert "COMPLETED" in final_state(ids.pop())


def kill_the_kernel_during_sbatch(kernels, code):
    """A kernel killed -9 while sbatch (which did create the job) has not answered; the wrapper goes too."""
    # sbatch submits, then holds (as a slow controller reply would) until the kernel is killed.
    wrapper(kernels.bin, "sbatch", f"""
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    echo $$ > "$FAULT_STATE/wrapper.pid"
    {real("sbatch")} "$@" > "$FAULT_STATE/real-sbatch.out" 2>&1
    touch "$FAULT_STATE/submitted"
    sleep 600
fi
exec {real("sbatch")} "$@"
""")
    first = kernels.start()
    first.kc.execute(code)
    deadline = time.monotonic() + 120
    while not (kernels.state / "submitted").exists():
        assert time.monotonic() < deadline, "sbatch was never called"
        time.sleep(0.1)
    records = kernels.ledger()
    assert [r["state"] for r in records] == ["SUBMITTING"], "no record before the submit returned"
    os.kill(first.km.provisioner.process.pid, signal.SIGKILL)
    first.km.provisioner.process.wait()
    try:
        os.kill(int((kernels.state / "wrapper.pid").read_text()), signal.SIGKILL)
    except ProcessLookupError:
        pass

    return (kernels.state / "real-sbatch.out").read_text().strip()


def test_kill_9_of_the_kernel_during_sbatch_then_the_same_cell_again_follows_the_one_job(kernels):
    name, marker = "ft-kill-" + uuid.uuid4().hex[:8], uuid.uuid4().hex
    code = cell(name, marker).replace("for i in $(seq 1 5)", "sleep 3; for i in $(seq 1 5)")
    created = kill_the_kernel_during_sbatch(kernels, code)
    second = kernels.start()
    run = second.execute(code, timeout=300)
    assert run.status == "ok", run.error
    assert jobs_named(name) == {created}, "the cell was submitted a second time"
    entry = next(r for r in kernels.ledger() if r.get("jobId") == created)
    stdout_file = Path(entry["jobDir"]) / "stdout"
    assert "An earlier submission of this cell" in run.stdout
    written = stdout_file.read_text(encoding="utf-8")
    assert written == expected_stdout(marker)
    # What the cell showed: the kernel's notices, then the job's output, byte for byte.
    notices, _, shown = run.stdout.partition("instead of submitting again (--resubmit forces a new job).\n")
    assert shown == written, f"cell output differs from the job's stdout file: {shown!r}"
    assert "COMPLETED" in final_state(created)
    assert len(kernels.ledger()) == 1


def test_a_new_kernel_resolves_an_abandoned_submission_once_it_connects(kernels):
    # The record of a kernel killed during sbatch, old enough that no live kernel can still be
    # submitting it: the next kernel to connect to the cluster looks the job up by itself.
    name = "ft-old-" + uuid.uuid4().hex[:8]
    created = kill_the_kernel_during_sbatch(kernels, cell(name, "old"))
    d = kernels.tmp / "data" / "hpc-kernel" / "jobs"
    (record_file,) = list(d.glob("*.json"))
    record = json.loads(record_file.read_text())
    assert record["state"] == "SUBMITTING"
    record["submitted"] = "2026-01-01T00:00:00Z"
    record_file.write_text(json.dumps(record))

    second = kernels.start()
    other = second.execute("%%hpc\n#!/bin/bash\necho connected", timeout=300)  # any use of the cluster connects
    assert other.status == "ok", other.error
    deadline = time.monotonic() + 120
    while True:
        mine = [r for r in kernels.ledger() if r.get("key") == record["key"]]
        if mine and mine[0].get("jobId") == created:
            break
        assert time.monotonic() < deadline, f"the abandoned submission was not resolved: {mine}"
        time.sleep(0.2)
    listed = second.execute("%hpc jobs")
    assert re.search(rf"^{created}\s+slurm\s", listed.result["text/plain"], re.M), listed.result
    assert jobs_named(name) == {created}
