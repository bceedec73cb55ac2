"""A report's cover, and how a report opens its convening.

What may go out, how authors are credited and what is redacted is the disclosure layer's answer
(:class:`lessonkit.services.disclosure.Disclosure`); the cover prints its counts and notices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lessonkit.domain.levels import Sensitivity
from lessonkit.i18n import _, current_language, direction, format_date, format_number, using_language
from lessonkit.services.convenings import open_convening
from lessonkit.services.disclosure import Disclosure, level_label
from lessonkit.store.base import Store

#: The mimetype under which a report's cover travels in the executed notebook (read by the lessonkit template).
COVER_MIME = "application/vnd.lessonkit.cover+json"
#: The part of the cover's data that is for the export log: taken out before the notebook is converted.
LOG_KEY = "export_log"


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
    included: int = 0  # for the export log only (never printed)
    participants: tuple[int, ...] = ()  # whose words went out: for the export log only (never printed)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, in print order, in the report's language."""
        with using_language(self.language):
            return [
                (_("Convening"), self.convening),
                (_("Session"), self.session),
                (_("Date"), format_date(self.day, "long")),
                (_("Privacy level"), level_label(self.level)),
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
            LOG_KEY: {"included": self.included, "participant_ids": list(self.participants)},
        }


def open_store(convening: str | None = None, home: str | None = None, store: Store | None = None) -> Store:
    """An explicit store, else the convening opened the one way every front end opens one."""
    return store if store is not None else open_convening(convening, home)


def cover(disclosure: Disclosure, title: str, session: str | None = None, notes: Iterable[str] = ()) -> Cover:
    """The cover of a report made through ``disclosure``: its counts, and what the rule asks to say."""
    return Cover(
        title=title,
        convening=disclosure.text(disclosure.convening.title, count=False),
        session=session or _("all sessions"),
        day=date.today(),
        level=disclosure.level,
        withheld=disclosure.tally.withheld,
        redacted=disclosure.tally.redacted,
        notes=tuple(disclosure.notices()) + tuple(notes),
        included=disclosure.tally.included,
        participants=tuple(sorted(disclosure.tally.participants)),
        language=current_language(),
    )
