"""One run of ``lessonkit serve``: start the servers, print the links last, stop everything on any way out.

Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) all end the run through the same ``finally``: the
servers get SIGTERM (they run in their own process groups, so only this process sees the terminal's Ctrl-C and
JupyterLab never asks "Shut down this Jupyter server?"), the workspace forgets the server, and a ``--demo``
workspace is deleted. Nothing is left in the temp folder: the token travels to the server over a pipe.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, ngettext
from lessonkit.resources import data_path
from lessonkit.serve import RunningServer, ServeConfig, launch_lab, start, stop_all, terminal_qr, wait_for_port

SERVE_LOG = "serve.log"
LAB_LOG = "lab.log"


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: stop as Ctrl-C does."""


def _stop_signals() -> list[signal.Signals]:
    return [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP interrupt like Ctrl-C, so one ``finally`` cleans up after all three."""

    def _raise(*_args: object) -> None:
        raise Stopped

    before = {sig: signal.signal(sig, _raise) for sig in _stop_signals()}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


@contextmanager
def signals_ignored() -> Iterator[None]:
    """While cleaning up, a second Ctrl-C (or SIGTERM) must not cut the cleanup short."""
    before = {sig: signal.signal(sig, signal.SIG_IGN) for sig in [signal.SIGINT, *_stop_signals()]}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def load_demo_workspace(home: Path) -> tuple[str, list[tuple[str, str]]]:
    """Load the invented demo convening into the (throwaway) workspace ``home``; returns (slug, [(name, code)])."""
    from lessonkit.services import list_participants, load_demo
    from lessonkit.store.workspace import Workspace

    ws = Workspace(home)
    convening = load_demo(ws, data_path("demo", "convening.json"))
    people = [(p.name, p.join_code) for p in list_participants(ws.store(convening.slug))]
    return convening.slug, people


def log_tail(path: Path, lines: int = 12) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def projector_url(lab_url: str) -> str:
    """The projector workbook rendered by Voila inside the facilitator's JupyterLab (never the participant server)."""
    return lab_url.replace("/lab?", "/voila/render/projector.ipynb?", 1)


def print_links(cfg: ServeConfig, qr: bool, lab_url: str | None) -> None:
    """Lab's link, then the participant link with its QR code, then this laptop's other addresses."""
    if lab_url:
        click.echo(_("Facilitator workbooks (JupyterLab, this laptop only):"))
        click.echo(f"  {lab_url}")
        click.echo(_("Projector (this laptop only; put this window on the projector):"))
        click.echo(f"  {projector_url(lab_url)}")
    urls = cfg.page_urls()
    click.echo(_("Participant link (token included; share it only with participants):"))
    if qr:
        click.echo(terminal_qr(urls[0]), nl=False)
    click.echo(f"  {urls[0]}")
    if len(urls) > 1:
        click.echo(_("If phones cannot open it, this laptop's other addresses:"))
        for url in urls[1:]:
            click.echo(f"  {url}")


class ServeRun:
    """The servers of one run and what to remove when it ends."""

    def __init__(self) -> None:
        self.throwaway: Path | None = None
        self.server: RunningServer | None = None
        self.lab: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []

    def demo_home(self) -> tuple[Path, str]:
        """A throwaway workspace (deleted at the end) holding the demo convening; prints the join codes."""
        self.throwaway = Path(tempfile.mkdtemp(prefix="lessonkit-demo-"))
        slug, people = load_demo_workspace(self.throwaway)
        click.echo(
            _("Demo convening '{slug}' in a throwaway workspace (deleted when you stop): {home}").format(
                slug=slug, home=self.throwaway
            )
        )
        click.echo(_("Join codes of the invented participants:"))
        for name, code in people:
            click.echo(f"  {code}  {name}")
        return self.throwaway, slug

    def start(self, cfg: ServeConfig, lab_port: int | None) -> str | None:
        """Start the participant server (and Lab, at the same time); return once both answer. Returns Lab's URL."""
        lab_url = None
        if lab_port is not None:
            lab_token = secrets.token_urlsafe(24)
            lab_log = cfg.home / LAB_LOG
            self.logs.append(lab_log)
            self.lab = launch_lab(cfg, lab_port, lab_token, lab_log)
            lab_url = f"http://127.0.0.1:{lab_port}/lab?token={lab_token}"
            click.echo(_("Starting JupyterLab (its log: {log})…").format(log=lab_log))
        serve_log = cfg.home / SERVE_LOG
        self.logs.append(serve_log)
        click.echo(_("Starting the participant server (its log: {log})…").format(log=serve_log))
        self.server = start(cfg, log=serve_log)
        if self.lab is not None and lab_port is not None:
            wait_for_port(lab_port, self.lab, timeout_s=120, lab=True)
        if cfg.expect:
            click.echo(
                ngettext(
                    "Pre-starting {n} kernel for {form}; the link follows when it is ready…",
                    "Pre-starting {n} kernels for {form}; the link follows when they are ready…",
                    cfg.expect,
                ).format(n=cfg.expect, form=cfg.form)
            )
            if self.server.wait_ready():
                ready = ngettext(
                    "Ready: {n} participant can open {form} at once.",
                    "Ready: {n} participants can open {form} at once.",
                    cfg.expect,
                )
                click.echo(ready.format(n=cfg.expect, form=cfg.form))
            else:
                click.echo(_("Not every kernel is ready yet: the first pages may open slowly."))
        return lab_url

    def procs(self) -> list[subprocess.Popen[bytes]]:
        return [p for p in (self.server.proc if self.server else None, self.lab) if p is not None]

    def wait(self) -> None:
        """Until a server stops by itself (or a signal interrupts)."""
        while all(p.poll() is None for p in self.procs()):
            time.sleep(0.5)

    def close(self) -> tuple[bool, list[tuple[Path, str]]]:
        """Stop both servers (in parallel), forget the server, delete a demo workspace. Returns whether a server
        had failed, and then the last lines of the logs (to show after the cleanup)."""
        failed = any(p.poll() for p in self.procs())  # a return code other than 0 while still serving
        tails = [(log, log_tail(log)) for log in self.logs] if failed else []
        stop_all(self.procs())
        if self.server is not None:
            self.server.stop()  # already stopped: forgets it in the workspace
        if self.throwaway is not None:
            shutil.rmtree(self.throwaway, ignore_errors=True)
        return failed, tails


def run(setup: Callable[[ServeRun], tuple[ServeConfig, int | None]], qr: bool) -> None:
    """``setup`` chooses the workspace and builds the configuration (and Lab's port, or None); then serve until
    Ctrl-C, SIGTERM or SIGHUP, or until a server stops by itself (an error, with its log's last lines)."""
    serving = ServeRun()
    stopped = failed = False
    tails: list[tuple[Path, str]] = []
    try:
        with stop_on_signals():
            cfg, lab_port = setup(serving)
            lab_url = serving.start(cfg, lab_port)
            where = (
                _("the local network")
                if cfg.lan
                else (cfg.public_url or _("this laptop only (use --lan for phones)"))
            )
            click.echo(_("Serving on {where}. Press Ctrl-C to stop.").format(where=where))
            print_links(cfg, qr, lab_url)
            serving.wait()
    except (KeyboardInterrupt, Stopped):
        stopped = True
    finally:
        with signals_ignored():
            failed, tails = serving.close()
    if failed and not stopped:
        for log, tail in tails:
            if tail:
                click.echo(_("Last lines of {log}:").format(log=log), err=True)
                click.echo(tail, err=True)
        raise LessonkitError(_("A server stopped unexpectedly (see above); everything was stopped."))
    click.echo(_("Stopped."))
