"""Shared by the tests/hpc/test_values_*.py files: a kernel per live Slurm cluster (from the kernel's
machine, and through the loopback sshd as a plain user), and what Slurm and the ledger know about a
cell, to prove that a refused cell submitted nothing."""
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from clusters import all_clusters, require, write_config
from conftest import start_kernel

SLURM_CONF = os.environ.get("SLURM_CONF", "/tmp/hpc-test-cluster/etc/slurm.conf")
VALUE_CLUSTERS = ("slurm", "ssh-slurm")


def live_cluster(name):
    found = next((c for c in all_clusters() if c.name == name), None)
    require(found is not None, f"the test cluster {name} is not up (HPC_TEST_SLURM / HPC_TEST_SSHD unset)")
    return found


class ValueKernel:
    """A real kernel on one live cluster with its own ledger (XDG_DATA_HOME)."""

    def __init__(self, cluster, home: Path, extra_env=None, profile_extra=None):
        self.cluster = cluster
        self.home = home
        config = write_config(home / "clusters.json")
        if profile_extra:
            clusters = json.loads(config.read_text())
            clusters["clusters"][cluster.name].update(profile_extra)
            config.write_text(json.dumps(clusters, indent=2))
        self.k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data"),
                               "SLURM_CONF": SLURM_CONF, **(extra_env or {})})
        used = self.k.execute(f"%hpc use {cluster.name}")
        assert used.status == "ok", used.error

    def run(self, code, timeout=300):
        return self.k.execute(code, timeout=timeout)

    def ok(self, code, timeout=300):
        """Runs a cell that must succeed; returns its Run."""
        run = self.k.execute(code, timeout=timeout)
        assert run.status == "ok", f"{code[:200]!r} failed: {run.error}\nstdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}"
        return run

    def value(self, expr):
        """The text/plain of a local expression that must compile and run."""
        run = self.ok(expr)
        assert run.result is not None, f"{expr!r} gave no value"
        return run.result["text/plain"]

    def ledger(self):
        d = self.home / "data" / "hpc-kernel" / "jobs"
        return [json.loads(f.read_text()) for f in d.glob("*.json")] if d.exists() else []

    def entry(self, job_id):
        return next(e for e in self.ledger() if e["jobId"] == job_id and e["cluster"] == self.cluster.name)

    def close(self):
        try:
            self.k.kc.stop_channels()
            self.k.km.shutdown_kernel(now=True)
        except Exception:
            pass


def java_string(text):
    """The Java literal for a JShell string result as the kernel shows it ("..." quoted)."""
    return json.dumps(text, ensure_ascii=False)


def unique_name(prefix="vt"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def jobs_named(name):
    """Every job Slurm knows by that name (squeue -t all, and sacct when accounting is on)."""
    env = {**os.environ, "SLURM_CONF": SLURM_CONF}
    out = subprocess.run([shutil.which("squeue"), "-h", "-t", "all", "-n", name, "-o", "%i"], capture_output=True,
                         text=True, env=env, check=True).stdout
    ids = {line.split("_")[0] for line in out.split() if line.strip()}
    if os.environ.get("HPC_TEST_SLURM_ACCOUNTING") == "1":
        acct = subprocess.run([shutil.which("sacct"), "-n", "-X", "-P", "-S", "now-1hour", "-a", "--name", name, "-o", "JobID"],
                              capture_output=True, text=True, env=env, check=True).stdout
        ids |= {line.strip().split("_")[0] for line in acct.splitlines() if line.strip()}
    return ids


def assert_nothing_submitted(vk, run, job_name, ledger_before):
    """The refused cell reached neither Slurm nor the ledger, and showed no job id."""
    assert run.job_id() is None, f"a job id was shown: {run.stdout}"
    assert jobs_named(job_name) == set(), f"Slurm has a job named {job_name}"
    assert len(vk.ledger()) == ledger_before, "the ledger has a new job"


def error_text(run):
    """Everything the cell's error says: name, value and traceback."""
    e = run.error or {}
    return "\n".join([e.get("ename", ""), e.get("evalue", ""), *e.get("traceback", [])])


def mentions_size(text):
    """A size in bytes, KiB, MiB or MB, as an error should quote it."""
    return re.search(r"\d[\d,.]*\s*(bytes|B|KiB|MiB|kB|KB|MB)\b", text) is not None


def job_dir(vk, job_id):
    return Path(vk.entry(job_id)["jobDir"])


def start(name, tmp_path_factory, *cells, extra_env=None, profile_extra=None):
    """A ValueKernel on the live cluster NAME (its profile updated with PROFILE_EXTRA) with the notebook cells run first."""
    vk = ValueKernel(live_cluster(name), tmp_path_factory.mktemp("values-" + name), extra_env, profile_extra)
    for cell in cells:
        vk.ok(cell)
    return vk


def notebook_kernel(*notebook):
    """A module-scoped fixture: a kernel per value cluster, with the notebook's cells already run."""
    @pytest.fixture(scope="module", params=VALUE_CLUSTERS)
    def fixture(request, tmp_path_factory):
        v = start(request.param, tmp_path_factory, *notebook)
        yield v
        v.close()
    return fixture
