"""Test harness for hpc-kernel: start kernels by kernelspec name, run code, collect
IOPub output per request, raw ZMQ access for malformed-message tests.

Everything here is kernel-agnostic; language specifics live in snippets.py.
Environment:
  HPC_KERNEL_NAME        kernelspec under test (default ``java-hpc``)
  HPC_KERNEL_NAME_NEWJDK kernelspec of the same kernel on a JDK >= 21 (default: the installed
                         ``<HPC_KERNEL_NAME>-jdkNN`` with the highest NN >= 21, as scripts/setup.sh
                         names it after its JDK)
  CI                     ``true`` turns "JDK >= 21 missing" from a skip into a failure
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import queue
import re
import signal
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import zmq
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager
from jupyter_client.session import DELIM, Session

KERNEL_NAME = os.environ.get("HPC_KERNEL_NAME", "java-hpc")
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

#: how long a kernel may take to answer its first kernel_info (JVM start, hang guard only)
STARTUP_TIMEOUT = float(os.environ.get("HPC_STARTUP_TIMEOUT", "60"))
#: default hang guard for one request
REQUEST_TIMEOUT = 30.0


class KernelTimeout(AssertionError):
    """A reply / message did not arrive in time (AssertionError so pytest shows it as a failure)."""


def kernelspec(name: str):
    """The KernelSpec for *name*, or None."""
    try:
        return KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None


def newer_jdk_kernel_name(primary: str = KERNEL_NAME) -> str | None:
    """The kernelspec of *primary* on a JDK >= 21 (see the module docstring), or None."""
    if os.environ.get("HPC_KERNEL_NAME_NEWJDK"):
        return os.environ["HPC_KERNEL_NAME_NEWJDK"]
    pattern = re.compile(re.escape(primary) + r"-jdk(\d+)")
    found = [(int(m.group(1)), name) for name in KernelSpecManager().find_kernel_specs()
             if (m := pattern.fullmatch(name)) and int(m.group(1)) >= 21]
    return max(found)[1] if found else None


def kernel_language(name: str) -> str | None:
    spec = kernelspec(name)
    return spec.language.lower() if spec is not None else None


def parent_key(msg: dict[str, Any]) -> str:
    """The parent msg_id of *msg* as a string ("" if absent or not a string, e.g. after fuzzing)."""
    parent = msg.get("parent_header")
    if not isinstance(parent, dict):
        return ""
    msg_id = parent.get("msg_id", "")
    return msg_id if isinstance(msg_id, str) else ""


def msg_summary(msg: dict[str, Any]) -> str:
    """One line describing a message, for assertion texts."""
    mt = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
    c = msg.get("content", {})
    if mt == "status":
        detail = c.get("execution_state")
    elif mt == "stream":
        text = c.get("text", "")
        detail = f"{c.get('name')} {text[:60]!r}{'...' if len(text) > 60 else ''} ({len(text)} chars)"
    elif mt == "error":
        detail = f"{c.get('ename')}: {str(c.get('evalue'))[:100]}"
    elif mt in ("execute_result", "display_data"):
        detail = ",".join(c.get("data", {}).keys())
    else:
        detail = json.dumps(c, default=str)[:100]
    return f"{mt}[{detail}] parent={parent_key(msg)}"


@dataclass
class ExecResult:
    """What one execute_request produced."""

    msg_id: str
    code: str
    reply: dict[str, Any]
    #: all IOPub messages with this parent, in arrival order (incl. status and execute_input)
    iopub: list[dict[str, Any]]
    stdin_requests: list[dict[str, Any]] = field(default_factory=list)
    reply_time: float = 0.0  # seconds from send to execute_reply
    idle_time: float = 0.0  # seconds from send to status idle

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["msg_type"] not in ("status", "execute_input")]

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["msg_type"] == msg_type]

    def stream(self, name: str = "stdout") -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == name
        )

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.of_type("error")

    def result_text(self) -> str | None:
        res = self.of_type("execute_result")
        if not res:
            return None
        return res[-1]["content"]["data"].get("text/plain")

    def describe(self) -> str:
        lines = [f"execute {self.code[:80]!r} -> reply status={self.status}"]
        if self.status == "error":
            c = self.reply["content"]
            lines.append(f"  reply error: {c.get('ename')}: {str(c.get('evalue'))[:300]}")
        lines += ["  " + msg_summary(m) for m in self.iopub[:40]]
        if len(self.iopub) > 40:
            lines.append(f"  ... {len(self.iopub) - 40} more iopub messages")
        return "\n".join(lines)


class Kernel:
    """A running kernel (KernelManager + BlockingKernelClient) with per-parent message routing."""

    def __init__(self, name: str, startup_timeout: float = STARTUP_TIMEOUT,
                 env: dict[str, str] | None = None, stderr=None):
        """*env* is added to this process's environment for the kernel; *stderr* is a file the
        kernel's log goes to (default: inherited). Jupyter writes a random key into the
        connection file, so these kernels authenticate every message."""
        self.name = name
        self.km = KernelManager(kernel_name=name)
        self.t_start = time.monotonic()
        kw: dict[str, Any] = {}
        if env is not None:
            kw["env"] = {**os.environ, **env}
        if stderr is not None:
            kw["stderr"] = stderr
        self.km.start_kernel(**kw)
        self.kc = self.km.client()
        self.kc.start_channels()
        self._iopub: dict[str, list[dict[str, Any]]] = {}
        self._shell: dict[str, dict[str, Any]] = {}
        self._control: dict[str, dict[str, Any]] = {}
        try:
            self.kc.wait_for_ready(timeout=startup_timeout)
        except Exception:
            self.close()
            raise
        self.t_ready = time.monotonic()

    # ------------------------------------------------------------------ process
    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid

    @property
    def process(self):
        return self.km.provisioner.process  # subprocess.Popen (LocalProvisioner)

    def is_alive(self) -> bool:
        return self.km.is_alive()

    @property
    def connection_info(self) -> dict[str, Any]:
        return self.km.get_connection_info(session=False)

    @property
    def session(self) -> Session:
        return self.kc.session

    def close(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:
            pass
        try:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)
        except Exception:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
        try:
            self.km.cleanup_resources()
        except Exception:
            pass

    # ------------------------------------------------------------------ sending
    def send_shell(self, msg_type: str, content: dict[str, Any] | None = None, **header) -> str:
        msg = self.session.msg(msg_type, content or {})
        msg["header"].update(header)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def send_control(self, msg_type: str, content: dict[str, Any] | None = None) -> str:
        msg = self.session.msg(msg_type, content or {})
        self.kc.control_channel.send(msg)
        return msg["header"]["msg_id"]

    def send_execute(
        self,
        code: str,
        silent: bool = False,
        store_history: bool = True,
        allow_stdin: bool = False,
        stop_on_error: bool = True,
    ) -> str:
        return self.kc.execute(
            code,
            silent=silent,
            store_history=store_history,
            allow_stdin=allow_stdin,
            stop_on_error=stop_on_error,
        )

    # ------------------------------------------------------------------ receiving
    def _pull_iopub(self, timeout: float) -> dict[str, Any] | None:
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return None
        self._iopub.setdefault(parent_key(msg), []).append(msg)
        return msg

    def iopub_for(self, parent_id: str) -> list[dict[str, Any]]:
        """IOPub messages received so far for *parent_id* (without waiting)."""
        while self._pull_iopub(0) is not None:
            pass
        return list(self._iopub.get(parent_id, []))

    def take_iopub(self, parent_id: str) -> list[dict[str, Any]]:
        self.iopub_for(parent_id)
        return self._iopub.pop(parent_id, [])

    def wait_iopub(
        self,
        parent_id: str,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = REQUEST_TIMEOUT,
        what: str = "iopub message",
    ) -> dict[str, Any]:
        """Wait for an IOPub message with this parent matching *predicate* (messages stay stored)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            msgs = self._iopub.get(parent_id, [])
            for m in msgs[seen:]:
                if predicate(m):
                    return m
            seen = len(msgs)
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelTimeout(
                    f"no {what} for parent {parent_id} within {timeout}s; got:\n  "
                    + "\n  ".join(msg_summary(m) for m in msgs[-30:])
                )
            self._pull_iopub(min(left, 0.2))

    def wait_any_iopub(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """Wait for an IOPub message with any parent matching *predicate*.
        Returns (message or None on timeout, all messages looked at)."""
        seen: list[dict[str, Any]] = []
        for msgs in self._iopub.values():
            for m in msgs:
                seen.append(m)
                if predicate(m):
                    return m, seen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = self._pull_iopub(min(0.2, max(0.0, deadline - time.monotonic())))
            if m is not None:
                seen.append(m)
                if predicate(m):
                    return m, seen
        return None, seen

    def wait_idle(self, parent_id: str, timeout: float = REQUEST_TIMEOUT) -> list[dict[str, Any]]:
        """Wait for status idle with this parent; return (and forget) all its IOPub messages."""
        self.wait_iopub(
            parent_id,
            lambda m: m["msg_type"] == "status" and m["content"]["execution_state"] == "idle",
            timeout,
            "status idle",
        )
        return self._iopub.pop(parent_id, [])

    def _reply(self, store: dict, channel, parent_id: str, timeout: float, name: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while parent_id not in store:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelTimeout(f"no {name} reply to {parent_id} within {timeout}s")
            try:
                msg = channel.get_msg(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            store[parent_key(msg)] = msg
        return store.pop(parent_id)

    def shell_reply(self, parent_id: str, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self._reply(self._shell, self.kc.shell_channel, parent_id, timeout, "shell")

    def control_reply(self, parent_id: str, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self._reply(self._control, self.kc.control_channel, parent_id, timeout, "control")

    def shell_request(self, msg_type: str, content: dict[str, Any] | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.shell_reply(self.send_shell(msg_type, content), timeout)

    def control_request(self, msg_type: str, content: dict[str, Any] | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.control_reply(self.send_control(msg_type, content), timeout)

    # ------------------------------------------------------------------ execute
    def collect(
        self,
        msg_id: str,
        code: str = "",
        timeout: float = REQUEST_TIMEOUT,
        stdin_handler: Callable[[dict[str, Any]], str | None] | None = None,
        t0: float | None = None,
    ) -> ExecResult:
        """Wait for the execute_reply and the idle status of *msg_id*."""
        t0 = time.monotonic() if t0 is None else t0
        deadline = t0 + timeout
        reply = None
        reply_time = idle_time = 0.0
        idle = False
        stdin_requests: list[dict[str, Any]] = []
        seen = 0
        while reply is None or not idle:
            left = deadline - time.monotonic()
            if left <= 0:
                got = self._iopub.get(msg_id, [])
                raise KernelTimeout(
                    f"execute {code[:80]!r}: {'no execute_reply' if reply is None else 'no idle'} within "
                    f"{timeout}s; iopub so far:\n  " + "\n  ".join(msg_summary(m) for m in got[-30:])
                )
            if stdin_handler is not None:
                try:
                    req = self.kc.get_stdin_msg(timeout=0)
                except queue.Empty:
                    req = None
                if req is not None:
                    stdin_requests.append(req)
                    answer = stdin_handler(req)
                    if answer is not None:
                        self.kc.input(answer)
            if reply is None:
                if msg_id in self._shell:
                    reply = self._shell.pop(msg_id)
                    reply_time = time.monotonic() - t0
                else:
                    try:
                        msg = self.kc.shell_channel.get_msg(timeout=0)
                    except queue.Empty:
                        pass
                    else:
                        self._shell[parent_key(msg)] = msg
                        continue
            if not idle:
                msgs = self._iopub.get(msg_id, [])
                for m in msgs[seen:]:
                    if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                        idle = True
                        idle_time = time.monotonic() - t0
                seen = len(msgs)
                if idle:
                    continue
            self._pull_iopub(min(max(left, 0), 0.05 if stdin_handler or reply is None else 0.2))
        return ExecResult(
            msg_id=msg_id,
            code=code,
            reply=reply,
            iopub=self._iopub.pop(msg_id, []),
            stdin_requests=stdin_requests,
            reply_time=reply_time,
            idle_time=idle_time,
        )

    def execute(
        self,
        code: str,
        timeout: float = REQUEST_TIMEOUT,
        allow_stdin: bool = False,
        stop_on_error: bool = True,
        silent: bool = False,
        store_history: bool = True,
        stdin_handler: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> ExecResult:
        t0 = time.monotonic()
        msg_id = self.send_execute(
            code,
            silent=silent,
            store_history=store_history,
            allow_stdin=allow_stdin or stdin_handler is not None,
            stop_on_error=stop_on_error,
        )
        return self.collect(msg_id, code, timeout, stdin_handler, t0)

    def execute_ok(self, code: str, timeout: float = REQUEST_TIMEOUT, **kw) -> ExecResult:
        """Execute and assert the reply is ok and no error was published."""
        res = self.execute(code, timeout=timeout, **kw)
        assert res.status == "ok" and not res.errors, "expected success:\n" + res.describe()
        return res

    def eval_text(self, code: str, timeout: float = REQUEST_TIMEOUT) -> str | None:
        """Execute an expression and return its execute_result text/plain."""
        return self.execute_ok(code, timeout).result_text()

    def interrupt_by_message(self) -> str:
        return self.send_control("interrupt_request", {})

    def signal_process(self, signum: int = signal.SIGINT) -> None:
        os.kill(self.pid, signum)

    def process_tree_pids(self) -> list[int]:
        import psutil

        try:
            proc = psutil.Process(self.pid)
            return [proc.pid] + [c.pid for c in proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []


# ---------------------------------------------------------------------- raw ZMQ
def sign(key: bytes, parts: Iterable[bytes], scheme: str = "hmac-sha256") -> bytes:
    if not key:
        return b""
    digest = getattr(hashlib, scheme.split("-", 1)[1])
    h = hmac.new(key, digestmod=digest)
    for p in parts:
        h.update(p)
    return h.hexdigest().encode()


def new_header(msg_type: str, session_id: str, msg_id: str | None = None) -> dict[str, Any]:
    return {
        "msg_id": msg_id or uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "fuzz",
        "session": session_id,
        "date": "2025-01-01T00:00:00.000000Z",
        "version": "5.4",
    }


def encode(obj: Any) -> bytes:
    return json.dumps(obj).encode()


class RawClient:
    """Raw DEALER sockets on shell/control plus a REQ heartbeat socket, using the kernel's
    connection info. Builds frames by hand so tests can send anything."""

    def __init__(self, conn: dict[str, Any]):
        self.conn = conn
        key = conn.get("key", b"")
        self.key = key.encode() if isinstance(key, str) else key
        self.scheme = conn.get("signature_scheme", "hmac-sha256")
        self.session_id = uuid.uuid4().hex
        self.ctx = zmq.Context()
        self.sockets: dict[str, zmq.Socket] = {}
        for channel in ("shell", "control"):
            s = self.ctx.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.IDENTITY, f"raw-{channel}-{self.session_id[:8]}".encode())
            s.setsockopt(zmq.SNDHWM, 0)
            s.setsockopt(zmq.RCVHWM, 0)
            s.connect(self.url(channel))
            self.sockets[channel] = s
        self.hb: zmq.Socket | None = None
        # a Session only to parse/verify replies
        self.parser = Session(key=self.key, signature_scheme=self.scheme)

    def url(self, channel: str) -> str:
        transport = self.conn.get("transport", "tcp")
        ip = self.conn.get("ip", "127.0.0.1")
        port = self.conn[f"{channel}_port"]
        return f"{transport}://{ip}:{port}" if transport == "tcp" else f"{transport}://{ip}-{port}"

    def signed_frames(
        self,
        msg_type: str,
        content: Any,
        header: dict[str, Any] | None = None,
        parent: Any = None,
        metadata: Any = None,
        raw_parts: list[bytes] | None = None,
        buffers: list[bytes] | None = None,
    ) -> tuple[str, list[bytes]]:
        """Frames of a correctly signed message (the *content* etc. may be anything).
        raw_parts, if given, are the 4 already-encoded parts (header, parent, metadata, content)."""
        if raw_parts is None:
            header = header or new_header(msg_type, self.session_id)
            raw_parts = [
                encode(header),
                encode({} if parent is None else parent),
                encode({} if metadata is None else metadata),
                content if isinstance(content, bytes) else encode(content),
            ]
            msg_id = header.get("msg_id", "") if isinstance(header, dict) else ""
        else:
            msg_id = ""
        sig = sign(self.key, raw_parts, self.scheme)
        return str(msg_id), [DELIM, sig, *raw_parts, *(buffers or [])]

    def send(self, channel: str, frames: list[bytes]) -> None:
        self.sockets[channel].send_multipart(frames, copy=False)

    def request(self, channel: str, msg_type: str, content: Any) -> str:
        msg_id, frames = self.signed_frames(msg_type, content)
        self.send(channel, frames)
        return msg_id

    def recv(self, channel: str, timeout: float) -> dict[str, Any] | None:
        """Next message on *channel* (parsed, signature verified), or None on timeout."""
        s = self.sockets[channel]
        if not s.poll(int(timeout * 1000)):
            return None
        frames = s.recv_multipart()
        _idents, msg_frames = self.parser.feed_identities(frames, copy=True)
        return self.parser.deserialize(msg_frames, content=True, copy=True)

    def wait_reply(self, channel: str, parent_id: str, timeout: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Wait for the reply to *parent_id*; also return everything else received before it."""
        deadline = time.monotonic() + timeout
        others = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelTimeout(
                    f"no reply to {parent_id} on {channel} within {timeout}s; other replies: "
                    + ", ".join(msg_summary(m) for m in others[-10:])
                )
            msg = self.recv(channel, left)
            if msg is None:
                continue
            if parent_key(msg) == parent_id:
                return msg, others
            others.append(msg)

    def drain(self, channel: str) -> int:
        n = 0
        s = self.sockets[channel]
        while s.poll(0):
            s.recv_multipart()
            n += 1
        return n

    def heartbeat(self, timeout: float = 5.0) -> bool:
        """One heartbeat ping; True if echoed within *timeout*."""
        if self.hb is None:
            self.hb = self.ctx.socket(zmq.REQ)
            self.hb.setsockopt(zmq.LINGER, 0)
            self.hb.connect(self.url("hb"))
        payload = uuid.uuid4().hex.encode()
        self.hb.send(payload)
        if self.hb.poll(int(timeout * 1000)):
            return self.hb.recv() == payload
        self.hb.close()
        self.hb = None
        return False

    def close(self) -> None:
        for s in self.sockets.values():
            s.close(linger=0)
        if self.hb is not None:
            self.hb.close(linger=0)
        self.ctx.term()
