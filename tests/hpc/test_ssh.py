"""Clusters over SSH, through the kernel: login prompts answered in the notebook (stdin
input_request), strict host keys, ProxyJump, and a connection dropped while a job prints."""
import hashlib
import hmac
import os
import queue
import re
import shutil
import signal
import struct
import subprocess
import time
from pathlib import Path

import pytest

from clusters import require
from conftest import Run

SSH = Path(os.environ.get("HPC_TEST_SSH_DIR", "/tmp/hpc-test-cluster/ssh"))
MFA = Path(os.environ.get("HPC_TEST_SSH_MFA_DIR", "/tmp/hpc-test-cluster/ssh-mfa"))
WORK = os.environ.get("HPC_TEST_SSH_WORKDIR", "/tmp/hpc-test-work-hpcuser")


@pytest.fixture(autouse=True)
def sshd_and_slurm_are_up():
    require(os.environ.get("HPC_TEST_SSHD") == "1" and os.environ.get("HPC_TEST_SLURM") == "1",
            "needs the loopback sshd and the test Slurm (HPC_TEST_SSHD=1, HPC_TEST_SLURM=1)",
            "scripts/cluster/sshd-up.sh and slurm-up.sh start them; scripts/test.sh sets the variables")


def totp():
    secret = bytes.fromhex((MFA / "totp" / "hpcuser.hex").read_text().strip())
    digest = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[19] & 0xF
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def profile(**ssh):
    base = {"scheduler": "slurm", "workdir": f"{WORK}/ssh-tests", "user": "hpcuser", "host": "127.0.0.1", "port": 2222,
            "identityFile": str(SSH / "id_ed25519"), "knownHostsFile": str(SSH / "known_hosts"),
            "defaults": {"partition": "debug"}}
    base.update(ssh)
    return base


def execute_answering(kernel, code, answer, timeout=300):
    """Like Kernel.execute, with stdin allowed: every input_request is answered by answer(prompt)."""
    kc = kernel.kc
    msg_id = kc.execute(code, allow_stdin=True)
    run, prompts = Run(reply=None), []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = kc.get_stdin_msg(timeout=0.05)
            prompts.append(req["content"])
            kc.input(answer(req["content"]["prompt"]))
        except queue.Empty:
            pass
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
        else:
            run.messages.append(msg)
    while run.reply is None:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            run.reply = reply
    return run, prompts


def test_key_plus_one_time_code_asked_in_the_notebook_once_per_connection(kernel_with):
    k = kernel_with(profile(port=2223, identityFile=str(MFA / "id_ed25519"), knownHostsFile=str(MFA / "known_hosts"),
                            workdir=f"{WORK}/mfa"))
    first, prompts = execute_answering(k, "%%hpc\n#!/bin/bash\necho first via mfa", lambda p: totp())
    assert first.status == "ok", first.error
    assert "first via mfa" in first.stdout
    assert len(prompts) == 1 and "Verification code" in prompts[0]["prompt"] and prompts[0]["password"] is True
    second, prompts2 = execute_answering(k, "%%hpc\n#!/bin/bash\necho second via mfa", lambda p: totp())
    assert second.status == "ok", second.error
    assert prompts2 == [], "the code was asked again for a second job on the same connection"


def test_wrong_code_is_refused(kernel_with):
    k = kernel_with(profile(port=2223, identityFile=str(MFA / "id_ed25519"), knownHostsFile=str(MFA / "known_hosts"),
                            workdir=f"{WORK}/mfa"))
    run, prompts = execute_answering(k, "%%hpc\n#!/bin/bash\necho never", lambda p: "000000" if totp() != "000000" else "111111",
                                     timeout=120)
    assert run.status == "error"
    assert prompts, "no code was asked"
    assert run.job_id() is None


