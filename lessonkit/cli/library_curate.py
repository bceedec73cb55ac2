"""``lessonkit library add|edit|review|status|profile``: the curator's changes to modules.

With ``--format json`` each prints the module as it now is, as ``lessonkit library show SLUG --format json`` does.
"""

from __future__ import annotations

import click

from lessonkit.cli.common import workspace
from lessonkit.cli.helpers import echo_record, record_format_option
from lessonkit.cli.library import library
from lessonkit.domain.library import Module
from lessonkit.domain.modules import ReviewStatus, Verdict, review_status_label
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services import library as lib
from lessonkit.services.library_io import read_json
from lessonkit.services.scoring import load_profile, load_rubric


def echo_module(fmt: str, module: Module, line: str) -> None:
    echo_record(fmt, module.to_dict() | {"id": module.id}, [line])


@library.command(help=_("Add a new module written here, from a JSON file (one module object)."))
@click.argument("file", type=click.Path(dir_okay=False))
@record_format_option()
@click.pass_context
def add(ctx: click.Context, file: str, fmt: str) -> None:
    module = lib.add_module(workspace(ctx).library(), read_json(file))
    added = _("Added {slug} ({status}).").format(slug=module.slug, status=review_status_label(module.status))
    echo_module(fmt, module, added)


@library.command(help=_("Change a module: FILE holds a JSON object of the fields to change (e.g. summary, lineage)."))
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False))
@record_format_option()
@click.pass_context
def edit(ctx: click.Context, slug: str, file: str, fmt: str) -> None:
    changes = read_json(file)
    if not isinstance(changes, dict):
        raise ValidationError(file, _("expected a JSON object of the fields to change."))
    module = lib.edit_module(workspace(ctx).library(), slug, changes)
    echo_module(fmt, module, _("Saved {slug}.").format(slug=module.slug))


@library.command(help=_("Record a reviewer's verdict on a module that is in review."))
@click.argument("slug")
@click.option("--reviewer", required=True, help=_("The reviewer's name or pseudonym."))
@click.option("--organisation", required=True, help=_("The reviewer's organisation."))
@click.option("--verdict", required=True, type=click.Choice([v.value for v in Verdict]), help=_("endorse or revise."))
@click.option("--comments", default="", help=_("What the reviewer said."))
@record_format_option()
@click.pass_context
def review(
    ctx: click.Context, slug: str, reviewer: str, organisation: str, verdict: str, comments: str, fmt: str
) -> None:
    module = lib.review_module(workspace(ctx).library(), slug, reviewer, organisation, verdict, comments)
    echo_module(
        fmt,
        module,
        ngettext(
            "Review recorded: {title} now has {n} review.",
            "Review recorded: {title} now has {n} reviews.",
            len(module.reviews),
        ).format(title=module.title, n=len(module.reviews)),
    )


@library.command(help=_("Move a module through review: draft, in review, endorsed, retired."))
@click.argument("slug")
@click.argument("status", type=click.Choice([s.value for s in ReviewStatus]))
@record_format_option()
@click.pass_context
def status(ctx: click.Context, slug: str, status: str, fmt: str) -> None:
    module = lib.change_status(workspace(ctx).library(), slug, status)
    now = _("{title} is now {status}.").format(title=module.title, status=review_status_label(module.status))
    echo_module(fmt, module, now)


@library.command(help=_("Rate the context a module came from, from a profile file (see data/profiles/)."))
@click.argument("slug")
@click.argument("profile", type=click.Path(dir_okay=False))
@click.option("--rubric", default="default", show_default=True, help=_("Rubric name (data/rubrics/) or file."))
@record_format_option()
@click.pass_context
def profile(ctx: click.Context, slug: str, profile: str, rubric: str, fmt: str) -> None:
    rub = load_rubric(rubric)
    ratings = load_profile(profile, rub).ratings
    module = lib.set_source_profile(workspace(ctx).library(), slug, ratings, rub)
    echo_module(
        fmt, module, _("Source profile of {slug} set ({n} criteria).").format(slug=slug, n=len(ratings))
    )


__all__ = ["add", "edit", "profile", "review", "status"]
