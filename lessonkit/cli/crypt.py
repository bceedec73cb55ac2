"""``lessonkit convening encrypt|decrypt|lock|passphrase|recover|publish|shred|breach``: encryption at rest and the
breach protocol (see ``facilitator_guides/safety.md``). ``convening create --encrypt`` is in cli/convening.py and
uses :func:`create_encrypted_cli` here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lessonkit.cli.common import format_option, workspace
from lessonkit.cli.convening import convening
from lessonkit.cli.helpers import echo_json, echo_record, open_store, record_format_option
from lessonkit.cli.passphrase import NEW_ENV, ask_new
from lessonkit.i18n import _, ngettext
from lessonkit.services import encryption as enc
from lessonkit.services.encryption import Status

RECOVERY_HELP = _(
    "Also encrypt to this age public key (age1…), e.g. a trusted partner's, who can then read the convening "
    "without the passphrase. Repeat for several."
)
SHEET_HELP = _(
    "Also make a recovery key, printed once here to keep on paper away from this laptop: with it the convening "
    "can be read if the passphrase is lost."
)


def recovery_options(f: Any) -> Any:
    f = click.option("--recovery-sheet", is_flag=True, help=SHEET_HELP)(f)
    return click.option("--recovery-recipient", "recovery", multiple=True, metavar="AGE_KEY", help=RECOVERY_HELP)(f)


def _recipients(recovery: tuple[str, ...], sheet: bool) -> tuple[list[str], str | None]:
    extra = list(recovery)
    secret = None
    if sheet:
        secret, public = enc.new_recovery_key()
        extra.append(public)
    return extra, secret


def _sheet_lines(slug: str, secret: str | None) -> list[str]:
    if secret is None:
        return []
    return [
        "",
        _("RECOVERY KEY of '{slug}' (shown once: write it down or print it, keep it away from this laptop):").format(
            slug=slug
        ),
        f"  {secret}",
        _(
            "Whoever holds it can read this convening. If the passphrase is lost: save the line above in a file and "
            "run `lessonkit convening recover {slug} --identity FILE`."
        ).format(slug=slug),
        "",
    ]


def _status_lines(s: Status) -> list[str]:
    lines = [_("Public key: {key}").format(key=s.recipient)]
    if s.recovery:
        lines.append(_("Also readable with: {keys}").format(keys=", ".join(s.recovery)))
    return lines


def _emit(fmt: str, status: Status, lines: list[str], secret: str | None = None) -> None:
    data = status.to_dict()
    if secret is not None:
        data["recovery_key"] = secret
    echo_record(fmt, data, [*lines, *_status_lines(status), *_sheet_lines(status.slug, secret)])


def create_encrypted_cli(ctx: click.Context, slug: str, title: str, recovery: tuple[str, ...], sheet: bool,
                         **fields: Any) -> tuple[Any, str | None]:
    """``convening create --encrypt``: the convening, and the recovery key to show once (or None)."""
    extra, secret = _recipients(recovery, sheet)
    made = enc.create_encrypted(workspace(ctx), slug, title, ask_new(slug), extra, **fields)
    return made, secret


def sheet_lines(slug: str, secret: str | None) -> list[str]:
    return _sheet_lines(slug, secret)


@convening.command(
    "encrypt",
    help=_(
        "Encrypt a convening at rest (snapshot, journal, last good copy, damaged files set aside) with a new "
        "passphrase, asked twice (or LESSONKIT_PASSPHRASE). If it is lost, nothing can be recovered unless you add "
        "a recovery key."
    ),
)
@click.argument("slug")
@recovery_options
@record_format_option()
@click.pass_context
def encrypt(ctx: click.Context, slug: str, recovery: tuple[str, ...], recovery_sheet: bool, fmt: str) -> None:
    ws = workspace(ctx)
    enc.encryption_status(ws, slug)  # one clear error for an unknown convening, before asking anything
    extra, secret = _recipients(recovery, recovery_sheet)
    status = enc.encrypt_convening(ws, slug, ask_new(slug), extra)
    _emit(fmt, status, [_("Encrypted '{slug}'. Each command now asks for its passphrase.").format(slug=slug)], secret)


@convening.command("decrypt", help=_("Store an encrypted convening plainly again (asks for its passphrase)."))
@click.argument("slug")
@record_format_option()
@click.pass_context
def decrypt(ctx: click.Context, slug: str, fmt: str) -> None:
    kept = enc.decrypt_convening(workspace(ctx), slug)
    lines = [_("'{slug}' is stored plainly again: anyone who can read this laptop's disk can read it.").format(
        slug=slug)]
    lines += [_("Still encrypted (could not be opened): {file}").format(file=p) for p in kept]
    echo_record(fmt, {"slug": slug, "encrypted": False, "still_encrypted": [str(p) for p in kept]}, lines)


@convening.command(
    "lock",
    help=_("Forget an encrypted convening's key in every workbook and process that holds it (no passphrase needed)."),
)
@click.argument("slug")
@record_format_option()
@click.pass_context
def lock(ctx: click.Context, slug: str, fmt: str) -> None:
    status = enc.lock_convening(workspace(ctx), slug)
    echo_record(fmt, status.to_dict(), [
        _("Locked '{slug}': every workbook must be unlocked again with the passphrase.").format(slug=slug)
    ])


@convening.command(
    "passphrase",
    help=_(
        "Change the passphrase of an encrypted convening (the current one is asked first, the new one twice, or "
        "LESSONKIT_NEW_PASSPHRASE). With --new-key, also make a new key and encrypt everything again to it."
    ),
)
@click.argument("slug")
@click.option("--new-key", is_flag=True, help=_("Also replace the key pair (after a breach)."))
@record_format_option()
@click.pass_context
def passphrase(ctx: click.Context, slug: str, new_key: bool, fmt: str) -> None:
    ws = workspace(ctx)
    open_store(ctx, slug)  # the current passphrase first
    status = enc.change_passphrase(ws, slug, ask_new(slug, NEW_ENV), new_key)
    done = (
        _("New passphrase and new key for '{slug}'. Copies made before keep the old key and passphrase.")
        if new_key
        else _("New passphrase for '{slug}'. Copies of the keys file made before still open with the old one.")
    )
    _emit(fmt, status, [done.format(slug=slug)])


@convening.command(
    "recover",
    help=_(
        "The passphrase is lost: read the convening with a recovery key (a file holding the AGE-SECRET-KEY line of "
        "the recovery sheet, or a partner's age identity file) and set a new passphrase and key."
    ),
)
@click.argument("slug")
@click.option("--identity", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=_("The file holding the recovery key."))
@record_format_option()
@click.pass_context
def recover(ctx: click.Context, slug: str, identity: Path, fmt: str) -> None:
    ws = workspace(ctx)
    enc.encryption_status(ws, slug)
    status = enc.recover_convening(ws, slug, identity.read_text(encoding="utf-8"), ask_new(slug, NEW_ENV))
    _emit(fmt, status, [_("Recovered '{slug}' with a new passphrase and a new key.").format(slug=slug)])


@convening.command(
    "publish",
    help=_(
        "Write again what the participant server of an encrypted convening may read (open sessions, the glossary "
        "terms they use, sealed join codes). It is rewritten after every change anyway."
    ),
)
@click.argument("slug")
@record_format_option()
@click.pass_context
def publish(ctx: click.Context, slug: str, fmt: str) -> None:
    enc.publish_index(workspace(ctx), slug)
    echo_record(fmt, {"slug": slug, "published": True}, [_("Wrote the participant index of '{slug}'.").format(
        slug=slug)])


@convening.command(
    "shred",
    help=_(
        "Destroy an encrypted convening's key, then delete its files: nothing encrypted to that key alone can ever be "
        "read again, copies and bundles included. Asks you to type the short name; needs no passphrase."
    ),
)
@click.argument("slug")
@click.option("--confirm", metavar="SLUG", help=_("The short name again, instead of typing it when asked."))
@record_format_option()
@click.pass_context
def shred(ctx: click.Context, slug: str, confirm: str | None, fmt: str) -> None:
    ws = workspace(ctx)
    status = enc.encryption_status(ws, slug)
    if status.encrypted and confirm is None:
        confirm = str(click.prompt(
            _("This destroys the key of '{slug}' for ever. Type {slug} to confirm").format(slug=slug), err=True
        ))
    removed = enc.shred_convening(ws, slug, confirm or "")
    lines = [
        ngettext(
            "Destroyed the key of '{slug}' and deleted {n} file.",
            "Destroyed the key of '{slug}' and deleted {n} files.",
            len(removed),
        ).format(slug=slug, n=len(removed)),
        _("Bundles and copies encrypted to a recovery key or a partner's key can still be read with that key."),
    ]
    echo_record(fmt, {"slug": slug, "shredded": True, "removed": [str(p) for p in removed]}, lines)


@convening.command(
    "breach",
    help=_(
        "After a laptop was seized, lost or copied: what left it (from the export log), whose words are stored at "
        "restricted or convening level (whom to warn first), and a checklist."
    ),
)
@click.argument("slug")
@format_option("text", "json", default="text")
@click.pass_context
def breach(ctx: click.Context, slug: str, fmt: str) -> None:
    from lessonkit.services.breach import breach_report

    ws = workspace(ctx)
    encrypted = enc.is_encrypted(ws, slug)
    report = breach_report(open_store(ctx, slug), slug, encrypted)
    if fmt == "json":
        echo_json(report.to_dict())
        return
    from lessonkit.cli.breach_text import print_report

    print_report(report)
