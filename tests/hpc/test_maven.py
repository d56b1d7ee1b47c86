"""%maven end to end: real artifacts from Maven Central (commons-text with its dependency
commons-lang3), resolved by the kernel into a local repository of the test's own, used in a local
cell and in %%hpc Java jobs run as hpcuser through the loopback sshd on the test Slurm. The node
never sees the kernel's local repository: the jars travel to the work directory's cache."""
import hashlib
import json
import os
import pwd
import shutil
import uuid
from pathlib import Path

import pytest

from clusters import SSH_DIR, SSH_WORK, require
from conftest import start_kernel

TEXT = "org.apache.commons:commons-text:1.12.0"
CELL = ('String s = org.apache.commons.text.WordUtils.capitalizeFully("hello maven");\n'
        'System.out.println(s + " " + org.apache.commons.lang3.StringUtils.reverse("abc"));\n')


@pytest.fixture(scope="module")
def maven(tmp_path_factory):
    """A kernel with its own settings.xml and local repository, a Slurm-over-SSH profile and a fresh work directory."""
    require(os.environ.get("HPC_TEST_SSHD") == "1" and os.environ.get("HPC_TEST_SLURM") == "1",
            "needs the loopback sshd and the test Slurm (HPC_TEST_SSHD=1, HPC_TEST_SLURM=1)",
            "scripts/cluster/sshd-up.sh and slurm-up.sh start them; scripts/test.sh sets the variables")
    require(os.geteuid() == 0, "needs root: the test reads and alters hpcuser's jar cache", "run the tests as root, as CI does")
    home = tmp_path_factory.mktemp("maven")
    repo = home / "m2-repository"
    settings = home / "settings.xml"
    settings.write_text(f"<settings><localRepository>{repo}</localRepository></settings>\n")
    workdir = Path(SSH_WORK) / f"maven-{uuid.uuid4().hex[:8]}"
    config = home / "clusters.json"
    config.write_text(json.dumps({"default": "remote", "clusters": {"remote": {
        "scheduler": "slurm", "workdir": str(workdir), "host": "127.0.0.1", "port": 2222, "user": "hpcuser",
        "identityFile": f"{SSH_DIR}/id_ed25519", "knownHostsFile": f"{SSH_DIR}/known_hosts",
        "defaults": {"partition": "debug", "time": "00:05:00"}}}}))
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data"),
                      "HPC_KERNEL_MAVEN_SETTINGS": str(settings)})
    yield k, repo, workdir
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=False)
    shutil.rmtree(workdir, ignore_errors=True)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def last_job_dir(workdir):
    return max((workdir / "jobs").iterdir(), key=lambda p: p.stat().st_mtime_ns)


