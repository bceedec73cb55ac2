"""``lessonkit serve``: the participant server (and, with --lab, the facilitator's JupyterLab)."""

from __future__ import annotations

import secrets
import signal
import tempfile
import time
from pathlib import Path

import click

from lessonkit.cli.common import main, workspace
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _
from lessonkit.resources import data_path
from lessonkit.serve import ServeConfig, lab_command, server_env, start, stop_all, terminal_qr


def _pick_convening(ctx: click.Context, slug: str | None) -> str:
    ws = workspace(ctx)
    if slug:
        ws.store(slug)  # clear error if it does not exist
        return slug
    slugs = ws.slugs()
    if len(slugs) == 1:
        return slugs[0]
    raise LessonkitError(
        _("Say which convening to serve with --convening (this workspace has: {s}).").format(
            s=", ".join(slugs) or "none"
        )
        if slugs
        else _("This workspace has no convening yet: create one, or try `lessonkit serve --demo`.")
    )


def load_demo_workspace() -> tuple[Path, str, list[tuple[str, str]]]:
    """A throwaway workspace holding the invented demo convening; returns (home, slug, [(name, code)])."""
    from lessonkit.services import list_participants, load_demo
    from lessonkit.store.workspace import Workspace

    home = Path(tempfile.mkdtemp(prefix="lessonkit-demo-"))
    ws = Workspace(home)
    convening = load_demo(ws, data_path("demo", "convening.json"))
    people = [(p.name, p.join_code) for p in list_participants(ws.store(convening.slug))]
    return home, convening.slug, people


@main.command(help=_("Serve the participant forms of a convening (Voila, token required, localhost unless --lan)."))
@click.option("--convening", "slug", help=_("Short name of the convening to serve (needed when there are several)."))
@click.option(
    "--demo", is_flag=True, help=_("Load the invented demo convening into a throwaway workspace and serve it.")
)
@click.option("--lan", is_flag=True, help=_("Listen on the local network (default: this laptop only)."))
@click.option(
    "--port", default=8866, show_default=True, envvar="LESSONKIT_SERVE_PORT", help=_("Port of the participant server.")
)
@click.option(
    "--base-url",
    default="/",
    envvar="LESSONKIT_BASE_URL",
    help=_("Path prefix to serve under, behind a proxy such as a JupyterHub service route (/services/NAME/)."),
)
@click.option(
    "--public-url",
    default="",
    envvar="LESSONKIT_PUBLIC_URL",
    help=_("The address participants open, when it is not this machine's (e.g. https://hub.example.org)."),
)
@click.option("--token", help=_("Use this access token instead of a random one (a token is always required)."))
@click.option("--lab", is_flag=True, help=_("Also start JupyterLab on the facilitator workbooks (localhost only)."))
@click.option("--lab-port", default=8888, show_default=True, help=_("Port of JupyterLab with --lab."))
@click.option("--qr/--no-qr", default=True, show_default=True, help=_("Print the participant link as a QR code."))
@click.option(
    "--expect",
    default=0,
    show_default=True,
    help=_(
        "How many participants will open the form at once: pre-start that many kernels so every page opens "
        "in well under a second (about 55 MB of memory each; 30 take about 25 s to start on 2 cores)."
    ),
)
@click.option(
    "--form",
    default="listen",
    show_default=True,
    help=_("Which participant form the --expect pool is for (listen, amend, score…); other forms get one kernel."),
)
@click.pass_context
def serve(
    ctx: click.Context,
    slug: str | None,
    demo: bool,
    lan: bool,
    port: int,
    base_url: str,
    public_url: str,
    token: str | None,
    lab: bool,
    lab_port: int,
    qr: bool,
    expect: int,
    form: str,
) -> None:
    """Serve the participant forms of a convening (Voila, token required, localhost unless --lan)."""
    if demo:
        home, slug, people = load_demo_workspace()
        click.echo(_("Demo convening '{slug}' loaded into the throwaway workspace {home}").format(slug=slug, home=home))
        click.echo(_("Join codes of the invented participants:"))
        for name, code in people:
            click.echo(f"  {code}  {name}")
    else:
        home = workspace(ctx).home
        slug = _pick_convening(ctx, slug)
    cfg = ServeConfig(
        home=Path(home),
        convening=slug,
        port=port,
        lan=lan,
        token=token or secrets.token_urlsafe(24),
        expect=max(0, expect),
        form=form if form.endswith(".ipynb") else f"{form}.ipynb",
        base_path=base_url,
        public_url=public_url,
    )
    server = start(cfg, log=Path(home) / "serve.log")
    procs = [server.proc]
    if lab:
        import subprocess

        lab_token = secrets.token_urlsafe(24)
        procs.append(subprocess.Popen(lab_command(lab_port, lab_token), env=server_env(cfg)))
        click.echo(
            _("Facilitator workbooks (JupyterLab, this laptop only): http://127.0.0.1:{p}/lab?token={t}").format(
                p=lab_port, t=lab_token
            )
        )
    url = cfg.page_url()
    click.echo(_("Participant link (token included; share it only with participants):"))
    click.echo(f"  {url}")
    if qr:
        click.echo(terminal_qr(url))
    click.echo(
        _("Serving on {where}. Press Ctrl-C to stop.").format(
            where=_("the local network")
            if lan
            else (public_url or _("this laptop only (use --lan for phones)"))
        )
    )
    if cfg.expect:
        click.echo(
            _("Pre-starting {n} kernels for {form}; wait for 'Ready' before sharing the link…").format(
                n=cfg.expect, form=cfg.form
            )
        )
        if server.wait_ready():
            click.echo(_("Ready: {n} participants can open {form} at once.").format(n=cfg.expect, form=cfg.form))
    stop_requested = False

    def _stop(*_args: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stop_requested and all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        died = [p for p in procs if p.poll() not in (None, 0, -signal.SIGTERM)]
        stop_all(procs[1:])
        server.stop()
        (Path(home) / "serve.json").unlink(missing_ok=True)
    if died and not stop_requested:
        log = Path(home) / "serve.log"
        raise LessonkitError(
            _("A server stopped unexpectedly (see {log} and the output above); everything was stopped.").format(log=log)
        )
    click.echo(_("Stopped."))
