"""The first steps of every export: filter by consent and sensitivity → redact → count → cover.

A :class:`Scope` is one export's view of a convening at one privacy level. Report builders and data exports ask
it whether a record may go out (:meth:`Scope.keep`), how to credit its author (:meth:`Scope.credit`) and for the
redacted text (:meth:`Scope.text`); it counts what it withheld and redacted, and :meth:`Scope.cover` turns those
numbers into the report's cover.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from lessonkit.domain import privacy
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.records import Consent, Convening, Participant
from lessonkit.domain.redaction import Redactor
from lessonkit.errors import NotFoundError
from lessonkit.i18n import _, current_language, direction, format_date, format_number, using_language
from lessonkit.services.convenings import TABLE as CONVENING
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.services.redact_terms import redactor_in
from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace

T = TypeVar("T")

#: The mimetype under which a report's cover travels in the executed notebook (read by the lessonkit template).
COVER_MIME = "application/vnd.lessonkit.cover+json"
_NO_RECORD = Consent(record=False)


@dataclass(frozen=True)
class Cover:
    """What the first page of a report says."""

    title: str  # e.g. "Listening report"
    convening: str
    session: str
    day: date
    level: Sensitivity
    withheld: int
    redacted: int
    notes: tuple[str, ...] = ()
    language: str = "en"  # the language the report is written in (participants' words stay in theirs)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, in print order, in the report's language."""
        with using_language(self.language):
            return [
                (_("Convening"), self.convening),
                (_("Session"), self.session),
                (_("Date"), format_date(self.day, "long")),
                (_("Privacy level"), privacy.level_label(self.level)),
                (_("Items withheld"), format_number(self.withheld)),
                (_("Items redacted"), format_number(self.redacted)),
            ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language.replace("_", "-"),
            "direction": direction(self.language),
            "title": self.title,
            "convening": self.convening,
            "session": self.session,
            "date": self.day.isoformat(),
            "level": self.level.value,
            "withheld": self.withheld,
            "redacted": self.redacted,
            "rows": [list(r) for r in self.rows()],
            "notes": list(self.notes),
        }


def open_store(convening: str | None = None, home: str | None = None, store: Store | None = None) -> Store:
    """An explicit store, else the convening (default: LESSONKIT_CONVENING, else 'demo') of the workspace."""
    if store is not None:
        return store
    slug = convening or os.environ.get("LESSONKIT_CONVENING") or "demo"
    return Workspace(home or None).store(slug)


@dataclass
class Scope:
    """One export of one convening at one level: the rules, and the count of what they left out."""

    store: Store
    level: Sensitivity
    convening: Convening
    people: dict[int, Participant]
    redactor: Redactor
    tally: privacy.Tally = field(default_factory=privacy.Tally)

    @classmethod
    def open(cls, store: Store, level: object = None) -> Scope:
        with store.read() as tx:
            docs = tx.all(CONVENING)
            if not docs:
                raise NotFoundError(_("This convening file holds no convening record."))
            people = {d["id"]: Participant.from_dict(d) for d in tx.all(PARTICIPANTS)}
            redactor = redactor_in(tx)
        return cls(store, privacy.parse_level(level), Convening.from_dict(docs[0]), people, redactor)

    def author(self, author_id: int | None) -> Participant | None:
        return self.people.get(author_id) if author_id is not None else None

    def keep(
        self,
        items: Iterable[T],
        sensitivity_of: Callable[[T], Sensitivity],
        author_id_of: Callable[[T], int | None],
    ) -> list[T]:
        """The items that may go out at this level; the others are counted as withheld."""
        kept, withheld = privacy.split(
            items, self.level, sensitivity_of, lambda x: self._author_or_gone(author_id_of(x))
        )
        self.tally.withheld += withheld
        return kept

    def _author_or_gone(self, author_id: int | None) -> Participant | None:
        if author_id is None:
            return None
        person = self.people.get(author_id)
        # An author no longer registered cannot consent: treat as not recording.
        return person or Participant(name="?", join_code="?", consent=_NO_RECORD)

    def withhold(self, n: int = 1) -> None:
        self.tally.withheld += n

    def credit(self, author_id: int | None) -> str:
        """The author as consent allows: their chosen name, or "a participant"."""
        return privacy.attribution(self.author(author_id))

    def text(self, text: str, *, count: bool = True) -> str:
        """``text`` redacted; each text that had something redacted counts once."""
        result = self.redactor.redact(text or "")
        if result.changed and count:
            self.tally.redacted += 1
        return result.text

    def texts(self, *texts: str) -> list[str]:
        """Several texts of one record redacted; the record counts once if anything in it was redacted."""
        results = [self.redactor.redact(t or "") for t in texts]
        if any(r.changed for r in results):
            self.tally.redacted += 1
        return [r.text for r in results]

    def cover(self, title: str, session: str | None = None, notes: Iterable[str] = ()) -> Cover:
        return Cover(
            title=title,
            convening=self.text(self.convening.title, count=False),
            session=session or _("all sessions"),
            day=date.today(),
            level=self.level,
            withheld=self.tally.withheld,
            redacted=self.tally.redacted,
            notes=tuple(notes),
            language=current_language(),
        )
