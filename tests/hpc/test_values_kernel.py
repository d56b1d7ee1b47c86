"""Notebook state flows through jobs (issue 11), end to end through a real Jupyter client: a Java
%%hpc cell is compiled in the kernel (a compile error never reaches the scheduler), the notebook
values it uses go with the job, --out names come back typed, --for maps a cell over a list with
one failing element, a Python #! cell takes --in and gives --out, and %hpc attach in a new kernel
binds a finished job's outputs. Run on the built-in local backend, the real Slurm, and the same
Slurm through the loopback sshd."""
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from clusters import all_clusters, require

WANTED = ("local", "slurm", "ssh-slurm")
SLURM_CONF = os.environ.get("SLURM_CONF", "/tmp/hpc-test-cluster/etc/slurm.conf")


def clusters():
    have = {c.name: c for c in all_clusters()}
    return [pytest.param(have.get(name), id=name) for name in WANTED]


@pytest.fixture(scope="module", params=clusters())
def cluster(request):
    c = request.param
    require(c is not None, "this test cluster is not up (HPC_TEST_SLURM / HPC_TEST_SSHD unset)")
    return c


def job_dirs(cluster):
    root = Path(cluster.profile["workdir"]) / "jobs"
    return {p.name for p in root.iterdir()} if root.exists() else set()


