"""Interrupting %maven while a repository stalls mid-download, with a real kernel and a real
Jupyter interrupt: control comes back within 2 s (the requirement) with an "interrupted" error,
nothing is added, and the local repository holds neither the jar nor a partial file. The repository
is a loopback HTTP server that sends the jar's headers and half its body, then stops sending."""
import io
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import start_kernel

JAR_PATH = "/maven2/org/example/slow/1.0/slow-1.0.jar"
POM_PATH = "/maven2/org/example/slow/1.0/slow-1.0.pom"
POM = (b"<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId>"
       b"<artifactId>slow</artifactId><version>1.0</version></project>\n")


def _jar():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("org/example/slow/Marker.txt", "slow " * 4000)
    return buf.getvalue()


class StallingRepository:
    """Serves slow-1.0's POM, and its jar: whole, or (while `stalling`) headers and half the body, then nothing."""

    def __init__(self):
        self.jar = _jar()
        self.stalling = threading.Event()
        self.stalling.set()
        self.release = threading.Event()
        repo = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = {POM_PATH: POM, JAR_PATH: repo.jar}.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path == JAR_PATH and repo.stalling.is_set():
                    self.wfile.write(body[:len(body) // 2])
                    self.wfile.flush()
                    repo.release.wait(120)
                    return
                self.wfile.write(body)

            def do_HEAD(self):
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/maven2/"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stalled(tmp_path):
    repo = StallingRepository()
    local = tmp_path / "m2-repository"
    empty = tmp_path / "empty"
    empty.mkdir()
    settings = tmp_path / "settings.xml"
    # Central is mirrored to an empty directory: nothing reaches out.
    settings.write_text(f"<settings><localRepository>{local}</localRepository><mirrors><mirror><id>none</id>"
                        f"<url>{empty.as_uri()}</url><mirrorOf>central</mirrorOf></mirror></mirrors></settings>\n")
    k = start_kernel({"HPC_KERNEL_MAVEN_SETTINGS": str(settings), "XDG_DATA_HOME": str(tmp_path / "data")})
    yield k, repo, local
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=True)
    repo.close()


def test_an_interrupt_during_a_stalled_download_returns_at_once_and_leaves_no_partial_jar(stalled):
    k, repo, local = stalled
    assert k.execute(f"%mavenRepo slow {repo.url}").status == "ok"
    sent = {}

    def interrupt_when_downloading(msg):
        if msg["msg_type"] == "stream" and "downloading slow-1.0.jar" in msg["content"]["text"] and "at" not in sent:
            sent["at"] = time.monotonic()
            k.km.interrupt_kernel()

    run = k.execute("%maven org.example:slow:1.0", timeout=120, on_message=interrupt_when_downloading)
    assert "at" in sent, run.stdout
    assert run.status == "error", run.stdout
    assert run.error["evalue"].startswith("%maven: interrupted while resolving [org.example:slow:1.0]"), run.error
    assert "nothing was added to the class path" in run.error["evalue"]
    error_at = run.of_type("error")[-1]["received"]
    assert error_at - sent["at"] < 2.0, f"control came back {error_at - sent['at']:.2f} s after the interrupt"
    left = sorted(p.name for p in (local / "org/example/slow/1.0").iterdir() if ".jar" in p.name)
    assert left == [], f"partial or whole jar left in the local repository: {left}"
    assert k.execute("%maven").result["text/plain"] == "no Maven artifacts in this session yet"

    # The kernel goes on, and the same %maven completes once the repository answers.
    repo.stalling.clear()
    again = k.execute("%maven org.example:slow:1.0", timeout=120)
    assert again.status == "ok", again.error
    jar = local / "org/example/slow/1.0/slow-1.0.jar"
    assert jar.read_bytes() == repo.jar
    assert str(jar) in k.execute("%jars").result["text/plain"]
