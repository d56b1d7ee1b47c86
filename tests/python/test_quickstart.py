"""notebooks/quickstart.ipynb executed headless with nbclient against the installed kernelspec.

Checks: every code cell ran (has an execution_count) without an `error` output, the notebook
produces output at all, and the outputs contain the expected markers, derived from the
notebook's cells at test time:
  * a cell whose last line is an expression (no `;`/`}` at the end) has an execute_result;
  * `display(` gives display_data (`html(` -> text/html, `markdown(` -> text/markdown);
  * `System.out.println(` gives stdout; with a plain string literal, that literal;
  * known quickstart cells (KNOWN below, matched by a source fragment) give known values;
  * a cell may list extra expected substrings in its metadata: {"hpc_kernel": {"expect": [...]}}
    (matched against the cell's stream text and text/plain / text/html / text/markdown outputs).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from harness import IN_CI, KERNEL_NAME, kernel_language, kernelspec, newer_jdk_kernel_name

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = Path(os.environ.get("HPC_QUICKSTART", REPO / "notebooks" / "quickstart.ipynb"))
OUT = REPO / "build-artifacts" / "quickstart" / "quickstart-test.ipynb"
PRINTLN_LITERAL = re.compile(r'System\.out\.println\(\s*"((?:[^"\\]|\\.)*)"\s*\)\s*;')


# source fragment -> (kind, expected): "text" = substring of the cell's text outputs,
# "mime" = a MIME type among its execute_result / display_data outputs
KNOWN = [
    ('System.out.println("Hello from Java "', ("text", "Hello from Java ")),
    ("p.norm()", ("text", "5.0")),
    ("distance(new Point(0, 0), new Point(6, 8))", ("text", "10.0")),
    ("IntStream.rangeClosed(1, 10).map(i -> i * i).sum()", ("text", "385")),
    ("new BufferedImage(", ("mime", "image/png")),
]


def _last_code_line(source: str) -> str:
    lines = [re.sub(r"//.*$", "", ln).rstrip() for ln in source.splitlines()]
    lines = [ln for ln in lines if ln.strip()]
    return lines[-1] if lines else ""


def _mimes(cell, kinds=("execute_result", "display_data")) -> set:
    return {m for o in cell.get("outputs", []) if o.output_type in kinds for m in o.data}


def _cell_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in out.data:
                    parts.append(out.data[mime] if isinstance(out.data[mime], str) else "".join(out.data[mime]))
    return "\n".join(parts)


def _stdout(cell) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stdout")


def _unescape(literal: str) -> str:
    return bytes(literal, "utf-8").decode("unicode_escape") if "\\" in literal else literal


@pytest.mark.slow
def test_quickstart_notebook_runs(kernel_name):
    if kernel_language(kernel_name) != "java":
        pytest.skip("the quickstart notebook is Java")
    assert NOTEBOOK.is_file(), f"{NOTEBOOK} does not exist"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code_cells, "the quickstart notebook has no code cells"

    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT)

    problems = []
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        head = cell.source.strip().splitlines()[0][:60]
        if cell.get("execution_count") is None:
            problems.append(f"cell {i} ({head!r}) did not run")
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i} ({head!r}) raised {out.ename}: {out.evalue}")
        if cell.source.lstrip().startswith("%"):
            continue  # magics: only "ran without error"
        kinds = {o.output_type for o in cell.get("outputs", [])}
        last = _last_code_line(cell.source)
        if last and not last.rstrip().endswith((";", "}", "{")) and not last.lstrip().startswith("import "):
            if "execute_result" not in kinds:
                problems.append(f"cell {i} ({head!r}) ends with an expression but has no execute_result")
        if "display(" in cell.source:
            if "display_data" not in kinds:
                problems.append(f"cell {i} ({head!r}) calls display(...) but has no display_data")
            for fn, mime in (("html(", "text/html"), ("markdown(", "text/markdown")):
                if fn in cell.source and mime not in _mimes(cell, ("display_data",)):
                    problems.append(f"cell {i} ({head!r}) displays {fn}...) but no {mime} output")
        stdout = _stdout(cell)
        if "System.out.println(" in cell.source and not stdout:
            problems.append(f"cell {i} ({head!r}) prints but has no stdout")
        for fragment, (kind, expected) in KNOWN:
            if fragment not in cell.source:
                continue
            if kind == "text" and expected not in _cell_text(cell):
                problems.append(f"cell {i} ({head!r}): output lacks {expected!r}: {_cell_text(cell)[:200]!r}")
            if kind == "mime" and expected not in _mimes(cell):
                problems.append(f"cell {i} ({head!r}): no {expected} output (got {sorted(_mimes(cell))})")
        for literal in PRINTLN_LITERAL.findall(cell.source):
            if _unescape(literal) not in stdout:
                problems.append(f"cell {i} ({head!r}): stdout lacks {literal!r}")
        text = _cell_text(cell)
        for marker in cell.get("metadata", {}).get("hpc_kernel", {}).get("expect", []):
            if marker not in text:
                problems.append(f"cell {i} ({head!r}): output lacks expected {marker!r}")
    assert not problems, "quickstart notebook (executed copy: %s):\n  %s" % (OUT, "\n  ".join(problems))
    assert any(c.get("outputs") for c in code_cells), "no code cell produced any output"


# ---------------------------------------------------------------- the README's newcomer path
QUICKSTART_KERNEL = "java-hpc-quickstart-test"
VENV = REPO / ".venv"


def _installed_jar(kernel_name: str) -> Path:
    spec = kernelspec(kernel_name)
    assert spec is not None, f"kernelspec {kernel_name!r} not installed"
    return Path(spec.argv[spec.argv.index("-jar") + 1])


def _unfinished_job_of_a_gone_cluster(data_home: Path) -> Path:
    jobs = data_home / "hpc-kernel" / "jobs"
    jobs.mkdir(parents=True)
    entry = {"jobId": "4242", "cluster": "retired-cluster", "key": "k4242", "jobDir": "/nonexistent/jobs/k4242",
             "options": [], "contentHash": "0" * 64, "notebook": "old.ipynb", "cellId": "c1",
             "summary": "#!/bin/bash", "array": False, "tasks": None, "state": "RUNNING", "exitCode": None,
             "submitted": "2026-01-01T00:00:00Z", "ended": None}
    path = jobs / "retired-cluster--4242.json"
    path.write_text(json.dumps(entry))
    return path


def _tree(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_main_command_passes_beside_a_users_job_list_and_prints_no_warning_nor_escape(kernel_name, tmp_path):
    """bash scripts/quickstart.sh, as the README says, on a machine whose user has an unfinished
    job of a cluster no longer configured and a clusters.json whose default cluster is unreachable:
    it passes, leaves the user's files untouched, and prints no warning and no escape code."""
    if kernel_language(kernel_name) != "java":
        pytest.skip("the quickstart is the Java kernel's")
    user_data, user_config = tmp_path / "data", tmp_path / "config"
    job = _unfinished_job_of_a_gone_cluster(user_data)
    (user_config / "hpc-kernel").mkdir(parents=True)
    (user_config / "hpc-kernel" / "clusters.json").write_text(json.dumps({
        "default": "retired", "clusters": {"retired": {"scheduler": "slurm", "host": "127.0.0.1", "port": 9,
                                                        "workdir": "/nonexistent"}}}))
    before = _tree(tmp_path)
    env = dict(os.environ, XDG_DATA_HOME=str(user_data), XDG_CONFIG_HOME=str(user_config), HPC_NO_APT="1",
               HPC_KERNEL_NAME=QUICKSTART_KERNEL, HPC_BUILD_DIR="target-quickstart-test")
    env.pop("HPC_KERNEL_CONFIG", None)
    try:
        run = subprocess.run(["bash", str(REPO / "scripts" / "quickstart.sh")], env=env, cwd=tmp_path,
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=1100)
    finally:
        jar = REPO / "kernel" / "target-quickstart-test" / "hpc-kernel.jar"
        if jar.is_file():
            subprocess.run(["java", "-jar", str(jar), "uninstall", "--prefix", str(VENV), "--name", QUICKSTART_KERNEL],
                           capture_output=True)
    out, err = run.stdout.decode(errors="replace"), run.stderr.decode(errors="replace")
    assert run.returncode == 0, f"quickstart failed ({run.returncode}):\n{out[-3000:]}\n--- stderr ---\n{err[-3000:]}"
    assert "step 3" in out and "computed on the node" in out, out[-3000:]
    for name, data in (("stdout", run.stdout), ("stderr", run.stderr)):
        esc = data.find(b"\x1b")
        assert esc < 0, f"escape codes in the quickstart's {name}: {data[max(0, esc - 200):][:400]!r}"
        text = data.decode(errors="replace")
        lines = [ln for ln in text.splitlines() if "warning" in ln.lower()]
        assert not lines, f"warnings in the quickstart's {name}: {lines[:5]}"
    assert _tree(tmp_path) == before, "the quickstart changed the user's job list or configuration"
    assert job.is_file()


