"""Exactly one job per submitted cell, and the right one, where the look-up after an ambiguous
submit could be fooled:

- a user's own job name (`--job-name`) that another cell shares, on the schedulers that are looked
  up by name (Grid Engine, OAR): the first submit really creates the job, then more jobs with that
  name appear (another cell's, a hand-submitted one) and the submit reports a transient error; the
  kernel must find its own job, not the newest one of that name, and submit nothing more;
- two kernels running the same cell at the same moment on one ledger (the notebook open twice),
  on the real Slurm: one job, both cells show its output; and a kernel killed -9 while it holds the
  submission does not block the other, which finds the dead one's job.

Faults come from wrappers placed first on the PATH of the scheduler commands: the kernel's own PATH
for Slurm and Grid Engine, and for OAR (reached over SSH as a plain user) the PATH that a private
sshd on loopback, configured like the shared test sshd, gives its sessions."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from clusters import SSH_DIR, SSH_WORK, all_clusters, require
from test_faults_submit import Kernels as SubmitKernels, cell, expected_stdout, final_state, jobs_named, real, wrapper

SETTLE = 10  # HPC_KERNEL_SUBMIT_SETTLE: how long a look-up keeps looking before the kernel submits again


def submit_kernels(tmp_path, profile):
    return SubmitKernels(tmp_path, profile, {"HPC_KERNEL_SUBMIT_SETTLE": str(SETTLE)})


def cluster_profile(name):
    found = next((c for c in all_clusters() if c.name == name), None)
    require(found is not None, f"the test {name} cluster is not up")
    return json.loads(json.dumps(found.profile))


@pytest.fixture
def made(request):
    made = []
    yield made
    for k in made:
        k.close()


def calls(state):
    f = state / "calls"
    return len(f.read_text().splitlines()) if f.exists() else 0


def the_one_entry(kernels):
    entries = kernels.ledger()
    assert len(entries) == 1, f"ledger entries: {entries}"
    return entries[0]


# ---------------------------------------------------------------- a user's name shared by other jobs

def test_grid_engine_ambiguous_submit_finds_its_own_job_among_others_of_the_users_name(tmp_path, made):
    kernels = submit_kernels(tmp_path, cluster_profile("sge"))
    made.append(kernels)
    name, marker, other_tag = "ldg-" + uuid.uuid4().hex[:6], uuid.uuid4().hex, uuid.uuid4().hex[:8]
    qsub = real("qsub")
    # The first qsub submits the cell's job; then another cell named like it and a job submitted by hand
    # with the user's plain name arrive (held, so they never take a slot); then qsub reports a lost reply.
    wrapper(kernels.bin, "qsub", f"""
echo call >> "$FAULT_STATE/calls"
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    {qsub} "$@" > "$FAULT_STATE/real.out" 2>&1
    {qsub} -terse -h -b y -N {name}-{other_tag} -o /dev/null -j y /bin/true >> "$FAULT_STATE/others" 2>&1
    {qsub} -terse -h -b y -N {name} -o /dev/null -j y /bin/true >> "$FAULT_STATE/others" 2>&1
    echo "error: commlib error: got send error (unable to send message to qmaster using port 6444)" >&2
    exit 1
