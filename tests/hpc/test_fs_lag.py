"""A shared file system's lag, for real: the kernel runs where the work directory is a cached view
of itself (scripts/cluster/lagged-view.sh: an sshfs mount in a private mount namespace, as a login
node sees NFS), while the jobs that the real Slurm and Grid Engine start write to the directory
itself. New files (the exit marker) stay invisible and sizes stale for LAG seconds. A short job
must still end COMPLETED with every byte of its output in the cell."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from clusters import SSH_DIR, require
from conftest import KERNEL_NAME, Kernel

REPO = Path(__file__).resolve().parents[2]
LAGGED_VIEW = REPO / "scripts" / "cluster" / "lagged-view.sh"
LAG = int(os.environ.get("HPC_TEST_FS_LAG", "30"))

# Run inside the kernel's mount namespace: primes the caches (a lookup of a file that does not
# exist yet, the size of one that will grow), then reports when the writes made outside show up.
PROBE = r"""
import json, os, sys, time
d, limit = sys.argv[1], float(sys.argv[2])
new, grown = os.path.join(d, "lag-probe-new"), os.path.join(d, "lag-probe-grown")
os.path.exists(new); before = os.path.getsize(grown)
print("ready", flush=True); sys.stdin.readline()
t0 = time.monotonic(); seen = {}
while time.monotonic() - t0 < limit and len(seen) < 2:
    if "new" not in seen and os.path.exists(new): seen["new"] = time.monotonic() - t0
    if "grown" not in seen and os.path.getsize(grown) != before: seen["grown"] = time.monotonic() - t0
    time.sleep(0.1)
