"""%%hpc scenarios of the issue, run through a real Jupyter client against every available cluster
(the built-in local backend always; Slurm, and later others, when the test command brought them up)."""
import base64
import os
import shutil
import subprocess
import time
import uuid

import pytest


def test_java_cell_uses_declarations_from_earlier_local_cells(kernel):
    assert kernel.execute("record Point(int x, int y) {}\nint twice(int v) { return 2 * v; }").status == "ok"
    run = kernel.execute('%%hpc\nSystem.out.println("on node: " + new Point(twice(21), 1));\nnew Point(3, 4)')
    assert run.status == "ok", run.error
    assert "on node: Point[x=42, y=1]" in run.stdout
    assert run.result["text/plain"] == "Point[x=3, y=4]"


def test_java_cell_referencing_a_notebook_variable_takes_its_value_along(kernel):
    assert kernel.execute("int localCount = 5;").status == "ok"
    run = kernel.execute("%%hpc\nSystem.out.println(\"count \" + localCount);")
    assert run.status == "ok", run.error
    assert "count 5" in run.stdout


def test_environment_names_the_job_whatever_the_scheduler(kernel, cluster):
    run = kernel.execute('%%hpc\n#!/bin/bash\necho "id=$HPC_JOB_ID cluster=$HPC_CLUSTER"')
    assert run.status == "ok", run.error
    assert f"cluster={cluster.name}" in run.stdout
    assert f"id={run.job_id()}" in run.stdout


def test_shebang_python_cell(kernel):
    run = kernel.execute("%%hpc\n#!/usr/bin/env python3\nimport sys\nprint('python', sys.version_info[0])")
    assert run.status == "ok", run.error
    assert "python 3" in run.stdout


def test_a_line_printed_before_a_sleep_arrives_before_the_job_ends(kernel):
    marker = uuid.uuid4().hex
    seen = {}

    def watch(msg):
        if msg["msg_type"] == "stream" and marker in msg["content"]["text"]:
            seen.setdefault("line", msg["received"])
        if msg["msg_type"] == "update_display_data" and "COMPLETED" in msg["content"]["data"]["text/plain"]:
            seen.setdefault("done", msg["received"])

    run = kernel.execute(f"%%hpc\n#!/bin/bash\necho {marker}\nsleep 4\necho after", on_message=watch)
    assert run.status == "ok", run.error
    assert "line" in seen and "done" in seen
    assert seen["done"] - seen["line"] > 2.5, "the line came only at the end"


def test_png_display_from_the_node(kernel):
    code = ("%%hpc\nimport java.awt.image.BufferedImage;\n"
            "var img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);\nimg.setRGB(1, 1, 0xff0000);\n"
            "display(img);")
    run = kernel.execute(code)
    assert run.status == "ok", run.error
    pngs = [m["content"]["data"]["image/png"] for m in run.of_type("display_data") if "image/png" in m["content"]["data"]]
    assert pngs and base64.b64decode(pngs[0]).startswith(b"\x89PNG")


def test_exception_on_the_node_is_the_cells_error_with_the_remote_trace(kernel):
    run = kernel.execute('%%hpc\nint divide(int a) { return 10 / a; }\ndivide(0)')
    assert run.status == "error"
    assert run.error["ename"] == "java.lang.ArithmeticException"
    assert any("divide" in line for line in run.error["traceback"])


def test_non_zero_exit_fails_the_cell_naming_state_and_code(kernel):
    run = kernel.execute("%%hpc\n#!/bin/bash\necho about to fail\nexit 3")
    assert run.status == "error"
    assert "FAILED" in run.error["evalue"] and "exit code 3" in run.error["evalue"]
    assert "about to fail" in run.stdout


def test_dry_run_shows_the_script_and_submits_nothing(kernel, cluster):
    run = kernel.execute("%%hpc --dry-run --job-name dryrun-check\n#!/bin/bash\necho never")
    assert run.status == "ok"
    assert "#!/bin/bash" in run.stdout and "nothing submitted" in run.stdout
    assert run.job_id() is None
    assert "never\n" not in run.stdout.replace('echo never', '')


@pytest.mark.parametrize("bad", [
    "--job-name '$(touch {f})'", "--job-name '`touch {f}`'", "--job-name 'x;touch {f}'",
    "--partition 'debug;touch {f}'", "--env 'A=1\ntouch {f}'", "--module 'x$(touch {f})'",
])
def test_injection_attempts_run_nothing(kernel, tmp_path, bad):
    flag = tmp_path / "pwned"
    run = kernel.execute("%%hpc " + bad.format(f=flag) + "\n#!/bin/bash\necho hi")
    time.sleep(0)  # nothing to wait for: a refusal is immediate
    assert run.status == "error"
    assert not flag.exists()
    assert run.job_id() is None


