"""The disclosure layer: what of a convening may be shown at a privacy level, for a purpose, and how.

Every front end reads people's words through here and holds no privacy logic of its own: the live board and the
facilitator's listings (purpose ``board``), reports (``report``), CSV/JSON exports and DataFrames (``export``),
bundles made for another convening (``bundle``) and clones (``clone``). A :class:`Disclosure` is one such view of one
convening at one level. It answers, for notes, memorandum positions and proposals, transferability ratings, risks
and mutual-aid ledger lines (:mod:`lessonkit.services.disclosure_care`), after-action reflections, and themes,
statements, ballots and answers from running the room (:mod:`lessonkit.services.disclosure_room`):

- which records go out (:meth:`Disclosure.notes`, :meth:`Disclosure.keep`, :meth:`Disclosure.reason_allowed`,
  :meth:`Disclosure.ratings`, :meth:`Disclosure.reflections`, and for running the room :meth:`Disclosure.themes`,
  :meth:`Disclosure.statements`, :meth:`Disclosure.ballots`, :meth:`Disclosure.answers`),
- with which author label (:meth:`Disclosure.credit`, :meth:`Disclosure.proposer`),
- with what text after redaction (:meth:`Disclosure.text`, :meth:`Disclosure.texts`, :meth:`Disclosure.session`),
- and how many were withheld or redacted, and whose words went out (:attr:`Disclosure.tally`).

The rule itself is :mod:`lessonkit.domain.privacy`; redaction is :mod:`lessonkit.domain.redaction`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from lessonkit.domain import privacy
from lessonkit.domain.ledger import Entry as LedgerEntry
from lessonkit.domain.levels import Moderation, Sensitivity
from lessonkit.domain.mou_amendment import Amendment
from lessonkit.domain.mou_decisions import Position
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.opinions import OpinionAnswer, Statement
from lessonkit.domain.privacy import Purpose, Tally, Withheld
from lessonkit.domain.records import Consent, Convening, Note, Participant, Session
from lessonkit.domain.redaction import Redactor, kind_label
from lessonkit.domain.reflections import Reflection
from lessonkit.domain.risk_register import JointRisk
from lessonkit.domain.scoring_rounds import ScoringRating
from lessonkit.domain.themes import Theme
from lessonkit.domain.votes import Ballot
from lessonkit.errors import NotFoundError
from lessonkit.i18n import _, ngettext
from lessonkit.services import disclosure_care, disclosure_room
from lessonkit.services.disclosure_care import ShownLine, ShownRisk
from lessonkit.services.disclosure_room import ShownStatement, ShownTheme
from lessonkit.services.participants import people_in
from lessonkit.services.redact_terms import redactor_in
from lessonkit.store.base import Store

__all__ = [
    "Disclosure",
    "NoteSet",
    "Purpose",
    "ReflectionSet",
    "ShownLine",
    "ShownNote",
    "ShownReflection",
    "ShownRisk",
    "ShownStatement",
    "ShownTheme",
    "Withheld",
    "kind_label",
    "level_label",
    "parse_level",
]

T = TypeVar("T")
_NOT_RECORDING = Consent(record=False)
level_label = privacy.level_label
parse_level = privacy.parse_level


@dataclass(frozen=True)
class ShownNote:
    """A note as it may be shown: its text and tags as they go out, its author's label, its effective level."""

    note: Note  # text and tags already redacted where the purpose and level ask for it
    author: str
    level: Sensitivity
    merged: int = 0  # duplicates merged into it that may be counted at this level


@dataclass
class NoteSet:
    shown: list[ShownNote] = field(default_factory=list)  # in id order
    merged: list[Note] = field(default_factory=list)  # duplicates that may be counted (not shown themselves)
    hidden: int = 0  # hidden by moderation (not counted as withheld)
    withheld: int = 0

    def notes(self) -> list[Note]:
        """The notes to summarise (shown and merged duplicates), for counts and groups."""
        return [s.note for s in self.shown] + self.merged

    def by_id(self) -> dict[int, ShownNote]:
        return {s.note.id: s for s in self.shown if s.note.id is not None}


@dataclass(frozen=True)
class ShownReflection:
    """An after-action reflection as it may be shown: its words redacted where the purpose and level ask for it,
    its author's label, its effective level."""

    reflection: Reflection
    author: str
    level: Sensitivity


