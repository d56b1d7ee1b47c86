"""stdin channel: input_request / input_reply round trip, and a clear error (not a hang)
when the frontend does not allow stdin."""
from __future__ import annotations

import re


def test_input_round_trip(kernel, snippets):
    answers = []

    def handler(req):
        answers.append(req)
        return "Ada"

    res = kernel.execute(snippets.read_line, stdin_handler=handler, timeout=30)
    assert res.status == "ok", res.describe()
    assert len(res.stdin_requests) == 1, res.stdin_requests
    req = res.stdin_requests[0]
    assert req["msg_type"] == "input_request"
    assert req["content"]["prompt"] == "name? "
    assert req["content"].get("password") is False
    assert req["parent_header"]["msg_id"] == res.msg_id
    assert "hello Ada" in res.stdout, res.describe()


def test_input_round_trip_twice(kernel, snippets):
    """A second read in a new cell works too (no stale reply is consumed)."""
    for name in ("Grace", "Linus"):
        res = kernel.execute(snippets.read_line, stdin_handler=lambda req, n=name: n, timeout=30)
        assert res.status == "ok", res.describe()
        assert f"hello {name}" in res.stdout, res.describe()


def test_input_without_allow_stdin_is_a_clear_error(kernel, snippets):
    res = kernel.execute(snippets.read_line, allow_stdin=False, timeout=15)
    assert res.status == "error", "reading stdin with allow_stdin=False did not fail:\n" + res.describe()
    assert len(res.errors) == 1, res.describe()
    err = res.errors[0]["content"]
    text = " ".join([err["ename"], err["evalue"], *err["traceback"]])
    assert re.search(snippets.stdin_error_pattern, text), f"unclear error: {err['ename']}: {err['evalue']}"
    # no input_request may have been sent
    try:
        stray = kernel.kc.get_stdin_msg(timeout=0.2)
    except Exception:
        stray = None
    assert stray is None, f"input_request sent although allow_stdin=False: {stray}"
    assert kernel.eval_text(snippets.one_plus_one) == "2"
