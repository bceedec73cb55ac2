"""Start the participant server: a standalone Voila over the participant notebooks only.

Safe defaults: localhost unless asked for the LAN, a token always required, sources stripped, tracebacks hidden,
idle kernels culled. The facilitator's own workbooks are never under its root.
"""

from __future__ import annotations

import json
import os
import re
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
from lessonkit.lan import this_laptop_addresses
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
    lan_hosts: list[str] = field(default_factory=list)  # with --lan: this laptop's addresses, best first
    # Behind a proxy (a JupyterHub service route, see deploy/jupyterhub/): the path prefix Voila serves under
    # (Voila's base_url) and the address participants use instead of http://host:port.
    base_path: str = "/"
    public_url: str = ""

    @property
    def bind_ip(self) -> str:
        return "0.0.0.0" if self.lan else "127.0.0.1"

    def hosts(self) -> list[str]:
        """Addresses for the participant link, best first: 127.0.0.1, or with --lan this laptop's addresses on
        the local network (never a loopback one; looked up once, see :mod:`lessonkit.lan`)."""
        if not self.lan:
            return ["127.0.0.1"]
        if not self.lan_hosts:
            self.lan_hosts = this_laptop_addresses()
        if not self.lan_hosts:
            raise ServeError(
                _(
                    "This laptop has no address on a local network, so phones could not open the link: join a "
                    "Wi-Fi network (or turn on a hotspot and join it), then start again."
                )
            )
        return list(self.lan_hosts)

    @property
    def public_host(self) -> str:
        return self.hosts()[0]

    def base_url(self, host: str | None = None) -> str:
        """Where the server is reached: the public address behind a proxy, else http://host:port, plus the path
        prefix Voila serves under."""
        origin = self.public_url.rstrip("/") or f"http://{host or self.public_host}:{self.port}"
        return origin + base_path(self.base_path).rstrip("/")

    def page_url(self, notebook: str = LISTEN_NOTEBOOK, **params: str) -> str:
        return self.page_urls(notebook, **params)[0]

    def page_urls(self, notebook: str = LISTEN_NOTEBOOK, **params: str) -> list[str]:
        """The page's link on each of :meth:`hosts`, best first."""
        query = "&".join(f"{k}={quote(str(v))}" for k, v in {"token": self.token, **params}.items())
        if self.public_url:  # behind a proxy: one address, whatever this laptop's own are
            return [f"{self.base_url()}/voila/render/{notebook}?{query}"]
        return [f"{self.base_url(host)}/voila/render/{notebook}?{query}" for host in self.hosts()]


def base_path(text: str) -> str:
    """A URL path prefix with one slash at each end (``services/forms-ana`` → ``/services/forms-ana/``)."""
    path = "/" + "/".join(p for p in str(text).split("/") if p)
    if not re.fullmatch(r"[A-Za-z0-9._~/-]*", path) or "/.." in path:
        raise ServeError(
            _("'{path}' is not a usable base URL: use a path such as /services/forms-ana/.").format(path=text)
        )
    return path.rstrip("/") + "/"


def pools(cfg: ServeConfig) -> dict[str, int]:
    """Preheated kernels per participant form: ``expect`` for the form in use, one for each other form."""
    if cfg.expect <= 0:
        return {}
    forms = sorted(p.name for p in participant_notebooks().glob("*.ipynb"))
    return {nb: (cfg.expect if nb == cfg.form else 1) for nb in forms}


def settings(cfg: ServeConfig) -> dict[str, object]:
    """What :mod:`lessonkit.participant_server` needs (sent over its stdin, never written to a file: the token)."""
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


def voila_command() -> list[str]:
    """The participant server reads its settings as one JSON line on stdin (see :func:`start`)."""
    return [sys.executable, "-m", "lessonkit.participant_server", "-"]


def server_env(cfg: ServeConfig) -> dict[str, str]:
    """The server's (and so its kernels') environment: which workspace and convening, and our Voila template."""
    from lessonkit.participant_server import JUPYTER_SHARE

    env = dict(os.environ)
    env.pop("QUERY_STRING", None)
    for secret in ("LESSONKIT_PASSPHRASE", "LESSONKIT_NEW_PASSPHRASE", "LESSONKIT_KEY_HANDOFF"):  # nor any key
        env.pop(secret, None)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_SHARE), env.get("JUPYTER_PATH", "")) if p)
    env.update(
        LESSONKIT_HOME=str(cfg.home),
        LESSONKIT_CONVENING=cfg.convening,
        LESSONKIT_ROLE="participant",
        PYTHONUNBUFFERED="1",
    )
    return env


