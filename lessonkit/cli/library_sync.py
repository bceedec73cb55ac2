"""``lessonkit library sync|conflicts|resolve|share|delete``: the library shared through the network's CouchDB."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from lessonkit.cli.common import format_option, workspace
from lessonkit.cli.helpers import echo_json, echo_record, record_format_option
from lessonkit.cli.library import library
from lessonkit.domain.modules import ShareLevel
from lessonkit.domain.mou_diff import ADDED_MARK, REMOVED_MARK
from lessonkit.domain.sharing import share_label
from lessonkit.errors import SyncAuthError, ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services.library_conflicts import Conflict, list_conflicts, resolve_conflict, version_note
from lessonkit.services.library_io import read_json
from lessonkit.services.library_share import delete_module, is_shared, share_modules
from lessonkit.services.library_sync import SyncReport, sync_library
from lessonkit.store.base import Store


def _with_env_credentials(remote: Any) -> Any:
    from dataclasses import replace

    if remote.user:
        return remote
    user, password = os.environ.get("LESSONKIT_SYNC_USER"), os.environ.get("LESSONKIT_SYNC_PASSWORD")
    return replace(remote, user=user, password=password) if user else remote


def _prompted(remote: Any) -> Any:
    from dataclasses import replace

    user = remote.user or click.prompt(_("User name for {url}").format(url=remote.masked_url), err=True)
    password = click.prompt(_("Password"), hide_input=True, err=True)
    return replace(remote, user=user, password=password)


def _run(store: Store, remote: Any) -> SyncReport:
    from lessonkit.store.couch import CouchDatabase

    bar: Any = None

    def on_total(n: int) -> None:
        nonlocal bar
        bar = click.progressbar(length=max(n, 1), label=_("Syncing"), file=sys.stderr)
        bar.__enter__()

    try:
        with CouchDatabase(remote) as db:
            return sync_library(
                store, db, progress=lambda k: bar.update(k) if bar else None, on_total=on_total
            )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@library.command(
    help=_(
        "Sync the library both ways with the network's library server (the CouchDB database at URL). Only "
        "modules shared at level network or public leave this laptop. Credentials: in URL, in "
        "LESSONKIT_SYNC_USER and LESSONKIT_SYNC_PASSWORD, or asked for; never stored."
    )
)
@click.argument("url")
@format_option("text", "json", default="text")
@click.pass_context
def sync(ctx: click.Context, url: str, fmt: str) -> None:
    from lessonkit.store.couch import parse_remote

    store = workspace(ctx).library()
    remote = _with_env_credentials(parse_remote(url))
    if remote.user and remote.password is None:
        remote = _prompted(remote)
    try:
        report = _run(store, remote)
    except SyncAuthError:
        if remote.password is not None or not sys.stdin.isatty():
            raise
        report = _run(store, _prompted(remote))
    _print_report(report, remote.masked_url, fmt)


def _print_report(report: SyncReport, where: str, fmt: str) -> None:
    counts = report.summary()
    if fmt == "json":
        echo_json(
            {
                "server": where,
                **counts,
                "conflicting_modules": report.conflicts,
                "skipped_items": [{"item": item, "reason": reason} for item, reason in report.skipped],
            }
        )
        return
    click.echo(
        _("Synced with {url}: sent {sent}, received {received}, conflicts {conflicts}.").format(url=where, **counts)
    )
    if report.withdrawn or report.deleted:
        click.echo(
            _("Deletions sent: {n} (withdrawn from sharing: {w}; deleted here: {d}).").format(
                n=counts["withdrawn"] + counts["deleted"],
                w=", ".join(report.withdrawn) or "-",
                d=", ".join(report.deleted) or "-",
            )
        )
    if report.held_back:
        names = ", ".join(dict.fromkeys(report.held_back))
        click.echo(_("Not sent (changed meanwhile, or not shareable): {names}").format(names=names))
    for item, reason in report.skipped:
        click.echo("  " + _("skipped {item}: {reason}").format(item=item, reason=reason))
    if report.conflicts:
        click.echo(
            _("Conflicting versions in: {names}. Compare and settle them with `lessonkit library conflicts`.").format(
                names=", ".join(report.conflicts)
            )
        )


def _conflict_dict(conflict: Conflict) -> dict[str, Any]:
    return {
        "slug": conflict.slug,
        "versions": [
            {"rev": v.rev, "here": v.here, "shown": v.shown, "module": v.module.to_dict()} for v in conflict.versions
        ],
        "differences": [
            [
                {"field": d.key, "label": d.label, "shown": d.left, "other": d.right, "diff": d.as_text()}
                for d in conflict.differences(i)
            ]
            for i in range(1, len(conflict.versions))
        ],
    }


@library.command(
    help=_("Modules that two laptops edited offline: every version, and a word diff against the shown one.")
)
@format_option("text", "json", default="text")
@click.pass_context
def conflicts(ctx: click.Context, fmt: str) -> None:
    found = list_conflicts(workspace(ctx).library())
    if fmt == "json":
        echo_json([_conflict_dict(c) for c in found])
        return
    if not found:
        click.echo(_("No conflicts: every module has one version."))
        return
    for conflict in found:
        click.echo(
            ngettext("{slug}: {n} version", "{slug}: {n} versions", len(conflict.versions)).format(
                slug=conflict.slug, n=len(conflict.versions)
            )
        )
        for i, version in enumerate(conflict.versions):
            click.echo(f"  [{i + 1}] {version.rev}  {version_note(version)}")
        for i in range(1, len(conflict.versions)):
            compared = _(
                "Version [{i}] compared with [1] (words only in [1] are marked {removed}, words only in [{i}] {added}):"
            )
            click.echo("  " + compared.format(i=i + 1, removed=REMOVED_MARK, added=ADDED_MARK))
            for diff in conflict.differences(i):
                click.echo(f"    {diff.label}: {diff.as_text()}")
    click.echo(
        _(
            "Keep one version with `lessonkit library resolve SLUG --keep REV`, or write a merged one "
            "(`lessonkit library show SLUG --format json` gives a start) and use --merged FILE."
        )
    )


@library.command(help=_("Settle a conflict: keep one version (--keep REV) or save a merged one (--merged FILE)."))
@click.argument("slug")
@click.option("--keep", help=_("The revision to keep (as listed by `lessonkit library conflicts`)."))
@click.option("--merged", type=click.Path(dir_okay=False), help=_("A JSON file with the merged module."))
@record_format_option()
@click.pass_context
def resolve(ctx: click.Context, slug: str, keep: str | None, merged: str | None, fmt: str) -> None:
    data = read_json(merged) if merged else None
    if data is not None and not isinstance(data, dict):
        raise ValidationError(str(merged), _("expected one module as a JSON object."))
    module = resolve_conflict(workspace(ctx).library(), slug, keep=keep, merged=data)
    echo_record(
        fmt,
        module.to_dict() | {"id": module.id},
        [_("Conflict in {slug} settled; the next sync sends your choice to the others.").format(slug=slug)],
    )


@library.command(help=_("Choose how far modules travel: local (this laptop), network or public (the library server)."))
@click.argument("slugs", nargs=-1)
@click.option(
    "--level",
    required=True,
    type=click.Choice([s.value for s in ShareLevel]),
    help=_("local: stays here; network: partner groups through the library server; public: the same, fit to publish."),
)
@click.option("--origin", help=_("Also every module imported from this source (e.g. beautiful-trouble)."))
@record_format_option()
@click.pass_context
def share(ctx: click.Context, slugs: tuple[str, ...], level: str, origin: str | None, fmt: str) -> None:
    changes = share_modules(workspace(ctx).library(), slugs, level, origin=origin)
    if fmt == "json":
        echo_json([{"slug": c.module.slug, "share": c.module.share.value, "withdraws": c.withdraws} for c in changes])
        return
    click.echo(
        ngettext("{n} module is now: {label}", "{n} modules are now: {label}", len(changes)).format(
            n=len(changes), label=share_label(ShareLevel(level))
        )
    )
    withdrawn = [c.module.slug for c in changes if c.withdraws]
    if withdrawn:
        click.echo(
            _(
                "Already on the library server: {names}. The next sync sends a deletion for them to every "
                "laptop; the server keeps their old revisions until its administrator purges them."
            ).format(names=", ".join(withdrawn))
        )


@library.command(help=_("Delete a module from this library (after sharing, the deletion reaches every laptop)."))
@click.argument("slug")
@click.option("--yes", "-y", "yes", is_flag=True, help=_("Do not ask for confirmation."))
@record_format_option()
@click.pass_context
def delete(ctx: click.Context, slug: str, yes: bool, fmt: str) -> None:
    store = workspace(ctx).library()
    if not yes:
        question = (
            _("Delete '{slug}'? It was shared: the deletion will reach every laptop of the network.")
            if is_shared(store, slug)
            else _("Delete the module '{slug}'?")
        )
        click.confirm(question.format(slug=slug), abort=True)
    shared = delete_module(store, slug)
    done = (
        _("Deleted {slug}; the next sync sends the deletion to every laptop of the network.")
        if shared
        else _("Deleted {slug}; it was never shared, so nothing about it reaches the server.")
    )
    echo_record(fmt, {"slug": slug, "deleted": True, "deletion_synced": shared}, [done.format(slug=slug)])


__all__ = ["conflicts", "delete", "resolve", "share", "sync"]
