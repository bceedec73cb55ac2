"""Dot votes on priorities: the facilitator opens a vote on a session's themes or notes, participants spend their K
dots (on a phone, or on paper typed in later), the board shows the tally, the vote closes.

Ballots are insert-only (``Store.append``): thirty phones casting at once are written side by side, and each
participant's latest ballot is the one that counts, so a recast replaces the earlier one without any update. An
anonymous vote keeps the join code out of its ballots (see :mod:`lessonkit.domain.votes`): the key that tells one
person's ballots from another's is erased, and the store's old copies rewritten, when the vote closes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.records import Note
from lessonkit.domain.votes import (
    Ballot,
    Tally,
    Vote,
    VoteOn,
    anonymous_tag,
    check_dot_count,
    check_dots,
    latest_ballots,
    new_key,
    tally,
)
from lessonkit.errors import ConsentError, NotFoundError, SessionClosedError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, NoteSet, Purpose
from lessonkit.services.participants import find_by_code
from lessonkit.services.sessions import load_session
from lessonkit.services.themes import ROOM, list_themes
from lessonkit.store.base import Store, Tx

VOTES = "votes"
BALLOTS = "ballots"


@dataclass(frozen=True)
class VoteItem:
    """One thing to put dots on, as the vote's audience sees it."""

    id: int
    text: str  # a theme's label, or a note's words
    language: str  # the language of ``text`` ('' for a theme's words or an unrecorded note)
    note: Note | None = None  # a note item: its translations go with it

    def text_in(self, language: str) -> tuple[str, str]:
        """(text, its language) for a reader of ``language``: a note's human translation when there is one."""
        if self.note is not None and self.note.language != language:
            translated = self.note.translation(language)
            if translated is not None:
                return translated.text, language
        return self.text, self.language


def _load(tx: Tx, vote_id: int | str) -> Vote:
    try:
        key = int(vote_id)
    except (TypeError, ValueError):
        raise ValidationError("vote", _("'{v}' is not a vote number.").format(v=vote_id)) from None
    doc = tx.get(VOTES, key)
    if doc is None:
        raise NotFoundError(_("There is no vote {id} in this convening.").format(id=vote_id))
    return Vote.from_dict(doc)


def get_vote(store: Store, vote_id: int | str) -> Vote:
    with store.read() as tx:
        return _load(tx, vote_id)


def list_votes(store: Store, session_id: int | None = None) -> list[Vote]:
    return [Vote.from_dict(d) for d in store.all(VOTES) if session_id is None or d.get("session_id") == session_id]


def current_vote(store: Store, session_id: int | None = None) -> Vote | None:
    """The open vote (of ``session_id``; the latest opened when several sessions have one): what the participant's
    vote form follows. None when no vote is open."""
    found = [x for x in list_votes(store, session_id) if x.is_open]
    return found[-1] if found else None


def find_vote(store: Store, vote_id: int | str | None = None, session_id: int | None = None) -> Vote:
    """The vote named, else the open one (of the session), else the latest one; a one-line error when none."""
    if vote_id not in (None, ""):
        return get_vote(store, vote_id)  # type: ignore[arg-type]
    votes = list_votes(store, session_id)
    if not votes:
        raise NotFoundError(_("No vote yet: open one with `lessonkit vote open` or in workbook 07."))
    return current_vote(store, session_id) or votes[-1]


def _items(store: Store, session_id: int, on: VoteOn, audience: Sensitivity) -> list[int]:
    if on is VoteOn.THEMES:
        disclosure = Disclosure.open(store, audience, Purpose.BOARD)
        shown = disclosure.themes(list_themes(store, session_id), disclosure.notes([session_id]))
        return [t.theme.id for t in shown if t.theme.id is not None]
    found = Disclosure.open(store, audience, Purpose.BOARD).notes([session_id])
    return [s.note.id for s in found.shown if s.note.id is not None]


def _made(
    store: Store, session_id: int | str, dots: int | str, on: str | VoteOn, anonymous: bool, audience: str | Sensitivity
) -> Vote:
    """A vote's options checked, not yet open (no items, no key)."""
    with store.read() as tx:
        session = load_session(tx, session_id)
    kind: VoteOn = parse_enum(VoteOn, "on", on)  # type: ignore[assignment]
    level: Sensitivity = parse_enum(Sensitivity, "audience", audience)  # type: ignore[assignment]
    count = check_dot_count("dots", dots)
    return Vote(session.id or 0, count, kind, (), bool(anonymous), level, is_open=False)


