"""``lessonkit convening export|import|clone``: carry a convening to another laptop, or start the next one."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.cli.common import workspace
from lessonkit.cli.convening import convening
from lessonkit.cli.helpers import echo_record, record_format_option
from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.i18n import _, ngettext, pgettext


@convening.command(
    "export",
    help=_(
        "Write the whole convening to a zip file with a manifest (schema versions, counts, checksums). It holds "
        "EVERY record, restricted notes and join codes included: keep it as safe as this laptop. With --level, "
        "write instead a bundle for another convening: only what may go out at that level, redacted, nobody's "
        "name or join code."
    ),
)
@click.argument("slug")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help=_("The zip file."))
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    help=_("Make a bundle for another convening at this level (sessions and notes, redacted)."),
)
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="AGE_RECIPIENT",
    help=_(
        "Encrypt the bundle to this age public key (age1…) only, e.g. a partner's. Without it, a bundle of an "
        "encrypted convening is encrypted to the convening's own key. Repeatable."
    ),
)
@record_format_option()
@click.pass_context
def export_(ctx: click.Context, slug: str, out: Path, level: str | None, to: tuple[str, ...], fmt: str) -> None:
    from lessonkit.export import export_bundle, share_bundle

    if level is not None:
        path, scope = share_bundle(workspace(ctx), slug, out, level, to)
        t = scope.tally
        echo_record(
            fmt,
            {"slug": slug, "bundle": str(path), "level": level, "included": t.included, "withheld": t.withheld,
             "redacted": t.redacted},
            [
                ngettext(
                    "Wrote {path}: what may go out at level {level} ({n} note; withheld {w}, redacted {r}).",
                    "Wrote {path}: what may go out at level {level} ({n} notes; withheld {w}, redacted {r}).",
                    t.included,
                ).format(path=path, level=level_name(Sensitivity(level)), n=t.included, w=t.withheld, r=t.redacted)
            ],
        )
        return
    path = export_bundle(workspace(ctx), slug, out, to)
    echo_record(
        fmt,
        {"slug": slug, "bundle": str(path), "bytes": path.stat().st_size},
        [
            ngettext("Wrote {path} ({n} byte).", "Wrote {path} ({n} bytes).", path.stat().st_size).format(
                path=path, n=path.stat().st_size
            ),
            _("It holds every record of '{slug}', restricted ones included: keep it safe.").format(slug=slug),
        ],
    )


@convening.command(
    "import",
    help=_(
        "Create a convening from a bundle: all or nothing. A bundle with unsafe member names, links, oversized or "
        "too many members, wrong checksums or records newer than this lessonkit is refused and nothing is written."
    ),
)
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "as_slug", metavar="SLUG", help=_("Import under this short name instead of the bundle's own."))
@click.option(
    "--identity",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=_(
        "An age identity file that opens an encrypted bundle (a partner's key, or the recovery key). Without it, "
        "an encrypted bundle carrying its convening's keys asks for that convening's passphrase."
    ),
)
@record_format_option()
@click.pass_context
def import_(ctx: click.Context, bundle: Path, as_slug: str | None, identity: Path | None, fmt: str) -> None:
    from lessonkit.cli.passphrase import ask_new
    from lessonkit.export import import_bundle

    key = identity.read_text(encoding="utf-8") if identity else None
    done = import_bundle(workspace(ctx), bundle, as_slug, identity=key, new_passphrase=ask_new)
    counts = ", ".join(f"{name} {n}" for name, n in done.counts.items())
    echo_record(
        fmt,
        {"slug": done.slug, "counts": done.counts},
        [_("Imported convening '{slug}' ({counts}).").format(slug=done.slug, counts=counts)],
    )


@convening.command(
    "clone",
    help=_(
        "Start convening NEW from OLD: its sessions' prompts, the last agreed memorandum (or the template), the "
        "context profiles and the extra redaction terms, every text redacted. Never participants or their notes."
    ),
)
@click.argument("old")
@click.argument("new")
@click.option("--title", help=_("Title of the new convening (default: the old title)."))
@record_format_option()
@click.pass_context
def clone(ctx: click.Context, old: str, new: str, title: str | None, fmt: str) -> None:
    from lessonkit.export import clone_convening

    made = clone_convening(workspace(ctx), old, new, title)
    mou = made.mou or pgettext("no memorandum", "none")
    echo_record(
        fmt,
        {
            "slug": made.slug,
            "sessions": made.sessions,
            "mou": made.mou,
            "profiles": made.profiles,
            "terms": made.terms,
            "questions": made.questions,
            "questions_withheld": made.questions_withheld,
        },
        [
            _(
                "Created convening '{new}' from '{old}'. Copied: sessions {s} (closed), memorandum: {mou}, context "
                "profiles {p}, extra redaction terms {t}. No participants or notes were copied."
            ).format(new=made.slug, old=old, s=made.sessions, mou=mou, p=made.profiles, t=made.terms),
            *_question_lines(made.questions, made.questions_withheld),
            _("Next: lessonkit participant add {slug} --name NAME").format(slug=made.slug),
        ],
    )


def _question_lines(carried: int, stayed: int) -> list[str]:
    """What the clone said about the open questions of the old convening's reflections."""
    lines = []
    if carried:
        lines.append(
            ngettext(
                "{n} open question from the reflections is among the first session's prompts.",
                "{n} open questions from the reflections are among the first session's prompts.",
                carried,
            ).format(n=carried)
        )
    if stayed:
        lines.append(
            ngettext(
                "The questions of {n} reflection stayed behind: their author's consent or their sensitivity keeps "
                "them in the old convening.",
                "The questions of {n} reflections stayed behind: their authors' consent or their sensitivity keeps "
                "them in the old convening.",
                stayed,
            ).format(n=stayed)
        )
    return lines
