"""Output: from a background thread started by a cell, and 10 MB arriving complete and in order."""
from __future__ import annotations

import pytest

from harness import msg_summary

BIG_LINES = 104_858  # x 100 bytes = 10,485,800 bytes (10 MiB)
LINE_LEN = 100


def test_output_from_thread_while_cell_runs(kernel, snippets):
    res = kernel.execute_ok(snippets.bg_thread_during_cell)
    assert "bg-during-cell" in res.stdout, res.describe()


def test_output_from_background_thread_after_cell(kernel, snippets):
    res = kernel.execute_ok(snippets.bg_thread_after_cell)
    # The thread prints ~0.3 s after the cell has finished. The text must still arrive on
    # IOPub as stdout (whatever parent the kernel gives it).
    def has_text(m):
        return m["msg_type"] == "stream" and "from-background-thread" in m["content"].get("text", "")

    found = next((m for m in res.iopub if has_text(m)), None)
    if found is None:
        found, seen = kernel.wait_any_iopub(has_text, timeout=10)
        assert found is not None, "background thread output never arrived; got:\n  " + "\n  ".join(
            msg_summary(m) for m in seen[-20:])
    assert found["content"]["name"] == "stdout"
    assert found["content"]["text"].count("from-background-thread") == 1
    # kernel still fine
    assert kernel.eval_text(snippets.one_plus_one) == "2"


@pytest.mark.slow
def test_10mb_output_complete_and_in_order(kernel, snippets):
    code = snippets.big_output(BIG_LINES)
    res = kernel.execute(code, timeout=120)
    assert res.status == "ok", res.describe()
    assert not res.stderr, f"unexpected stderr: {res.stderr[:500]!r}"
    out = res.stdout
    lines = out.split("\n")
    assert lines[-1] == "", f"output does not end with a newline: ...{out[-120:]!r}"
    lines.pop()
    pad = "x" * (LINE_LEN - 9)
    bad = []
    for i, line in enumerate(lines):
        if line != f"{i:08d}{pad}":
            bad.append((i, line[:20]))
            if len(bad) >= 5:
                break
    assert not bad, f"line(s) lost/duplicated/reordered, first mismatches at (index, text): {bad}"
    assert len(lines) == BIG_LINES, f"{len(lines)} of {BIG_LINES} lines arrived"
    assert len(out.encode()) == BIG_LINES * LINE_LEN
    # and the kernel keeps working
    assert kernel.eval_text(snippets.one_plus_one) == "2"
