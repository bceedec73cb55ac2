"""Where the room agrees: the facilitator puts statements to the room (typed, or taken from notes), participants
answer agree / disagree / pass on their phones, and opinion groups are found the way Pol.is finds them
(:mod:`lessonkit.domain.opinion_groups`).

Everything goes through the disclosure layer: a statement taken from a note exists at a level only where the note
may be shown; answers count only where their authors' consent allows the level. Answers are insert-only
(``Store.append``); a participant's latest answer to a statement is the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lessonkit.domain.levels import parse_enum
from lessonkit.domain.opinion_groups import OpinionGroups, find_groups
from lessonkit.domain.opinions import Answer, OpinionAnswer, Statement, answer_matrix
from lessonkit.errors import ConsentError, NotFoundError, SessionClosedError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, NoteSet, Purpose, ShownStatement
from lessonkit.services.participants import find_by_code
from lessonkit.services.sessions import list_sessions, load_session
from lessonkit.services.themes import ROOM
from lessonkit.store.base import Store, Tx

STATEMENTS = "statements"
ANSWERS = "opinion_answers"
NOTES = "notes"


def add_statement(
    store: Store, session_id: int | str, text: str = "", language: str | None = None, note_id: int | None = None
) -> Statement:
    """Put a statement to the room: ``text`` typed by the facilitator (in ``language``; default: the session's), or
    the words of note ``note_id`` of the session."""
    with store.transaction() as tx:
        session = load_session(tx, session_id)
        if note_id is not None:
            doc = tx.get(NOTES, int(note_id))
            if doc is None or doc.get("session_id") != session.id:
                raise ValidationError(
                    "note_id", _("note {id} is not a note of session {session}.").format(id=note_id, session=session.id)
                )
            if tx.search(STATEMENTS, lambda d: d.get("note_id") == int(note_id)):
                raise ValidationError("note_id", _("note {id} is already a statement.").format(id=note_id))
            data: dict[str, object] = {"session_id": session.id, "note_id": int(note_id)}
        else:
            data = {"session_id": session.id, "text": text, "language": language or session.language}
        statement = Statement.from_dict(data)
        return replace(statement, id=tx.insert(STATEMENTS, statement.to_dict()))


def list_statements(store: Store, session_id: int | None = None) -> list[Statement]:
    with store.read() as tx:
        docs = tx.all(STATEMENTS)
    return [Statement.from_dict(d) for d in docs if session_id is None or d.get("session_id") == session_id]


def shown_statements(store: Store, session_id: int, level: object = ROOM) -> list[ShownStatement]:
    """The session's statements that ``level`` may see (what participants' phones show at the room's level)."""
    disclosure = Disclosure.open(store, level, Purpose.BOARD)
    return disclosure.statements(list_statements(store, session_id), disclosure.notes([session_id]))


def answering_session(store: Store, session_id: int | str | None = None) -> int | None:
    """The session whose statements the agree form shows: the one named if it is open, else the first open session
    that has statements. What the agree form follows (None: nothing to answer now)."""
    with_statements = {s.session_id for s in list_statements(store)}
    open_ids = [s.id for s in list_sessions(store, open_only=True) if s.id in with_statements]
    if session_id not in (None, ""):
        try:
            wanted = int(session_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return wanted if wanted in open_ids else None
    return open_ids[0] if open_ids else None


def _load_statement(tx: Tx, statement_id: int) -> Statement:
    doc = tx.get(STATEMENTS, int(statement_id))
    if doc is None:
        raise NotFoundError(_("There is no statement {id}.").format(id=statement_id))
    return Statement.from_dict(doc)


def answer_statement(store: Store, statement_id: int, join_code: str, answer: str | Answer) -> OpinionAnswer:
    """A participant's answer to a statement (answering again replaces it) while its session is open."""
    choice = parse_enum(Answer, "answer", answer)
    built: list[OpinionAnswer] = []

    def build(tx: Tx) -> dict[str, object]:
        statement = _load_statement(tx, statement_id)
        if not load_session(tx, statement.session_id).is_open:
            raise SessionClosedError(_("This session is closed: answers can no longer be given."))
        person = find_by_code(tx, join_code)
        if not person.consent.record:
            raise ConsentError(
                _(
                    "Your consent says your contributions are not to be recorded, so nothing was saved. Talk to the "
                    "facilitator if you want to take part."
                )
            )
        built.append(OpinionAnswer(statement.id or 0, person.id or 0, choice))  # type: ignore[arg-type]
        return built[-1].to_dict()

    doc_id = store.append(ANSWERS, build)
    return replace(built[-1], id=doc_id)


def answers_of(store: Store, statement_ids: set[int] | None = None) -> list[OpinionAnswer]:
    with store.read() as tx:
        docs = tx.all(ANSWERS)
    return [OpinionAnswer.from_dict(d) for d in docs if statement_ids is None or d.get("statement_id") in statement_ids]


def my_answers(store: Store, session_id: int, join_code: str) -> dict[int, Answer]:
    """statement -> the latest answer of the person with ``join_code`` (for showing them what they said)."""
    with store.read() as tx:
        person = find_by_code(tx, join_code)
    ids = {s.id for s in list_statements(store, session_id) if s.id is not None}
    latest: dict[int, Answer] = {}
    for a in sorted(answers_of(store, ids), key=lambda a: a.id or 0):
        if a.participant_id == person.id:
            latest[a.statement_id] = a.answer
    return latest


@dataclass(frozen=True)
class RoomOpinions:
    groups: OpinionGroups
    statements: dict[int, ShownStatement]  # the statements that may be shown, by id

    def text(self, statement_id: int) -> str:
        shown = self.statements.get(statement_id)
        return shown.text if shown else ""


def opinion_groups(store: Store, session_id: int, level: object = ROOM) -> RoomOpinions:
    """The opinion groups of a session as ``level`` may see them: only statements that level may see, only answers
    whose authors' consent allows it."""
    disclosure = Disclosure.open(store, level, Purpose.BOARD)
    return groups_in(disclosure, session_id, disclosure.notes([session_id]))


def groups_in(disclosure: Disclosure, session_id: int, found: NoteSet) -> RoomOpinions:
    """:func:`opinion_groups` through a disclosure already open (a report's), given the notes it let out."""
    shown = disclosure.statements(list_statements(disclosure.store, session_id), found)
    ids = [s.statement.id for s in shown if s.statement.id is not None]
    answers = disclosure.answers(answers_of(disclosure.store, set(ids)))
    return RoomOpinions(find_groups(answer_matrix(answers), ids), {s.statement.id or 0: s for s in shown})
