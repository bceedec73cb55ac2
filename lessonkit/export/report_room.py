"""The parts of the listening report that come from running the room: the accepted themes, the priorities of the
dot votes (with a chart), and where the room agrees (the opinion map and its groups).

Each part is made through the report's own disclosure, from the notes it already let out: a theme shows only its
notes that may go out (its label made of their words alone), a vote only its items that may be shown and the ballots
whose voters' consent allows the level, the opinion groups only statements and answers that may go out. A part with
nothing to show is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain.opinion_groups import MIN_ANSWERS, group_name
from lessonkit.domain.records import Session
from lessonkit.export.report_blocks import Block, Chart, Heading, Para, Part, table
from lessonkit.export.report_charts import bar_chart
from lessonkit.export.room_charts import opinion_map
from lessonkit.i18n import _, ngettext
from lessonkit.services.disclosure import Disclosure, NoteSet
from lessonkit.services.opinions import RoomOpinions, groups_in
from lessonkit.services.themes import list_themes
from lessonkit.services.votes import VoteResults, list_votes, results_in

CHART_ITEMS = 12


@dataclass
class RoomParts:
    themes: Part
    priorities: Part
    priorities_chart: Chart | Part
    opinions: Part
    opinion_chart: Chart | Part


def _title(session: Session, several: bool, language: str) -> list[Block]:
    return [Heading(3, session.title_in(language).text)] if several else []


def theme_blocks(disclosure: Disclosure, sessions: list[Session], found: NoteSet, language: str) -> list[Block]:
    blocks: list[Block] = []
    for s in sessions:
        shown = disclosure.themes(list_themes(disclosure.store, s.id), found)
        if not shown:
            continue
        rows = [[t.label, len(t.notes), "\n".join(n.note.text for n in t.notes)] for t in shown]
        blocks += _title(s, len(sessions) > 1, language)
        blocks.append(table([_("Theme"), _("Notes"), _("What was said")], rows))
    return [Heading(2, _("Themes")), *blocks] if blocks else []


def _vote_blocks(found: VoteResults) -> list[Block]:
    vote = found.vote
    counted = ngettext("{n} ballot counted", "{n} ballots counted", found.voters).format(n=found.voters)
    how = ngettext(
        "Vote {id}: {k} dot per person; {counted}.", "Vote {id}: {k} dots per person; {counted}.", vote.dots
    ).format(id=vote.id, k=vote.dots, counted=counted) + (" " + _("The vote was anonymous.") if vote.anonymous else "")
    rows = [[rank, found.text_of(t.item), t.dots] for rank, t in enumerate(found.tally, start=1)]
    return [Para(how), table([_("Rank"), _("Priority"), _("Dots")], rows)]


def priority_blocks(
    disclosure: Disclosure, sessions: list[Session], found: NoteSet, language: str
) -> tuple[list[Block], VoteResults | None]:
    """The dot votes of the sessions, each as a ranked table; also the latest vote's results (for the chart)."""
    blocks: list[Block] = []
    latest: VoteResults | None = None
    for s in sessions:
        votes = [v for v in list_votes(disclosure.store, s.id) if v.id is not None and v.items]  # items: it opened
        if not votes:
            continue
        blocks += _title(s, len(sessions) > 1, language)
        for vote in votes:
            latest = results_in(disclosure, vote, found)
            blocks += _vote_blocks(latest)
    return ([Heading(2, _("Priorities")), *blocks] if blocks else []), latest


def priorities_chart(results: VoteResults | None) -> Chart | Part:
    if results is None or not results.tally:
        return Part([])
    top = results.tally[:CHART_ITEMS]
    title = _("Priorities: vote {id}").format(id=results.vote.id)
    png = bar_chart([results.text_of(t.item) for t in top], [t.dots for t in top], title, _("dots"))
    return Chart(png, _("Chart: {title}").format(title=title))


def _side(side: str) -> str:
    return _("agree") if side == "agree" else _("disagree")


def _opinion_blocks(found: RoomOpinions) -> list[Block]:
    g = found.groups
    blocks: list[Block] = []
    placed = len(g.participants)
    blocks.append(
        Para(
            ngettext(
                "{n} person answered at least {m} statements and is placed on the map.",
                "{n} people answered at least {m} statements and are placed on the map.",
                placed,
            ).format(n=placed, m=MIN_ANSWERS)
        )
    )
    if g.k > 1:
        for index, (size, items) in enumerate(zip(g.sizes(), g.distinctive, strict=True)):
            title = ngettext("Group {name} ({n} person)", "Group {name} ({n} people)", size).format(
                name=group_name(index), n=size
            )
            rows = [
                [
                    found.text(d.statement),
                    _("agree") if d.side == "agree" else _("disagree"),
                    f"{round(100 * d.share)}%",
                ]
                for d in items
            ]
            blocks += [Heading(3, title), table([_("What sets the group apart"), _("Side"), _("Share")], rows)]
    elif g.k == 1:
        blocks.append(Para(_("The room did not divide into groups."), emphasis=True))
    consensus = [[found.text(s)] for s in g.consensus]
    blocks.append(Heading(3, _("What every group agrees on")))
    blocks.append(
        table([_("Statement")], consensus)
        if consensus
        else Para(_("No statement that every group agrees with."), emphasis=True)
    )
    return blocks


def opinion_parts(
    disclosure: Disclosure, sessions: list[Session], found: NoteSet, language: str
) -> tuple[Part, Chart | Part]:
    blocks: list[Block] = []
    chart: Chart | Part = Part([])
    for s in sessions:
        if s.id is None:
            continue
        room = groups_in(disclosure, s.id, found)
        if not room.statements or room.groups.k == 0:
            continue
        blocks += _title(s, len(sessions) > 1, language) + _opinion_blocks(room)
        if isinstance(chart, Part):
            title = _("Opinion groups")
            chart = Chart(opinion_map(room.groups, title), _("Chart: {title}").format(title=title))
    if not blocks:
        return Part([]), chart
    return Part([Heading(2, _("Where the room agrees")), *blocks]), chart


def room_parts(disclosure: Disclosure, sessions: list[Session], found: NoteSet, language: str) -> RoomParts:
    themes = Part(theme_blocks(disclosure, sessions, found, language))
    priorities, latest = priority_blocks(disclosure, sessions, found, language)
    opinions, opinion_chart = opinion_parts(disclosure, sessions, found, language)
    return RoomParts(themes, Part(priorities), priorities_chart(latest), opinions, opinion_chart)
