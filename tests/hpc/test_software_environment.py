"""The software environment of a %%hpc job on the real Slurm: modules from a real Lmod and a real
Environment Modules (module files written here), a container run by a real runtime (Charliecloud's ch-run, on a Debian image built
from Debian's packages by scripts/containers/build-java-image.sh), Guix through a stand-in (Guix is
not installable here), and the record the node writes (environment.json) as %hpc status shows it.

Apptainer and Singularity command lines are tested against their documented syntax in
kernel/src/test/java/org/hpckernel/hpc/JobEnvironmentScriptTest.java; they cannot run here."""
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clusters import WORK, all_clusters, require
from conftest import start_kernel

REPO = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("HPC_TEST_IMAGE", "/var/tmp/hpc-kernel-images/bookworm-java17")
STANDINS = REPO / "kernel/src/test/resources/standins"


def _image_java_version():
    release = Path(IMAGE, "usr/lib/jvm/java-17-openjdk-amd64/release").read_text()
    return re.search(r'^JAVA_VERSION="([^"]+)"', release, re.M).group(1)


@pytest.fixture(scope="module")
def env_kernel(tmp_path_factory):
    slurm = [c for c in all_clusters() if c.name == "slurm"]
    require(slurm, "the Slurm test cluster is not up (HPC_TEST_SLURM=1)")
    require(shutil.which("ch-run"), "Charliecloud's ch-run is not installed (apt-get install charliecloud-runtime)")
    require(Path(IMAGE, "etc/hpc-test-image").is_file(),
            f"the container test image {IMAGE} is not built (bash scripts/containers/build-java-image.sh)")
    require(Path("/usr/share/lmod/lmod/init/bash").is_file(), "Lmod is not installed (apt-get install lmod)")
    home = tmp_path_factory.mktemp("software-env")
    modulefiles = home / "modulefiles"
    (modulefiles / "demo").mkdir(parents=True)
    (modulefiles / "demo" / "1.0.lua").write_text('setenv("DEMO_HOME", "/opt/demo-1.0")\n')
    # Environment Modules (unpacked by scripts/modules/environment-modules.sh; the package conflicts with
    # Lmod) reads Tcl module files, and is initialised through the profile's "moduleInit".
    em_init = Path(os.environ.get("HPC_TEST_ENV_MODULES", "/var/tmp/hpc-kernel-env-modules"), "usr/share/modules/init/bash")
    require(em_init.is_file(), f"Environment Modules is not unpacked ({em_init}): bash scripts/modules/environment-modules.sh")
    (home / "tcl-modulefiles" / "demo").mkdir(parents=True)
    (home / "tcl-modulefiles" / "demo" / "1.0").write_text("#%Module\nsetenv DEMO_HOME /opt/tcl-demo-1.0\n")
    guix_bin = home / "guix-bin"
    guix_bin.mkdir()
    shutil.copy(STANDINS / "guix", guix_bin / "guix")
    (guix_bin / "guix").chmod(0o755)
    # An image *file* (what Apptainer and Singularity run) needs their stand-in: neither installs here.
    sif_bin = home / "sif-bin"
    sif_bin.mkdir()
    shutil.copy(STANDINS / "apptainer", sif_bin / "apptainer")
    (sif_bin / "apptainer").chmod(0o755)
    (home / "manifest.scm").write_text('(specifications->manifest (list "openjdk"))\n')
    (home / "channels.scm").write_text("(list (channel (name 'guix) (commit \"0123abc\")))\n")
    base = slurm[0].profile
    setup = [f"export MODULEPATH={modulefiles}"]
    ssh = [c for c in all_clusters() if c.name == "ssh-slurm"]
    profiles = {
        # Over SSH as a plain user: ch-run is unprivileged, the image is read-only for everyone.
        **({"ssh-slurm-ch": {**ssh[0].profile, "workdir": ssh[0].profile["workdir"] + "/ch", "containerRuntime": "charliecloud",
                             "container": IMAGE}} if ssh else {}),
        "slurm": {**base, "setup": setup},
        # The same Slurm, every job in the image unless its cell says otherwise: profile keys.
        "slurm-ch": {**base, "workdir": f"{WORK}/slurm-ch", "setup": setup, "containerRuntime": "charliecloud",
                     "container": IMAGE},
        "slurm-em": {**base, "workdir": f"{WORK}/slurm-em", "moduleInit": str(em_init),
                     "setup": [f"export MODULEPATH={home}/tcl-modulefiles"]},
        "slurm-sif": {**base, "workdir": f"{WORK}/slurm-sif-{home.name}", "containerRuntime": "apptainer",
                      "setup": [f"export PATH={sif_bin}:$PATH STANDIN_LOG={home}/apptainer.log"]},
        "slurm-guix": {**base, "workdir": f"{WORK}/slurm-guix",
                       "setup": [f"export PATH={guix_bin}:$PATH STANDIN_LOG={home}/guix.log"]},
    }
    config = home / "clusters.json"
    config.write_text(json.dumps({"default": "slurm", "clusters": profiles}))
    k = start_kernel({"HPC_KERNEL_CONFIG": str(config), "XDG_DATA_HOME": str(home / "data")})
    yield k, home
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=False)


