"""Wire-level hardening: replayed messages, the message-size cap, the refusal of an empty key,
and IOPub's bounded, lossless queue. Real kernels, real jupyter_client / raw pyzmq sockets."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import time
import uuid

import pytest
import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

from harness import Kernel, RawClient, msg_summary, new_header


def _execute_content(code: str) -> dict:
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": False}


def _peak_rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/PID/status")


@pytest.fixture
def started():
    """Kernels started by a test with their own environment; all shut down afterwards."""
    made: list[Kernel] = []

    def start(name: str, **kw) -> Kernel:
        k = Kernel(name, **kw)
        made.append(k)
        return k

    yield start
    for k in made:
        k.close()


# --------------------------------------------------------------------------- replay
def test_a_replayed_message_is_dropped(fresh_kernel, raw_client, snippets):
    k, raw = fresh_kernel, raw_client
    probe = "replayProbe" if snippets.language == "java" else "replay_probe"
    # 1. a signed execute that sets the probe to 1; it runs
    first_id, captured = raw.signed_frames("execute_request", _execute_content(snippets.define(probe, 1)))
    raw.send("shell", list(captured))
    reply, _ = raw.wait_reply("shell", first_id, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    # 2. the probe is set to 2 by a normal request
    k.execute_ok(snippets.define(probe, 2))
    # 3. the captured frames, byte for byte, once more: a replay must not run
    raw.send("shell", list(captured))
    check_id = raw.request("shell", "execute_request", _execute_content(snippets.use(probe)))
    check, before = raw.wait_reply("shell", check_id, timeout=60)
    assert not [m for m in before if m["parent_header"].get("msg_id") == first_id], \
        "the replayed request was answered: " + ", ".join(msg_summary(m) for m in before)
    assert check["content"]["status"] == "ok", check["content"]
    assert k.eval_text(snippets.use(probe)) == "2", "the replayed execute_request ran again"
    assert raw.heartbeat(5.0)


# --------------------------------------------------------------------------- size cap
def test_a_message_over_the_configured_cap_is_refused_and_the_kernel_keeps_serving(kernel_name, started):
    k = started(kernel_name, env={"HPC_KERNEL_MAX_MESSAGE_BYTES": "1M"})
    raw = RawClient(k.connection_info)
    try:
        # under the cap: answered (so the refusal below is the cap's doing, not the content's)
        small_id, frames = raw.signed_frames("kernel_info_request", {"junk": "x" * (512 << 10)})
        raw.send("shell", frames)
        reply, _ = raw.wait_reply("shell", small_id, timeout=60)
        assert reply["msg_type"] == "kernel_info_reply"
        # over the cap, correctly signed: refused unread (no reply); ZeroMQ drops the sender's
        # connection, which its socket makes again, so a later request is answered
        big_id, frames = raw.signed_frames("kernel_info_request", {"junk": "x" * (2 << 20)})
        raw.send("shell", frames)
        before = []
        for attempt in range(30):
            after_id = raw.request("shell", "kernel_info_request", {})
            try:
                reply, others = raw.wait_reply("shell", after_id, timeout=2)
            except AssertionError:
                continue  # sent while the dropped connection was being made again
            before += others
            break
        else:
            pytest.fail("no kernel_info answered after an oversize message")
        assert reply["msg_type"] == "kernel_info_reply"
        assert not [m for m in before if m["parent_header"].get("msg_id") == big_id], "the oversize message was served"
        # many frames under the per-frame cap that add up to more than the cap: refused as well
        many_id, frames = raw.signed_frames("kernel_info_request", {}, buffers=[b"y" * (256 << 10)] * 8)
        raw.send("shell", frames)
        after_id = raw.request("shell", "kernel_info_request", {})
        reply, before = raw.wait_reply("shell", after_id, timeout=60)
        assert not [m for m in before if m["parent_header"].get("msg_id") == many_id], "the oversize message was served"
        assert raw.heartbeat(5.0) and k.is_alive()
        assert k.eval_text("1 + 1") == "2"
    finally:
        raw.close()


def test_an_oversize_frame_is_not_buffered(fresh_kernel, raw_client):
    """A 200 MiB frame with a bad signature: with the default cap (32 MiB) ZeroMQ refuses it
    from its length prefix, so the kernel's peak memory does not grow by anything near its size."""
    k, raw = fresh_kernel, raw_client
    assert k.eval_text("1 + 1") == "2"
    before = _peak_rss_bytes(k.pid)
    size = 200 << 20
    frames = raw.signed_frames("execute_request", _execute_content("1"))[1]
    frames[1] = b"0" * 64
    frames[5] = b"x" * size
    raw.send("shell", frames)
    del frames
    msg_id = raw.request("shell", "kernel_info_request", {})
    reply, _ = raw.wait_reply("shell", msg_id, timeout=120)
    assert reply["msg_type"] == "kernel_info_reply"
    grown = _peak_rss_bytes(k.pid) - before
    assert grown < size // 2, f"the kernel's peak memory grew by {grown >> 20} MiB for a {size >> 20} MiB frame"
    assert raw.heartbeat(5.0) and k.is_alive()


