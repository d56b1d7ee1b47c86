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
    config.write_text(json.dumps({"default": "local", "clusters": {"local": local.profile}}))
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
        assert "time limit" in run.stderr, run.stderr
        # a job well within its limit is not touched
        ok = k.execute("%%hpc --time 1\n#!/bin/bash\necho within-limit", timeout=200)
        assert ok.status == "ok", ok.error
        assert "within-limit" in ok.stdout
    finally:
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=False)
