"""What a %%hpc cell says, through a real kernel and a real Jupyter client on the local backend:
each outcome once (the status line: state, exit code, elapsed; the error: why in words, the last
lines of stderr of a failed job, the command that shows everything), no noise from job.sh or the
local backend's wrapper, and a status line that is there at once and never says PENDING once
output streams."""
import json
import re

import pytest

from clusters import all_clusters
from conftest import start_kernel

# What bash and the local backend would add to a job's stderr if they spoke: "Terminated",
# "job.sh: line 51: 1234 Killed  ...", the watchdog's own words.
WRAPPER_NOISE = re.compile(r"Terminated|Killed|line \d+:|hpc-kernel:|job\.sh")


@pytest.fixture(scope="module")
def k(tmp_path_factory):
    home = tmp_path_factory.mktemp("messages")
    local = [c for c in all_clusters() if c.name == "local"][0]
    config = home / "clusters.json"
    config.write_text(json.dumps({"default": "local", "clusters": {"local": local.profile}}))
    kernel = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data")})
    yield kernel
    kernel.kc.stop_channels()
    kernel.km.shutdown_kernel(now=False)


def status_updates(run):
    """The status line's texts in order: the display that carries a display id, and its updates."""
    texts = []
    for m in run.of_type("display_data", "update_display_data"):
        if m["content"].get("transient", {}).get("display_id"):
            texts.append(m["content"]["data"]["text/plain"])
    return texts


def outputs(run):
    """The cell's outputs in the order they came (not the echo of its input)."""
    return [m for m in run.messages if m["msg_type"] != "execute_input"]


def shown_error(run):
    """What the cell shows of its error: its traceback (the evalue is for tools)."""
    return "\n".join(run.error["traceback"])


def interrupt_on(k, marker):
    state = {}

    def watch(msg):
        if msg["msg_type"] == "stream" and marker in msg["content"].get("text", "") and "sent" not in state:
            state["sent"] = True
            k.km.interrupt_kernel()
    return watch


def test_a_cancelled_cell_says_so_once_with_the_signal_name_and_no_wrapper_noise(k):
    run = k.execute("%%hpc\n#!/bin/bash\necho running-now\nsleep 300\necho never-printed",
                    on_message=interrupt_on(k, "running-now"), timeout=120)
    assert run.status == "error"
    job = run.job_id()
    final = status_updates(run)[-1]
    assert f"job {job} on local: CANCELLED, exit code 143" in final and "elapsed" in final, final
    assert run.error["ename"] == "JobCancelled"
    assert run.error["traceback"] == ["JobCancelled: the cell was interrupted (stopped by SIGTERM)",
                                      f"%hpc logs {job} shows everything the job wrote"], run.error["traceback"]
    visible = run.stdout + run.stderr + shown_error(run)
    assert visible.lower().count("cancel") == 1, visible        # the error's name; the state is on the line
    assert "143" not in visible and "on request" not in visible, visible
    assert not WRAPPER_NOISE.search(run.stdout + run.stderr), run.stderr
    assert "never-printed" not in run.stdout


def test_an_interrupted_java_cell_is_cancelled_not_a_runner_that_stopped(k):
    # The runner's own guess ("shut down before the cell finished: System.exit, a cancel or a time
    # limit") gives way to what the kernel knows.
    run = k.execute('%%hpc\nSystem.out.println("running-now");\nThread.sleep(300000);',
                    on_message=interrupt_on(k, "running-now"), timeout=120)
    assert run.status == "error"
    assert run.error["traceback"][0] == "JobCancelled: the cell was interrupted (stopped by SIGTERM)", run.error
    assert "RunnerStopped" not in shown_error(run) + run.stderr


def test_a_failed_job_shows_its_last_twenty_stderr_lines_and_the_logs_command(k):
    run = k.execute('%%hpc\n#!/bin/bash\necho some output\nfor i in $(seq 1 30); do echo "problem $i" >&2; done\nexit 3')
    assert run.status == "error"
    job = run.job_id()
    assert f"job {job} on local: FAILED, exit code 3" in status_updates(run)[-1]
    tb = run.error["traceback"]
    assert tb[0] == "JobFailed: its script exited with code 3", tb
    assert tb[1] == "The last 20 lines of its stderr:"
    assert tb[2:22] == [f"  problem {i}" for i in range(11, 31)], tb
    assert tb[22:] == [f"%hpc logs {job} shows everything the job wrote"], tb
    assert "FAILED" not in shown_error(run) and "elapsed" not in shown_error(run)
    # Tools that keep only ename and evalue (papermill, nbclient) still get the whole sentence.
    assert "FAILED with exit code 3" in run.error["evalue"] and f"%hpc logs {job}" in run.error["evalue"]
    assert "problem 30" in run.stderr and not WRAPPER_NOISE.search(run.stderr), run.stderr
    # The command the error names does show everything.
    logs = k.execute(f"%hpc logs {job}")
    assert "problem 1\n" in logs.stdout + logs.stderr and "some output" in logs.stdout


