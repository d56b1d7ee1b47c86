"""Notebooks executed headless, as CI and users run them: the shipped examples and one portable
notebook on every available cluster, checked against the expectations in their cells' metadata;
and a failing job must fail nbclient, nbconvert and papermill runs."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from clusters import all_clusters, write_config

REPO = Path(__file__).resolve().parents[2]
KERNEL = os.environ.get("HPC_KERNEL_NAME", "java-hpc")
OUT = REPO / "build-artifacts" / "notebooks"


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.extend(v if isinstance(v, str) else "".join(v) for k, v in out.data.items() if k.startswith("text/"))
        elif out.output_type == "error":
            parts.append(out.ename + ": " + out.evalue)
    return "\n".join(parts)


def execute(path, env, name, default_cluster=None):
    nb = nbformat.read(path, as_version=4)
    config = write_config(env["HOME_DIR"] / "clusters.json")
    if default_cluster:
        data = json.loads(config.read_text())
        data["default"] = default_cluster
        config.write_text(json.dumps(data))
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=600, startup_timeout=120,
                            resources={"metadata": {"path": str(env["HOME_DIR"])}})
    os.environ["HPC_KERNEL_CONFIG"] = str(config)
    os.environ["XDG_DATA_HOME"] = str(env["HOME_DIR"] / "data")
    try:
        client.execute()
    finally:
        OUT.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, OUT / name)
    return nb


def check_expectations(nb):
    checked = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.get("execution_count"), f"cell {i} did not run"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" not in cell.metadata.get("tags", []):
            assert not errors, f"cell {i} failed: {errors[0].ename}: {errors[0].evalue}"
        text = cell_text(cell)
        for expected in cell.metadata.get("hpc_kernel", {}).get("expect", []):
            assert expected in text, f"cell {i}: {expected!r} not in its output:\n{text[:2000]}"
            checked += 1
    assert checked > 0


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HPC_KERNEL_CONFIG", "")
    return {"HOME_DIR": tmp_path}


@pytest.mark.parametrize("cluster", all_clusters(), ids=lambda c: c.name)
def test_portable_notebook_runs_unchanged_on_every_scheduler(env, cluster):
    nb = execute(REPO / "tests" / "notebooks" / "portable.ipynb", env, f"portable-{cluster.name}.ipynb", cluster.name)
    check_expectations(nb)
    assert f"cluster={cluster.name}" in cell_text(nb.cells[2])


@pytest.mark.parametrize("name", ["parameter-sweep.ipynb", "reattach.ipynb"])
def test_example_notebooks_on_the_local_backend(env, name):
    check_expectations(execute(REPO / "notebooks" / name, env, name))


def test_slurm_tour(env):
    if not any(c.scheduler == "slurm" for c in all_clusters()):
        # In CI the test Slurm must be up: a missing cluster is a failure there, not a skip.
        if os.environ.get("CI") == "true":
            pytest.fail("the test Slurm is not up (HPC_TEST_SLURM unset)")
        pytest.skip("the test Slurm is not up")
    check_expectations(execute(REPO / "notebooks" / "slurm-tour.ipynb", env, "slurm-tour.ipynb"))


def test_a_failing_job_fails_nbclient_with_the_jobs_error_in_the_notebook(env):
    with pytest.raises(CellExecutionError) as raised:
        execute(REPO / "tests" / "notebooks" / "failing-job.ipynb", env, "failing-job.ipynb")
    assert "JobFailed: its script exited with code 7" in str(raised.value)  # nbclient shows the traceback
    saved = nbformat.read(OUT / "failing-job.ipynb", as_version=4)
    errors = [o for o in saved.cells[1].outputs if o.output_type == "error"]
    assert errors and "FAILED" in errors[0].evalue and "exit code 7" in errors[0].evalue
    assert "doomed" in cell_text(saved.cells[1])
    assert not saved.cells[2].get("outputs"), "a cell after the failure ran"


def test_a_failing_job_makes_nbconvert_exit_non_zero(env, tmp_path):
    config = write_config(tmp_path / "clusters.json")
    jupyter = Path(sys.executable).parent / "jupyter"
    r = subprocess.run([str(jupyter), "nbconvert", "--to", "notebook", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL}", "--output-dir", str(tmp_path),
                        str(REPO / "tests" / "notebooks" / "failing-job.ipynb")],
                       capture_output=True, text=True, timeout=600,
                       env={**os.environ, "HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")})
    assert r.returncode != 0
    assert "exited with code 7" in r.stderr + r.stdout


def test_a_failing_job_makes_papermill_exit_non_zero_with_the_error_saved(tmp_path):
    config = write_config(tmp_path / "clusters.json")
    out = tmp_path / "out.ipynb"
    papermill = Path(sys.executable).parent / "papermill"
    r = subprocess.run([str(papermill), "-k", KERNEL, str(REPO / "tests" / "notebooks" / "failing-job.ipynb"), str(out)],
                       capture_output=True, text=True, timeout=600,
                       env={**os.environ, "HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")})
    assert r.returncode != 0
    saved = nbformat.read(out, as_version=4)
    code_cells = [c for c in saved.cells if c.cell_type == "code"]
    errors = [o for c in code_cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and "exit code 7" in errors[0].evalue