def test_no_stdin_fails_fast_with_a_clear_message(kernel_with):
    k = kernel_with(profile(port=2223, identityFile=str(MFA / "id_ed25519"), knownHostsFile=str(MFA / "known_hosts"),
                            workdir=f"{WORK}/mfa"))
    t = time.monotonic()
    run = k.execute("%%hpc\n#!/bin/bash\necho never", timeout=60)
    assert time.monotonic() - t < 15
    assert run.status == "error"
    assert "cannot ask" in run.error["evalue"] and ("key" in run.error["evalue"] or "agent" in run.error["evalue"])


def test_passphrase_protected_key_prompts_through_stdin(kernel_with, tmp_path):
    key = tmp_path / "id_pass"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret phrase", "-f", str(key)], check=True)
    authorized = SSH / "authorized_keys.d" / "hpcuser"
    original = authorized.read_text() if authorized.exists() else None
    with open(authorized, "a") as f:
        f.write((tmp_path / "id_pass.pub").read_text())
    try:
        k = kernel_with(profile(identityFile=str(key)))
        run, prompts = execute_answering(k, "%%hpc\n#!/bin/bash\necho unlocked", lambda p: "s3cret phrase")
        assert run.status == "ok", run.error
        assert "unlocked" in run.stdout
        assert len(prompts) == 1 and prompts[0]["password"] is True
        k2 = kernel_with(profile(identityFile=str(key)))
        t = time.monotonic()
        refused = k2.execute("%%hpc\n#!/bin/bash\necho never", timeout=60)
        assert refused.status == "error" and time.monotonic() - t < 15
        assert "cannot ask" in refused.error["evalue"]
    finally:
        if original is None:
            authorized.unlink()
        else:
            authorized.write_text(original)


def test_unknown_host_key_is_refused_with_its_fingerprint(kernel_with, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    run = kernel_with(profile(knownHostsFile=str(empty))).execute("%%hpc\n#!/bin/bash\necho never")
    assert run.status == "error"
    assert "SHA256:" in run.error["evalue"] and "known_hosts" in run.error["evalue"]


def test_changed_host_key_is_refused(kernel_with, tmp_path):
    forged = tmp_path / "known_hosts"
    other = subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "other")], check=True)
    forged.write_text("[127.0.0.1]:2222 " + (tmp_path / "other.pub").read_text().split(" ", 2)[0] + " "
                      + (tmp_path / "other.pub").read_text().split(" ", 2)[1] + "\n")
    run = kernel_with(profile(knownHostsFile=str(forged))).execute("%%hpc\n#!/bin/bash\necho never")
    assert run.status == "error"
    assert "ssh-keygen -R" in run.error["evalue"]


def test_proxy_jump(kernel_with):
    run = kernel_with(profile(proxyJump="hpcuser@127.0.0.1:2222")).execute('%%hpc\n#!/bin/bash\necho "jumped $HPC_JOB_ID"')
    assert run.status == "ok", run.error
    assert "jumped " + run.job_id() in run.stdout


def connection_processes():
    """The per-connection sshd processes of the key-only server (children of its listener)."""
    listener = (SSH / "sshd.pid").read_text().strip()
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", listener], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def test_dropped_connection_loses_and_repeats_nothing(kernel_with):
    k = kernel_with(profile())
    warm = k.execute("%%hpc\n#!/bin/bash\necho warm")
    assert warm.status == "ok", warm.error
    killed = {}

    def drop(msg):
        if msg["msg_type"] == "stream" and "n 20" in msg["content"].get("text", "") and not killed:
            for pid in connection_processes():
                os.kill(pid, signal.SIGKILL)
                killed[pid] = True

    run = k.execute('%%hpc\n#!/bin/bash\nfor i in $(seq 1 120); do echo "n $i"; sleep 0.05; done', on_message=drop)
    assert killed, "no sshd connection process was found to kill"
    assert run.status == "ok", run.error
    job_dir = next(Path(f"{WORK}/ssh-tests/jobs").glob("*/stdout"), None)
    stdout_files = {p.parent.name: p for p in Path(f"{WORK}/ssh-tests/jobs").glob("*/stdout")}
    expected = "".join(f"n {i}\n" for i in range(1, 121))
    assert run.stdout == expected, "output differs from what the job wrote"
    assert any(p.read_text() == expected for p in stdout_files.values())
