"""Which test clusters exist, and the clusters.json that names them.

`local` always exists. The others come up through scripts/cluster/*-up.sh; the test command sets
HPC_TEST_SLURM=1 etc. after starting them. In CI (CI=true) a cluster the run expects but cannot
reach is a failure, not a skip: scripts/test.sh exports the variables only after the up scripts
succeeded, so a missing variable in CI means the scheduler did not come up."""
import json
import os
from dataclasses import dataclass

WORK = os.environ.get("HPC_TEST_WORKDIR", "/tmp/hpc-test-work")


@dataclass(frozen=True)
class Cluster:
    name: str
    scheduler: str
    profile: dict
    has_partitions: bool = False
    enforces_time: bool = False
    has_accounting: bool = False


def all_clusters():
    clusters = [Cluster("local", "local", {"scheduler": "local", "workdir": f"{WORK}/local"})]
    if os.environ.get("HPC_TEST_SLURM") == "1":
        clusters.append(Cluster("slurm", "slurm", {"scheduler": "slurm", "workdir": f"{WORK}/slurm",
                                                   "defaults": {"partition": "debug", "time": "00:10:00"}},
                                has_partitions=True, enforces_time=True,
                                has_accounting=os.environ.get("HPC_TEST_SLURM_ACCOUNTING") == "1"))
    return clusters


def available_clusters():
    return all_clusters()


def write_config(path):
    profiles = {c.name: c.profile for c in all_clusters()}
    path.write_text(json.dumps({"default": "local", "clusters": profiles}, indent=2))
    return path
