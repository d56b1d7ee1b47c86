"""Paths in profiles and the safety of the work directory, through a real kernel.

Over the loopback sshd as the plain user hpcuser (to the test Slurm): "workdir": "~/..." and
"java": "$HOME/..." are resolved once against the login node's home and used everywhere; a runner
jar planted by another user (root here) in a shared work directory is refused and never run; a
corrupted jar in a private work directory fails its job with the hash message and is uploaded
again. On the local backend: a work directory on a small full file system (a real tmpfs) gives a
clear error before submission and leaves nothing half-written behind."""
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


SSH = Path(os.environ.get("HPC_TEST_SSH_DIR", "/tmp/hpc-test-cluster/ssh"))
USER = "hpcuser"


def need_ssh_slurm():
    if os.environ.get("HPC_TEST_SSHD") == "1" and os.environ.get("HPC_TEST_SLURM") == "1":
        return
    # In CI the loopback sshd and the test Slurm must be up: missing is a failure there, not a skip.
    if os.environ.get("CI") == "true":
        pytest.fail("the loopback sshd and the test Slurm are not up (HPC_TEST_SSHD / HPC_TEST_SLURM unset)")
    pytest.skip("needs the loopback sshd and the test Slurm (scripts/test.sh starts both)")


def need_root(what):
    if os.geteuid() == 0:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} needs root (the CI run has it)")
    pytest.skip(f"{what} needs root")


def ssh_profile(workdir, **extra):
    p = {"scheduler": "slurm", "workdir": workdir, "host": "127.0.0.1", "port": 2222, "user": USER,
         "identityFile": str(SSH / "id_ed25519"), "knownHostsFile": str(SSH / "known_hosts"),
         "defaults": {"partition": "debug", "time": "00:10:00"}}
    p.update(extra)
    return p


@pytest.fixture
def hpcuser():
    return pwd.getpwnam(USER)


def chown_tree(path, user):
    subprocess.run(["chown", "-hR", f"{user.pw_uid}:{user.pw_gid}", str(path)], check=True)


def runner_jar_path(kernel):
    """Where the kernel puts its runner jar, as its own --dry-run shows it."""
    run = kernel.execute("%%hpc --dry-run\nSystem.out.println(1);")
    assert run.status == "ok", run.error
    return re.search(r"(/\S+/runner/hpc-runner-[0-9a-f]{64}\.jar)", run.stdout).group(1)


def evil_jar(tmp_path, marker, size=None):
    """A jar that, if ever run, leaves a marker: what another user would plant under the runner's name."""
    src = tmp_path / "evil"
    src.mkdir(exist_ok=True)
    (src / "Main.java").write_text(
        "public class Main { public static void main(String[] a) throws Exception {"
        f" java.nio.file.Files.writeString(java.nio.file.Path.of(\"{marker}\"), \"ran\"); System.out.println(\"PWNED\"); }} }}\n")
    subprocess.run(["javac", "-d", str(src), str(src / "Main.java")], check=True)
    (src / "manifest.txt").write_text("Main-Class: Main\n")
    jar = src / "evil.jar"
    subprocess.run(["jar", "cfm", str(jar), str(src / "manifest.txt"), "-C", str(src), "Main.class"], check=True)
    data = jar.read_bytes()
    if size is not None:
        # Java runs a jar with bytes in front of it: same size as the real one, so only its hash tells them apart.
        assert len(data) < size
        data = b"\0" * (size - len(data)) + data
    return data


# ------------------------------------------------------------------ 1. ~ and $HOME in profiles, over SSH


