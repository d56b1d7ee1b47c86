"""Interrupting running cells, on the default JVM (JDK 17) and on a JDK >= 21.

A sleeping cell and a busy loop (`int n = 0;` then `while (true) { n++; }`) are interrupted by
an interrupt_request on control, by SIGINT to the kernel process, and through the
KernelManager (the kernelspec's interrupt_mode). The cell must end within 1 s with an
`error` (ename "Interrupted" for Java) and the kernel must then run `1 + 1`.
"""
from __future__ import annotations

import signal
import time

import pytest

from conftest import jdk21_kernel_name
from harness import msg_summary

INTERRUPT_DEADLINE = 1.0  # seconds from the interrupt to the execute_reply


@pytest.fixture(params=["jdk-default", "jdk21+"])
def ikernel(request, kernel_name, snippets, kernel_factory):
    name = kernel_name if request.param == "jdk-default" else jdk21_kernel_name(kernel_name)
    k = kernel_factory(name)
    if snippets.runtime_feature:
        feature = int(k.eval_text(snippets.runtime_feature))
        request.node.user_properties.append(("jvm_feature_version", feature))
        if request.param == "jdk21+":
            assert feature >= 21, f"kernelspec {name} runs JDK {feature}, expected >= 21"
    return k


def _interrupt(k, how: str) -> None:
    if how == "message":
        rid = k.interrupt_by_message()
        reply = k.control_reply(rid, timeout=5)
        assert reply["content"]["status"] == "ok", reply["content"]
    elif how == "sigint":
        k.signal_process(signal.SIGINT)
    elif how == "manager":
        k.km.interrupt_kernel()
    else:
        raise ValueError(how)


def _start_cell(k, snippets, kind: str) -> tuple[str, str]:
    if kind == "sleep":
        code = snippets.sleep_cell
        msg_id = k.send_execute(code)
        k.wait_iopub(msg_id, lambda m: m["msg_type"] == "stream" and "sleeping" in m["content"]["text"],
                     15, "'sleeping' on stdout")
    else:
        k.execute_ok(snippets.busy_setup)
        code = snippets.busy_loop
        msg_id = k.send_execute(code)
        k.wait_iopub(msg_id, lambda m: m["msg_type"] == "execute_input", 15, "execute_input")
        # No message tells that the loop is spinning; give it a moment so the interrupt
        # hits the running loop rather than the start of the evaluation.
        time.sleep(0.5)
    return msg_id, code


def _check_interrupted(k, snippets, msg_id, code, how, t_interrupt):
    res = k.collect(msg_id, code, timeout=15, t0=t_interrupt)
    assert res.status == "error", f"interrupted cell did not end with an error ({how}):\n" + res.describe()
    assert res.reply["content"]["ename"] == snippets.interrupted_ename, res.describe()
    errors = res.errors
    assert len(errors) == 1, res.describe()
    assert errors[0]["content"]["ename"] == snippets.interrupted_ename, msg_summary(errors[0])
    assert res.reply_time <= INTERRUPT_DEADLINE, (
        f"cell ended {res.reply_time:.2f}s after the interrupt ({how}); limit {INTERRUPT_DEADLINE}s")
    assert k.is_alive(), "kernel died from the interrupt"
    return res


@pytest.mark.parametrize("how", ["message", "sigint"])
@pytest.mark.parametrize("kind", ["sleep", "busy"])
def test_interrupt_running_cell(ikernel, snippets, kind, how):
    k = ikernel
    msg_id, code = _start_cell(k, snippets, kind)
    t = time.monotonic()
    _interrupt(k, how)
    _check_interrupted(k, snippets, msg_id, code, how, t)
    assert k.eval_text(snippets.one_plus_one) == "2"
    if kind == "busy":
        # session state survives the interrupt
        assert k.eval_text(snippets.busy_check) == snippets.busy_check_result


def test_interrupt_through_kernel_manager(ikernel, snippets):
    """What a Jupyter frontend does: KernelManager.interrupt_kernel() (per interrupt_mode)."""
    k = ikernel
    msg_id, code = _start_cell(k, snippets, "busy")
    t = time.monotonic()
    _interrupt(k, "manager")
    _check_interrupted(k, snippets, msg_id, code, f"manager/{k.km.kernel_spec.interrupt_mode}", t)
    assert k.eval_text(snippets.one_plus_one) == "2"


def test_repeated_interrupts(ikernel, snippets):
    k = ikernel
    for i, (kind, how) in enumerate([("busy", "message"), ("sleep", "sigint"), ("busy", "sigint"), ("sleep", "message")]):
        msg_id, code = _start_cell(k, snippets, kind)
        t = time.monotonic()
        _interrupt(k, how)
        _check_interrupted(k, snippets, msg_id, code, f"round {i}: {kind}/{how}", t)
    assert k.eval_text(snippets.one_plus_one) == "2"


@pytest.mark.parametrize("how", ["message", "sigint"])
def test_interrupt_when_idle_is_harmless(ikernel, snippets, how):
    k = ikernel
    _interrupt(k, how)
    if how == "sigint":
        # A signal and a following ZMQ message have no defined order, and nothing on the wire
        # says that the kernel has handled the signal: give it a moment (a signal arriving
        # together with a new cell may legitimately interrupt that cell).
        time.sleep(0.5)
    assert k.is_alive()
    # the next cells run normally (a pending interrupt must not hit them)
    res = k.execute_ok(snippets.long_sleep_3s.replace("3000", "300").replace("sleep(3)", "sleep(0.3)"))
    assert res.status == "ok"
    assert k.eval_text(snippets.one_plus_one) == "2"
    assert k.is_alive()