def _opening(store: Store, vote: Vote) -> Vote:
    """``vote`` opening for the first time: its items are what its audience may see now, an anonymous one gets its
    key."""
    items = _items(store, vote.session_id, vote.on, vote.audience)
    if not items:
        raise ValidationError(
            "on",
            _(
                "session {id} has no accepted themes the room may see: accept themes first (workbook 07), or vote "
                "on notes (--on notes)."
            ).format(id=vote.session_id)
            if vote.on is VoteOn.THEMES
            else _("session {id} has no notes the room may see.").format(id=vote.session_id),
        )
    return replace(
        vote, items=tuple(items), is_open=True, key=new_key() if vote.anonymous else "", opened=v.now(), closed=None
    )


def _refuse_a_second_open(tx: Tx, session_id: int) -> None:
    for doc in tx.search(VOTES, lambda d: d.get("session_id") == session_id and bool(d.get("is_open"))):
        still = _("vote {id} of this session is still open: close it first.")
        raise ValidationError("vote", still.format(id=doc["id"]))


def open_vote(
    store: Store,
    session_id: int | str,
    dots: int | str,
    on: str | VoteOn = VoteOn.THEMES,
    anonymous: bool = False,
    audience: str | Sensitivity = ROOM,
) -> Vote:
    """Open a vote: each participant gets ``dots`` dots for the session's accepted themes (or its notes) that
    ``audience`` may see, as they are now. One vote per session may be open at a time."""
    vote = _opening(store, _made(store, session_id, dots, on, anonymous, audience))
    with store.transaction() as tx:
        _refuse_a_second_open(tx, vote.session_id)
        return replace(vote, id=tx.insert(VOTES, vote.to_dict()))


def prepare_vote(
    store: Store,
    session_id: int | str,
    dots: int | str,
    on: str | VoteOn = VoteOn.THEMES,
    anonymous: bool = False,
    audience: str | Sensitivity = ROOM,
) -> Vote:
    """A vote made now and opened later, by the agenda block that links it (``vote:ID``) when it starts: its items
    are the session's themes (or notes) ``audience`` may see at that moment, so themes accepted during the day count."""
    vote = _made(store, session_id, dots, on, anonymous, audience)
    with store.transaction() as tx:
        return replace(vote, id=tx.insert(VOTES, vote.to_dict()))


def set_vote_open(store: Store, vote_id: int | str, is_open: bool) -> Vote:
    """Open or close a vote (what an agenda block that links it does when it starts and ends). A vote prepared and
    never opened takes its items now; a closed vote opens again with its items and ballots as they were; an
    anonymous vote never opens again once closed (what told one person's ballots from another's is erased)."""
    vote = get_vote(store, vote_id)
    if not is_open:
        return close_vote(store, vote.id or 0) if vote.is_open else vote
    if vote.is_open:
        return vote
    if vote.closed is not None and vote.anonymous:
        raise ValidationError(
            "vote",
            _(
                "vote {id} is anonymous and closed: it cannot open again, since what kept each person to one "
                "ballot is erased. Prepare a new vote."
            ).format(id=vote.id),
        )
    opened = _opening(store, vote) if vote.closed is None else replace(vote, is_open=True, closed=None)
    with store.transaction() as tx:
        if _load(tx, vote.id or 0).is_open:  # opened meanwhile
            return _load(tx, vote.id or 0)
        _refuse_a_second_open(tx, vote.session_id)
        tx.update(VOTES, vote.id or 0, opened.to_dict())
    return opened


def close_vote(store: Store, vote_id: int | str) -> Vote:
    """Close a vote: no more ballots. An anonymous vote's key is erased, and a disk store's older copies rewritten,
    so nothing is left that links a ballot to a person."""
    with store.transaction() as tx:
        vote = _load(tx, vote_id)
        closed = replace(vote, is_open=False, key="", closed=vote.closed or v.now())
        tx.update(VOTES, vote.id or 0, closed.to_dict())
    if vote.anonymous:
        from lessonkit.services.withdraw import forget_old_copies

        forget_old_copies(store)
    return closed