def test_a_payload_killed_by_sigkill_is_named_and_bash_does_not_report_it(k):
    run = k.execute("%%hpc\n#!/bin/bash\necho up\nkill -KILL $$\necho never-printed")
    assert run.status == "error"
    assert "FAILED, exit code 137" in status_updates(run)[-1]
    assert run.error["traceback"][0] == "JobFailed: it was stopped by SIGKILL", run.error["traceback"]
    assert "137" not in shown_error(run)
    assert not WRAPPER_NOISE.search(run.stdout + run.stderr), run.stderr
    assert run.stderr == "", run.stderr


def test_a_time_limit_is_said_once(k):
    run = k.execute("%%hpc --time 0:03\n#!/bin/bash\necho start\nsleep 600\necho never-printed", timeout=200)
    assert run.status == "error"
    final = status_updates(run)[-1]
    assert "TIMEOUT, exit code 143" in final, final
    assert run.error["ename"] == "JobTimeout"
    assert run.error["traceback"][0] == "JobTimeout: it reached its time limit (stopped by SIGTERM); --time gives it more"
    visible = run.stdout + run.stderr + shown_error(run)
    assert visible.count("time limit") == 1, visible
    assert not WRAPPER_NOISE.search(run.stdout + run.stderr), run.stderr


def test_a_java_cell_shows_compiling_at_once_then_submitting_then_its_job(k):
    run = k.execute('%%hpc\nSystem.out.println("from the node");')
    assert run.status == "ok", run.error
    first = outputs(run)[0]
    assert first["msg_type"] == "display_data", first
    assert first["content"]["data"]["text/plain"] == "⏳ compiling…"
    updates = status_updates(run)
    submitting = next(i for i, t in enumerate(updates) if t.startswith("⏳ submitting to local"))
    job = next(i for i, t in enumerate(updates) if re.search(r"job \d+\.\w+ on local", t))
    assert 0 < submitting < job, updates
    assert "from the node" in run.stdout


def test_a_shell_cell_shows_submitting_at_once(k):
    run = k.execute("%%hpc\n#!/bin/bash\necho hi")
    assert run.status == "ok", run.error
    assert outputs(run)[0]["content"]["data"]["text/plain"] == "⏳ submitting…"
    assert status_updates(run)[-1].startswith("✔ job ")


@pytest.mark.parametrize("cell", [
    "%%hpc\n#!/bin/bash\nfor i in 1 2 3 4 5 6; do echo line $i; sleep 0.4; done",
    "%%hpc --array 1-4\n#!/bin/bash\nfor i in 1 2 3; do echo task $HPC_ARRAY_INDEX line $i; sleep 0.4; done",
    '%%hpc\nfor (int i = 0; i < 5; i++) { System.out.println("java " + i); Thread.sleep(400); }',
], ids=["shell", "array", "java"])
def test_no_status_update_says_pending_once_output_streams(k, cell):
    run = k.execute(cell)
    assert run.status == "ok", run.error
    seen_output = False
    for m in outputs(run):
        if m["msg_type"] == "stream":
            seen_output = True
        elif seen_output and m["msg_type"] in ("display_data", "update_display_data"):
            text = m["content"]["data"].get("text/plain", "")
            assert "PENDING" not in text, f"status after output: {text}"
    assert seen_output
    assert any("RUNNING" in t for t in status_updates(run)), status_updates(run)


def test_a_pre_submit_refusal_leaves_the_status_line_saying_nothing_was_submitted(k):
    run = k.execute("%%hpc --partition debug\n#!/bin/bash\necho hi")
    assert run.status == "error"
    assert "--partition" in run.error["evalue"]
    assert status_updates(run) == ["⏳ submitting…", "✖ nothing submitted"], status_updates(run)


def test_help_is_an_html_table_with_a_plain_text_fallback(k):
    run = k.execute("%hpc help")
    assert run.status == "ok", run.error
    data = run.result
    assert data["text/html"].count("<table>") == 2 and "<td" in data["text/html"]
    assert "--time, -t TIME" in data["text/plain"] and "%hpc logs ID" in data["text/plain"]
    assert max(len(line) for line in data["text/plain"].splitlines()) <= 80
