"""`lessonkit serve` as a facilitator runs it, in a subprocess: the links come last (once both servers answer), Ctrl-C
and SIGTERM stop everything without a question, and nothing is left in the temp folder, least of all the token."""

from __future__ import annotations

import os
import pty
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from support import free_port

from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.store import Workspace

START_TIMEOUT_S = 120


class Spawned:
    """`lessonkit ARGS` in its own session (like a terminal's foreground job), its output collected as it comes."""

    def __init__(self, args: list[str], tmp: Path, terminal: bool = False, **env: str) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp = tmp
        environment = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1", **env)
        self.chunks: list[bytes] = []
        if terminal:  # a pseudo-terminal, so that a child which inherits it sees a tty (Jupyter then asks on Ctrl-C)
            self.master, slave = pty.openpty()
            self.proc = subprocess.Popen(["lessonkit", *args], stdin=slave, stdout=slave, stderr=slave,
                                         env=environment, start_new_session=True)
            os.close(slave)
            read = self._read_pty
        else:
            self.proc = subprocess.Popen(["lessonkit", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, env=environment, start_new_session=True)
            read = self._read_pipe
        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()

    def _read_pty(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:  # EIO: the other side is closed
                break
            if not data:
                break
            self.chunks.append(data)

    def _read_pipe(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.chunks.append(line)

    @property
    def output(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace").replace("\r\n", "\n")

    def wait_for(self, text: str, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.output:
            assert self.proc.poll() is None, f"stopped early ({self.proc.returncode}):\n{self.output}"
            assert time.monotonic() < deadline, f"no {text!r} within {timeout_s} s:\n{self.output}"
            time.sleep(0.1)

    def stop(self, sig: signal.Signals, timeout_s: float = 60) -> int:
        """Send ``sig`` as a terminal would (to the whole foreground process group) and wait for the end."""
        os.killpg(self.proc.pid, sig)
        code = self.proc.wait(timeout_s)
        self.reader.join(5)
        self.close()
        return code

    def close(self) -> None:
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        if hasattr(self, "master"):
            os.close(self.master)
            del self.master

    def kill(self) -> None:
        """After a failed test: SIGTERM, then SIGKILL (its servers then stop by themselves: their stdin closes)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reader.join(5)
        self.close()


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def home(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    load_demo(Workspace(ws), data_path("demo", "convening.json"))
    return ws


def test_with_lab_the_links_come_last_ctrl_c_stops_without_a_question_and_no_file_holds_the_token(
    home: Path, tmp_path: Path
) -> None:
    """Reproduction: Lab's INFO lines pushed the link off the screen, its link came before it listened, Ctrl-C
    asked "Shut down this Jupyter server (y/[n])?", and the server's settings (with the token) were left in a file
    in the temp folder."""
    port, lab_port = free_port(), free_port()
    token = "tok-" + os.urandom(12).hex()
    runtime = tmp_path / "jupyter-runtime"
    serving = Spawned(["--home", str(home), "serve", "--port", str(port), "--token", token, "--lab",
                       "--lab-port", str(lab_port)], tmp_path / "tmp", terminal=True, JUPYTER_RUNTIME_DIR=str(runtime))
    try:
        link = f"http://127.0.0.1:{port}/voila/render/listen.ipynb?token={token}"
        serving.wait_for(link)
        while not serving.output.endswith("\n"):  # the whole line
            time.sleep(0.05)
        assert answers(lab_port) and answers(port)  # both links work the moment they are shown
        shown = serving.output
        assert [p for p in files_under(serving.tmp) if token.encode() in p.read_bytes()] == []
        time.sleep(1)
        assert serving.output == shown, "printed after the links:\n" + serving.output[len(shown):]
        assert shown.rstrip("\n").splitlines()[-1] == f"  {link}"  # the last line; its QR code just above it
        assert shown.index(f"http://127.0.0.1:{lab_port}/lab?token=") < shown.index("Participant link")
        assert "ServerApp]" not in shown and "[I " not in shown  # Jupyter's log went to the workspace
        code = serving.stop(signal.SIGINT)
    finally:
        serving.kill()
    assert "Shut down this Jupyter server" not in serving.output
    assert code == 0 and serving.output.rstrip().endswith("Stopped.")
    assert not answers(port) and not answers(lab_port)
    assert [p.name for p in files_under(runtime) if p.name.startswith("jpserver-")] == []  # Lab stopped cleanly
    assert files_under(serving.tmp) == []
    assert not (home / "serve.json").exists()
    lab_log = (home / "lab.log").read_text(encoding="utf-8")
    assert "Jupyter Server" in lab_log and "DeprecationWarning" not in lab_log


def test_demo_stopped_by_sigterm_leaves_nothing_and_a_killed_serve_takes_its_server_along(tmp_path: Path) -> None:
    """Reproduction: each `serve --demo` left its throwaway workspace in the system temp folder."""
    demo = Spawned(["serve", "--demo", "--port", str(free_port()), "--no-qr"], tmp_path / "tmp-demo")
    killed_port = free_port()
    killed = Spawned(["serve", "--demo", "--port", str(killed_port), "--no-qr"], tmp_path / "tmp-killed")
    try:
        demo.wait_for("/voila/render/listen.ipynb?token=")
        killed.wait_for("/voila/render/listen.ipynb?token=")
        demo_homes = [p for p in demo.tmp.iterdir() if p.name.startswith("lessonkit-demo-")]
        assert len(demo_homes) == 1 and (demo_homes[0] / "serve.json").stat().st_mode & 0o077 == 0
        killed.proc.kill()  # SIGKILL to `lessonkit serve` alone: it cannot clean up
        code = demo.stop(signal.SIGTERM)
    finally:
        demo.kill()
        killed.kill()
    assert code == 0 and "Stopped." in demo.output, demo.output
    assert list(demo.tmp.iterdir()) == []
    deadline = time.monotonic() + 30
    while answers(killed_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not answers(killed_port)  # its participant server saw its stdin close and stopped by itself
