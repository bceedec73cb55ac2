"""Start the participant server: a standalone Voila over the participant notebooks only.

Safe defaults: localhost unless asked for the LAN, a token always required, sources stripped, tracebacks hidden,
idle kernels culled. The facilitator's own workbooks are never under its root.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
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
    expect: int = 0
    form: str = LISTEN_NOTEBOOK
    fill_delay_s: float = 2.0
    cull_idle_s: int = 300
    # Behind a proxy (a JupyterHub service route, see deploy/jupyterhub/): the path prefix Voila serves under
    # (Voila's base_url) and the address participants use instead of http://host:port.
    base_path: str = "/"
    public_url: str = ""

    @property
    def bind_ip(self) -> str:
        return "0.0.0.0" if self.lan else "127.0.0.1"

    @property
    def public_host(self) -> str:
        return lan_address() if self.lan else "127.0.0.1"

    def base_url(self) -> str:
        origin = self.public_url.rstrip("/") or f"http://{self.public_host}:{self.port}"
        return origin + base_path(self.base_path).rstrip("/")

    def page_url(self, notebook: str = LISTEN_NOTEBOOK, **params: str) -> str:
        query = "&".join(f"{k}={quote(str(v))}" for k, v in {"token": self.token, **params}.items())
        return f"{self.base_url()}/voila/render/{notebook}?{query}"


def base_path(text: str) -> str:
    """A URL path prefix with one slash at each end (``services/forms-ana`` → ``/services/forms-ana/``)."""
    path = "/" + "/".join(p for p in str(text).split("/") if p)
    if not re.fullmatch(r"[A-Za-z0-9._~/-]*", path) or "/.." in path:
        raise ServeError(
            _("'{path}' is not a usable base URL: use a path such as /services/forms-ana/.").format(path=text)
        )
    return path.rstrip("/") + "/"


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


def pools(cfg: ServeConfig) -> dict[str, int]:
    """Preheated kernels per participant form: ``expect`` for the form in use, one for each other form."""
    if cfg.expect <= 0:
        return {}
    forms = sorted(p.name for p in participant_notebooks().glob("*.ipynb"))
    return {nb: (cfg.expect if nb == cfg.form else 1) for nb in forms}


def settings(cfg: ServeConfig) -> dict[str, object]:
    """What :mod:`lessonkit.participant_server` needs (written to a private file: it holds the token)."""
    return {
        "ip": cfg.bind_ip,
        "port": cfg.port,
        "token": cfg.token,
        "root": str(participant_notebooks()),
        "base_url": base_path(cfg.base_path),
        "pools": pools(cfg),
        "fill_delay_s": cfg.fill_delay_s,
        "cull_idle_s": cfg.cull_idle_s,
    }


def voila_command(settings_file: Path) -> list[str]:
    return [sys.executable, "-m", "lessonkit.participant_server", str(settings_file)]


def server_env(cfg: ServeConfig) -> dict[str, str]:
    """The server's (and so its kernels') environment: which workspace and convening, and our Voila template."""
    from lessonkit.participant_server import JUPYTER_SHARE

    env = dict(os.environ)
    env.pop("QUERY_STRING", None)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_SHARE), env.get("JUPYTER_PATH", "")) if p)
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


@dataclass
class RunningServer:
    """A started participant server: its process, private run folder and log."""

    cfg: ServeConfig
    proc: subprocess.Popen[bytes]
    run_dir: Path
    log: Path | None
    log_offset: int = 0

    def ready_pools(self) -> list[str]:
        """Forms whose preheated pool Voila reported as filled (read from the server log)."""
        if self.log is None or not self.log.exists():
            return []
        with open(self.log, "rb") as f:
            f.seek(self.log_offset)
            text = f.read().decode("utf-8", "replace")
        return re.findall(r"Kernel pool of (\S+) is filled", text)

    def wait_ready(self, timeout_s: float = 600.0) -> bool:
        """Block until the preheated pool of the form in use is full (True), or the timeout passes (False)."""
        if not self.cfg.expect:
            return True
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServeError(_("The participant server stopped while filling its pool."))
            if self.cfg.form in self.ready_pools():
                return True
            time.sleep(0.5)
        return False

    def stop(self) -> None:
        stop(self.proc)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def start(cfg: ServeConfig, log: Path | None = None) -> RunningServer:
    """Start the participant server in the background and wait until it listens; the caller stops it."""
    if not port_is_free(cfg.port, cfg.bind_ip):
        raise ServeError(_("Port {p} is already in use: choose another with --port.").format(p=cfg.port))
    if cfg.form not in {p.name for p in participant_notebooks().glob("*.ipynb")}:
        raise ServeError(_("There is no participant form '{f}'.").format(f=cfg.form))
    run_dir = Path(tempfile.mkdtemp(prefix="lessonkit-serve-"))  # private (0700): the settings hold the token
    settings_file = run_dir / "settings.json"
    fd = os.open(settings_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(settings(cfg), f)
    offset = log.stat().st_size if log and log.exists() else 0
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(voila_command(settings_file), env=server_env(cfg), stdout=out, stderr=subprocess.STDOUT)
    server = RunningServer(cfg, proc, run_dir, log, offset)
    try:
        wait_for_port(cfg.port, proc)
    except ServeError:
        server.stop()
        raise
    write_info(cfg, proc.pid)
    return server


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
