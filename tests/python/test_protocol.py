"""Messaging-protocol behaviour that jupyter_kernel_test does not cover."""
from __future__ import annotations

import re
import time
import uuid

import pytest

import harness
from harness import KernelTimeout, RawClient, msg_summary, new_header
from jupyter_client.session import DELIM


# --------------------------------------------------------------------------- kernel_info
def test_kernel_info_content(kernel, snippets):
    reply = kernel.shell_request("kernel_info_request")
    c = reply["content"]
    assert c["status"] == "ok"
    assert re.fullmatch(r"5\.\d+", c["protocol_version"]), c["protocol_version"]
    assert tuple(int(x) for x in c["protocol_version"].split(".")) >= (5, 3)
    li = c["language_info"]
    assert li["name"] == snippets.language
    assert li["file_extension"] == snippets.file_extension
    for key in ("implementation", "implementation_version", "banner"):
        assert isinstance(c.get(key), str) and c[key], f"kernel_info_reply.{key} missing: {c}"
    assert reply["header"]["version"].startswith("5."), reply["header"]


# --------------------------------------------------------------------------- execute basics
def test_execute_results(kernel, snippets):
    assert kernel.eval_text(snippets.one_plus_one) == "2"
    assert kernel.eval_text(snippets.string_expr) == snippets.string_result


def test_execution_count_increments_and_execute_input(kernel, snippets):
    a = kernel.execute_ok(snippets.one_plus_one)
    b = kernel.execute_ok(snippets.one_plus_one)
    ca, cb = a.reply["content"]["execution_count"], b.reply["content"]["execution_count"]
    assert cb == ca + 1, (ca, cb)
    inputs = b.of_type("execute_input")
    assert len(inputs) == 1 and inputs[0]["content"]["code"] == snippets.one_plus_one
    assert inputs[0]["content"]["execution_count"] == cb
    assert b.of_type("execute_result")[0]["content"]["execution_count"] == cb


def test_error_is_one_error_message(kernel, snippets):
    res = kernel.execute(snippets.throw)
    assert res.status == "error", res.describe()
    assert res.reply["content"]["ename"] == snippets.throw_ename, res.describe()
    assert len(res.errors) == 1, res.describe()
    err = res.errors[0]["content"]
    assert err["ename"] == snippets.throw_ename
    assert "boom" in err["evalue"]
    assert isinstance(err["traceback"], list) and all(isinstance(t, str) for t in err["traceback"])
    # the kernel is fine afterwards
    assert kernel.eval_text(snippets.one_plus_one) == "2"


def test_pager_payload(kernel, snippets):
    res = kernel.execute_ok(snippets.page_code)
    payload = res.reply["content"]["payload"]
    assert len(payload) == 1, payload
    p = payload[0]
    assert p["source"] == "page"
    assert p["data"]["text/plain"].strip(), p
    assert p["start"] == 0
    assert not res.of_type("execute_result"), res.describe()


def test_completion_offers_expected_match(kernel, snippets):
    code = snippets.completion_code
    reply = kernel.shell_request("complete_request", {"code": code, "cursor_pos": len(code)})
    c = reply["content"]
    assert c["status"] == "ok"
    assert 0 <= c["cursor_start"] <= c["cursor_end"] <= len(code), c
    completed = [code[: c["cursor_start"]] + m + code[c["cursor_end"]:] for m in c["matches"]]
    assert any(x.startswith(snippets.completion_expect) for x in completed), (
        f"no completion of {code!r} gives {snippets.completion_expect!r}...: {c['matches'][:30]}"
    )
    if snippets.language == "java":
        assert any(m.endswith("max(") for m in c["matches"]), c["matches"][:30]


def test_completion_metadata_gives_kind_and_signature(kernel, snippets):
    """JupyterLab shows each match's `type` from `_jupyter_types_experimental` in its completer."""
    code = snippets.completion_code
    c = kernel.shell_request("complete_request", {"code": code, "cursor_pos": len(code)})["content"]
    types = c["metadata"].get("_jupyter_types_experimental")
    assert types, f"no _jupyter_types_experimental in {c['metadata']}"
    assert [t["text"] for t in types] == c["matches"], types[:5]
    assert all(t["type"] for t in types), types[:5]
    if snippets.language == "java":
        assert all((t["start"], t["end"]) == (c["cursor_start"], c["cursor_end"]) for t in types), types[:5]
        by_text = {t["text"]: t for t in types}
        assert by_text["max("]["type"] == "method", by_text["max("]
        assert by_text["max("]["signature"].startswith("max("), by_text["max("]