def cached(workdir):
    """name -> (inode, mtime_ns) of every jar in the work directory's cache."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (workdir / "jars").glob("*.jar")}


def test_1_maven_resolves_with_the_transitive_dependency_and_the_session_sees_it_at_once(maven):
    k, repo, _ = maven
    run = k.execute(f"%maven {TEXT}", timeout=300)
    assert run.status == "ok", run.error
    assert "org.apache.commons:commons-text:1.12.0" in run.stdout and "org.apache.commons:commons-lang3:3.14.0" in run.stdout
    assert "downloaded commons-lang3-3.14.0.jar" in run.stdout, run.stdout
    assert (repo / "org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.jar").is_file(), "the settings' local repository"
    listed = k.execute("%jars").result["text/plain"]
    assert str(repo / "org/apache/commons/commons-text/1.12.0/commons-text-1.12.0.jar") in listed
    # Completion and the cell itself see the new classes without a restart.
    msg_id = k.kc.complete("org.apache.commons.text.WordU", 29)
    reply = k.kc.get_shell_msg(timeout=60)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert any("WordUtils" in m for m in reply["content"]["matches"]), reply["content"]
    msg_id = k.kc.inspect("org.apache.commons.text.WordUtils", 33)
    reply = k.kc.get_shell_msg(timeout=60)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["found"] and "WordUtils" in reply["content"]["data"]["text/plain"], reply["content"]
    run = k.execute(CELL)
    assert run.status == "ok", run.error
    assert run.stdout == "Hello Maven cba\n"


def test_2_an_artifact_that_cannot_be_found_is_named_with_the_repositories_tried_and_adds_nothing(maven):
    k, _, _ = maven
    before = k.execute("%jars").result["text/plain"]
    run = k.execute("%maven org.hpckernel.nothing:never-published:0.0.1 org.apache.commons:commons-csv:1.11.0", timeout=300)
    assert run.status == "error"
    text = run.error["evalue"]
    assert "org.hpckernel.nothing:never-published" in text and "0.0.1" in text, text
    assert "Repositories tried: central (https://repo.maven.apache.org/maven2/" in text, text
    assert k.execute("%jars").result["text/plain"] == before, "commons-csv must not have been added either"
    # A direct commons-lang3 is nearer than commons-text's: Maven would swap the loaded 3.14.0, a session cannot.
    run = k.execute("%maven org.apache.commons:commons-lang3:3.13.0", timeout=300)
    assert run.status == "error"
    assert ("Maven would take org.apache.commons:commons-lang3:3.13.0, but org.apache.commons:commons-lang3:3.14.0 is already"
            in run.error["evalue"]), run.error["evalue"]
    assert k.execute("%jars").result["text/plain"] == before
    # Another commons-text, declared after the first: the first declared wins, and the cell says so.
    run = k.execute("%maven org.apache.commons:commons-text:1.11.0", timeout=300)
    assert run.status == "ok", run.error
    assert ("note: org.apache.commons:commons-text:1.11.0 was asked for, but the session uses org.apache.commons:commons-text:1.12.0"
            in run.stdout), run.stdout
    assert k.execute("%jars").result["text/plain"] == before


def test_3_a_java_job_over_ssh_gets_the_jars_from_the_work_directory_cache(maven):
    k, repo, workdir = maven
    run = k.execute("%%hpc\n" + CELL, timeout=300)
    assert run.status == "ok", (run.error, run.stdout)
    assert "Hello Maven cba" in run.stdout
    job = last_job_dir(workdir)
    manifest = json.loads((job / "manifest.json").read_text())
    local = {p.name: p for p in repo.rglob("*.jar")}
    assert {j["name"] for j in manifest["jars"]} == {"commons-text-1.12.0.jar", "commons-lang3-3.14.0.jar"}
    for j in manifest["jars"]:
        assert j["sha256"] == sha256(local[j["name"]])
    entries = (job / "classpath.txt").read_text().split()
    assert sorted(entries) == sorted(f"{workdir}/jars/{j['sha256']}.jar" for j in manifest["jars"])
    hpcuser = pwd.getpwnam("hpcuser").pw_uid
    for e in entries:
        assert os.stat(e).st_uid == hpcuser and sha256(e) == Path(e).stem
        assert oct(os.stat(e).st_mode & 0o777) == "0o600"
    assert str(repo) not in (job / "job.sh").read_text()


def test_4_a_second_job_uploads_nothing(maven):
    k, _, workdir = maven
    before = cached(workdir)
    assert len(before) == 2
    run = k.execute("%%hpc\n" + CELL + "System.out.println(2);\n", timeout=300)
    assert run.status == "ok", run.error
    assert "Hello Maven cba\n2" in run.stdout
    assert cached(workdir) == before, "same inode and mtime: not uploaded again"


def test_5_a_tampered_cached_jar_is_refused_on_the_node_then_uploaded_again(maven):
    k, _, workdir = maven
    manifest = json.loads((last_job_dir(workdir) / "manifest.json").read_text())
    lang = next(j for j in manifest["jars"] if j["name"].startswith("commons-lang3"))
    path = workdir / "jars" / f"{lang['sha256']}.jar"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # same size, same owner and mode: only the node's SHA-256 check can tell
    with open(path, "r+b") as f:
        f.write(bytes(data))
    run = k.execute("%%hpc\n" + CELL + "System.out.println(3);\n", timeout=300)
    assert run.status == "error"
    shown = run.stdout + run.stderr + json.dumps(run.error)
    assert f"refusing to use the cached jar {path} (commons-lang3-3.14.0.jar)" in shown, shown
    assert "corrupted or replaced" in shown
    assert not path.exists(), "the node removed the bad jar"
    run = k.execute("%%hpc\n" + CELL + "System.out.println(4);\n", timeout=300)
    assert run.status == "ok", run.error
    assert "Hello Maven cba\n4" in run.stdout
    assert sha256(path) == lang["sha256"]