@pytest.mark.slow
def test_lab_command_serves_the_quickstart_notebook_with_the_kernel(kernel_name, tmp_path):
    """bash scripts/lab.sh (the README's third command): JupyterLab from the project's venv, on
    127.0.0.1, with the kernelspec and notebooks/quickstart.ipynb."""
    import secrets
    import socket
    import threading
    import urllib.request

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    token = secrets.token_hex(16)
    for d in ("runtime", "config", "data"):
        (tmp_path / d).mkdir()
    env = dict(os.environ, HPC_KERNEL_NAME=kernel_name, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.Popen(["bash", str(REPO / "scripts" / "lab.sh"), "--no-browser", f"--ServerApp.port={port}",
                             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"],
                            env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    lines, running = [], threading.Event()

    def read():
        for raw in proc.stdout:
            lines.append(raw.decode(errors="replace"))
            if "is running at" in lines[-1]:
                running.set()

    threading.Thread(target=read, daemon=True).start()

    def get(path):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()

    try:
        # The first run may install JupyterLab into .venv from PyPI.
        assert running.wait(600), "JupyterLab did not start:\n" + "".join(lines[-40:])
        # The server logs its URL a moment before it accepts connections: poll, bounded.
        for _ in range(300):
            try:
                get("/api/status")
                break
            except OSError:
                assert proc.poll() is None, "JupyterLab exited:\n" + "".join(lines[-40:])
                time.sleep(0.1)
        try:
            _status, body = get("/api/kernelspecs")
            specs = json.loads(body)["kernelspecs"]
            assert kernel_name in specs, sorted(specs)
            # JupyterLab serves the notebook's folder and opens the notebook in it.
            _status, body = get("/api/contents/quickstart.ipynb?content=1")
            nb = json.loads(body)
            assert nb["type"] == "notebook" and nb["content"]["metadata"]["kernelspec"]["language"] == "java"
            status, _ = get("/lab/tree/quickstart.ipynb")
            assert status == 200
        except (AssertionError, OSError) as e:
            raise AssertionError(f"{e}\nserver output:\n" + "".join(lines[-40:])) from e
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_newer_jdk_kernelspec_is_named_and_displayed_after_its_jdk(kernel_name):
    """scripts/setup.sh's second kernelspec: <name>-jdkNN, shown as "Java (HPC, JDK NN)", runs JDK NN."""
    if kernel_language(kernel_name) != "java":
        pytest.skip("Java kernel only")
    name = newer_jdk_kernel_name(kernel_name)
    if name is None:
        msg = f"no {kernel_name}-jdkNN kernelspec installed (scripts/setup.sh installs one when a JDK >= 21 exists)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    feature = re.fullmatch(r".*-jdk(\d+)", name).group(1)
    spec = kernelspec(name)
    assert spec.display_name.endswith(f"JDK {feature})"), f"{name} is displayed {spec.display_name!r}"
    probe = subprocess.run([spec.argv[0], "-XshowSettings:properties", "-version"], capture_output=True, text=True)
    version = re.search(r"java\.specification\.version = (\d+)", probe.stderr).group(1)
    assert version == feature, f"{name} runs JDK {version}"


def test_readme_install_options_are_the_jars_own(kernel_name):
    """The README's install options and their form are what `install --help` says."""
    if kernel_language(kernel_name) != "java":
        pytest.skip("Java kernel only")
    readme = (REPO / "README.md").read_text()
    jar = _installed_jar(kernel_name)
    helped = subprocess.run(["java", "-jar", str(jar), "install", "--help"], capture_output=True, text=True)
    help_text = helped.stdout + helped.stderr
    paragraph = readme[readme.index("Options: `--user"):]
    paragraph = paragraph[:paragraph.index("\n\n")]
    flags = set(re.findall(r"(--[a-z][a-z-]+)", paragraph))
    assert {"--jvm-opt", "--name", "--display-name", "--java", "--no-cds", "--prefix"} <= flags, flags
    usage = subprocess.run(["java", "-jar", str(jar)], capture_output=True, text=True)
    assert usage.returncode == 2 and usage.stderr.startswith("missing command"), usage.stderr
    jar_level = {"--help", "--version"}  # the README names these for the jar itself
    missing = [f for f in flags - jar_level if f not in help_text] + [f for f in flags & jar_level if f not in usage.stderr]
    assert not missing, f"README options missing from `install --help` / the jar's usage: {missing}"
    assert "--jvm-opt=" not in readme, "README writes --jvm-opt=VALUE; `install --help` writes --jvm-opt VALUE"
    assert "--jvm-opt -Xmx8g" in help_text and "--jvm-opt -Xmx8g" in readme
    assert "--version" in usage.stderr
