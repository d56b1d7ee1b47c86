"""Fuzz: >= 10,000 malformed or mutated messages on shell and control, sent from raw
pyzmq DEALER sockets (signed with the connection-file key where appropriate).

Categories: bad signature, wrong frame count, invalid JSON, missing fields, wrong types,
huge content (a few MB), non-UTF-8 bytes, unknown message types, validly signed messages
with garbage content, and replays (a checkpoint's kernel_info_request sent again byte for
byte, which must never be answered twice). Bounded loop, loopback only, seeded RNG.

Afterwards the kernel must still answer heartbeats and kernel_info, must not have run any
badly signed execute_request (they all define a probe variable that must stay undefined),
and must execute a cell correctly.
"""
from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections import Counter

import pytest

from harness import new_header

N_MESSAGES = max(10_000, int(os.environ.get("HPC_FUZZ_MESSAGES", "10000")))
SEED = int(os.environ.get("HPC_FUZZ_SEED", "20250521"))
CHECKPOINT_EVERY = 1_000  # a valid kernel_info round trip on both channels + heartbeat
HUGE_BYTES = 3 * 1024 * 1024
N_HUGE = 6

KNOWN_SHELL = ["execute_request", "complete_request", "inspect_request", "history_request",
               "is_complete_request", "comm_info_request", "kernel_info_request", "comm_open",
               "comm_msg", "comm_close", "input_reply"]
KNOWN_CONTROL = ["kernel_info_request", "interrupt_request", "debug_request", "input_reply"]
# sent only with a wrong signature (a correctly signed one would legitimately end the test)
DANGEROUS = ["shutdown_request"]

INVALID_JSON = [b"", b"{", b"}", b"[", b"{\"a\":", b"{'single': 'quotes'}", b"nul", b"{\"a\": NaN}",
                b"{\"a\": Infinity}", b"\x00\x01\x02", b"{\"a\":1,}", b"[1,2", b"\"unterminated",
                b"{\"a\": \"\\ud800\"}", b"{\"a\" 1}", b"tru", b"{}{}", b"   "]
NON_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc",
            b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"]