def _status(k, *ids):
    run = k.execute("%hpc status " + " ".join(ids))
    assert run.status == "ok", run.error
    return run.result["text/plain"]


def test_a_module_loads_from_lmod_in_the_batch_shell_and_is_recorded(env_kernel):
    k, _ = env_kernel
    run = k.execute('%%hpc --module demo/1.0\n#!/bin/bash\necho "DEMO_HOME=$DEMO_HOME"', timeout=300)
    assert run.status == "ok", run.error
    assert "DEMO_HOME=/opt/demo-1.0" in run.stdout
    assert "modules loaded: demo/1.0" in _status(k, run.job_id())


def test_a_module_that_fails_to_load_fails_the_cell_with_lmods_message_before_the_payload(env_kernel):
    k, _ = env_kernel
    run = k.execute("%%hpc --module demo/1.0 --module nosuch/9\n#!/bin/bash\necho payload-ran", timeout=300)
    assert run.status == "error", run.stdout
    shown = "\n".join(run.error["traceback"])
    assert "exit code 125" in run.error["evalue"], run.error
    assert "The following module(s) are unknown:" in shown and '"nosuch/9"' in shown, shown
    assert "module load nosuch/9 failed" in shown and "the payload was not run" in shown, shown
    assert "payload-ran" not in run.stdout


def test_environment_modules_through_the_profiles_init_script(env_kernel):
    k, _ = env_kernel
    run = k.execute('%%hpc --cluster slurm-em --module demo/1.0\n#!/bin/bash\necho "DEMO_HOME=$DEMO_HOME"', timeout=300)
    assert run.status == "ok", run.error
    assert "DEMO_HOME=/opt/tcl-demo-1.0" in run.stdout
    assert "modules loaded: demo/1.0" in _status(k, run.job_id())
    bad = k.execute("%%hpc --cluster slurm-em --module nosuch/9\n#!/bin/bash\necho payload-ran", timeout=300)
    assert bad.status == "error" and "payload-ran" not in bad.stdout
    assert "ERROR: Unable to locate a modulefile for 'nosuch/9'" in "\n".join(bad.error["traceback"]), bad.error


