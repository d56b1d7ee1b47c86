"""Fixtures for %%hpc integration tests: a real kernel (the installed kernelspec) talking to real
schedulers. Which clusters exist is decided by tests/hpc/clusters.py from the environment."""
import json
import os
import queue
import re
import time
from dataclasses import dataclass, field

import pytest
from jupyter_client.manager import KernelManager

from clusters import available_clusters, write_config

KERNEL_NAME = os.environ.get("HPC_KERNEL_NAME", "java-hpc")


@dataclass
class Run:
    reply: dict
    messages: list = field(default_factory=list)

    @property
    def status(self):
        return self.reply["content"]["status"]

    def of_type(self, *types):
        return [m for m in self.messages if m["msg_type"] in types]

    @property
    def stdout(self):
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stdout")

    @property
    def stderr(self):
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stderr")

    @property
    def error(self):
        errors = self.of_type("error")
        return errors[-1]["content"] if errors else None

    @property
    def result(self):
        results = self.of_type("execute_result")
        return results[-1]["content"]["data"] if results else None

    def job_id(self):
        for m in self.of_type("display_data", "update_display_data", "stream"):
            text = m["content"].get("text") or m["content"].get("data", {}).get("text/plain", "")
            found = re.search(r"job (\d+(?:\.[A-Za-z0-9]+)?)", text)  # local ids are PID.START
            if found:
                return found.group(1)
        return None


class Kernel:
    def __init__(self, km, kc):
        self.km, self.kc = km, kc

    def close(self):
        """Stops the kernel at once; a kernel a test has already killed is no error."""
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:
            pass

    def execute(self, code, timeout=300, allow_stdin=False, on_message=None):
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin)
        run = Run(reply=None)
        deadline = time.monotonic() + timeout
        idle = False
        while not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no idle within {timeout}s for {code[:60]!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=remaining)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            msg["received"] = time.monotonic()
            if on_message:
                on_message(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif msg["msg_type"] != "status":
                run.messages.append(msg)
        while run.reply is None:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                run.reply = reply
        return run


@pytest.fixture(scope="session")
def config_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("hpc-config")


def start_kernel(env):
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(env={**os.environ, **env})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    # wait_for_ready may leave extra kernel_info replies behind; drop them.
    while True:
        try:
            kc.get_shell_msg(timeout=0.2)
        except queue.Empty:
            break
    return Kernel(km, kc)


@pytest.fixture(scope="module", params=available_clusters(), ids=lambda c: c.name)
def cluster(request):
    return request.param


@pytest.fixture(scope="module")
def kernel(cluster, tmp_path_factory):
    home = tmp_path_factory.mktemp("xdg-" + cluster.name)
    config = write_config(home / "clusters.json")
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data")})
    k.execute(f"%hpc use {cluster.name}")
    yield k
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=False)


@pytest.fixture
def fresh_kernel_factory(tmp_path):
    """Kernels that share one ledger (XDG_DATA_HOME), for restart tests."""
    made = []

    def make(cluster):
        config = write_config(tmp_path / "clusters.json")
        k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")})
        k.execute(f"%hpc use {cluster.name}")
        made.append(k)
        return k

    yield make
    for k in made:
        k.close()


@pytest.fixture
def kernel_with(tmp_path):
    """Kernels of one cluster profile each (named NAME in their config), sharing one ledger."""
    made = []

    def make(prof, env=None, name="c"):
        config = tmp_path / f"clusters-{len(made)}.json"
        config.write_text(json.dumps({"default": name, "clusters": {name: prof}}))
        k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data"), **(env or {})})
        made.append(k)
        return k

    yield make
    for k in made:
        k.close()