def test_home_relative_workdir_and_java_over_ssh(kernel_with, hpcuser):
    need_ssh_slurm()
    need_root("making a JDK link in hpcuser's home")
    home = Path(hpcuser.pw_dir)
    work, jdk = home / "hpc-kernel-test", home / ".hpc-paths-jdk"
    shutil.rmtree(work, ignore_errors=True)
    if jdk.is_symlink():
        jdk.unlink()
    # "java" under $HOME made real: a link in hpcuser's home to this machine's JDK.
    jdk.symlink_to(Path(os.path.realpath(shutil.which("java"))).parent.parent)
    os.lchown(jdk, hpcuser.pw_uid, hpcuser.pw_gid)
    try:
        k = kernel_with(ssh_profile("~/hpc-kernel-test", java="$HOME/.hpc-paths-jdk/bin/java"))
        dry = k.execute("%%hpc --dry-run\nSystem.out.println(1);")
        assert dry.status == "ok", dry.error
        assert f"export HPC_JOB_DIR={work}/jobs/" in dry.stdout
        assert f"hpc_jar={work}/runner/hpc-runner-" in dry.stdout
        assert f"{jdk}/bin/java \"${{hpc_cds[@]}}\"" in dry.stdout
        assert "~" not in dry.stdout, dry.stdout

        sh = k.execute("%%hpc\n#!/bin/bash\necho \"dir=$HPC_JOB_DIR\"\npwd\n")
        assert sh.status == "ok", (sh.error, sh.stdout, sh.stderr)
        assert f"dir={work}/jobs/" in sh.stdout
        assert f"\n{work}/jobs/" in sh.stdout

        jv = k.execute("%%hpc\nSystem.out.println(\"java home \" + System.getProperty(\"java.home\"));")
        assert jv.status == "ok", (jv.error, jv.stdout, jv.stderr)
        assert "java home " in jv.stdout

        assert not (home / "~").exists(), "a directory named ~ was created in hpcuser's home"
        assert (work / "jobs").is_dir() and (work / "runner").is_dir()
        for d in (work, work / "jobs", work / "runner"):
            assert d.stat().st_uid == hpcuser.pw_uid
            assert oct(d.stat().st_mode & 0o777) == oct(0o700), d
        jars = list((work / "runner").glob("hpc-runner-*.jar"))
        assert len(jars) == 1
        scripts = [p.read_text() for p in (work / "jobs").glob("*/job.sh")]
        assert len(scripts) == 2 and all("'~" not in s and "=~" not in s for s in scripts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if jdk.is_symlink():
            jdk.unlink()


def test_relative_workdir_is_a_clear_error(kernel_with):
    k = kernel_with(ssh_profile("hpc-kernel-test"))
    run = k.execute("%%hpc\n#!/bin/bash\necho hi\n")
    assert run.status == "error"
    text = run.error["evalue"]
    assert "\"workdir\" must be an absolute path, or one starting with ~/, $HOME/ or ${HOME}/" in text, text
    assert "it is relative" in text and "(got \"hpc-kernel-test\")" in text, text


# ------------------------------------------------------------------ 2. shared work directories


def test_runner_jar_planted_in_a_shared_work_directory_is_refused_and_never_run(kernel_with, hpcuser, tmp_path):
    need_ssh_slurm()
    need_root("a second user (root) planting files")
    shared = Path(f"/tmp/hpc-paths-shared-{uuid.uuid4().hex[:8]}")
    marker = Path(f"/tmp/hpc-paths-pwned-{uuid.uuid4().hex[:8]}")
    try:
        shared.mkdir()
        os.chmod(shared, 0o777)  # a project directory everyone may write, owned by another user (root)
        k = kernel_with(ssh_profile(str(shared)))
        jar = Path(runner_jar_path(k))
        assert jar.parent == shared / "runner"
        jar.parent.mkdir()
        os.chmod(jar.parent, 0o777)
        jar.write_bytes(evil_jar(tmp_path, marker))
        os.chmod(jar, 0o777)

        run = k.execute("%%hpc\nSystem.out.println(\"hello\");")
        assert run.status == "error"
        text = run.error["evalue"]
        assert f"the work directory {shared} belongs to uid 0, not to you (uid {hpcuser.pw_uid})" in text, text
        assert f"chown {hpcuser.pw_uid} {shared}" in text, text
        assert not (shared / "jobs").exists(), "nothing is written into a refused work directory"

        # Handed over as the message says, but still writable by all: refused with the chmod.
        os.chown(shared, hpcuser.pw_uid, hpcuser.pw_gid)
        run = k.execute("%%hpc\nSystem.out.println(\"hello\");")
        assert run.status == "error"
        assert f"chmod go-w {shared}" in run.error["evalue"], run.error["evalue"]

        # Sticky, as /tmp: the work directory is fine, but runner/ is still root's.
        os.chmod(shared, 0o1777)
        run = k.execute("%%hpc\nSystem.out.println(\"hello\");")
        assert run.status == "error"
        assert f"the runner directory {shared}/runner belongs to uid 0" in run.error["evalue"], run.error["evalue"]

        # runner/ handed over and sticky: the planted jar itself (root's) is refused.
        os.chown(jar.parent, hpcuser.pw_uid, hpcuser.pw_gid)
        os.chmod(jar.parent, 0o1777)
        run = k.execute("%%hpc\nSystem.out.println(\"hello\");")
        assert run.status == "error"
        assert f"the runner jar {jar} belongs to uid 0, not to you" in run.error["evalue"], run.error["evalue"]

        assert not marker.exists(), "the planted jar was run"
        assert not (shared / "jobs").exists() or not any((shared / "jobs").iterdir())
    finally:
        shutil.rmtree(shared, ignore_errors=True)
        marker.unlink(missing_ok=True)


def test_corrupted_runner_jar_fails_its_job_and_is_uploaded_again(kernel_with, hpcuser, tmp_path):
    need_ssh_slurm()
    need_root("corrupting hpcuser's jar")
    work = Path(f"/tmp/hpc-test-work-{USER}/paths-{uuid.uuid4().hex[:8]}")
    marker = Path(f"/tmp/hpc-paths-pwned-{uuid.uuid4().hex[:8]}")
    try:
        k = kernel_with(ssh_profile(str(work)))
        first = k.execute("%%hpc\nSystem.out.println(\"first\");")
        assert first.status == "ok" and "first" in first.stdout, (first.error, first.stdout, first.stderr)
        jar = Path(runner_jar_path(k))
        good = jar.read_bytes()
        expected = re.search(r"hpc-runner-([0-9a-f]{64})\.jar", jar.name).group(1)
        assert hashlib.sha256(good).hexdigest() == expected

        # Same size, same owner and mode: only the hash on the node can tell.
        jar.write_bytes(evil_jar(tmp_path, marker, size=len(good)))
        assert jar.stat().st_uid == hpcuser.pw_uid and jar.stat().st_size == len(good)
        bad = k.execute("%%hpc\nSystem.out.println(\"second\");")
        assert bad.status == "error"
        assert f"refusing to run the runner jar {jar}: its SHA-256 is " in bad.stderr, (bad.stderr, bad.error)
        assert f"not {expected} (corrupted or replaced)" in bad.stderr
        assert "PWNED" not in bad.stdout and not marker.exists(), "the corrupted jar was run"

        again = k.execute("%%hpc\nSystem.out.println(\"third\");")
        assert again.status == "ok" and "third" in again.stdout, (again.error, again.stdout, again.stderr)
        assert hashlib.sha256(jar.read_bytes()).hexdigest() == expected
    finally:
        shutil.rmtree(work, ignore_errors=True)
        marker.unlink(missing_ok=True)


# ------------------------------------------------------------------ 3. a full file system


@pytest.mark.parametrize("where", ["local", "ssh-slurm"])
def test_full_work_directory_fails_before_submission_and_leaves_nothing_behind(kernel_with, hpcuser, where):
    if where == "ssh-slurm":
        need_ssh_slurm()
    need_root("mounting a tmpfs")
    # Outside pytest's private tmp dir, so that hpcuser (over SSH) can reach it.
    mnt = Path(f"/tmp/hpc-paths-small-fs-{uuid.uuid4().hex[:8]}")
    mnt.mkdir()
    owner = f",uid={hpcuser.pw_uid},gid={hpcuser.pw_gid}" if where == "ssh-slurm" else ""
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=8m,mode=0755{owner}", "tmpfs", str(mnt)], check=True)
    try:
        work = mnt / "work"
        k = kernel_with({"scheduler": "local", "workdir": str(work)} if where == "local" else ssh_profile(str(work)))
        shown = "local" if where == "local" else "ssh hpcuser@127.0.0.1:2222"
        ok = k.execute("%%hpc\n#!/bin/bash\necho before\n")
        assert ok.status == "ok" and "before" in ok.stdout, (ok.error, ok.stdout)
        jobs_before = sorted(p.name for p in (work / "jobs").iterdir())

        fill = mnt / "fill"
        subprocess.run(["dd", "if=/dev/zero", f"of={fill}", "bs=64k"], stderr=subprocess.DEVNULL)
        assert shutil.disk_usage(mnt).free == 0

        for cell in ("%%hpc\n#!/bin/bash\necho during\n", "%%hpc\nSystem.out.println(\"during\");"):
            run = k.execute(cell)
            assert run.status == "error", run.stdout
            text = run.error["evalue"]
            assert f"the work directory {work} on {shown} is full" in text, text
            assert "Nothing was submitted" in text
        # nothing half-written: no new job directory, no temporary or partial runner jar
        assert sorted(p.name for p in (work / "jobs").iterdir()) == jobs_before
        assert list((work / "runner").iterdir()) == []

        fill.unlink()
        for cell, out in (("%%hpc\n#!/bin/bash\necho after\n", "after"), ("%%hpc\nSystem.out.println(\"after java\");", "after java")):
            run = k.execute(cell)
            assert run.status == "ok" and out in run.stdout, (run.error, run.stdout, run.stderr)
    finally:
        subprocess.run(["umount", "-l", str(mnt)])
        mnt.rmdir()