def test_inspect_found(kernel, snippets):
    code = snippets.inspect_code
    reply = kernel.shell_request(
        "inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0}
    )
    c = reply["content"]
    assert c["status"] == "ok" and c["found"] is True, c
    assert c["data"].get("text/plain", "").strip(), c


def test_inspect_not_found(kernel, snippets):
    code = "zzNoSuchThingQq"
    reply = kernel.shell_request("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
    c = reply["content"]
    assert c["status"] == "ok" and c["found"] is False, c


# --------------------------------------------------------------------------- busy / idle
def _assert_busy_idle(msgs, parent_id, what):
    statuses = [m["content"]["execution_state"] for m in msgs if m["msg_type"] == "status"]
    listing = "\n  ".join(msg_summary(m) for m in msgs)
    assert msgs, f"{what}: no IOPub messages with its parent"
    assert statuses.count("busy") == 1 and statuses.count("idle") == 1, f"{what}: statuses {statuses}\n  {listing}"
    assert msgs[0]["msg_type"] == "status" and msgs[0]["content"]["execution_state"] == "busy", (
        f"{what}: first message is not status busy:\n  {listing}")
    assert msgs[-1]["msg_type"] == "status" and msgs[-1]["content"]["execution_state"] == "idle", (
        f"{what}: last message is not status idle:\n  {listing}")
    for m in msgs:
        assert m["parent_header"]["msg_id"] == parent_id


def _shell_requests(snippets):
    return [
        ("kernel_info_request", {}),
        ("execute_request", {"code": snippets.one_plus_one, "silent": False, "store_history": True,
                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}),
        ("complete_request", {"code": snippets.completion_code, "cursor_pos": len(snippets.completion_code)}),
        ("inspect_request", {"code": snippets.inspect_code, "cursor_pos": len(snippets.inspect_code), "detail_level": 0}),
        ("is_complete_request", {"code": snippets.one_plus_one}),
        ("history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 5}),
        ("comm_info_request", {}),
    ]


SHELL_TYPES = ["kernel_info_request", "execute_request", "complete_request", "inspect_request",
               "is_complete_request", "history_request", "comm_info_request"]


@pytest.mark.parametrize("msg_type", SHELL_TYPES)
def test_busy_idle_around_shell_request(kernel, snippets, msg_type):
    content = dict(_shell_requests(snippets))[msg_type]
    msg_id = kernel.send_shell(msg_type, content)
    reply = kernel.shell_reply(msg_id)
    assert reply["msg_type"] == msg_type.replace("_request", "_reply")
    assert reply["parent_header"]["msg_id"] == msg_id
    msgs = kernel.wait_idle(msg_id)
    _assert_busy_idle(msgs, msg_id, msg_type)


@pytest.mark.parametrize("msg_type", ["kernel_info_request", "interrupt_request"])
def test_busy_idle_around_control_request(kernel, snippets, msg_type):
    msg_id = kernel.send_control(msg_type, {})
    reply = kernel.control_reply(msg_id)
    assert reply["msg_type"] == msg_type.replace("_request", "_reply")
    assert reply["content"]["status"] == "ok", reply["content"]
    msgs = kernel.wait_idle(msg_id)
    _assert_busy_idle(msgs, msg_id, f"control {msg_type}")
    # an interrupt while idle must not hit the next cell
    assert kernel.eval_text(snippets.one_plus_one) == "2"


# --------------------------------------------------------------------------- comms
def test_comm_info_empty(kernel):
    reply = kernel.shell_request("comm_info_request", {})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"] == {}
    reply = kernel.shell_request("comm_info_request", {"target_name": "jupyter.widget"})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"] == {}


def test_comm_open_unknown_target_is_closed(kernel):
    comm_id = uuid.uuid4().hex
    msg_id = kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
    msgs = kernel.wait_idle(msg_id)
    closes = [m for m in msgs if m["msg_type"] == "comm_close"]
    assert len(closes) == 1, "expected one comm_close:\n  " + "\n  ".join(msg_summary(m) for m in msgs)
    assert closes[0]["content"]["comm_id"] == comm_id
    _assert_busy_idle(msgs, msg_id, "comm_open")
    # and the comm is not listed afterwards
    reply = kernel.shell_request("comm_info_request", {})
    assert reply["content"]["comms"] == {}


# --------------------------------------------------------------------------- unknown / bad messages
@pytest.mark.parametrize("channel", ["shell", "control"])
def test_unknown_request_gets_error_reply(kernel, snippets, channel):
    send = kernel.send_shell if channel == "shell" else kernel.send_control
    recv = kernel.shell_reply if channel == "shell" else kernel.control_reply
    msg_id = send("hpc_bogus_request", {"x": 1})
    reply = recv(msg_id, timeout=10)
    assert reply["msg_type"] == "hpc_bogus_reply", reply["msg_type"]
    assert reply["content"]["status"] == "error", reply["content"]
    assert kernel.eval_text(snippets.one_plus_one) == "2"


def test_bad_signature_is_dropped(fresh_kernel, raw_client, snippets):
    kernel, raw = fresh_kernel, raw_client
    probe = "badSigProbe" if snippets.language == "java" else "bad_sig_probe"
    # 1. an execute_request with a wrong HMAC: must not run and must not be answered
    header = new_header("execute_request", raw.session_id)
    content = {"code": snippets.define(probe, 1), "silent": False, "store_history": True,
               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    _, frames = raw.signed_frames("execute_request", content, header=header)
    frames[1] = b"0" * len(frames[1]) if frames[1] else b"deadbeef"
    raw.send("shell", frames)
    # 2. a correctly signed execute on the same socket, which uses the probe
    good_id = raw.request("shell", "execute_request", {
        "code": snippets.use(probe), "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": False})
    reply, before = raw.wait_reply("shell", good_id, timeout=30)
    assert not [m for m in before if m["parent_header"].get("msg_id") == header["msg_id"]], \
        "the badly signed request was answered: " + ", ".join(msg_summary(m) for m in before)
    assert reply["content"]["status"] == "error", (
        f"{probe} is defined, so the badly signed execute_request ran: {reply['content']}")
    # 3. the kernel is still up and fine
    assert raw.heartbeat(5.0), "no heartbeat after the badly signed message"
    assert kernel.is_alive()
    assert not kernel.iopub_for(header["msg_id"]), "IOPub output for the badly signed request"
    assert kernel.eval_text(snippets.one_plus_one) == "2"


def test_signature_is_checked_before_any_parsing(kernel_name, kernel_factory, tmp_path):
    """Bodies that are not JSON at all, with a wrong signature: the kernel must refuse them for
    the signature (its log says why it dropped each message) without trying to parse them, and
    keep serving. A correctly signed invalid body shows that the log would name the JSON had it
    been parsed first."""
    log_path = tmp_path / "kernel.log"
    with open(log_path, "wb") as log:
        k = harness.Kernel(kernel_name, stderr=log)
        kernel_factory.kernels.append(k)
    raw = RawClient(k.connection_info)
    try:
        invalid = [b"{not json", b"[", b"nul", b"\xff\xfe not utf-8"]
        for channel in ("shell", "control"):
            raw.send(channel, [DELIM, b"0" * 64, *invalid])
            raw.send(channel, [DELIM, b"", *invalid])
        for channel in ("shell", "control"):
            msg_id = raw.request(channel, "kernel_info_request", {})
            reply, _ = raw.wait_reply(channel, msg_id, timeout=30)
            assert reply["msg_type"] == "kernel_info_reply"
        assert raw.heartbeat(5.0) and k.is_alive()
        text = log_path.read_text(errors="replace")
        drops = [line for line in text.splitlines() if "dropped a message" in line]
        assert len([d for d in drops if d.endswith("bad signature")]) == 4, "\n".join(drops)
        assert not [d for d in drops if "JSON" in d], "a badly signed message was parsed:\n" + "\n".join(drops)
        # the same bodies correctly signed do reach the parser, and the log says so
        raw.send("shell", raw.signed_frames("", None, raw_parts=invalid)[1])
        msg_id = raw.request("shell", "kernel_info_request", {})
        raw.wait_reply("shell", msg_id, timeout=30)
        drops = [line for line in log_path.read_text(errors="replace").splitlines() if "dropped a message" in line]
        assert "not valid JSON" in drops[-1], "\n".join(drops)
        assert k.eval_text("1 + 1") == "2"
    finally:
        raw.close()


# --------------------------------------------------------------------------- concurrency
def test_requests_answered_while_cell_runs(fresh_kernel, snippets):
    k = fresh_kernel
    t0 = time.monotonic()
    exec_id = k.send_execute(snippets.long_sleep_3s)
    k.wait_iopub(exec_id, lambda m: m["msg_type"] == "execute_input", 10, "execute_input")
    code = snippets.completion_code
    requests = [
        ("complete_request", {"code": code, "cursor_pos": len(code)}),
        ("inspect_request", {"code": snippets.inspect_code, "cursor_pos": len(snippets.inspect_code), "detail_level": 0}),
        ("kernel_info_request", {}),
    ]
    for msg_type, content in requests:
        sent = time.monotonic()
        rid = k.send_shell(msg_type, content)
        try:
            reply = k.shell_reply(rid, timeout=2.0)
        except KernelTimeout:
            pytest.fail(f"{msg_type} not answered within 2 s while a cell runs (t={sent - t0:.2f}s)")
        assert reply["content"]["status"] == "ok", reply["content"]
        assert exec_id not in k._shell, f"{msg_type} was only answered after the cell finished"
    assert time.monotonic() - t0 < 3.0, "the replies came after the 3 s cell ended"
    res = k.collect(exec_id, snippets.long_sleep_3s, timeout=30)
    assert res.status == "ok", res.describe()


# --------------------------------------------------------------------------- stop_on_error
def test_stop_on_error_aborts_queued_executes(fresh_kernel, snippets):
    k = fresh_kernel
    probe = "abortedProbe" if snippets.language == "java" else "aborted_probe"
    first = k.send_execute(snippets.slow_throw, stop_on_error=True)
    queued = [k.send_execute(snippets.define(probe, 1)), k.send_execute(snippets.one_plus_one)]
    r1 = k.collect(first, snippets.slow_throw)
    assert r1.status == "error", r1.describe()
    for q in queued:
        reply = k.shell_reply(q)
        assert reply["content"]["status"] == snippets.abort_status, reply["content"]
        msgs = k.iopub_for(q)
        assert not [m for m in msgs if m["msg_type"] in ("execute_result", "stream", "error")], \
            "aborted request produced output: " + ", ".join(msg_summary(m) for m in msgs)
    # later requests run again, and the aborted ones did not run
    res = k.execute(snippets.use(probe))
    assert res.status == "error", "the aborted cell ran:\n" + res.describe()
    assert k.eval_text(snippets.one_plus_one) == "2"


def test_stop_on_error_spares_requests_sent_after_the_error_reply(fresh_kernel, snippets):
    """Only requests queued before the failing cell's reply are aborted: a cell sent after
    the error reply (and idle) has arrived must run. Repeated, since a wrong order of
    "reply, idle" and "drain the queue" in the kernel shows up only now and then."""
    k = fresh_kernel
    for i in range(30):
        r1 = k.execute(snippets.throw, stop_on_error=True)
        assert r1.status == "error", r1.describe()
        r2 = k.execute(snippets.one_plus_one)
        assert r2.status == "ok" and r2.result_text() == "2", (
            f"round {i}: a cell sent after the error reply was not run:\n" + r2.describe())


def test_stop_on_error_false_does_not_abort(fresh_kernel, snippets):
    k = fresh_kernel
    first = k.send_execute(snippets.slow_throw, stop_on_error=False)
    second = k.send_execute(snippets.one_plus_one)
    r1 = k.collect(first, snippets.slow_throw)
    assert r1.status == "error", r1.describe()
    r2 = k.collect(second, snippets.one_plus_one)
    assert r2.status == "ok" and r2.result_text() == "2", r2.describe()