def lab_env(cfg: ServeConfig) -> dict[str, str]:
    """The facilitator's JupyterLab: the server's environment, but not the participant role (its workbooks unlock
    and read an encrypted convening; the participant server's kernels only append to it)."""
    env = server_env(cfg)
    env.pop("LESSONKIT_ROLE", None)
    return env


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 60.0, lab: bool = False) -> None:
    """Block until something listens on ``port`` on this laptop; a clear error if ``proc`` (the participant server,
    or JupyterLab with ``lab``) stops or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stopped = (
                _("JupyterLab stopped while starting (exit code {c}).")
                if lab
                else _("The participant server stopped while starting (exit code {c}).")
            )
            raise ServeError(stopped.format(c=proc.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    silent = (
        _("JupyterLab did not answer on port {p} within {s:.0f} s.")
        if lab
        else _("The participant server did not answer on port {p} within {s:.0f} s.")
    )
    raise ServeError(silent.format(p=port, s=timeout_s))


def port_is_free(port: int, ip: str) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


@dataclass
class RunningServer:
    """A started participant server: its process (which holds the settings pipe) and its log."""

    cfg: ServeConfig
    proc: subprocess.Popen[bytes]
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
        """Stop the server (SIGTERM: Voila shuts its kernels down) and forget it in the workspace."""
        stop_all([self.proc])
        remove_info(self.cfg.home, self.proc.pid)


def start(cfg: ServeConfig, log: Path | None = None) -> RunningServer:
    """Start the participant server in the background and wait until it listens; the caller stops it.

    The settings (with the token) go over a pipe to the server's stdin, never into a file. The pipe stays open
    while the server runs: if this process dies without stopping it, the server sees the pipe close and stops
    itself. The server gets its own process group, so a Ctrl-C in the terminal reaches only this process, which
    then stops the server in order.
    """
    if not port_is_free(cfg.port, cfg.bind_ip):
        raise ServeError(_("Port {p} is already in use: choose another with --port.").format(p=cfg.port))
    if cfg.form not in {p.name for p in participant_notebooks().glob("*.ipynb")}:
        raise ServeError(_("There is no participant form '{f}'.").format(f=cfg.form))
    cfg.hosts()  # with --lan, find this laptop's addresses now: one clear line when it has none, nothing started
    offset = log.stat().st_size if log and log.exists() else 0
    with open(log, "ab") if log else open(os.devnull, "wb") as out:
        proc = subprocess.Popen(
            voila_command(),
            env=server_env(cfg),
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = RunningServer(cfg, proc, log, offset)
    try:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(settings(cfg)).encode("utf-8") + b"\n")
        proc.stdin.flush()
        wait_for_port(cfg.port, proc)
    except OSError as exc:  # the settings pipe broke: the server stopped at once
        server.stop()
        raise ServeError(_("The participant server stopped while starting (see its log).")) from exc
    except BaseException:  # a clear error, Ctrl-C or SIGTERM while starting: never leave it running
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
        "urls": cfg.page_urls(),
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


def remove_info(home: Path, pid: int) -> None:
    """Remove the workspace's server info if it describes the server ``pid`` (another may have replaced it)."""
    info = read_info(home)
    if info is not None and info.get("pid") == pid:
        (home / SERVE_INFO).unlink(missing_ok=True)


def stop(proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    stop_all([proc], timeout_s)


def stop_all(procs: Sequence[subprocess.Popen[bytes]], timeout_s: float = 20.0) -> None:
    """SIGTERM to every process at once (each shuts down cleanly, in parallel), SIGKILL to any still running
    after ``timeout_s``; then close the pipes we hold to them."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + timeout_s
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        if p.stdin is not None:
            try:
                p.stdin.close()
            except OSError:  # the pipe broke when the process stopped
                pass


def lab_command(port: int, token: str) -> list[str]:
    """JupyterLab for the facilitator, on localhost only, over the workbooks folder."""
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        sys.executable,
        "-m",
        "lessonkit.lab_server",  # jupyter lab, without a third-party deprecation warning (see there)
        str(workbooks_path()),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        *as_root,
    ]


def launch_lab(cfg: ServeConfig, port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    """Start JupyterLab in the background (its log into ``log``); wait with :func:`wait_for_port`, stop with
    :func:`stop_all`. Its own process group and a pipe for stdin, no terminal: Ctrl-C reaches only `lessonkit
    serve` (no "Shut down this Jupyter server?" prompt), which stops it with SIGTERM; if `lessonkit serve` dies,
    the pipe closes and Lab stops itself."""
    if not port_is_free(port, "127.0.0.1"):
        raise ServeError(_("Port {p} is already in use: choose another with --lab-port.").format(p=port))
    with open(log, "ab") as out:
        return subprocess.Popen(
            lab_command(port, token),
            env=lab_env(cfg),
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def terminal_qr(text: str) -> str:
    import io

    import qrcode

    qr = qrcode.QRCode(border=1)
    qr.add_data(text)
    buf = io.StringIO()
    qr.print_ascii(out=buf, invert=True)
    return buf.getvalue()
