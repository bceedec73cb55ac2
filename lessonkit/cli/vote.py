"""``lessonkit vote open|close|results|cast``: dot votes on a session's themes or notes."""

from __future__ import annotations

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.votes import MAX_DOTS, Vote, VoteOn
from lessonkit.i18n import _, ngettext
from lessonkit.services.votes import cast_ballot, close_vote, find_vote, open_vote, prepare_vote, vote_results

VOTE_OPTION_HELP = _("Id of the vote (default: the open one, else the latest).")


@main.group(
    cls=CommandGroup, help=_("Dot votes on priorities: open one, place dots from paper, close it, see results.")
)
def vote() -> None:
    pass


def vote_record(v: Vote) -> dict[str, object]:
    """A vote for scripts (never its key)."""
    return {
        "id": v.id,
        "session": v.session_id,
        "dots": v.dots,
        "on": v.on.value,
        "items": list(v.items),
        "anonymous": v.anonymous,
        "audience": v.audience.value,
        "open": v.is_open,
        "opened": v.opened.isoformat(),
        "closed": v.closed.isoformat() if v.closed else None,
    }


@vote.command(
    "open",
    help=_(
        "Open a dot vote: every participant gets --dots dots to place on the session's accepted themes (or its "
        "notes) as the room sees them now. Participants vote on the vote form (vote.ipynb) with their join code."
    ),
)
@click.argument("slug")
@click.option("--session", "session_id", required=True, type=int, help=_("Id of the session (see `session list`)."))
@click.option("--dots", required=True, type=click.IntRange(1, MAX_DOTS), help=_("How many dots each participant has."))
@click.option(
    "--on",
    "on",
    type=click.Choice([o.value for o in VoteOn]),
    default=VoteOn.THEMES.value,
    show_default=True,
    help=_("What the dots go on: the session's accepted themes, or its notes."),
)
@click.option(
    "--anonymous",
    is_flag=True,
    help=_(
        "Keep ballots apart from people: the join code still allows one ballot per person, but is not stored with "
        "the dots, and what links them is erased when the vote closes."
    ),
)
@click.option(
    "--later",
    is_flag=True,
    help=_(
        "Prepare the vote without opening it: an agenda block that links it (vote:ID) opens it when the block starts "
        "(its items are taken then) and closes it when the block ends."
    ),
)
@record_format_option()
@click.pass_context
def open_(
    ctx: click.Context, slug: str, session_id: int, dots: int, on: str, anonymous: bool, later: bool, fmt: str
) -> None:
    if later:
        made = prepare_vote(open_store(ctx, slug), session_id, dots, on, anonymous)
        text = ngettext(
            "Prepared vote {id} on session {session}: {k} dot each. Link it to an agenda block: vote:{id}.",
            "Prepared vote {id} on session {session}: {k} dots each. Link it to an agenda block: vote:{id}.",
            made.dots,
        )
        echo_record(fmt, vote_record(made), [text.format(id=made.id, session=made.session_id, k=made.dots)])
        return
    made = open_vote(open_store(ctx, slug), session_id, dots, on, anonymous)
    echo_record(
        fmt,
        vote_record(made),
        [
            ngettext(
                "Opened vote {id} on {n} item of session {session}: {k} dots each.",
                "Opened vote {id} on {n} items of session {session}: {k} dots each.",
                len(made.items),
            ).format(id=made.id, n=len(made.items), session=made.session_id, k=made.dots)
        ],
    )


@vote.command("close", help=_("Close a vote: no more dots. An anonymous vote's link between ballots is erased."))
@click.argument("slug")
@click.option("--vote", "vote_id", type=int, help=VOTE_OPTION_HELP)
@click.option("--session", "session_id", type=int, help=_("The open vote of this session."))
@record_format_option()
@click.pass_context
def close(ctx: click.Context, slug: str, vote_id: int | None, session_id: int | None, fmt: str) -> None:
    store = open_store(ctx, slug)
    closed = close_vote(store, find_vote(store, vote_id, session_id).id or 0)
    echo_record(fmt, vote_record(closed), [_("Closed vote {id}.").format(id=closed.id)])


@vote.command(
    "results",
    help=_(
        "Dots per item, most first, from each participant's latest ballot (ballots of people whose consent no "
        "longer allows --level are not counted; items --level may not see are left out)."
    ),
)
@click.argument("slug")
@click.option("--vote", "vote_id", type=int, help=VOTE_OPTION_HELP)
@click.option("--session", "session_id", type=int, help=_("The latest vote of this session."))
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.RESTRICTED.value,
    show_default=True,
    help=_("Who will see the results (restricted: the facilitators' own view)."),
)
@format_option("table", "json")
@click.pass_context
def results(ctx: click.Context, slug: str, vote_id: int | None, session_id: int | None, level: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    found = vote_results(store, find_vote(store, vote_id, session_id).id or 0, level)
    if fmt == "json":
        emit([{"item": t.item, "dots": t.dots} for t in found.tally], fmt)
        return
    emit(
        [{"item": t.item, "dots": t.dots, "text": found.text_of(t.item)} for t in found.tally],
        fmt,
        ("item", "dots", "text"),
    )
    click.echo(ngettext("{n} ballot counted.", "{n} ballots counted.", found.voters).format(n=found.voters), err=True)


@vote.command(
    "cast",
    help=_(
        "Type in dots placed on paper: one --item per dot (repeat an item to stack dots). Casting again for the "
        "same join code replaces the earlier ballot while the vote is open."
    ),
)
@click.argument("slug")
@click.option("--code", "join_code", required=True, help=_("The voter's join code."))
@click.option(
    "--item", "items", required=True, multiple=True, help=_("Id of a theme or note of the vote (see `vote results`).")
)
@click.option("--vote", "vote_id", type=int, help=VOTE_OPTION_HELP)
@record_format_option()
@click.pass_context
def cast(ctx: click.Context, slug: str, join_code: str, items: tuple[str, ...], vote_id: int | None, fmt: str) -> None:
    store = open_store(ctx, slug)
    chosen = find_vote(store, vote_id)
    ballot = cast_ballot(store, chosen.id or 0, join_code, items, source="paper")
    echo_record(
        fmt,
        {"vote": ballot.vote_id, "dots": list(ballot.dots)},
        [
            ngettext("Counted {n} dot in vote {id}.", "Counted {n} dots in vote {id}.", len(ballot.dots)).format(
                n=len(ballot.dots), id=ballot.vote_id
            )
        ],
    )