@dataclass
class ReflectionSet:
    shown: list[ShownReflection] = field(default_factory=list)  # in id order
    withheld: int = 0
    questions_withheld: int = 0  # of those withheld, how many asked open questions


@dataclass
class Disclosure:
    """One convening seen at one level for one purpose. Open it with :meth:`open`."""

    store: Store
    level: Sensitivity
    purpose: Purpose
    convening: Convening
    people: dict[int, Participant]
    redactor: Redactor
    today: date
    tally: Tally = field(default_factory=Tally)

    @classmethod
    def open(
        cls, store: Store, level: object = None, purpose: Purpose | str = Purpose.REPORT, today: date | None = None
    ) -> Disclosure:
        """``level`` defaults to public, the most protective."""
        with store.read() as tx:
            docs = tx.all("convening")
            if not docs:
                raise NotFoundError(_("This convening file holds no convening record."))
            people = people_in(tx)
            redactor = redactor_in(tx)
        return cls(
            store,
            privacy.parse_level(level),
            privacy.parse_purpose(purpose),
            Convening.from_dict(docs[0]),
            people,
            redactor,
            today or date.today(),
        )

    # --- the rule, applied ---------------------------------------------------------------------------------

    def author(self, author_id: int | None) -> Participant | None:
        """The author; one no longer registered cannot consent, so is treated as not recording."""
        if author_id is None:
            return None
        return self.people.get(author_id) or Participant(name="?", join_code="?", consent=_NOT_RECORDING)

    def why_withheld(
        self,
        sensitivity: Sensitivity,
        author_id: int | None,
        moderation: Moderation = Moderation.VISIBLE,
        include_hidden: bool = False,
    ) -> Withheld | None:
        return privacy.withheld_because(
            sensitivity, self.author(author_id), self.level, self.today, moderation, include_hidden
        )

    def _count(self, reason: Withheld | None, author_id: int | None) -> bool:
        if reason is None:
            self.tally.include(author_id)
            return True
        if reason is Withheld.HIDDEN:
            self.tally.reasons[reason] += 1
        else:
            self.tally.withhold(reason, author_id)
        return False

    def keep(
        self,
        items: Iterable[T],
        sensitivity_of: Callable[[T], Sensitivity],
        author_id_of: Callable[[T], int | None],
    ) -> list[T]:
        """The items that may go out (counted as included); the others are counted as withheld."""
        return [
            x for x in items if self._count(self.why_withheld(sensitivity_of(x), author_id_of(x)), author_id_of(x))
        ]

    def withhold(self, n: int = 1, reason: Withheld = Withheld.SENSITIVITY) -> None:
        self.tally.withhold(reason, None, n)

    def credit(self, author_id: int | None) -> str:
        """The author as their consent allows at this level: name, pseudonym or "a participant"."""
        return privacy.credit(self.author(author_id), self.level)

    def level_of(self, sensitivity: Sensitivity, author_id: int | None) -> Sensitivity:
        """The stricter of a record's own level and its author's consent."""
        return privacy.effective_sensitivity(sensitivity, self.author(author_id))

    @property
    def redacting(self) -> bool:
        return privacy.redacts(self.level, self.purpose)

    def text(self, text: str, *, count: bool = True) -> str:
        """``text`` as it may go out; each text that had something redacted counts once."""
        if not self.redacting:
            return text or ""
        result = self.redactor.redact(text or "")
        if result.changed and count:
            self.tally.redacted += 1
        return result.text

    def texts(self, *texts: str) -> list[str]:
        """Several texts of one record; the record counts once as redacted if anything in it was."""
        if not self.redacting:
            return [t or "" for t in texts]
        results = [self.redactor.redact(t or "") for t in texts]
        if any(r.changed for r in results):
            self.tally.redacted += 1
        return [r.text for r in results]

    # --- records ---------------------------------------------------------------------------------------------

    def notes(self, sessions: Iterable[int] | None = None, include_hidden: bool = False) -> NoteSet:
        """The notes (of some sessions, or all) that may be shown, redacted and credited. Hidden and merged notes
        are shown as rows only with ``include_hidden`` (the facilitator's listings); otherwise a merged duplicate
        that may be shown is counted on the note it was merged into."""
        wanted = set(sessions) if sessions is not None else None
        with self.store.read() as tx:
            docs = tx.all("notes")
        every = sorted(
            (Note.from_dict(d) for d in docs if wanted is None or d["session_id"] in wanted), key=lambda n: n.id or 0
        )
        result = NoteSet()
        for n in every:
            reason = self.why_withheld(n.sensitivity, n.author_id, n.moderation, include_hidden)
            if reason is Withheld.HIDDEN:
                result.hidden += 1
                self.tally.reasons[reason] += 1
                continue
            if reason is not None:
                result.withheld += 1
                self.tally.withhold(reason, n.author_id)
                continue
            if n.moderation is Moderation.MERGED and not include_hidden:
                # counted on the note it was merged into; its tags still reach the tag counts, so redact them too
                text, *tags = (self.text(x, count=False) for x in (n.text, *n.tags))
                result.merged.append(replace(n, text=text, tags=tuple(tags), translations=()))
                continue
            n_tags, n_trans = len(n.tags), len(n.translations)
            text, *rest = self.texts(
                n.text, *n.tags, *(t.text for t in n.translations), *(t.by for t in n.translations)
            )
            translations = tuple(
                replace(t, text=words, by=by)
                for t, words, by in zip(
                    n.translations, rest[n_tags : n_tags + n_trans], rest[n_tags + n_trans :], strict=True
                )
            )
            self.tally.include(n.author_id)
            shown = replace(n, text=text, tags=tuple(rest[:n_tags]), translations=translations)
            result.shown.append(ShownNote(shown, self.credit(n.author_id), self.level_of(n.sensitivity, n.author_id)))
        counts: dict[int, int] = {}
        for m in result.merged:
            counts[m.merged_into or 0] = counts.get(m.merged_into or 0, 0) + 1
        result.shown = [replace(s, merged=counts.get(s.note.id or 0, 0)) for s in result.shown]
        return result

    def session(self, session: Session, *, count: bool = False) -> Session:
        """A session with its title and prompts, in every language it has, as they may go out."""
        originals = (session.title, *session.prompts)
        translated = [(t.title, *t.prompts) for t in session.translations]
        every = [*originals, *(x for texts in translated for x in texts)]
        if count:
            out = self.texts(*every)
        else:
            out = [self.text(x, count=False) for x in every]
        title, prompts, rest = out[0], out[1 : len(originals)], out[len(originals) :]
        translations = []
        for t, texts in zip(session.translations, translated, strict=True):
            mine, rest = rest[: len(texts)], rest[len(texts) :]
            translations.append(replace(t, title=mine[0], prompts=tuple(mine[1:])))
        return replace(session, title=title, prompts=tuple(prompts), translations=tuple(translations))

    def reason_allowed(self, state: MouState, position: Position) -> bool:
        """Whether a position's reason may go out: words without a sensitivity of their own travel no wider than
        ``convening``, and only if the party's sole member (when the party is one person) consents."""
        if privacy.UNLABELLED_WORDS.rank > self.level.rank:
            return False
        for party in state.record.parties:
            if party.name.casefold() == position.party.casefold() and len(party.participant_ids) == 1:
                return self.why_withheld(Sensitivity.PUBLIC, party.participant_ids[0]) is None
        return True

    def positions(self, state: MouState, marker: str) -> MouState:
        """The memorandum with every reason that may not go out replaced by ``marker`` (shown ones counted)."""
        shown = {id(p) for p in state.blocks() + state.concerns()}
        positions = []
        for p in state.positions:
            if p.reason and not self.reason_allowed(state, p):
                if id(p) in shown:
                    self.withhold()
                p = replace(p, reason=marker)
            positions.append(p)
        return replace(state, positions=tuple(positions))

    def proposer(self, amendment: Amendment) -> str:
        """Who proposed an amendment, as their consent allows at this level (with their party)."""
        who = self.credit(amendment.participant_id)
        if who == privacy.anonymous_label() or not amendment.party:
            return who
        return f"{who} ({self.text(amendment.party, count=False)})"

    def ratings(self, ratings: Iterable[ScoringRating]) -> list[ScoringRating]:
        """The ratings whose assessors' consent allows this level (a rating has no sensitivity of its own)."""
        return self.keep(ratings, lambda _r: Sensitivity.PUBLIC, lambda r: r.participant_id)

    # --- the risk register and the mutual-aid ledger (rules in lessonkit.services.disclosure_care) ---------------

    def party(self, name: str) -> str:
        """A partner group's name as it may appear here (a group named after a person is credited like them at
        network and public)."""
        return disclosure_care.party(self, name)

    def risks(self, register: Iterable[JointRisk]) -> list[ShownRisk]:
        """The risks (ranked, with each group's rating) that may go out, redacted, who raised them credited."""
        return disclosure_care.risks(self, register)

    def ledger(self, lines: Iterable[LedgerEntry]) -> list[ShownLine]:
        """The ledger lines that may go out, redacted; evidence notes only where their author's consent allows."""
        return disclosure_care.ledger(self, lines)

    def reflections(self, ids: Iterable[int] | None = None) -> ReflectionSet:
        """The after-action reflections (all, or those with ``ids``) that may be shown, their words redacted and
        their authors credited; only these are counted."""
        from lessonkit.services.reflections import TABLE

        wanted = {int(i) for i in ids} if ids is not None else None
        with self.store.read() as tx:
            docs = [d for d in tx.all(TABLE) if wanted is None or d["id"] in wanted]
        result = ReflectionSet()
        for r in sorted((Reflection.from_dict(d) for d in docs), key=lambda r: r.id or 0):
            reason = self.why_withheld(r.sensitivity, r.author_id)
            if reason is not None:
                self.tally.withhold(reason, r.author_id)
                result.withheld += 1
                result.questions_withheld += bool(r.questions)
                continue
            changed, stubborn, questions, *how = self.texts(*r.texts())
            tactics = tuple(replace(t, how=words) for t, words in zip(r.tactics, how, strict=True))
            shown = replace(r, changed=changed, stubborn=stubborn, questions=questions, tactics=tactics)
            self.tally.include(r.author_id)
            result.shown.append(
                ShownReflection(shown, self.credit(r.author_id), self.level_of(r.sensitivity, r.author_id))
            )
        return result

    # --- running the room: themes, statements, dot votes, answers (rules in lessonkit.services.disclosure_room) -

    def themes(self, themes: Iterable[Theme], found: NoteSet) -> list[ShownTheme]:
        """Themes with only their notes in ``found`` (what this disclosure let out of the session); a theme with
        none of them is left out, so withheld notes never shape a theme shown at this level."""
        return disclosure_room.themes(self, themes, found)

    def statements(self, statements: Iterable[Statement], found: NoteSet) -> list[ShownStatement]:
        """Statements that may be shown: typed ones (redacted as the purpose asks), and those taken from a note in
        ``found`` (with the note's words as they go out)."""
        return disclosure_room.statements(self, statements, found)

    def ballots(self, ballots: Iterable[Ballot]) -> list[Ballot]:
        """Ballots whose voters' consent allows this level (an anonymous ballot names nobody and always counts)."""
        return disclosure_room.ballots(self, ballots)

    def answers(self, answers: Iterable[OpinionAnswer]) -> list[OpinionAnswer]:
        """Agree/disagree answers whose authors' consent allows this level."""
        return disclosure_room.answers(self, answers)

    # --- what to say about it --------------------------------------------------------------------------------

    def notices(self) -> list[str]:
        """Sentences for a cover or a listing about what the rule left out for a reason a person can act on."""
        out = []
        overdue = len(self.tally.overdue)
        if overdue:
            out.append(
                ngettext(
                    "{n} participant's words are left out: their consent review is overdue. Review it with them "
                    "(workbook 01, or `lessonkit participant consent`) before sharing beyond the convening.",
                    "{n} participants' words are left out: their consent review is overdue. Review it with them "
                    "(workbook 01, or `lessonkit participant consent`) before sharing beyond the convening.",
                    overdue,
                ).format(n=overdue)
            )
        return out

    def log(self, what: str, file: object, by: str = "") -> None:
        """Add this disclosure to the convening's export log (what was made, the file, the counts, whose words)."""
        from lessonkit.services.export_log import log_export

        log_export(self.store, what, self.level, str(file) if file else None, self.tally, by=by)