def cast_ballot(
    store: Store, vote_id: int | str, join_code: str, items: Iterable[object], source: str = "form"
) -> Ballot:
    """A participant's dots (an item repeated gets several). Casting again replaces their ballot while the vote is
    open. ``source="paper"``: dots placed on paper, typed in by the facilitator (same rules)."""
    wanted = list(items)
    built: list[Ballot] = []

    def build(tx: Tx) -> dict[str, object]:
        vote = _load(tx, vote_id)
        if not vote.is_open:
            raise SessionClosedError(_("This vote is closed: dots can no longer be placed."))
        person = find_by_code(tx, join_code)
        if not person.consent.record:
            raise ConsentError(
                _(
                    "Your consent says your contributions are not to be recorded, so nothing was saved. Talk to the "
                    "facilitator if you want to take part."
                )
            )
        dots = check_dots(vote, wanted)
        if vote.anonymous:
            ballot = Ballot(vote.id or 0, dots, None, anonymous_tag(vote.key, vote.id or 0, person.id or 0), source)
        else:
            ballot = Ballot(vote.id or 0, dots, person.id, "", source, v.now())
        built.append(Ballot.from_dict(ballot.to_dict()))
        return ballot.to_dict()

    doc_id = store.append(BALLOTS, build)
    return replace(built[-1], id=doc_id)


def ballots_of(store: Store, vote_id: int) -> list[Ballot]:
    """Every ballot of a vote, as stored (recasts included), in arrival order."""
    with store.read() as tx:
        docs = tx.search(BALLOTS, lambda d: d.get("vote_id") == int(vote_id))
    return [Ballot.from_dict(d) for d in docs]


def my_ballot(store: Store, vote_id: int, join_code: str) -> Ballot | None:
    """The ballot of the person with ``join_code`` that counts now (None: none yet, or the vote closed anonymous)."""
    with store.read() as tx:
        vote = _load(tx, vote_id)
        person = find_by_code(tx, join_code)
    if vote.anonymous and not vote.key:
        return None
    key = f"a{anonymous_tag(vote.key, vote.id or 0, person.id or 0)}" if vote.anonymous else f"p{person.id}"
    mine = [b for b in latest_ballots(ballots_of(store, vote.id or 0)) if b.voter_key == key]
    return mine[-1] if mine else None


def vote_items(store: Store, vote: Vote, level: object = None) -> list[VoteItem]:
    """The vote's items as ``level`` (default: the vote's audience) may see them, in the vote's order."""
    disclosure = Disclosure.open(store, vote.audience if level is None else level, Purpose.BOARD)
    return items_in(disclosure, vote, disclosure.notes([vote.session_id]))


def items_in(disclosure: Disclosure, vote: Vote, found: NoteSet) -> list[VoteItem]:
    """The vote's items that ``disclosure`` lets out, given the notes it let out of the vote's session."""
    if vote.on is VoteOn.THEMES:
        themes = {t.theme.id: t for t in disclosure.themes(list_themes(disclosure.store, vote.session_id), found)}
        return [VoteItem(i, themes[i].label, "") for i in vote.items if i in themes]
    notes = found.by_id()
    return [VoteItem(i, notes[i].note.text, notes[i].note.language, notes[i].note) for i in vote.items if i in notes]


@dataclass(frozen=True)
class VoteResults:
    vote: Vote
    items: list[VoteItem]  # the items that may be shown, in the vote's order
    tally: list[Tally]  # dots per shown item, most first
    voters: int  # ballots that count (each voter's latest)

    def text_of(self, item: int) -> str:
        return next((i.text for i in self.items if i.id == item), "")


def vote_results(store: Store, vote_id: int | str, level: object = None) -> VoteResults:
    """Dots per item from each voter's latest ballot, counting only ballots whose voters' consent allows ``level``
    (default: the vote's audience) and only items that level may see."""
    vote = get_vote(store, vote_id)
    disclosure = Disclosure.open(store, vote.audience if level is None else level, Purpose.BOARD)
    return results_in(disclosure, vote, disclosure.notes([vote.session_id]))


def results_in(disclosure: Disclosure, vote: Vote, found: NoteSet) -> VoteResults:
    """:func:`vote_results` through a disclosure already open (a report's), given the notes it let out."""
    items = items_in(disclosure, vote, found)
    every = ballots_of(disclosure.store, vote.id or 0)
    counted = latest_ballots(disclosure.ballots(latest_ballots(every)))
    return VoteResults(vote, items, tally(counted, [i.id for i in items]), len(counted))