# --------------------------------------------------------------------------- empty key
def _kernel_with_empty_key(kernel_name: str, env: dict[str, str]):
    km = KernelManager(kernel_name=kernel_name)
    km.session.key = b""
    km.start_kernel(env={**os.environ, **env}, stderr=subprocess.PIPE)
    return km


def test_an_empty_key_is_refused_with_a_clear_message(kernel_name):
    km = _kernel_with_empty_key(kernel_name, {})
    try:
        assert json.load(open(km.connection_file))["key"] == ""
        proc = km.provisioner.process
        assert proc.wait(timeout=60) == 2, "the kernel started with an empty key"
        err = proc.stderr.read().decode()
        assert "empty" in err and "--allow-unsigned" in err and "HPC_KERNEL_ALLOW_UNSIGNED=1" in err, err
    finally:
        km.cleanup_resources()


def test_an_empty_key_runs_when_allowed_explicitly(kernel_name):
    km = _kernel_with_empty_key(kernel_name, {"HPC_KERNEL_ALLOW_UNSIGNED": "1"})
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        msg_id = kc.execute("1 + 1")
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:  # wait_for_ready's kernel_info replies
            reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()


# --------------------------------------------------------------------------- IOPub
def test_iopub_holds_the_cell_back_for_a_slow_subscriber_and_loses_nothing(kernel_name, started, snippets):
    """A second IOPub subscriber that does not read: the kernel's queue is bounded, so the cell's
    output waits (backpressure) instead of piling up or being dropped; once the subscriber reads,
    every line arrives at both subscribers, in order."""
    k = started(kernel_name, env={"HPC_KERNEL_IOPUB_QUEUE": "4"})
    conn = k.connection_info
    ctx = zmq.Context()
    slow = ctx.socket(zmq.SUB)
    slow.setsockopt(zmq.RCVHWM, 1)
    slow.setsockopt(zmq.RCVBUF, 4096)
    slow.setsockopt(zmq.SUBSCRIBE, b"")
    slow.connect(f"{conn['transport']}://{conn['ip']}:{conn['iopub_port']}")
    try:
        # the subscription is in place once the slow socket has seen a message
        while True:
            k.execute_ok("1 + 1")
            if slow.poll(2000):
                while slow.poll(0):
                    slow.recv_multipart()
                break
        n = 200_000  # 20 MB: far more than the socket buffers between the kernel and the slow reader
        code = snippets.big_output(n)
        msg_id = k.send_execute(code)
        # wait until the output stops moving while the slow subscriber reads nothing
        received = 0
        quiet_since = time.monotonic()
        deadline = time.monotonic() + 120
        while time.monotonic() - quiet_since < 3 and time.monotonic() < deadline:
            got = k._pull_iopub(0.2)
            if got is not None:
                quiet_since = time.monotonic()
                if got["msg_type"] == "stream":
                    received += len(got["content"]["text"])
        assert msg_id not in k._shell
        try:
            reply = k.kc.get_shell_msg(timeout=0)
            pytest.fail(f"the cell finished while a subscriber read nothing: {reply['content']}")
        except queue.Empty:
            pass
        assert received < n * 100, "all output went out while a subscriber read nothing"
        # now the slow subscriber reads: everything arrives, in order, at both subscribers
        parser = Session(key=k.session.key, signature_scheme=k.session.signature_scheme)  # its own replay history
        slow_text = []
        t_end = time.monotonic() + 300
        done = False
        while not done and time.monotonic() < t_end:
            while slow.poll(0):
                parts = slow.recv_multipart()
                msg = parser.deserialize(parser.feed_identities(parts)[1])
                if msg["msg_type"] == "stream" and msg["parent_header"].get("msg_id") == msg_id:
                    slow_text.append(msg["content"]["text"])
                if msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id \
                        and msg["content"]["execution_state"] == "idle":
                    done = True
            k._pull_iopub(0.01)
        assert done, "the cell never finished once the subscriber read"
        res = k.collect(msg_id, code, timeout=120)
        assert res.status == "ok", res.describe()
        expected = "".join(f"{i:08d}" + "x" * 91 + "\n" for i in range(n))
        assert res.stdout == expected, f"the reading client lost output: {len(res.stdout)} of {len(expected)} chars"
        assert "".join(slow_text) == expected, f"the slow client lost output: {len(''.join(slow_text))} chars"
    finally:
        slow.close(linger=0)
        ctx.term()