@pytest.mark.parametrize("option, word", [("--time abc", "--time"), ("--mem lots", "--mem"), ("--array 1-", "--array"),
                                          ("--nosuch 1", "--nosuch")])
def test_malformed_options_name_the_option_and_submit_nothing(kernel, option, word):
    run = kernel.execute(f"%%hpc {option}\n#!/bin/bash\necho hi")
    assert run.status == "error"
    assert word in run.error["evalue"]
    assert run.job_id() is None


def test_env_values_arrive_literally(kernel):
    run = kernel.execute("%%hpc --env 'GREETING=hello $USER; `x`'\n#!/bin/bash\necho \"[$GREETING]\"")
    assert run.status == "ok", run.error
    assert "[hello $USER; `x`]" in run.stdout


def test_array_of_four_with_one_failing_task(kernel):
    run = kernel.execute('%%hpc --array 1-4\n#!/bin/bash\necho "task $HPC_ARRAY_INDEX"\n[ "$HPC_ARRAY_INDEX" != 3 ]')
    assert run.status == "error"
    for i in range(1, 5):
        assert f"[{i}] task {i}" in run.stdout
    assert "failed array tasks: [3]" in run.error["evalue"]


def test_detach_then_status_and_logs(kernel):
    run = kernel.execute("%%hpc --detach\n#!/bin/bash\necho detached-out\nsleep 2\necho detached-end")
    assert run.status == "ok"
    job = run.job_id()
    assert job
    status = kernel.execute(f"%hpc status {job}")
    assert status.status == "ok" and job in status.result["text/plain"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        st = kernel.execute(f"%hpc status {job}").result["text/plain"]
        if "COMPLETED" in st:
            break
        time.sleep(0.5)
    assert "COMPLETED" in st
    logs = kernel.execute(f"%hpc logs {job}")
    assert "detached-out\ndetached-end\n" in logs.stdout


def test_interrupt_cancels_the_job(kernel, cluster):
    started = {}

    def interrupt_when_running(msg):
        text = msg["content"].get("text", "")
        if msg["msg_type"] == "stream" and "running-now" in text and "sent" not in started:
            started["sent"] = True
            kernel.km.interrupt_kernel()

    run = kernel.execute("%%hpc\n#!/bin/bash\necho running-now\nsleep 300\necho never-printed", on_message=interrupt_when_running)
    assert run.status == "error"
    assert "CANCELLED" in run.error["evalue"] or "cancelled" in run.error["evalue"]
    assert "never-printed" not in run.stdout
    job = run.job_id()
    if cluster.scheduler == "slurm":
        out = subprocess.run(["squeue", "-h", "-t", "all", "-j", job, "-o", "%T"], capture_output=True, text=True).stdout
        assert "CANCELLED" in out or out.strip() == ""


def test_rerunning_a_running_cell_attaches_instead_of_submitting(kernel):
    code = "%%hpc\n#!/bin/bash\necho attach-me $HPC_JOB_ID\nsleep 3"
    first = kernel.execute(code.replace("%%hpc", "%%hpc --detach"))
    job = first.job_id()
    again = kernel.execute(code)
    assert again.status == "ok", again.error
    assert "following it instead of submitting again" in again.stdout
    assert again.job_id() == job
    assert f"attach-me {job}" in again.stdout


def test_partition_is_checked_by_the_scheduler(kernel, cluster):
    run = kernel.execute("%%hpc --partition nosuchpartition\n#!/bin/bash\necho hi")
    assert run.status == "error"
    if cluster.has_partitions:
        # The scheduler's own words, verbatim, and the option they come from.
        assert "nosuchpartition" in run.error["evalue"]
        assert "--partition" in run.error["evalue"]
    else:
        assert "cannot express --partition" in run.error["evalue"]


def test_output_cap_says_how_to_get_the_rest(kernel):
    run = kernel.execute("%%hpc\n#!/bin/bash\nhead -c 1500000 /dev/zero | tr '\\0' 'x'; echo")
    assert run.status == "ok", run.error
    assert len(run.stdout) <= 1_048_576
    assert "%hpc logs" in run.stderr


def test_time_limit_gives_timeout(kernel, cluster):
    # Schedulers round a limit up to a minute; the local backend's watchdog takes seconds.
    limit = "0:03" if cluster.name == "local" else "1"
    run = kernel.execute(f"%%hpc --time {limit}\n#!/bin/bash\necho start\nsleep 600", timeout=400)
    assert run.status == "error"
    assert "TIMEOUT" in run.error["evalue"]


def test_check_reports_login_scheduler_workdir_and_java(kernel, cluster):
    run = kernel.execute(f"%hpc check {cluster.name}")
    assert run.status == "ok", run.error
    report = run.result["text/plain"]
    for step in ("login", "work directory", "java"):
        assert f"ok    {step}" in report, report
    assert "scheduler:" in report
