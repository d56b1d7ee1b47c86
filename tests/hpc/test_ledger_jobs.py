"""%hpc jobs and %hpc forget over a real kernel and a real ledger: a job of a cluster the profile
no longer defines (with a PBS array id) is listed and marked, not an error; forget drops records;
the listing shows each cell's first meaningful line."""
import json
import re

from clusters import write_config
from conftest import start_kernel


def test_jobs_lists_unconfigured_clusters_and_forget_drops_records(tmp_path):
    config = write_config(tmp_path / "clusters.json")
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")})
    try:
        run = k.execute("%%hpc --cluster local\n#!/bin/bash\n\necho first-meaningful-line")
        assert run.status == "ok", run.error
        ledger = tmp_path / "data" / "hpc-kernel" / "jobs"
        [local] = [json.loads(f.read_text()) for f in ledger.glob("*.json")]
        assert local["state"] == "COMPLETED" and local["summary"] == "echo first-meaningful-line"

        # A job recorded by a kernel whose profile had a PBS cluster "renamed-pbs".
        gone = dict(local, jobId="123[].pbs01.example.org", cluster="renamed-pbs", key="20260101-000000-0a1b2c3d",
                    state="PENDING", exitCode=None, ended=None, summary="python train.py")
        (ledger / "20260101-000000-0a1b2c3d.json").write_text(json.dumps(gone))

        jobs = k.execute("%hpc jobs")
        assert jobs.status == "ok", jobs.error
        listing = jobs.result["text/plain"]
        assert re.search(r"^123\[\]\.pbs01\.example\.org\s+renamed-pbs\s+unreachable \(cluster renamed-pbs is not configured\)",
                         listing, re.M), listing
        assert "echo first-meaningful-line" in listing and "#!/bin/bash" not in listing

        status = k.execute("%hpc status 123[].pbs01.example.org")
        assert status.status == "ok" and "not configured" in status.result["text/plain"]

        forgot = k.execute("%hpc forget --unconfigured")
        assert forgot.status == "ok", forgot.error
        assert "123[].pbs01.example.org (renamed-pbs)" in forgot.result["text/plain"]
        assert [json.loads(f.read_text())["cluster"] for f in ledger.glob("*.json")] == ["local"]

        one = k.execute(f"%hpc forget {local['jobId']}")
        assert one.status == "ok", one.error
        assert list(ledger.glob("*.json")) == []
        assert k.execute("%hpc jobs").result["text/plain"].startswith("no live or recent jobs")
        missing = k.execute("%hpc forget 999999")
        assert missing.status == "error" and "no job 999999" in missing.error["evalue"]
    finally:
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=True)
