"""``lessonkit serve``: the participant server (and, with --lab, the facilitator's JupyterLab)."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from lessonkit.cli.common import main, workspace
from lessonkit.cli.serve_run import ServeRun, run
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _
from lessonkit.serve import ServeConfig


def _pick_convening(ctx: click.Context, slug: str | None) -> str:
    ws = workspace(ctx)
    if slug:
        if not ws.exists(slug):
            ws.store(slug)  # the clear error that lists the convenings (serving needs no passphrase)
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

    def setup(serving: ServeRun) -> tuple[ServeConfig, int | None]:
        if demo:
            home, convening = serving.demo_home()
        else:
            home, convening = workspace(ctx).home, _pick_convening(ctx, slug)
        cfg = ServeConfig(
            home=Path(home),
            convening=convening,
            port=port,
            lan=lan,
            token=token or secrets.token_urlsafe(24),
            expect=max(0, expect),
            form=form if form.endswith(".ipynb") else f"{form}.ipynb",
            base_path=base_url,
            public_url=public_url,
        )
        return cfg, (lab_port if lab else None)

    run(setup, qr)