def slurm_jobs_named(cluster, name):
    """Every job Slurm knows by that name (all users: ssh-slurm submits as hpcuser), queue and accounting."""
    env = {**os.environ, "SLURM_CONF": SLURM_CONF}
    out = subprocess.run([shutil.which("squeue"), "-h", "-t", "all", "-n", name, "-o", "%i"], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    if cluster.has_accounting:
        out += subprocess.run([shutil.which("sacct"), "-n", "-X", "-a", "-P", "-S", "now-1hour", "--name", name, "-o", "JobID"],
                              capture_output=True, text=True, env=env, check=True).stdout.split()
    return out


def ok(run):
    assert run.status == "ok", run.error
    return run


def value(kernel, expression):
    return ok(kernel.execute(expression)).result["text/plain"]


def test_a_compile_error_fails_the_cell_at_once_and_the_scheduler_sees_no_job(kernel, cluster):
    name = "cerr-" + uuid.uuid4().hex[:8]
    before = job_dirs(cluster)
    run = kernel.execute(f"%%hpc --job-name {name}\n  int n = 3;\n  System.out.printn(n);\n")
    assert run.status == "error"
    assert run.error["ename"] == "CompileError", run.error
    assert "cell line 3, column 13" in run.error["evalue"], run.error["evalue"]
    assert "nothing was submitted" in run.error["evalue"]
    traceback = run.error["traceback"]
    source = next(i for i, line in enumerate(traceback) if line.endswith("  System.out.printn(n);"))
    assert traceback[source + 1].index("^") == traceback[source].index(".printn"), "the caret points at the column"
    assert run.job_id() is None
    assert job_dirs(cluster) == before, "a job directory was written"
    if cluster.scheduler == "slurm":
        assert slurm_jobs_named(cluster, name) == [], "Slurm saw a job"
    # A type error too: caught in the kernel, not on the node.
    run = kernel.execute(f"%%hpc --job-name {name}\nString s = 42;")
    assert run.error["ename"] == "CompileError" and "cell line 2, column 12" in run.error["evalue"], run.error
    if cluster.scheduler == "slurm":
        assert slurm_jobs_named(cluster, name) == []


def test_values_over_the_cap_or_that_cannot_travel_are_refused_before_anything_is_written(kernel, cluster):
    before = job_dirs(cluster)
    ok(kernel.execute('String big = "x".repeat(1_100_000); Thread worker = new Thread(() -> {});'))
    run = kernel.execute("%%hpc --out n\nint n = big.length();")
    assert run.error["ename"] == "InputTooLarge", run.error
    assert "big 1.0 MiB (1100002 bytes)" in run.error["evalue"] and "as a file on the cluster's file system" in run.error["evalue"]
    run = kernel.execute("%%hpc\nSystem.out.println(worker.getName());")
    assert run.error["ename"] == "ValueNotShippable" and "worker" in run.error["evalue"], run.error
    assert job_dirs(cluster) == before, "a refused cell wrote a job directory"
    dry = ok(kernel.execute("%%hpc --max-input 2MB --dry-run --out n\nint n = big.length();"))
    assert "#   big (String): 1100002 bytes, SHA-256 " in dry.stdout, dry.stdout
    assert "bound when it completes: n (int)" in dry.stdout


def test_a_notebook_record_goes_in_and_comes_back_typed(kernel):
    ok(kernel.execute("record Point(int x, int y) {}"))
    ok(kernel.execute("Point p = new Point(1, 2);"))
    run = ok(kernel.execute("%%hpc --out q\nPoint q = new Point(p.x() + 10, p.y() * 2);\nSystem.out.println(\"node got \" + p);\nq.x()"))
    assert "node got Point[x=1, y=2]" in run.stdout
    assert run.result["text/plain"] == "11", "the final expression is still the cell's result"
    assert value(kernel, "Point back = q; back.y() + 1") == "5", "q is a Point in the notebook"


def test_the_manifest_lists_the_values_shipped_and_returned(kernel, cluster):
    marker = uuid.uuid4().hex[:8]
    ok(kernel.execute(f'String tag = "{marker}";'))
    ok(kernel.execute("%%hpc --out echoed\nString echoed = tag + tag;"))
    manifests = [json.loads(m.read_text()) for m in Path(cluster.profile["workdir"]).glob("jobs/*/manifest.json")]
    manifest = next(m for m in manifests if any(v["name"] == "tag" for v in m.get("inputs", []))
                    and any(r.get("sha256") == hashlib.sha256(json.dumps(marker * 2).encode()).hexdigest()
                            for r in m.get("returned", [])))
    shipped = next(v for v in manifest["inputs"] if v["name"] == "tag")
    assert shipped == {"name": "tag", "type": "String", "bytes": len(marker) + 2,
                       "sha256": hashlib.sha256(json.dumps(marker).encode()).hexdigest()}
    assert manifest["returned"][0]["name"] == "echoed" and manifest["returned"][0]["type"] == "String"
    assert "sources" in manifest and manifest["program"]["jarSha256"] in manifest["program"]["jar"]


def test_several_outputs_come_back_with_their_declared_types(kernel):
    run = ok(kernel.execute('%%hpc --out a,b --out names\nint a = 6 * 7;\nString b = "x" + a;\n'
                            'List<String> names = List.of("u", "v");'))
    assert run.result is None
    assert value(kernel, 'a + b.length() + names.get(1).toUpperCase()') == '45V'


def test_for_maps_over_a_list_and_one_failing_element_leaves_null_at_its_index(kernel):
    ok(kernel.execute("List<Integer> params = List.of(1, 2, 0, 4);"))
    run = kernel.execute("%%hpc --for p:params --out r\nint r = 12 / p;")
    assert run.status == "error"
    assert "[2]" in run.error["evalue"], run.error["evalue"]
    assert "null at their index" in run.error["evalue"], run.error["evalue"]
    assert value(kernel, "r") == "[12, 6, null, 3]"
    assert value(kernel, "r.get(3) + r.get(0)") == "15", "r is a List<Integer>"


def test_a_python_cell_takes_in_and_gives_out(kernel):
    ok(kernel.execute("List<Double> xs = List.of(1.0, 2.5, 3.5);"))
    script = ("%%hpc --in xs --out total,stats:Map<String,Double> --out label\n"
              "#!/usr/bin/env python3\n"
              "import json, os\n"
              "xs = json.load(open(os.path.join(os.environ['HPC_INPUTS'], 'xs.json')))\n"
              "out = os.environ['HPC_OUTPUTS']\n"
              "json.dump(sum(xs), open(os.path.join(out, 'total.json'), 'w'))\n"
              "json.dump({'max': max(xs), 'min': min(xs)}, open(os.path.join(out, 'stats.json'), 'w'))\n"
              "json.dump('from python', open(os.path.join(out, 'label.json'), 'w'))\n")
    ok(kernel.execute(script))
    assert value(kernel, "total + 1") == "8.0", "untyped numbers come back as double"
    assert value(kernel, 'stats.get("max") - stats.get("min")') == "2.5"
    assert value(kernel, "label.toUpperCase()") == 'FROM PYTHON'


def test_attach_in_a_new_kernel_binds_a_finished_jobs_outputs(fresh_kernel_factory, cluster):
    first = fresh_kernel_factory(cluster)
    ok(first.execute("record Point(int x, int y) {}"))
    ok(first.execute("int base = 3;"))
    detached = ok(first.execute("%%hpc --detach --out best\nPoint best = new Point(base, base + 1);"))
    job = detached.job_id()
    assert job
    ok(first.execute(f"%hpc attach {job}"))  # follows it to its end: the job is finished from here on
    first.km.shutdown_kernel(now=True)

    second = fresh_kernel_factory(cluster)
    ok(second.execute("record Point(int x, int y) {}"))
    assert second.execute("best").status == "error", "a new kernel starts without best"
    ok(second.execute(f"%hpc attach {job}"))
    assert value(second, "best.x() * 10 + best.y()") == "34"
    # Running the finished cell again is a new job, not the old outputs.
    ok(second.execute("int base = 5;"))
    again = ok(second.execute("%%hpc --out best\nPoint best = new Point(base, base + 1);"))
    assert again.job_id() != job
    assert value(second, "best.x()") == "5"