def test_a_shebang_cell_runs_inside_the_image_with_a_clean_environment(env_kernel):
    k, _ = env_kernel
    body = ('#!/bin/bash\ncat /etc/hpc-test-image\necho "debian=$(cat /etc/debian_version) job=$HPC_JOB_ID'
            ' slurm=${SLURM_JOB_ID:-none} dir=$PWD"')
    run = k.execute("%%hpc --cluster slurm-ch\n" + body, timeout=300)
    assert run.status == "ok", run.error
    # The marker exists only in the image: the payload ran in it.
    assert "hpc-kernel test image: Debian 12" in run.stdout, run.stdout
    job = run.job_id()
    assert f"job={job} slurm=none dir={WORK}/slurm-ch/jobs/" in run.stdout, run.stdout  # HPC_* passed, SLURM_* cleared
    # The manifest keeps what was asked, beside the record of what ran.
    job_dir = re.search(r"dir=(\S+)", run.stdout).group(1)
    asked = json.loads(Path(job_dir, "manifest.json").read_text())["environment"]
    assert asked["container"] == {"runtime": "charliecloud", "image": IMAGE, "binds": [], "nv": False, "java": "java"}, asked
    ran = json.loads(Path(job_dir, "environment.json").read_text())
    assert ran["container"]["image"] == IMAGE and ran["container"]["digest"].startswith("sha256:"), ran
    plain = k.execute("%%hpc\n" + body, timeout=300)
    assert plain.status == "ok", plain.error
    assert "hpc-kernel test image" not in plain.stdout and f"slurm={plain.job_id()}" in plain.stdout, plain.stdout


def test_array_tasks_get_their_index_inside_the_container_and_each_records_its_environment(env_kernel):
    k, _ = env_kernel
    run = k.execute('%%hpc --cluster slurm-ch --array 1-2\n#!/bin/bash\necho "task=$HPC_ARRAY_INDEX in=$(cat /etc/hpc-test-image | cut -c1-21)"'
                    '\nls "$HPC_JOB_DIR" | grep environment', timeout=300)
    assert run.status == "ok", run.error
    for task in (1, 2):
        assert f"task={task} in=hpc-kernel test image" in run.stdout, run.stdout
    assert "environment.1.json" in run.stdout and "environment.2.json" in run.stdout, run.stdout


def test_a_java_cell_runs_in_the_image_over_ssh_as_a_plain_user(env_kernel):
    k, _ = env_kernel
    require(any(c.name == "ssh-slurm" for c in all_clusters()), "the loopback sshd is not up (HPC_TEST_SSHD=1)")
    run = k.execute('%%hpc --cluster ssh-slurm-ch\nSystem.out.println(System.getProperty("user.name") + " "'
                    ' + java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hpc-test-image")).strip());', timeout=300)
    assert run.status == "ok", run.error
    assert "hpcuser hpc-kernel test image: Debian 12" in run.stdout, run.stdout
    assert f"container: {IMAGE} run by ch-run" in _status(k, run.job_id())


def test_a_java_cell_runs_on_the_images_java_and_the_record_tells_it(env_kernel):
    k, _ = env_kernel
    cell = ('%%hpc --cluster slurm-ch\nSystem.out.println("java " + System.getProperty("java.version") + " "'
            ' + java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hpc-test-image")).strip());')
    run = k.execute(cell, timeout=300)
    assert run.status == "ok", run.error
    assert f"java {_image_java_version()} hpc-kernel test image: Debian 12" in run.stdout, run.stdout
    status = _status(k, run.job_id())
    assert re.search(f"container: {re.escape(IMAGE)} run by ch-run \\(\\d+\\.\\d+", status), status  # its version, not an error
    manifest = subprocess.run(["bash", "-c", "cd \"$1\" && find . -xdev -printf '%y %m %s %T@ %P\\t%l\\n' 2>/dev/null"
                               " | LC_ALL=C sort | sha256sum", "-", IMAGE], capture_output=True, text=True, check=True)
    assert f"digest: sha256:{manifest.stdout.split()[0]} (SHA-256 of the directory manifest)" in status, status
    assert f'openjdk version "{_image_java_version()}' in status, status

    plain = k.execute('%%hpc\nSystem.out.println("java " + System.getProperty("java.version"));', timeout=300)
    assert plain.status == "ok", plain.error
    compared = _status(k, run.job_id(), plain.job_id())
    assert "environment differences" in compared, compared
    assert re.search(r"^  container\.image: " + re.escape(IMAGE) + r" \| \(none\)$", compared, re.M), compared