def garbage_value(rng: random.Random, depth: int = 0):
    choice = rng.randrange(12 if depth < 2 else 8)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.randint(-2**40, 2**40)
    if choice == 3:
        return rng.choice([2**70, -2**70, 1e308, -0.0, 3.5])
    if choice == 4:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(0, 30)))
    if choice == 5:
        return ""
    if choice == 6:
        return rng.choice(["\u0000", "\ud7ff", "\U0001F600" * 3, "\\", "\"", "}{"])
    if choice == 7:
        return rng.choice([-1, 0, 10**12, 2**31, -2**31 - 1])
    if choice in (8, 9):
        return [garbage_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {rng.choice(["code", "cursor_pos", "n", "x", "", "comm_id", "data"]): garbage_value(rng, depth + 1)
            for _ in range(rng.randrange(0, 4))}


def garbage_content(rng: random.Random, msg_type: str):
    """Validly signed content that is wrong for the message type (never a runnable cell)."""
    if msg_type == "execute_request":
        c = {"silent": garbage_value(rng), "store_history": garbage_value(rng),
             "user_expressions": garbage_value(rng), "allow_stdin": garbage_value(rng),
             "stop_on_error": garbage_value(rng)}
        bad_code = rng.choice([None, 1, [], {}, ["int x = 1;"], True, {"code": "1"}])
        if rng.random() < 0.8:
            c["code"] = bad_code
        return c
    if msg_type in ("complete_request", "inspect_request"):
        code = rng.choice([None, 5, "", "Math.", "x" * rng.randrange(0, 50), "\u00e9\u00e9", []])
        return {"code": code, "cursor_pos": rng.choice([None, -1, -10**9, 10**9, "3", 1.5, [], 2**63]),
                "detail_level": garbage_value(rng)}
    if msg_type == "history_request":
        return {"hist_access_type": rng.choice(["tail", "range", "search", "bogus", None, 3]),
                "n": rng.choice([None, -1, 0, 10**9, "5", 2**63]), "output": garbage_value(rng),
                "raw": garbage_value(rng), "session": garbage_value(rng), "start": garbage_value(rng),
                "stop": garbage_value(rng), "pattern": rng.choice([None, "[", "**", 5, "*" * 1000]),
                "unique": garbage_value(rng)}
    if msg_type == "is_complete_request":
        return {"code": rng.choice([None, 7, [], {}, "\x00"])}
    if msg_type.startswith("comm_"):
        return {"comm_id": rng.choice([None, 1, "", uuid.uuid4().hex, []]),
                "target_name": garbage_value(rng), "data": garbage_value(rng)}
    if rng.random() < 0.5:
        return garbage_value(rng)
    return {"x": garbage_value(rng)}


class Fuzzer:
    def __init__(self, raw, rng: random.Random):
        self.raw = raw
        self.rng = rng
        self.stats: Counter = Counter()
        self.probe_code = "int fuzzProbe = 1;"
        self.replayable: list[tuple[str, str, list[bytes]]] = []  # (channel, msg_id, frames) already answered
        self.replayed: set[str] = set()

    # every generator returns (channel, frames)
    def channel(self) -> str:
        return "shell" if self.rng.random() < 0.6 else "control"

    def msg_type(self, channel: str) -> str:
        return self.rng.choice(KNOWN_SHELL if channel == "shell" else KNOWN_CONTROL)

    def parts(self, msg_type: str, content) -> list[bytes]:
        return [json.dumps(new_header(msg_type, self.raw.session_id)).encode(), b"{}", b"{}",
                json.dumps(content).encode()]

    def signed(self, parts: list[bytes]) -> list[bytes]:
        return self.raw.signed_frames("", None, raw_parts=parts)[1]

    def bad_signature(self):
        ch = self.channel()
        mt = self.rng.choice(["execute_request", *DANGEROUS, self.msg_type(ch)])
        content = {"code": self.probe_code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        if mt == "shutdown_request":
            content = {"restart": False}
        frames = self.signed(self.parts(mt, content))
        sig = frames[1]
        how = self.rng.randrange(6)
        if how == 0:
            frames[1] = b""
        elif how == 1:
            frames[1] = sig[:-1] + (b"0" if sig[-1:] != b"0" else b"1")
        elif how == 2:
            frames[1] = sig.upper()
        elif how == 3:
            frames[1] = sig[: len(sig) // 2]
        elif how == 4:
            frames[1] = os.urandom(32).hex().encode()
        else:  # content changed after signing
            frames[5] = frames[5].replace(b"fuzzProbe", b"fuzzProbf").replace(b"false", b"true ")
            if frames[5] == self.parts(mt, content)[3]:
                frames[1] = b"f" * len(sig)
        return ch, frames

    def wrong_frame_count(self):
        ch = self.channel()
        frames = self.signed(self.parts(self.msg_type(ch), {}))
        how = self.rng.randrange(5)
        if how == 0:  # drop some frames (delimiter may survive)
            keep = sorted(self.rng.sample(range(len(frames)), self.rng.randrange(1, len(frames))))
            frames = [frames[i] for i in keep]
        elif how == 1:  # no delimiter
            frames = frames[1:]
        elif how == 2:  # only the delimiter (+ maybe signature)
            frames = frames[: self.rng.randrange(1, 3)]
        elif how == 3:  # random number of random frames
            frames = [os.urandom(self.rng.randrange(0, 40)) for _ in range(self.rng.randrange(1, 12))]
        else:  # delimiter twice / frames duplicated
            frames = frames[:2] + frames[:2] + frames[2:]
        return ch, frames

    def invalid_json(self):
        ch = self.channel()
        parts = self.parts(self.msg_type(ch), {})
        idx = self.rng.randrange(4)
        parts[idx] = self.rng.choice(INVALID_JSON)
        if self.rng.random() < 0.3:
            parts[idx] = parts[idx] + os.urandom(3).hex().encode()
        return ch, self.signed(parts)

    def missing_fields(self):
        ch = self.channel()
        mt = self.msg_type(ch)
        header = new_header(mt, self.raw.session_id)
        for key in self.rng.sample(sorted(header), self.rng.randrange(1, len(header) + 1)):
            del header[key]
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(garbage_content(self.rng, mt)).encode()]
        return ch, self.signed(parts)

    def wrong_types(self):
        ch = self.channel()
        mt = self.msg_type(ch)
        header = new_header(mt, self.raw.session_id)
        which = self.rng.randrange(4)
        parts = [None, b"{}", b"{}", b"{}"]
        if which == 0:
            key = self.rng.choice(sorted(header))
            header[key] = self.rng.choice([1, None, [], {}, True, 2**70, 1.5])
            parts[0] = json.dumps(header).encode()
        else:
            parts[0] = json.dumps(header).encode() if self.rng.random() < 0.7 else json.dumps(
                self.rng.choice([[], "header", 5, None])).encode()
            parts[which] = json.dumps(self.rng.choice([[], "x", 5, None, True, [{}]])).encode()
        return ch, self.signed(parts)

    def non_utf8(self):
        ch = self.channel()
        parts = self.parts(self.msg_type(ch), {"code": "x", "cursor_pos": 1})
        idx = self.rng.randrange(4)
        bad = self.rng.choice(NON_UTF8)
        pos = self.rng.randrange(len(parts[idx]) + 1)
        parts[idx] = parts[idx][:pos] + bad + parts[idx][pos:]
        frames = self.signed(parts)
        if self.rng.random() < 0.2:
            frames[1] = frames[1][:10] + bad + frames[1][10:]
        return ch, frames

    def unknown_type(self):
        ch = self.channel()
        mt = self.rng.choice([f"fuzz_{self.rng.randrange(1000)}_request", "fuzz_thing", "", "_request",
                              "request", "execute_reply", "status", "stream", "EXECUTE_REQUEST"])
        return ch, self.signed(self.parts(mt, garbage_value(self.rng)))

    def garbage_signed(self):
        ch = self.channel()
        mt = self.msg_type(ch)
        parts = self.parts(mt, garbage_content(self.rng, mt))
        if self.rng.random() < 0.2:
            parts[1] = json.dumps(garbage_value(self.rng)).encode()  # parent_header
        if self.rng.random() < 0.1:
            parts[2] = json.dumps(garbage_value(self.rng)).encode()  # metadata
        frames = self.signed(parts)
        if self.rng.random() < 0.1:
            frames += [os.urandom(self.rng.randrange(0, 100))]  # buffers
        return ch, frames

    def huge(self, i: int):
        ch = "shell" if i % 2 == 0 else "control"
        blob = "x" * HUGE_BYTES
        kind = i % 3
        if kind == 0:  # bad signature
            frames = self.signed(self.parts("execute_request", {"code": "// " + blob}))
            frames[1] = b"0" * 64
        elif kind == 1:  # signed unknown type
            frames = self.signed(self.parts("fuzz_huge_request", {"blob": blob}))
        else:  # signed kernel_info with a huge unused field
            frames = self.signed(self.parts("kernel_info_request", {"junk": blob}))
        return ch, frames

    def replay(self):
        if not self.replayable:
            return self.garbage_signed()
        ch, msg_id, frames = self.rng.choice(self.replayable)
        self.replayed.add(msg_id)
        return ch, list(frames)

    GENERATORS = ["bad_signature", "wrong_frame_count", "invalid_json", "missing_fields",
                  "wrong_types", "non_utf8", "unknown_type", "garbage_signed", "replay"]

    def next(self, i: int, huge_at: set[int]):
        if i in huge_at:
            self.stats["huge"] += 1
            return self.huge(len([h for h in huge_at if h < i]))
        name = self.GENERATORS[i % len(self.GENERATORS)] if i < 80 else self.rng.choice(self.GENERATORS)
        self.stats[name] += 1
        return getattr(self, name)()


def _checkpoint(raw, where: str, fuzzer: "Fuzzer | None" = None, answered: Counter | None = None) -> int:
    """Heartbeat + kernel_info on shell and control; returns how many other replies came first.
    The requests become replay material for *fuzzer*; replies are counted per parent in *answered*."""
    assert raw.heartbeat(10.0), f"no heartbeat {where}"
    others = 0
    for ch in ("shell", "control"):
        msg_id, frames = raw.signed_frames("kernel_info_request", {})
        raw.send(ch, list(frames))
        try:
            reply, before = raw.wait_reply(ch, msg_id, timeout=60)
        except AssertionError as e:
            raise AssertionError(f"{where}: kernel_info on {ch} not answered: {e}") from None
        assert reply["msg_type"] == "kernel_info_reply", f"{where}: {reply['msg_type']}"
        others += len(before)
        if answered is not None:
            for m in [*before, reply]:
                answered[m["parent_header"].get("msg_id", "")] += 1
        if fuzzer is not None:
            fuzzer.replayable.append((ch, msg_id, frames))
    return others


def _drain(raw, channel: str, answered: Counter) -> int:
    """Reads every waiting reply, counting replies per parent msg_id."""
    n = 0
    while True:
        msg = raw.recv(channel, 0)
        if msg is None:
            return n
        answered[msg["parent_header"].get("msg_id", "")] += 1
        n += 1


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_fuzz_kernel_survives(fresh_kernel, raw_client, snippets):
    k, raw = fresh_kernel, raw_client
    rng = random.Random(SEED)
    fuzzer = Fuzzer(raw, rng)
    if snippets.language != "java":
        fuzzer.probe_code = "fuzzProbe = 1"
    huge_at = set(rng.sample(range(100, N_MESSAGES), N_HUGE))
    answered: Counter = Counter()
    _checkpoint(raw, "before the fuzz run", fuzzer, answered)  # first replay material
    t0 = time.monotonic()
    sent = replies = 0
    for i in range(N_MESSAGES):
        ch, frames = fuzzer.next(i, huge_at)
        raw.send(ch, frames)
        sent += 1
        if (i + 1) % 100 == 0:
            replies += _drain(raw, "shell", answered) + _drain(raw, "control", answered)
        if (i + 1) % CHECKPOINT_EVERY == 0:
            assert k.is_alive(), f"kernel process died after {i + 1} fuzz messages ({dict(fuzzer.stats)})"
            replies += _checkpoint(raw, f"after {i + 1} fuzz messages (seed {SEED})", fuzzer, answered)
    elapsed = time.monotonic() - t0
    replies += _drain(raw, "shell", answered) + _drain(raw, "control", answered)
    _checkpoint(raw, "after the last fuzz message", None, answered)  # replies to replays have arrived by now
    twice = {m: n for m, n in answered.items() if m in fuzzer.replayed and n > 1}
    assert not twice, f"replayed requests were answered again: {twice}"
    print(f"fuzz: {sent} messages in {elapsed:.1f}s, seed {SEED}, {replies} replies: {dict(fuzzer.stats)}")
    # validly signed messages (garbage content, unknown types) are processed, not all ignored
    assert replies > 100, f"only {replies} replies to {sent} messages"
    assert sent >= 10_000
    assert all(fuzzer.stats[g] > 100 for g in Fuzzer.GENERATORS), fuzzer.stats
    assert fuzzer.stats["huge"] == N_HUGE

    # still up: heartbeat, kernel_info on both channels, a correct execution
    assert k.is_alive(), "kernel process died"
    _checkpoint(raw, "after the fuzz run")
    reply = k.shell_request("kernel_info_request", timeout=30)
    assert reply["content"]["status"] == "ok"
    # kernel_info is answered beside the execution queue: fuzzed executes may still be queued, and a
    # failing one aborts what is queued behind it. This execute's reply (ok or aborted) comes once
    # every earlier execute has been served.
    k.execute(snippets.one_plus_one, timeout=120)
    assert k.eval_text(snippets.one_plus_one) == "2"
    # no badly signed execute_request ran
    res = k.execute(snippets.use("fuzzProbe"))
    assert res.status == "error", "a badly signed execute_request was executed:\n" + res.describe()
