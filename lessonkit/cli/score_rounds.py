"""``lessonkit score round open|close|reopen|list|results`` and ``lessonkit score profile save|list``.

The same services as workbook 05 (``services.scoring_rounds``, ``services.scoring``): a round offers endorsed modules
with a source profile unless asked otherwise, a restricted module is never shown to participants, results leave out
anyone whose consent no longer allows recording, and a profile with the same name is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, workspace
from lessonkit.cli.helpers import CommandGroup, OneLineError, echo_record, open_store, record_format_option
from lessonkit.cli.library_text import criteria_rows, explanation_lines, result_dict
from lessonkit.cli.score import rubric_option, score
from lessonkit.domain.rubric import ContextProfile
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.i18n import _
from lessonkit.services.scoring import list_profiles, load_profile, load_rubric, save_profile
from lessonkit.services.scoring_rounds import (
    list_rounds,
    open_round,
    round_ratings,
    round_result,
    save_round_target,
    set_round_open,
)

PARTICIPANT_PAGE = "score.ipynb"


@score.group(
    "round", cls=CommandGroup, help=_("Scoring rounds of a convening: participants rate a target context together.")
)
def round_() -> None:
    pass


def round_row(r: ScoringRound, ratings: int) -> dict[str, Any]:
    return {
        "id": r.id,
        "module": r.module_slug,
        "module_title": r.module_title,
        "target": r.target_name,
        "target_description": r.target_description,
        "rubric": r.rubric,
        "open": r.is_open,
        "ratings": ratings,
        "created": r.created.isoformat(),
    }


def _row(store: Any, r: ScoringRound) -> dict[str, Any]:
    assert r.id is not None
    return round_row(r, len(round_ratings(store, r.id)))


@round_.command(
    "open",
    help=_(
        "Open a round on --module for the target context --target; participants rate it on the scoring page of "
        "the participant server (score.ipynb?round=N, with their join code)."
    ),
)
@click.argument("slug")
@click.option("--module", required=True, help=_("The module's short name (only endorsed ones unless --any-status)."))
@click.option("--target", required=True, help=_("The target context, e.g. 'our city next spring'."))
@click.option("--description", default="", help=_("More about the target context."))
@click.option("--any-status", is_flag=True, help=_("Also allow modules that are not (yet) endorsed."))
@rubric_option()
@record_format_option()
@click.pass_context
def round_open(
    ctx: click.Context,
    slug: str,
    module: str,
    target: str,
    description: str,
    any_status: bool,
    rubric: str,
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    made = open_round(
        store,
        workspace(ctx).library(),
        module,
        target,
        load_rubric(rubric),
        target_description=description,
        endorsed_only=not any_status,
    )
    echo_record(
        fmt,
        round_row(made, 0) | {"page": f"{PARTICIPANT_PAGE}?round={made.id}"},
        [
            _(
                "Round {id} is open. Participants open the scoring page of the participant server "
                "(`lessonkit serve`): {link} (their join code is added as &code=…)."
            ).format(id=made.id, link=f"{PARTICIPANT_PAGE}?round={made.id}")
        ],
    )


def _set_open(ctx: click.Context, slug: str, round_id: int, is_open: bool, fmt: str) -> None:
    store = open_store(ctx, slug)
    r = set_round_open(store, round_id, is_open)
    text = _("Round {id} is open.") if is_open else _("Round {id} is closed: the scoring page no longer takes ratings.")
    echo_record(fmt, _row(store, r), [text.format(id=r.id)])


@round_.command("close", help=_("Close round ID: participants can no longer rate it (results stay)."))
@click.argument("slug")
@click.argument("round_id", metavar="ID", type=int)
@record_format_option()
@click.pass_context
def round_close(ctx: click.Context, slug: str, round_id: int, fmt: str) -> None:
    _set_open(ctx, slug, round_id, False, fmt)


@round_.command("reopen", help=_("Open a closed round ID again."))
@click.argument("slug")
@click.argument("round_id", metavar="ID", type=int)
@record_format_option()
@click.pass_context
def round_reopen(ctx: click.Context, slug: str, round_id: int, fmt: str) -> None:
    _set_open(ctx, slug, round_id, True, fmt)


@round_.command("list", help=_("List the convening's scoring rounds: module, target, open or closed, ratings."))
@click.argument("slug")
@format_option("table", "csv", "json")
@click.pass_context
def round_list(ctx: click.Context, slug: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    rows = [_row(store, r) for r in list_rounds(store)]
    emit(rows, fmt, ("id", "module", "target", "open", "ratings"))


@round_.command(
    "results",
    help=_(
        "The result of round ID: per criterion the source, the group's median, every rating and the spread, "
        "the gaps with the module's cautions. A score opens a conversation; it does not decide."
    ),
)
@click.argument("slug")
@click.argument("round_id", metavar="ID", type=int)
@rubric_option()
@format_option("table", "json")
@click.pass_context
def round_results(ctx: click.Context, slug: str, round_id: int, rubric: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    outcome = round_result(store, round_id, load_rubric(rubric))
    r = outcome.round
    if fmt == "json":
        scored = result_dict(outcome.result) if outcome.result else None
        echo_record(fmt, round_row(r, outcome.assessors) | {"result": scored}, [])
        return
    click.echo(f"{r.module_title} → {r.target_name}")
    if outcome.result is None:
        click.echo(_("Nobody has rated this round yet."))
        return
    emit(criteria_rows(outcome.result), "table")
    for line in explanation_lines(outcome.result):
        click.echo(line)


@score.group(
    "profile", cls=CommandGroup, help=_("Context profiles kept in a convening (targets to rank the library for).")
)
def profile() -> None:
    pass


def profile_row(p: ContextProfile) -> dict[str, Any]:
    return {"name": p.name, "rubric": p.rubric, "description": p.description, "ratings": dict(p.ratings)}


@profile.command(
    "save",
    help=_(
        "Keep a context profile in the convening: the group's target of round ID (the median of every criterion, "
        "as 'Save profile' in workbook 05), or a profile from --file. A profile with the same name is replaced."
    ),
)
@click.argument("slug")
@click.argument("round_id", metavar="[ID]", type=int, required=False)
@click.option("--name", help=_("The profile's name (default: the round's target context)."))
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Save this profile file (JSON, see data/profiles/) instead of a round's target."),
)
@rubric_option()
@record_format_option()
@click.pass_context
def profile_save(
    ctx: click.Context, slug: str, round_id: int | None, name: str | None, path: Path | None, rubric: str, fmt: str
) -> None:
    if (round_id is None) == (path is None):
        raise OneLineError(_("Give either a round ID or --file PROFILE.json (one of them)."))
    store = open_store(ctx, slug)
    rub = load_rubric(rubric)
    if path is not None:
        found = load_profile(path, rub)
        made = save_profile(store, ContextProfile(name or found.name, found.ratings, found.rubric,
                                                  found.description, found.notes))
    else:
        assert round_id is not None
        made = save_round_target(store, round_id, rub, name)
    echo_record(
        fmt,
        profile_row(made),
        [_("Saved the context profile '{name}' ({n} criteria) in '{slug}'.").format(
            name=made.name, n=len(made.ratings), slug=slug
        )],
    )


@profile.command("list", help=_("List the context profiles kept in the convening."))
@click.argument("slug")
@rubric_option()
@format_option("table", "csv", "json")
@click.pass_context
def profile_list(ctx: click.Context, slug: str, rubric: str, fmt: str) -> None:
    rows = [profile_row(p) for p in list_profiles(open_store(ctx, slug), load_rubric(rubric))]
    if fmt != "json":
        rows = [{**r, "criteria": len(r["ratings"])} for r in rows]
    emit(rows, fmt, ("name", "rubric", "criteria", "description"))
