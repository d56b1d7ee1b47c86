"""What a job inherits from the kernel, and the local backend's own guarantees, on the real
schedulers that run on this machine (local, and Slurm / Grid Engine when they are up).

The kernel is started as JupyterHub starts it, with its API token and JPY_* values in its
environment: none of them may reach the job (sbatch and qsub pass the submitting environment
into the job), while the user's --env and the profile's default env still do."""
import json
import uuid

import pytest

from clusters import all_clusters
from conftest import start_kernel

SECRET = "hub-secret-" + uuid.uuid4().hex
KERNEL_SECRETS = {"JUPYTERHUB_API_TOKEN": SECRET, "JPY_API_TOKEN": SECRET, "JUPYTER_TOKEN": SECRET,
                  "JPY_SESSION_NAME": "secret-notebook.ipynb"}


def _on_this_machine():
    return [c for c in all_clusters() if not c.remote]


@pytest.fixture(scope="module", params=_on_this_machine(), ids=lambda c: c.name)
def hub_kernel(request, tmp_path_factory):
    cluster = request.param
    home = tmp_path_factory.mktemp("env-" + cluster.name)
    profiles = {}
    for c in all_clusters():
        profile = json.loads(json.dumps(c.profile))
        profile.setdefault("defaults", {})["env"] = "FROM_PROFILE=profile-value"
        profiles[c.name] = profile
    config = home / "clusters.json"
    config.write_text(json.dumps({"default": "local", "clusters": profiles}))
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data"), **KERNEL_SECRETS})
    k.execute(f"%hpc use {cluster.name}")
    yield cluster, k
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=False)


def test_the_kernels_secrets_never_reach_the_job_but_env_options_do(hub_kernel):
    cluster, k = hub_kernel
    # the kernel itself does hold the secret (so its absence below is the filter's doing)
    probe = k.execute('System.getenv("JUPYTERHUB_API_TOKEN")')
    assert probe.status == "ok" and SECRET in probe.result["text/plain"], probe.error
    run = k.execute("%%hpc --env FROM_CELL=cell-value\n#!/bin/bash\nenv", timeout=300)
    assert run.status == "ok", run.error
    env = dict(line.split("=", 1) for line in run.stdout.splitlines() if "=" in line)
    assert env.get("FROM_CELL") == "cell-value", run.stdout
    assert env.get("FROM_PROFILE") == "profile-value", run.stdout
    assert "PATH" in env and "HOME" in env
    leaked = [name for name in env if name in KERNEL_SECRETS or name.startswith("JPY_") or name.startswith("JUPYTER")]
    assert not leaked, f"the job on {cluster.name} inherited {leaked}"
    assert SECRET not in run.stdout and "secret-notebook" not in run.stdout


def _local_kernel(tmp_path):
    local = [c for c in all_clusters() if c.name == "local"][0]
    config = tmp_path / "clusters.json"
    # No shared file system here: a job that left no marker is lost after 5 s, not NFS's 60 s.
    profile = {**local.profile, "monitoring": {"fileSystemLag": "5s"}}
    config.write_text(json.dumps({"default": "local", "clusters": {"local": profile}}))
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")})
    k.execute("%hpc use local")
    return k


def test_local_time_limit_ends_the_cell_with_timeout(tmp_path):
    k = _local_kernel(tmp_path)
    try:
        run = k.execute("%%hpc --time 0:03\n#!/bin/bash\necho start\nsleep 600\necho never-printed", timeout=200)
        assert run.status == "error", run.stdout
        assert "TIMEOUT" in run.error["evalue"], run.error
        assert "start" in run.stdout and "never-printed" not in run.stdout
        # The cell's error says why; the watchdog adds nothing to the job's own stderr.
        assert "time limit" in "\n".join(run.error["traceback"]), run.error
        assert "time limit" not in run.stderr, run.stderr
        # a job well within its limit is not touched
        ok = k.execute("%%hpc --time 1\n#!/bin/bash\necho within-limit", timeout=200)
        assert ok.status == "ok", ok.error
        assert "within-limit" in ok.stdout
    finally:
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=False)


def _start_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(") ", 1)[1].split()[19])


@pytest.mark.parametrize("form", ["other-start-time", "bare-pid"])
def test_a_local_job_record_whose_pid_was_reused_is_neither_followed_nor_signalled(tmp_path, form):
    """The ledger holds a local job whose pid now belongs to an unrelated process (another start
    time, or a record from before ids had one): status must not call it running, cancel must not
    signal that process's group, and attach must end instead of following it."""
    import shutil
    import subprocess
    k = _local_kernel(tmp_path)
    other = subprocess.Popen(["setsid", "sleep", "300"])
    try:
        run = k.execute("%%hpc --detach\n#!/bin/bash\necho reuse-probe\nsleep 1", timeout=120)
        assert run.status == "ok", run.error
        real_id = run.job_id()
        ledger = tmp_path / "data" / "hpc-kernel" / "jobs"
        (entry,) = [e for e in (json.loads(f.read_text()) for f in ledger.glob("*.json")) if e.get("jobId") == real_id]
        # a record of a job that ran earlier under the pid the unrelated process has now
        stale_id = f"{other.pid}.{_start_ticks(other.pid) - 1}" if form == "other-start-time" else str(other.pid)
        stale_dir = tmp_path / "stale-job"
        shutil.copytree(entry["jobDir"], stale_dir, ignore=shutil.ignore_patterns("exit*", ".*"))
        entry.update(jobId=stale_id, jobDir=str(stale_dir), key=entry["key"] + "-stale", state="RUNNING",
                     exitCode=None, ended=None)
        (ledger / f"local--{stale_id}.json").write_text(json.dumps(entry))

        status = k.execute(f"%hpc status {stale_id}")
        assert status.status == "ok", status.error
        assert "RUNNING" not in status.result["text/plain"], status.result
        cancel = k.execute(f"%hpc cancel {stale_id}")
        assert cancel.status == "error" and "not running" in cancel.error["evalue"], cancel.error
        assert other.poll() is None, "cancel signalled the unrelated process group"
        attach = k.execute(f"%hpc attach {stale_id}", timeout=300)
        assert attach.status == "error", "attach followed a process that is not the job"
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=False)
