"""``lessonkit score``: score one module for a target context, and (cli/score_rounds.py) what workbook 05 does.

``lessonkit score MODULE --target PROFILE.json`` works as it always did: a first argument that names no subcommand
goes to ``score module``. A module whose short name is ``module``, ``round`` or ``profile`` is scored with
``lessonkit score module NAME --target …``.
"""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main, workspace
from lessonkit.cli.helpers import CommandGroup, echo_json
from lessonkit.cli.library_text import criteria_rows, explanation_lines, result_dict
from lessonkit.i18n import _
from lessonkit.services.library_io import read_json
from lessonkit.services.scoring import load_profile, load_rubric, score_module

DEFAULT_COMMAND = "module"


class ScoreGroup(CommandGroup):
    """Subcommands, plus the old ``score MODULE …`` form: an unknown first word is the module's short name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@main.group(
    cls=ScoreGroup,
    help=_(
        "Transferability: `score MODULE --target PROFILE.json` scores one module of the library for a target "
        "context; `score round …` runs a scoring round with the participants of a convening and `score profile "
        "…` keeps the group's target as a context profile (what workbook 05 does)."
    ),
)
def score() -> None:
    pass


def rubric_option() -> Any:
    return click.option(
        "--rubric", default="default", show_default=True, help=_("Rubric name (data/rubrics/) or file.")
    )


@score.command(
    DEFAULT_COMMAND, help=_("How well MODULE would transfer to the context in --target (a profile JSON file).")
)
@click.argument("module")
@click.option("--target", required=True, type=click.Path(dir_okay=False), help=_("Target context profile (JSON)."))
@rubric_option()
@format_option("table", "json")
@click.pass_context
def module_(ctx: click.Context, module: str, target: str, rubric: str, fmt: str) -> None:
    rub = load_rubric(rubric)
    result = score_module(workspace(ctx).library(), module, load_profile(target, rub), rub)
    if fmt == "json":
        echo_json({"module": module, "target": read_json(target).get("name"), **result_dict(result)})
        return
    emit(criteria_rows(result), "table")
    for line in explanation_lines(result):
        click.echo(line)


__all__ = ["ScoreGroup", "rubric_option", "score"]
