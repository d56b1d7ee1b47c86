"""Which test clusters exist, and the clusters.json that names them.

`local` always exists. The others come up through scripts/cluster/*-up.sh; the test command sets
HPC_TEST_SLURM=1 etc. after starting them. In CI (CI=true) a cluster the run expects but cannot
reach is a failure, not a skip: scripts/test.sh exports the variables only after the up scripts
succeeded, so a missing variable in CI means the scheduler did not come up."""
import json
import os
from dataclasses import dataclass

import pytest

WORK = os.environ.get("HPC_TEST_WORKDIR", "/tmp/hpc-test-work")
SSH_DIR = os.environ.get("HPC_TEST_SSH_DIR", "/tmp/hpc-test-cluster/ssh")
# Owned by the SSH user (hpcuser), so outside WORK, which root creates.
SSH_WORK = os.environ.get("HPC_TEST_SSH_WORKDIR", "/tmp/hpc-test-work-hpcuser")


@dataclass(frozen=True)
class Cluster:
    name: str
    scheduler: str
    profile: dict
    has_partitions: bool = False
    has_accounting: bool = False
    remote: bool = False


def require(condition, what, hint="see scripts/setup.sh and scripts/cluster/*-up.sh"):
    """A missing part fails the test in CI (CI=true) and skips it elsewhere."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI must have it: {hint})")
    pytest.skip(what)


def all_clusters():
    clusters = [Cluster("local", "local", {"scheduler": "local", "workdir": f"{WORK}/local"})]
    if os.environ.get("HPC_TEST_SLURM") == "1":
        clusters.append(Cluster("slurm", "slurm", {"scheduler": "slurm", "workdir": f"{WORK}/slurm",
                                                   "defaults": {"partition": "debug", "time": "00:10:00"}},
                                has_partitions=True,
                                has_accounting=os.environ.get("HPC_TEST_SLURM_ACCOUNTING") == "1"))
    if os.environ.get("HPC_TEST_SLURM") == "1" and os.environ.get("HPC_TEST_SSHD") == "1":
        # The same Slurm, reached through a real SSH hop to the loopback sshd, as a plain user.
        clusters.append(Cluster("ssh-slurm", "slurm", {
            "scheduler": "slurm", "workdir": SSH_WORK, "host": "127.0.0.1", "port": 2222, "user": "hpcuser",
            "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts",
            "defaults": {"partition": "debug", "time": "00:10:00"}},
            has_partitions=True, remote=True,
            has_accounting=os.environ.get("HPC_TEST_SLURM_ACCOUNTING") == "1"))
    if os.environ.get("HPC_TEST_OAR") == "1" and os.environ.get("HPC_TEST_SSHD") == "1":
        # OAR refuses root submitters: reach it as hpcuser through the loopback sshd.
        clusters.append(Cluster("oar", "oar", {
            "scheduler": "oar", "workdir": SSH_WORK + "/oar", "host": "127.0.0.1", "port": 2222, "user": "hpcuser",
            "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts"},
            has_partitions=True, remote=True))
    if os.environ.get("HPC_TEST_SGE") == "1":
        clusters.append(Cluster("sge", "sge", {"scheduler": "sge", "workdir": f"{WORK}/sge"},
                                has_partitions=True))
        if os.environ.get("HPC_TEST_SSHD") == "1":
            # The same Grid Engine through the loopback sshd, as a plain user.
            clusters.append(Cluster("ssh-sge", "sge", {
                "scheduler": "sge", "workdir": SSH_WORK + "/sge", "host": "127.0.0.1", "port": 2222, "user": "hpcuser",
                "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts"},
                has_partitions=True, remote=True))
    return clusters


def available_clusters():
    return all_clusters()


def write_config(path):
    profiles = {c.name: c.profile for c in all_clusters()}
    path.write_text(json.dumps({"default": "local", "clusters": profiles}, indent=2))
    return path