def _digest_entries(workdir, image):
    """The node's image digest cache entries of `image` (the work directory outlives a test run):
    entry name -> (inode, mtime_ns, key line, digest)."""
    cache = Path(workdir, "image-digests")
    out = {}
    for p in (cache.iterdir() if cache.is_dir() else []):
        key, digest = p.read_text().splitlines()
        if key.endswith(" " + str(image)):
            out[p.name] = (p.stat().st_ino, p.stat().st_mtime_ns, key, digest)
    return out


def _recorded_digest(k, cell):
    run = k.execute(cell, timeout=300)
    assert run.status == "ok", run.error
    job_dir = re.search(r"dir=(\S+)", run.stdout).group(1)
    return json.loads(Path(job_dir, "environment.json").read_text())["container"]["digest"]


def test_an_image_file_is_hashed_once_per_change_and_the_record_carries_its_sha256(env_kernel):
    k, home = env_kernel
    image = home / "app.sif"
    image.write_bytes(os.urandom(4 << 20))
    workdir = Path(json.loads((home / "clusters.json").read_text())["clusters"]["slurm-sif"]["workdir"])
    cell = f"%%hpc --cluster slurm-sif --container {image}\n#!/bin/bash\necho \"in=$STANDIN_CONTAINER dir=$PWD\""
    first = _recorded_digest(k, cell)
    assert first == "sha256:" + hashlib.sha256(image.read_bytes()).hexdigest()
    entries = _digest_entries(workdir, image)
    assert len(entries) == 1 and next(iter(entries.values()))[3] == first.split(":")[1], entries
    # The next job reads the digest from the cache: the entry is not written again.
    assert _recorded_digest(k, cell) == first
    assert _digest_entries(workdir, image) == entries
    # A rebuilt image (new content, new mtime): hashed again, the record tells the new digest.
    image.write_bytes(os.urandom(4 << 20))
    changed = _recorded_digest(k, cell)
    assert changed == "sha256:" + hashlib.sha256(image.read_bytes()).hexdigest() and changed != first
    after = _digest_entries(workdir, image)
    assert len(after) == 1 and next(iter(after.values()))[3] == changed.split(":")[1], after


def test_guix_wraps_the_payload_and_its_describe_is_recorded(env_kernel):
    k, home = env_kernel
    run = k.execute(f"%%hpc --cluster slurm-guix --guix {home}/manifest.scm --channels {home}/channels.scm\n"
                    "#!/bin/bash\necho \"guix=$GUIX_ENVIRONMENT manifest=$STANDIN_MANIFEST\"", timeout=300)
    assert run.status == "ok", run.error
    assert f"guix=/gnu/store/standin-profile manifest={home}/manifest.scm" in run.stdout, run.stdout
    calls = (home / "guix.log").read_text().splitlines()
    assert f"guix time-machine -C {home}/channels.scm -- shell -m {home}/manifest.scm --" in "\n".join(calls), calls
    status = _status(k, run.job_id())
    assert f"guix: manifest {home}/manifest.scm, channels {home}/channels.scm" in status and "commit: 0123abcdef" in status, status


def test_dry_run_shows_the_environment_lines_and_bad_values_are_refused(env_kernel):
    k, _ = env_kernel
    run = k.execute("%%hpc --cluster slurm-ch --module demo/1.0 --bind /srv --dry-run\n#!/bin/bash\ntrue")
    assert run.status == "ok", run.error
    for line in ["module load demo/1.0 || hpc_env_fail", "hpc_runtime=$(command -v ch-run)", f"hpc_image={IMAGE}",
                 "hpc_ch_bind /srv", 'hpc_env_record > "$HPC_JOB_DIR/.environment', '"${hpc_wrap[@]}" "$HPC_JOB_DIR/payload"']:
        assert line in run.stdout, run.stdout
    bad = k.execute("%%hpc --container /images/$(id).sif\n#!/bin/bash\ntrue")
    assert bad.status == "error" and bad.error["evalue"].startswith("--container: \"/images/$(id).sif\" is not a container image")
    bad = k.execute("%%hpc --module \"java'17\"\n#!/bin/bash\ntrue")
    assert bad.status == "error" and "--module" in bad.error["evalue"], bad.error
