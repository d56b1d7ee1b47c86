"""Helpers and fixtures of the papermill-java tests.

The end-to-end tests need papermill-java installed (`pip install -e kernelspec/papermill_java`)
and the hpc-kernel kernelspec (HPC_KERNEL_NAME, default java-hpc) visible to Jupyter. Without the
kernelspec they are skipped, except under CI=true, where they fail.

(No conftest.py here: tests/python imports its own `conftest` by name, which a second conftest
module would shadow when both folders run in one pytest.)
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
KERNEL_NAME = os.environ.get("HPC_KERNEL_NAME", "java-hpc")
PARAMS_NOTEBOOK = HERE / "params.ipynb"
EXECUTION_TIMEOUT = 180  # seconds per cell (a hang guard)


def papermill(*args, cwd, timeout=300):
    """Runs the papermill CLI of this interpreter; returns the CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-m", "papermill", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def stdout_of(cell):
    return "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def errors_of(nb):
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.fixture(scope="session")
def java_kernel():
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        message = (
            f"kernelspec {KERNEL_NAME!r} not installed (have {sorted(specs)}); "
            "install it: java -jar kernel/target/hpc-kernel.jar install --prefix .venv"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return KERNEL_NAME


@pytest.fixture
def run_papermill(tmp_path, java_kernel):
    """run_papermill(input_nb, *args) -> (CompletedProcess, output notebook)."""
    import nbformat

    def run(input_nb, *args):
        out = tmp_path / "out.ipynb"
        proc = papermill(input_nb, out, "-k", java_kernel, "--cwd", tmp_path,
                         "--execution-timeout", EXECUTION_TIMEOUT, *args, cwd=tmp_path)
        if proc.returncode != 0:
            pytest.fail(f"papermill exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}")
        return proc, nbformat.read(str(out), as_version=4)

    return run