print(json.dumps(seen), flush=True)
"""


def require_lagged_view():
    require(shutil.which("sshfs"), "sshfs is not installed (apt-get install sshfs)")
    require(os.path.exists("/dev/fuse"), "/dev/fuse is missing")
    require(os.geteuid() == 0, "the lagged view needs root (mount namespace)")
    require(os.environ.get("HPC_TEST_SSHD") == "1" and Path(SSH_DIR, "id_ed25519").exists(),
            "the test sshd is not up (HPC_TEST_SSHD unset)")


SCHEDULERS = {
    "slurm": ("HPC_TEST_SLURM", lambda d: {"scheduler": "slurm", "workdir": f"{d}/slurm",
                                           "defaults": {"partition": "debug", "time": "00:10:00"}}),
    "sge": ("HPC_TEST_SGE", lambda d: {"scheduler": "sge", "workdir": f"{d}/sge"}),
}


@pytest.fixture(scope="module")
def lagged(tmp_path_factory):
    """A kernel started under lagged-view.sh over a fresh work directory; yields (kernel, dir, home)."""
    require_lagged_view()
    home = tmp_path_factory.mktemp("fs-lag")
    # The viewed directory is outside pytest's tree: sshfs mounts it by its absolute path.
    work = Path(tempfile.mkdtemp(prefix="hpc-fs-lag-", dir="/tmp"))
    os.chmod(work, 0o755)
    clusters = {name: profile(work) for name, (flag, profile) in SCHEDULERS.items() if os.environ.get(flag) == "1"}
    for name in clusters:
        (work / name).mkdir(mode=0o755)
    config = home / "clusters.json"
    config.write_text(json.dumps({"default": next(iter(clusters), "none"), "clusters": clusters}))

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    kernels = home / "kernels" / "lagged"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        **spec.to_dict(), "argv": [str(LAGGED_VIEW), str(work), str(LAG), "--", *spec.argv]}))
    km = KernelManager(kernel_name="lagged", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(home / "kernels")]))
    km.start_kernel(env={**os.environ, "HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data")})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=90)
        yield Kernel(km, kc), work, home
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        shutil.rmtree(work, ignore_errors=True)


def kernel_pid(kernel):
    return kernel.km.provisioner.process.pid


def test_the_kernel_sees_new_files_and_sizes_only_after_the_lag(lagged):
    """The fault is really there: measured inside the kernel's own mount namespace."""
    kernel, work, _ = lagged
    mounts = Path(f"/proc/{kernel_pid(kernel)}/mountinfo").read_text().splitlines()
    assert any(f" {work} " in m and "fuse.sshfs" in m for m in mounts), "the kernel does not see its work dir through sshfs"
    assert not any(f" {work} " in m for m in Path("/proc/self/mountinfo").read_text().splitlines()), \
        "the lagged view leaked out of the kernel's mount namespace"
    (work / "lag-probe-grown").write_text("before\n")
    probe = subprocess.Popen(["nsenter", "-t", str(kernel_pid(kernel)), "-m", "--", sys.executable, "-c", PROBE,
                              str(work), str(3 * LAG + 10)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert probe.stdout.readline().strip() == "ready"
        (work / "lag-probe-new").write_text("new\n")   # written here, outside the kernel's view
        with open(work / "lag-probe-grown", "a") as f:
            f.write("grown by a compute node\n")
        probe.stdin.write("go\n")
        probe.stdin.flush()
        seen = json.loads(probe.stdout.readline())
    finally:
        probe.kill()
        probe.wait(timeout=10)
    print(f"lagged view (LAG={LAG} s): a new file appeared after {seen.get('new', float('nan')):.1f} s, "
          f"a grown file showed its new size after {seen.get('grown', float('nan')):.1f} s")
    assert "new" in seen and "grown" in seen, f"the writes never showed up within {3 * LAG + 10} s: {seen}"
    assert seen["new"] >= 0.8 * LAG, f"a new file was visible after {seen['new']:.1f} s: the view does not lag"
    assert seen["grown"] >= 0.8 * LAG, f"a new size was visible after {seen['grown']:.1f} s: the view does not lag"


def written_output(home, cluster, job_id):
    """What the job wrote, read directly (not through the lag): the payload's stdout file, then the
    stdout text of the Java runner's stream events (a Java cell's prints are events)."""
    records = [json.loads(f.read_text()) for f in (home / "data" / "hpc-kernel" / "jobs").glob("*.json")]
    (entry,) = [r for r in records if r.get("cluster") == cluster and r.get("jobId") == job_id]
    job_dir = Path(entry["jobDir"])
    text = (job_dir / "stdout").read_text(encoding="utf-8")
    events = job_dir / "events.jsonl"
    if events.exists():
        for line in events.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            if event.get("t") == "stream" and event.get("name") == "stdout":
                text += event["text"]
    return text


def final_state(run):
    shown = [m["content"]["data"]["text/plain"] for m in run.of_type("display_data", "update_display_data")]
    return shown[-1] if shown else ""


CELLS = {
    # The pause lets the kernel see the job running and read its files first (caching "no exit
    # marker" and the old sizes); then the job writes everything and ends, well inside the lag.
    "shebang": '%%hpc\n#!/bin/bash\necho first\nsleep 8\n'
               'for i in $(seq 1 300); do echo "line $i of a short job: ééé"; done\necho last',
    "java": '%%hpc\nSystem.out.println("first");\nThread.sleep(8000);\n'
            'for (int i = 1; i <= 300; i++) System.out.println("java line " + i + " ééé");\n'
            'System.out.println("last");',
}


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_a_short_job_ends_completed_byte_exact_through_the_lagged_view(lagged, scheduler, cell):
    kernel, work, home = lagged
    require(os.environ.get(SCHEDULERS[scheduler][0]) == "1", f"the test {scheduler} is not up ({SCHEDULERS[scheduler][0]} unset)")
    assert kernel.execute(f"%hpc use {scheduler}").status == "ok"
    run = kernel.execute(CELLS[cell], timeout=6 * LAG + 120)
    job = run.job_id()
    assert job, f"no job id shown: {run.stdout!r} {run.error}"
    assert run.status == "ok", f"{scheduler} {cell} job {job}: {run.error}"
    assert "COMPLETED" in final_state(run), final_state(run)
    expected = written_output(home, scheduler, job)
    assert expected.endswith("last\n"), f"job {job} itself did not write all its output: {expected[-200:]!r}"
    assert run.stdout == expected, (f"{scheduler} {cell} job {job}: the cell showed {len(run.stdout)} characters, "
                                    f"the job wrote {len(expected)}")


def sshfs_serving(directory):
    """PIDs of sshfs processes that serve DIRECTORY (from /proc/*/cmdline)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"sshfs") and f"root@127.0.0.1:{directory}".encode() in argv:
            found.append(int(proc.name))
    return found


def test_the_view_and_its_sshfs_end_with_the_command(tmp_path):
    require_lagged_view()
    view = tmp_path / "viewed"
    view.mkdir()
    ran = subprocess.run([str(LAGGED_VIEW), str(view), "1", "--", "sh", "-c", f"grep -c ' {view} .*fuse.sshfs' /proc/self/mountinfo"],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0 and ran.stdout.strip() == "1", f"the command did not run on the view: {ran}"
    deadline = time.monotonic() + 15
    while sshfs_serving(view) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sshfs_serving(view), "sshfs outlived the command"


def test_bad_arguments_are_refused_with_the_fix(tmp_path):
    ran = subprocess.run([str(LAGGED_VIEW), str(tmp_path), "30s", "--", "true"], capture_output=True, text=True, timeout=30)
    assert ran.returncode == 2 and "LAG must be whole seconds, got '30s'" in ran.stderr
    ran = subprocess.run([str(LAGGED_VIEW), str(tmp_path / "nope"), "30", "--", "true"], capture_output=True, text=True, timeout=30)
    assert ran.returncode == 2 and "is not a directory" in ran.stderr
