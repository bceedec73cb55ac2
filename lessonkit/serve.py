"""Start the participant server: a standalone Voila over the participant notebooks only.

Safe defaults: localhost unless asked for the LAN, a token always required, sources stripped, tracebacks hidden,
idle kernels culled. The facilitator's own workbooks are never under its root.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lessonkit.errors import ServeError
from lessonkit.i18n import _
from lessonkit.resources import participant_notebooks, workbooks_path

LISTEN_NOTEBOOK = "listen.ipynb"
SERVE_INFO = "serve.json"


@dataclass
class ServeConfig:
    home: Path
    convening: str
    port: int = 8866
    lan: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    cull_idle_s: int = 600

    @property
    def bind_ip(self) -> str:
        return "0.0.0.0" if self.lan else "127.0.0.1"

    @property
    def public_host(self) -> str:
        return lan_address() if self.lan else "127.0.0.1"

    def base_url(self) -> str:
        return f"http://{self.public_host}:{self.port}"

    def page_url(self, notebook: str = LISTEN_NOTEBOOK, **params: str) -> str:
        query = "&".join(f"{k}={quote(str(v))}" for k, v in {"token": self.token, **params}.items())
        return f"{self.base_url()}/voila/render/{notebook}?{query}"


def lan_address() -> str:
    """This laptop's address on the local network, for the link participants type or scan."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        addr = str(info[4][0])
        if not addr.startswith("127."):
            return addr
    return "127.0.0.1"


def voila_command(cfg: ServeConfig) -> list[str]:
    root = participant_notebooks()
    return [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        f"--port={cfg.port}",
        f"--Voila.ip={cfg.bind_ip}",
        f"--token={cfg.token}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--Voila.root_dir={root}",
        "--MappingKernelManager.cull_interval=30",
        f"--MappingKernelManager.cull_idle_timeout={cfg.cull_idle_s}",
        "--MappingKernelManager.cull_connected=False",
    ]


def server_env(cfg: ServeConfig) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LESSONKIT_HOME=str(cfg.home),
        LESSONKIT_CONVENING=cfg.convening,
        LESSONKIT_ROLE="participant",
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(
                _("The participant server stopped while starting (exit code {c}).").format(c=proc.returncode)
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ServeError(
        _("The participant server did not answer on port {p} within {s:.0f} s.").format(p=port, s=timeout_s)
    )


def port_is_free(port: int, ip: str) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def start(cfg: ServeConfig, log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start Voila in the background and wait until it listens; the caller stops it."""
    if not port_is_free(cfg.port, cfg.bind_ip):
        raise ServeError(_("Port {p} is already in use: choose another with --port.").format(p=cfg.port))
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(voila_command(cfg), env=server_env(cfg), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(cfg.port, proc)
    except ServeError:
        stop(proc)
        raise
    write_info(cfg, proc.pid)
    return proc


def write_info(cfg: ServeConfig, pid: int) -> Path:
    """Tell the facilitator's notebooks where the participant server is (read by the setup workbook)."""
    path = cfg.home / SERVE_INFO
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {
        "url": cfg.page_url(),
        "base_url": cfg.base_url(),
        "token": cfg.token,
        "pid": pid,
        "convening": cfg.convening,
        "lan": cfg.lan,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    return path


def read_info(home: Path) -> dict[str, object] | None:
    try:
        info = json.loads((home / SERVE_INFO).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return info if isinstance(info, dict) else None


def stop(proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def lab_command(port: int, token: str) -> list[str]:
    """JupyterLab for the facilitator, on localhost only, over the workbooks folder."""
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        str(workbooks_path()),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        *as_root,
    ]


def terminal_qr(text: str) -> str:
    import io

    import qrcode

    qr = qrcode.QRCode(border=1)
    qr.add_data(text)
    buf = io.StringIO()
    qr.print_ascii(out=buf, invert=True)
    return buf.getvalue()


def stop_all(procs: Sequence[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        stop(p)