fi
exec {qsub} "$@"
""")
    others = []
    try:
        k = kernels.start()
        run = k.execute(cell(name, marker).replace("%%hpc -J", "%%hpc --job-name"), timeout=300)
        others = (kernels.state / "others").read_text().split()
        assert len(others) == 2 and all(o.isdigit() for o in others), others
        assert run.status == "ok", run.error
        created = (kernels.state / "real.out").read_text().strip()
        assert created.isdigit(), created
        assert max(int(o) for o in others) > int(created), "the other jobs must be newer than the cell's"
        entry = the_one_entry(kernels)
        assert entry["jobId"] == created, f"followed {entry['jobId']}, the cell's job is {created}"
        assert calls(kernels.state) == 1, "the cell was submitted again"
        assert run.stdout.endswith(expected_stdout(marker))
        # the user's own name, and the unique name the scheduler knows the job by
        assert entry["givenName"] == name and entry["jobName"].startswith(name + "-") and entry["jobName"] != name
        listed = k.execute("%hpc jobs").result["text/plain"]
        assert f"{name} ({entry['jobName']})" in listed, listed
    finally:
        if others:
            subprocess.run([real("qdel"), *others], capture_output=True)


class PrivateSshd:
    """An sshd on a free loopback port, configured as the shared test sshd, whose sessions get a PATH
    with `bindir` first: the plain user's scheduler commands can then be wrapped."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hpc-ledger-sshd-"))
        self.dir.chmod(0o755)
        self.bin = self.dir / "bin"
        self.bin.mkdir(mode=0o755)
        self.bin.chmod(0o755)
        self.state = self.dir / "state"
        self.state.mkdir()
        shutil.chown(self.state, "hpcuser", "hpcuser")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        ssh = Path(SSH_DIR)
        config = []
        for line in (ssh / "sshd_config").read_text().splitlines():
            if line.startswith("Port "):
                line = f"Port {self.port}"
            elif line.startswith("PidFile "):
                line = f"PidFile {self.dir / 'sshd.pid'}"
            elif line.startswith("SetEnv "):
                line += f" PATH={self.bin}:/usr/local/bin:/usr/bin:/bin FAULT_STATE={self.state}"
            config.append(line)
        (self.dir / "sshd_config").write_text("\n".join(config) + "\n")
        hosts = (ssh / "known_hosts").read_text().replace("]:2222 ", f"]:{self.port} ")
        (self.dir / "known_hosts").write_text(hosts)
        subprocess.run(["/usr/sbin/sshd", "-f", str(self.dir / "sshd_config"), "-E", str(self.dir / "sshd.log")],
                       check=True, timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the private sshd did not start"
                time.sleep(0.1)

    def profile(self, base):
        return {**base, "port": self.port, "knownHostsFile": str(self.dir / "known_hosts")}

    def stop(self):
        try:
            os.kill(int((self.dir / "sshd.pid").read_text()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_sshd():
    require(os.environ.get("HPC_TEST_SSHD") == "1", "the test sshd is not up")
    d = PrivateSshd()
    yield d
    d.stop()


def as_hpcuser(*argv):
    return subprocess.run(["ssh", "-F", f"{SSH_DIR}/ssh_config", "hpc-test-user", *argv], capture_output=True, text=True,
                          timeout=60)


def test_oar_ambiguous_submit_finds_its_own_job_among_others_of_the_users_name(tmp_path, made, private_sshd):
    base = cluster_profile("oar")
    base["workdir"] = f"{SSH_WORK}/oar"
    kernels = submit_kernels(tmp_path, private_sshd.profile(base))
    made.append(kernels)
    name, marker, other_tag = "ldg-" + uuid.uuid4().hex[:6], uuid.uuid4().hex, uuid.uuid4().hex[:8]
    state = private_sshd.state
    wrapper(private_sshd.bin, "oarsub", f"""
echo call >> "$FAULT_STATE/calls"
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    /usr/bin/oarsub "$@" > "$FAULT_STATE/real.out" 2>&1
    /usr/bin/oarsub --hold -n {name}-{other_tag} -l walltime=0:05:00 /bin/true >> "$FAULT_STATE/others" 2>&1
    /usr/bin/oarsub --hold -n {name} -l walltime=0:05:00 /bin/true >> "$FAULT_STATE/others" 2>&1
    echo "DBI connect failed: could not connect to server: Connection refused" >&2
    exit 1
fi
exec /usr/bin/oarsub "$@"
""")
    others = []
    try:
        k = kernels.start()
        run = k.execute(cell(name, marker).replace("%%hpc -J", "%%hpc --job-name"), timeout=300)
        others = [line.split("=", 1)[1] for line in (state / "others").read_text().splitlines()
                  if line.startswith("OAR_JOB_ID=")]
        assert len(others) == 2, (state / "others").read_text()
        assert run.status == "ok", run.error
        created = next(line.split("=", 1)[1] for line in (state / "real.out").read_text().splitlines()
                       if line.startswith("OAR_JOB_ID="))
        assert max(int(o) for o in others) > int(created), "the other jobs must be newer than the cell's"
        entry = the_one_entry(kernels)
        assert entry["jobId"] == created, f"followed {entry['jobId']}, the cell's job is {created}"
        assert calls(state) == 1, "the cell was submitted again"
        assert run.stdout.endswith(expected_stdout(marker))
        assert entry["givenName"] == name and entry["jobName"].startswith(name + "-") and entry["jobName"] != name
    finally:
        if others:
            as_hpcuser("oardel", *others)


# ---------------------------------------------------------------- two kernels, one cell, one ledger

@pytest.fixture
def slurm_profile():
    return cluster_profile("slurm")


def run_in_thread(kernel, code, results, key, on_message=None):
    def go():
        try:
            results[key] = kernel.execute(code, timeout=300, on_message=on_message)
        except BaseException as e:  # reported by the test, not lost in the thread
            results[key] = e
    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


def test_two_kernels_running_the_same_cell_at_the_same_moment_submit_one_job(tmp_path, made, slurm_profile):
    kernels = submit_kernels(tmp_path, slurm_profile)
    made.append(kernels)
    # sbatch takes 3 s (a busy controller): long enough that both kernels are in the cell before either
    # has a job id, which is the moment a ledger without a lock lets both submit
    wrapper(kernels.bin, "sbatch", f"""
echo call >> "$FAULT_STATE/calls"
sleep 3
exec {real("sbatch")} "$@"
""")
    a, b = kernels.start(), kernels.start()
    name, marker = "ldg-" + uuid.uuid4().hex[:6], uuid.uuid4().hex
    code = cell(name, marker)
    results = {}
    threads = [run_in_thread(a, code, results, "a"), run_in_thread(b, code, results, "b")]
    for t in threads:
        t.join(320)
    for key in ("a", "b"):
        run = results.get(key)
        assert run is not None and not isinstance(run, BaseException), f"kernel {key}: {run!r}"
        assert run.status == "ok", run.error
        assert run.stdout.endswith(expected_stdout(marker)), run.stdout
    ids = jobs_named(name)
    assert len(ids) == 1, f"jobs of the cell: {ids}"
    assert calls(kernels.state) == 1, "sbatch ran more than once"
    waited = [k for k in ("a", "b") if "Another kernel submitted this same cell" in results[k].stdout]
    assert len(waited) == 1, "exactly one kernel must have followed the other's submission"
    (entry,) = kernels.ledger()
    assert entry["jobId"] == next(iter(ids))
    assert "COMPLETED" in final_state(entry["jobId"])


def test_a_kernel_killed_while_submitting_does_not_block_the_one_waiting_for_the_same_cell(tmp_path, made, slurm_profile):
    kernels = submit_kernels(tmp_path, slurm_profile)
    made.append(kernels)
    # The first sbatch submits, then holds (a lost reply) until its kernel is killed -9.
    wrapper(kernels.bin, "sbatch", f"""
echo call >> "$FAULT_STATE/calls"
if [ ! -e "$FAULT_STATE/first" ]; then
    touch "$FAULT_STATE/first"
    echo $$ > "$FAULT_STATE/wrapper.pid"
    {real("sbatch")} "$@" > "$FAULT_STATE/real-sbatch.out" 2>&1
    touch "$FAULT_STATE/submitted"
    sleep 600
fi
exec {real("sbatch")} "$@"
""")
    first, second = kernels.start(), kernels.start()
    name, marker = "ldg-" + uuid.uuid4().hex[:6], uuid.uuid4().hex
    code = cell(name, marker)
    first.kc.execute(code)
    deadline = time.monotonic() + 120
    while not (kernels.state / "submitted").exists():
        assert time.monotonic() < deadline, "sbatch was never called"
        time.sleep(0.1)
    killed = {}

    def kill_first_once_second_waits(msg):
        text = json.dumps(msg["content"])
        if "another kernel is submitting this same cell" in text and not killed:
            os.kill(first.km.provisioner.process.pid, signal.SIGKILL)
            first.km.provisioner.process.wait()
            try:
                os.kill(int((kernels.state / "wrapper.pid").read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
            killed["at"] = time.monotonic()

    run = second.execute(code, timeout=300, on_message=kill_first_once_second_waits)
    assert killed, "the second kernel never waited for the first"
    assert run.status == "ok", run.error
    created = (kernels.state / "real-sbatch.out").read_text().strip().split()[-1]
    assert jobs_named(name) == {created}, "the cell was submitted a second time"
    assert calls(kernels.state) == 1
    assert "Another kernel submitted this same cell" in run.stdout
    assert "An earlier submission of this cell" in run.stdout  # the dead kernel's record, looked up
    assert run.stdout.endswith(expected_stdout(marker))
    (entry,) = kernels.ledger()
    assert entry["jobId"] == created
