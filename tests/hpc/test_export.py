"""Export a notebook as a Maven project and a batch pipeline (issue 13), with the real kernel, real
Maven (offline, from ~/.m2) and the real schedulers: the exported pipeline runs without a kernel
and every job's output and returned value equal what the kernel run of the same cells produced;
the headless export of a notebook that never ran equals the export from the kernel that ran it."""
import filecmp
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from clusters import SSH_WORK, all_clusters, require, write_config
from conftest import start_kernel

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "kernel" / "target" / "hpc-kernel.jar"
TEST_NOTEBOOK = REPO / "tests" / "notebooks" / "export-pipeline.ipynb"
SCHEDULERS = ("slurm", "sge", "oar")


def cluster_named(scheduler):
    found = [c for c in all_clusters() if c.name == scheduler]
    require(found, f"the test {scheduler} cluster is not up (HPC_TEST_{scheduler.upper()} unset)")
    return found[0]


@pytest.fixture
def home(tmp_path, monkeypatch):
    config = write_config(tmp_path / "clusters.json")
    monkeypatch.setenv("HPC_KERNEL_CONFIG", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def headless_export(notebook, dest, cluster, *extra):
    r = subprocess.run(["java", "-jar", str(JAR), "export", str(notebook), str(dest), "--cluster", cluster, *extra],
                       capture_output=True, text=True, timeout=300)
    return r


def build(project):
    r = subprocess.run(["mvn", "-q", "-o", "-B", "package"], cwd=project, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"mvn -q -o package failed in {project}:\n{r.stdout}\n{r.stderr}"
    return r


def ssh(cluster, command):
    """argv running COMMAND on the cluster's login node as its user, with the profile's key and known hosts."""
    p = cluster.profile
    return ["ssh", "-i", p["identityFile"], "-o", f"UserKnownHostsFile={p['knownHostsFile']}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-p", str(p["port"]), f"{p['user']}@{p['host']}", command]


def staged_for(cluster, project):
    """Where the pipeline runs: the project itself, or (a cluster reached as another user, OAR) a copy in
    that user's work area, owned by it, since the jobs write results/ as that user."""
    if not cluster.remote:
        return project
    run_dir = Path(tempfile.mkdtemp(prefix="export-", dir=SSH_WORK)) / project.name
    shutil.copytree(project, run_dir)
    subprocess.run(["chown", "-R", f"{cluster.profile['user']}:", str(run_dir.parent)], check=True)
    return run_dir


def oar_json(cluster, command):
    r = subprocess.run(ssh(cluster, command), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def submit(project, *args, cluster=None):
    command = ["scripts/submit.sh", *args]
    if cluster is not None and cluster.remote:
        command = ssh(cluster, f"cd {shlex.quote(str(project))} && {shlex.join(command)}")
    r = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"submit.sh {args} failed:\n{r.stdout}\n{r.stderr}"
    return dict(re.findall(r"^(cell\d+): job (\S+)$", r.stdout, re.M)), r.stdout


def exit_markers(project, cell):
    return sorted((project / "results" / cell).glob("exit*"))


def wait_for_pipeline(project, jobs, expected_tasks, timeout=420):
    """Until every job's exit markers (job.sh's EXIT trap) are there; a non-zero exit fails at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = True
        for cell in jobs:
            markers = exit_markers(project, cell)
            for m in markers:
                code = m.read_text().split()[0] if m.read_text().strip() else None
                if code is not None and code != "0":
                    stderr = "".join(p.read_text() for p in (project / "results" / cell).glob("stderr*"))
                    pytest.fail(f"{cell} exited with {code}: {stderr[-3000:]}")
            if len(markers) < expected_tasks.get(cell, 1):
                done = False
        if done:
            return
        time.sleep(0.5)
    pytest.fail(f"pipeline not done within {timeout}s: {[(c, len(exit_markers(project, c))) for c in jobs]}")


def pipeline_stdout(project, cell):
    """The job's output as the kernel shows it: array tasks' lines prefixed with [INDEX]."""
    d = project / "results" / cell
    if (d / "stdout").exists():
        return (d / "stdout").read_text().splitlines()
    lines = []
    for f in sorted(d.glob("stdout.*"), key=lambda p: int(p.name.split(".")[1])):
        lines += [f"[{f.name.split('.')[1]}] {line}" for line in f.read_text().splitlines()]
    return lines


def directives(script):
    """The scheduler directive lines, job name and job directory aside (they name this job or that run)."""
    lines = [l for l in script.splitlines() if re.match(r"^#(SBATCH|\$|PBS|OAR|BSUB) ", l)]
    return [re.sub(r"hpc-(cell\d+|[0-9a-f]{8})", "NAME", re.sub(r"/\S*/(jobs/[\w-]+|results/cell\d+)", "DIR", l)) for l in lines]


def by_task(files):
    """Files NAME.I.EXT in task order (numerically: task 10 after task 9)."""
    return sorted(files, key=lambda p: int(p.name.split(".")[1]))


def pipeline_results(project, cell):
    """The value of the cell's final expression: result.txt, or one per array task in task order."""
    d = project / "results" / cell
    if (d / "result.txt").exists():
        return [(d / "result.txt").read_text().strip()]
    return [f.read_text().strip() for f in by_task(d.glob("result.*.txt"))]


def pipeline_outputs(project, cell, name):
    """An array cell's --out NAME, one value per task in task order (outputs.I.json)."""
    return [json.loads(f.read_text())[name] for f in by_task((project / "results" / cell).glob("outputs.*.json"))]


def array_outputs(notebook):
    """Per array cell (--for or --array) of the notebook: the name of its --out."""
    found = {}
    for number, cell in enumerate(nbformat.read(notebook, as_version=4).cells, start=1):
        first = cell.source.splitlines()[0] if cell.source else ""
        out = re.search(r"--out (\w+)", first)
        if first.startswith("%%hpc") and out and re.search(r"--(for|array) ", first):
            found[f"cell{number:02d}"] = out.group(1)
    return found


def kernel_list(k, name):
    """The notebook's List NAME as the kernel bound it after an array cell's --out: each element's text, in order."""
    r = k.execute(f"for (Object e : {name}) System.out.println(e);")
    assert r.status == "ok", r.error
    return r.stdout.splitlines()


def run_in_kernel(notebook, cluster, env=None):
    """Every code cell in order on one kernel; per cell number (1-based over all cells): its run."""
    nb = nbformat.read(notebook, as_version=4)
    k = start_kernel(env or {})
    runs = {}
    try:
        k.execute(f"%hpc use {cluster}")
        for i, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "code":
                runs[i] = k.execute(cell.source, timeout=600)
                assert runs[i].status == "ok", f"cell {i} failed in the kernel: {runs[i].error}"
        return k, runs
    except BaseException:
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=True)
        raise


def stop(k):
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=True)


def tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_same_tree(a, b):
    assert tree(a) == tree(b)
    _, mismatch, errors = filecmp.cmpfiles(a, b, tree(a), shallow=False)
    assert not mismatch and not errors, f"files differ: {mismatch + errors}"


def job_cells(project):
    return sorted(p.stem for p in (project / "scripts").glob("cell*.sh"))


def java_lines(text):
    """Output lines the job printed (status notices of the kernel aside)."""
    return [l for l in text.splitlines() if l.strip()]


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_exported_pipeline_reproduces_the_kernel_run(home, tmp_path, scheduler):
    """On Grid Engine the --for cell runs as tasks 1..3 (task ids start at 1 there), elsewhere 0..2; OAR is
    reached as its plain user over SSH, and the pipeline runs there as that user."""
    cluster = cluster_named(scheduler)
    notebook = TEST_NOTEBOOK
    arrays = array_outputs(notebook)
    assert set(arrays) == {"cell07", "cell08"}, arrays
    k, runs = run_in_kernel(notebook, cluster.name)
    try:
        in_kernel = tmp_path / "in-kernel"
        r = k.execute(f"%hpc export {in_kernel} --cluster {cluster.name} --notebook {notebook}")
        assert r.status == "ok", r.error
        assert "left out cell 5" in r.stdout + json.dumps(r.result)
        dry = k.execute(nbformat.read(notebook, as_version=4).cells[5].source.replace("%%hpc ", "%%hpc --dry-run ", 1))
        assert dry.status == "ok", dry.error
        # The lists the kernel bound from the array cells' --out, in task order.
        bound = {cell: kernel_list(k, name) for cell, name in arrays.items()}
        points = kernel_list(k, "points")
    finally:
        stop(k)
    # --for keeps List<R> aligned with LIST: element i of scaled is point i scaled, whatever the task ids.
    assert bound["cell07"] == [re.sub(r"[\d.]+", lambda m: str(float(m.group()) * 10), p) for p in points], (bound, points)
    # What %%hpc --dry-run shows is what the exported script holds: the same directives.
    exported = (in_kernel / "scripts" / "cell06.sh").read_text()
    assert directives(dry.stdout) == directives(exported) and directives(exported), (dry.stdout, exported)
    project = tmp_path / "headless"
    r = headless_export(notebook, project, cluster.name)
    assert r.returncode == 0, r.stderr
    # A notebook that never ran exports to the same files as the kernel that ran it.
    assert_same_tree(in_kernel, project)

    readme = (project / "README.md").read_text()
    assert "cell 5: computes nothing" in readme and "cell 11: %hpc" in readme
    build(project)
    run_dir = staged_for(cluster, project)
    try:
        jobs, printed = submit(run_dir, cluster=cluster)
        assert list(jobs) == job_cells(project), printed
        assert all(re.fullmatch(r"\d+", job) for job in jobs.values()), printed
        wait_for_pipeline(run_dir, jobs, {"cell07": 3, "cell08": 3})
        if scheduler == "sge":
            assert sorted(f.name for f in (run_dir / "results" / "cell07").glob("exit.*")) == ["exit.1", "exit.2", "exit.3"]
        if scheduler == "oar":
            # oarsub -a names one job: each job is held on every subjob of the one before (the --for array's 3).
            # OAR forgets a dependency once it is met; the request it stored keeps the -a options.
            cells = list(jobs)
            for before, after in zip(cells, cells[1:]):
                subjobs = sorted(int(i) for i in oar_json(cluster, f"oarstat -J --array {jobs[before]}"))
                request = oar_json(cluster, f"oarstat -f -J -j {jobs[after]}")[jobs[after]]["initial_request"]
                held = [int(i) for i in re.findall(r"-a (\d+)", request)]
                assert sorted(held) == subjobs and len(subjobs) == (3 if before in arrays else 1), (before, after, held, subjobs)

        for number, run in runs.items():
            cell = f"cell{number:02d}"
            if cell not in jobs:
                continue
            kernel_lines = [l for l in java_lines(run.stdout) if not l.startswith("This cell's job")]
            assert sorted(pipeline_stdout(run_dir, cell)) == sorted(kernel_lines), f"{cell} output differs"
            values = pipeline_results(run_dir, cell)
            if run.result is None:
                assert values == [], f"{cell}: the kernel showed no value, the pipeline wrote {values}"
            elif cell in arrays:
                # The kernel shows one task's value (the last to report); every task's is compared below.
                assert run.result["text/plain"].strip() in values, f"{cell} value differs: {run.result} vs {values}"
            else:
                assert values == [run.result["text/plain"].strip()], f"{cell} value differs: {run.result} vs {values}"
        # Array cells, element by element and in task order: the kernel's List<T> from --out against the
        # pipeline's per-task values (the final expression's text, else the --out value itself).
        for cell, name in arrays.items():
            per_task = pipeline_results(run_dir, cell) or [json.dumps(v) for v in pipeline_outputs(run_dir, cell, name)]
            assert per_task == bound[cell], f"{cell}: the kernel bound {name} = {bound[cell]}, the pipeline's tasks gave {per_task}"
            assert len(pipeline_outputs(run_dir, cell, name)) == len(bound[cell])
        # The last Java cell prints every value the earlier jobs returned: equal output means equal values.
        summary = pipeline_stdout(run_dir, "cell10")
        assert summary == java_lines(runs[10].stdout) and "squares [1, 4, 9]" in summary[0], summary
    finally:
        if run_dir != project:
            shutil.rmtree(run_dir.parent, ignore_errors=True)


def test_dry_run_shows_the_submissions_and_submits_nothing(home, tmp_path):
    cluster = cluster_named("slurm")
    project = tmp_path / "p"
    assert headless_export(TEST_NOTEBOOK, project, cluster.name).returncode == 0
    r = subprocess.run(["scripts/submit.sh", "--dry-run"], cwd=project, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    sbatch = [l for l in r.stdout.splitlines() if l.startswith("+ sbatch")]
    assert len(sbatch) == len(job_cells(project))
    assert "--dependency=afterok:" not in sbatch[0] and all("--dependency=afterok:" in l for l in sbatch[1:])
    assert not (project / "results").exists()
    # The scripts carry the directives the kernel's --dry-run shows for the same cell.
    script = (project / "scripts" / "cell06.sh").read_text()
    assert "#SBATCH --partition=debug" in script or "#SBATCH -p debug" in script


# No PBS or LSF exists here: their pipelines are tested against the documented behaviour of qsub and
# bsub, with stand-ins first on PATH that record their argv (and the script they were given) and print
# what the documentation says the real command prints. These are hand-written after the docs, not
# recordings of a real server.
#  - PBS qsub prints the job identifier, "sequence_number.servername", and "sequence_number[].servername"
#    for an array (openpbs doc/man1/qsub.1B; e.g. `qsub -J 1-10:2 hello.sh` -> `107[].admin`,
#    https://wiki.srce.hr/pages/diffpagesbyversion.action?pageId=183009927). A dependency is
#    `-W depend=afterok:JOBID[:JOBID...]`, the ids as qsub printed them (JOBID2=$(qsub -W depend=afterok:$JOBID1 main.pbs),
#    https://ncar-hpc-docs--329.org.readthedocs.build/en/329/pbs/job-dependencies; https://bluewaters.ncsa.illinois.edu/job-dependencies).
#  - LSF bsub prints "Job <1962> is submitted to default queue <normal>." (IBM Spectrum LSF 10.1, bsub -data
#    examples), "Job <ID> is submitted to queue <QUEUE>." when a queue is named; a dependency is
#    `bsub -w 'done(ID)'` (https://www.ibm.com/docs/en/SSWRJV_10.1.0/lsf_command_ref/bsub.w.1.html); bsub reads
#    the #BSUB lines of a script given on its standard input.
STANDIN = """#!{python}
import json, os, sys
log = os.environ["STANDIN_LOG"]
n = sum(1 for _ in open(log)) if os.path.exists(log) else 0
job = 123 + n
script = sys.stdin.read() if "{kind}" == "lsf" else open(sys.argv[-1]).read()
with open(log, "a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "script": script}}) + "\\n")
if "{kind}" == "pbs":
    print(f"{{job}}[].pbs01" if "#PBS -J " in script else f"{{job}}.pbs01")
else:
    print(f"Job <{{job}}> is submitted to queue <normal>.")
"""


def standins(tmp_path, kind):
    """A directory holding the stand-in qsub (PBS) or bsub (LSF), and the log it writes."""
    bin_dir = tmp_path / f"bin-{kind}"
    bin_dir.mkdir()
    command = bin_dir / ("qsub" if kind == "pbs" else "bsub")
    command.write_text(STANDIN.format(python=sys.executable, kind=kind))
    command.chmod(0o755)
    return bin_dir, tmp_path / f"{kind}-submissions.jsonl"


@pytest.mark.parametrize("kind", ["pbs", "lsf"])
def test_pbs_and_lsf_pipelines_chain_their_jobs_as_documented(home, tmp_path, monkeypatch, kind):
    config = json.loads(Path(os.environ["HPC_KERNEL_CONFIG"]).read_text())
    config["clusters"]["doc-pbs"] = {"scheduler": "pbs", "workdir": str(tmp_path / "w"), "pbs": {"flavor": "pro"}}
    config["clusters"]["doc-lsf"] = {"scheduler": "lsf", "workdir": str(tmp_path / "w")}
    (tmp_path / "clusters.json").write_text(json.dumps(config))
    project = tmp_path / kind
    r = headless_export(TEST_NOTEBOOK, project, f"doc-{kind}")
    assert r.returncode == 0, r.stderr
    bin_dir, log = standins(tmp_path, kind)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STANDIN_LOG", str(log))

    dry = subprocess.run(["scripts/submit.sh", "--dry-run"], cwd=project, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    program = "qsub" if kind == "pbs" else "bsub"
    assert len([l for l in dry.stdout.splitlines() if l.startswith(f"+ {program}")]) == len(job_cells(project)), dry.stdout
    assert not log.exists() and not (project / "results").exists(), "--dry-run submitted something"

    build(project)
    jobs, printed = submit(project)
    cells = job_cells(project)
    assert list(jobs) == cells, printed
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(calls) == len(cells)
    # Submitted in notebook order: each call's script is that cell's staged job.sh.
    assert [re.search(r"hpc-(cell\d+)", c["script"]).group(1) for c in calls] == cells
    arrays = {"cell07", "cell08"}
    if kind == "pbs":
        # The ids printed are qsub's whole identifiers, the array's with its [].
        assert jobs == {cell: f"{123 + i}{'[]' if cell in arrays else ''}.pbs01" for i, cell in enumerate(cells)}, printed
        assert calls[0]["argv"] == [str(project.resolve() / "results" / cells[0] / "job.sh")]
        for i, call in enumerate(calls[1:], start=1):
            assert call["argv"][:2] == ["-W", f"depend=afterok:{jobs[cells[i - 1]]}"], call["argv"]
        # --for over a 3-element list: PBS array indices start at 0, so tasks 0-2.
        assert "#PBS -J 0-2" in calls[cells.index("cell07")]["script"]
    else:
        assert jobs == {cell: str(123 + i) for i, cell in enumerate(cells)}, printed
        assert calls[0]["argv"] == []
        for i, call in enumerate(calls[1:], start=1):
            assert call["argv"] == ["-w", f"done({jobs[cells[i - 1]]})"], call["argv"]
        # --for over a 3-element list: LSF indices start at 1, so elements 1-3, bound to element index-1.
        script = calls[cells.index("cell07")]["script"]
        assert '#BSUB -J "hpc-cell07[1-3]"' in script and "export HPC_ARRAY_BASE=1" in script, script
    for cell in cells:
        assert (project / "results" / cell / "job-id").read_text().strip() == jobs[cell]


def test_parameters_change_the_run(home, tmp_path):
    cluster = cluster_named("slurm")
    project = tmp_path / "p"
    assert headless_export(TEST_NOTEBOOK, project, cluster.name).returncode == 0
    build(project)
    r = subprocess.run(["scripts/submit.sh", "-p", "nope", "1"], cwd=project, capture_output=True, text=True)
    assert r.returncode == 2 and 'no parameter "nope"' in r.stderr and "count" in r.stderr
    r = subprocess.run(["scripts/submit.sh", "-p", "count", "2.5"], cwd=project, capture_output=True, text=True)
    assert r.returncode == 1 and "-p count 2.5: not a value of type int" in r.stderr, r.stdout + r.stderr
    assert ": job " not in r.stdout and not list((project / "results").glob("*/job-id"))
    jobs, _ = submit(project, "-p", "count", "2", "-p", "label", "tuned run")
    wait_for_pipeline(project, jobs, {"cell07": 2, "cell08": 3})
    assert len(list((project / "results" / "cell07").glob("exit.*"))) == 2
    assert (project / "results" / "cell10" / "result.txt").read_text().strip() == "5"  # 2 scaled + 3 squares
    assert any(l.startswith("tuned run: total ") for l in pipeline_stdout(project, "cell06"))


@pytest.mark.parametrize("name", ["quickstart", "parameter-sweep"])
def test_shipped_examples_export_build_and_run(home, tmp_path, name):
    cluster = cluster_named("slurm")
    notebook = REPO / "notebooks" / f"{name}.ipynb"
    k, runs = run_in_kernel(notebook, cluster.name)
    stop(k)
    project = tmp_path / name
    r = headless_export(notebook, project, cluster.name)
    assert r.returncode == 0, r.stderr
    build(project)
    jobs, _ = submit(project)
    nb = nbformat.read(notebook, as_version=4)
    tasks = {}
    for number, run in runs.items():
        cell = f"cell{number:02d}"
        m = re.search(r"--array (\d+)-(\d+)", nb.cells[number - 1].source)
        if m:
            tasks[cell] = int(m.group(2)) - int(m.group(1)) + 1
    wait_for_pipeline(project, jobs, tasks)
    for number, run in runs.items():
        cell = f"cell{number:02d}"
        if cell not in jobs:
            continue
        out = pipeline_stdout(project, cell)
        kernel_lines = java_lines(run.stdout)
        # Job ids differ between the two runs; everything else a job printed is the same.
        norm = lambda ls: sorted(re.sub(r"\b\d{2,}\b", "ID", l) for l in ls)
        assert norm(out) == norm(kernel_lines), f"{name} {cell}"
        values = pipeline_results(project, cell)
        if run.result is None:
            continue
        shown = run.result["text/plain"].strip()
        identity = re.compile(r"^[\w.$]+@[0-9a-f]+$")
        if identity.match(shown):
            # An object without a value of its own (printf's PrintStream): only its identity, which no two runs share.
            assert values and all(identity.match(v) for v in values), f"{name} {cell}: {shown} vs {values}"
        else:
            assert shown in values, f"{name} {cell}: {run.result} vs {values}"


def test_a_non_empty_directory_is_refused_without_force(home, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "keep.txt").write_text("mine")
    r = headless_export(TEST_NOTEBOOK, project, "local")
    assert r.returncode == 1 and "is not empty" in r.stderr and "--force" in r.stderr
    assert not (project / "pom.xml").exists()
    r = headless_export(TEST_NOTEBOOK, project, "local", "--force")
    assert r.returncode == 0, r.stderr
    assert (project / "pom.xml").exists() and (project / "keep.txt").read_text() == "mine"


def test_maven_coordinates_and_jars_travel_with_the_project(home, tmp_path):
    """%maven coordinates become pom dependencies (shaded into the jar), %jars files are copied into
    lib/ (on the jar's class path); the job uses both, in the kernel (a %%hpc job) and in the
    exported pipeline, and the export from that kernel equals the headless one."""
    cluster = cluster_named("slurm")
    src = tmp_path / "src" / "demo"
    src.mkdir(parents=True)
    (src / "Greeting.java").write_text("package demo;\npublic class Greeting { public String hello() { return \"hello\"; } }\n")
    classes = tmp_path / "classes"
    subprocess.run(["javac", "--release", "17", "-d", str(classes), str(src / "Greeting.java")], check=True)
    (tmp_path / "lib").mkdir()
    subprocess.run(["jar", "--create", "--file", str(tmp_path / "lib" / "greeting.jar"), "-C", str(classes), "."], check=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"%jars {tmp_path}/lib/greeting.jar\n%maven com.github.mwiede:jsch:2.28.8"),
                nbformat.v4.new_code_cell("%%hpc\nSystem.out.println(new demo.Greeting().hello() + \" with \""
                                          " + com.jcraft.jsch.JSch.class.getSimpleName());")]
    notebook = tmp_path / "libs.ipynb"
    nbformat.write(nb, notebook)
    project = tmp_path / "p"
    r = headless_export(notebook, project, cluster.name)
    assert r.returncode == 0, r.stderr
    assert (project / "lib" / "greeting.jar").read_bytes() == (tmp_path / "lib" / "greeting.jar").read_bytes()
    pom = (project / "pom.xml").read_text()
    assert "<artifactId>jsch</artifactId><version>2.28.8</version>" in pom and "lib/greeting.jar" in pom
    k, runs = run_in_kernel(notebook, cluster.name)
    try:
        assert "hello with JSch" in runs[2].stdout, runs[2].stdout
        in_kernel = tmp_path / "from-kernel"
        r = k.execute(f"%hpc export {in_kernel} --cluster {cluster.name} --notebook {notebook}")
        assert r.status == "ok", r.error
    finally:
        stop(k)
    assert_same_tree(in_kernel, project)
    build(project)
    jobs, _ = submit(project)
    wait_for_pipeline(project, jobs, {})
    assert pipeline_stdout(project, "cell02") == ["hello with JSch"]


def test_on_the_local_backend_submit_runs_the_cells_in_turn(home, tmp_path):
    project = tmp_path / "p"
    assert headless_export(TEST_NOTEBOOK, project, "local").returncode == 0
    build(project)
    r = subprocess.run(["scripts/submit.sh"], cwd=project, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.findall(r"^(cell\d+): done$", r.stdout, re.M) == job_cells(project)
    assert sorted(pipeline_stdout(project, "cell07")) == [f"[{i}] scaled Point[x={10.0 * (i + 1)}, y={20.0 * (i + 1)}]"
                                                          for i in range(3)]
    assert pipeline_stdout(project, "cell10") == ["run last Point[x=30.0, y=60.0] total 13.416407864998739 squares [1, 4, 9]"]


def test_in_kernel_export_finds_the_notebook_from_jpy_session_name(home, tmp_path, monkeypatch):
    """Jupyter Server tells the kernel its notebook in JPY_SESSION_NAME: %hpc export needs no --notebook
    then, and gives the headless export's files. Without it, or naming a file that is not there, the
    error says to name the notebook with --notebook, and nothing is written."""
    notebook = tmp_path / "work" / "export-pipeline.ipynb"
    notebook.parent.mkdir()
    shutil.copy(TEST_NOTEBOOK, notebook)
    k, _ = run_in_kernel(notebook, "local", {"JPY_SESSION_NAME": str(notebook)})
    try:
        from_session = tmp_path / "from-session"
        r = k.execute(f"%hpc export {from_session} --cluster local")
        assert r.status == "ok", r.error
    finally:
        stop(k)
    headless = tmp_path / "headless"
    assert headless_export(notebook, headless, "local").returncode == 0
    assert_same_tree(from_session, headless)

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    for env in ({}, {"JPY_SESSION_NAME": str(tmp_path / "elsewhere" / "gone.ipynb")}):
        k = start_kernel(env)
        try:
            target = tmp_path / "refused"
            r = k.execute(f"%hpc export {target} --cluster local")
        finally:
            stop(k)
        assert r.status == "error", r.stdout
        message = r.error["evalue"]
        assert "--notebook PATH" in message, message
        if env:
            assert "gone.ipynb" in message and "JPY_SESSION_NAME" in message, message
        assert not target.exists()
