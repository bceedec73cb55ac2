"""A dot vote on the agenda: a block may link ``vote:ID``; starting the block opens the vote, ending it closes it.

The design, kept to what an agenda link is (a kind and an id): the facilitator prepares the vote beforehand
(:func:`lessonkit.services.votes.prepare_vote`, ``lessonkit vote open --later``) with its session, dots, what the
dots go on, anonymity and audience; the block that links it opens it when it starts, and only then are its items
taken (the session's themes or notes the audience may see at that moment, so themes accepted earlier in the day are
there). Ending the block closes the vote. A closed vote opened again by a later block keeps its items and ballots;
an anonymous vote is never opened again once closed (the agenda says so in one line and goes on).
"""

from __future__ import annotations

from lessonkit.domain.votes import Vote, VoteOn
from lessonkit.i18n import ngettext
from lessonkit.services.agenda_links import register_link_kind
from lessonkit.services.votes import get_vote, list_votes, set_vote_open
from lessonkit.store.base import Store

__all__ = ["vote_choices", "vote_name"]


def _name(vote: Vote) -> str:
    if vote.on is VoteOn.THEMES:
        return ngettext(
            "{k} dot on the themes of session {session}", "{k} dots on the themes of session {session}", vote.dots
        ).format(k=vote.dots, session=vote.session_id)
    return ngettext(
        "{k} dot on the notes of session {session}", "{k} dots on the notes of session {session}", vote.dots
    ).format(k=vote.dots, session=vote.session_id)


def vote_name(store: Store, vote_id: int) -> str:
    """The vote named for the agenda, e.g. "3 dots on the themes of session 1"; NotFoundError when it is gone."""
    return _name(get_vote(store, vote_id))


def vote_choices(store: Store) -> list[tuple[int, str]]:
    """Every vote a block could still open: all but the anonymous ones already closed."""
    return [(x.id or 0, _name(x)) for x in list_votes(store) if not (x.anonymous and x.closed is not None)]


register_link_kind("vote", set_open=set_vote_open, label=vote_name, choices=vote_choices)
