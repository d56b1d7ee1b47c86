"""Export a notebook as a Maven project and a batch pipeline (issue 13), with the real kernel, real
Maven (offline, from ~/.m2) and the real schedulers: the exported pipeline runs without a kernel
and every job's output and returned value equal what the kernel run of the same cells produced;
the headless export of a notebook that never ran equals the export from the kernel that ran it."""
import filecmp
import json
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from clusters import all_clusters, require, write_config
from conftest import start_kernel

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "kernel" / "target" / "hpc-kernel.jar"
TEST_NOTEBOOK = REPO / "tests" / "notebooks" / "export-pipeline.ipynb"
SCHEDULERS = ("slurm", "sge")


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


def submit(project, *args):
    r = subprocess.run(["scripts/submit.sh", *args], cwd=project, capture_output=True, text=True, timeout=600)
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


def pipeline_results(project, cell):
    """The value of the cell's final expression: result.txt, or one per array task."""
    d = project / "results" / cell
    return [f.read_text().strip() for f in sorted(d.glob("result*.txt"))]


def run_in_kernel(notebook, cluster):
    """Every code cell in order on one kernel; per cell number (1-based over all cells): its run."""
    nb = nbformat.read(notebook, as_version=4)
    k = start_kernel({})
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


def without_for(tmp_path):
    """The test notebook with its --for cell as the array it stands for, 1-based: the kernel refuses
    --for on Grid Engine (task ids start at 1 there), the export does not."""
    nb = nbformat.read(TEST_NOTEBOOK, as_version=4)
    cell = nb.cells[6]
    assert cell.source.startswith("%%hpc --for p:points --out scaled")
    cell.source = cell.source.replace("%%hpc --for p:points --out scaled\n", "%%hpc --array 1-3 --out scaled\n"
                                      "Point p = points.get(Integer.parseInt(System.getenv(\"HPC_ARRAY_INDEX\")) - 1);\n")
    path = tmp_path / "export-pipeline.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_exported_pipeline_reproduces_the_kernel_run(home, tmp_path, scheduler):
    cluster = cluster_named(scheduler)
    notebook = TEST_NOTEBOOK if scheduler != "sge" else without_for(tmp_path)
    k, runs = run_in_kernel(notebook, cluster.name)
    try:
        in_kernel = tmp_path / "in-kernel"
        r = k.execute(f"%hpc export {in_kernel} --cluster {cluster.name} --notebook {notebook}")
        assert r.status == "ok", r.error
        assert "left out cell 5" in r.stdout + json.dumps(r.result)
        dry = k.execute(nbformat.read(notebook, as_version=4).cells[5].source.replace("%%hpc ", "%%hpc --dry-run ", 1))
        assert dry.status == "ok", dry.error
    finally:
        stop(k)
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
    jobs, printed = submit(project)
    assert list(jobs) == job_cells(project), printed
    wait_for_pipeline(project, jobs, {"cell07": 3, "cell08": 3})

    for number, run in runs.items():
        cell = f"cell{number:02d}"
        if cell not in jobs:
            continue
        kernel_lines = [l for l in java_lines(run.stdout) if not l.startswith("This cell's job")]
        assert sorted(pipeline_stdout(project, cell)) == sorted(kernel_lines), f"{cell} output differs"
        values = pipeline_results(project, cell)
        if run.result is not None:
            # An array's cell shows one task's value (the last to report): it is one of the tasks' values.
            assert run.result["text/plain"].strip() in values, f"{cell} value differs: {run.result} vs {values}"
        else:
            assert values == [], f"{cell}: the kernel showed no value, the pipeline wrote {values}"
    # The last Java cell prints every value the earlier jobs returned: equal output means equal values.
    summary = pipeline_stdout(project, "cell10")
    assert summary == java_lines(runs[10].stdout) and "squares [1, 4, 9]" in summary[0], summary
    if scheduler == "sge":
        # The export's own --for on Grid Engine: tasks 1..n, element n-1 each; the same values come out.
        original = tmp_path / "with-for"
        assert headless_export(TEST_NOTEBOOK, original, cluster.name).returncode == 0
        build(original)
        jobs, _ = submit(original)
        wait_for_pipeline(original, jobs, {"cell07": 3, "cell08": 3})
        assert pipeline_stdout(original, "cell10") == summary
        assert sorted(pipeline_stdout(original, "cell07")) == sorted(pipeline_stdout(project, "cell07"))


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
