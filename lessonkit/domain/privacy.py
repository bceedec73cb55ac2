"""The disclosure rule: which records may be shown at a privacy level, and how their authors are named.

A privacy level is an audience: ``public`` (anyone) < ``network`` < ``convening`` < ``restricted`` (facilitators
only). A record is shown at level L, whatever the purpose (board, report, export, bundle, clone), only if

- moderation has not hidden it,
- its sensitivity is at most L (a ``convening`` note never reaches a ``network`` report),
- its author still consents to being recorded at all, and their ``share_up_to`` is at most L,
- and, at a level wider than ``convening``, their consent review is not overdue.

Records without an author (anonymous notes) follow their sensitivity alone. An author is credited as their consent
says: ``named`` by the name the facilitator knows them by, but only inside the convening (``convening`` and
``restricted``), by their pseudonym at ``network`` and ``public``; ``pseudonym`` by their pseudonym;
``anonymous`` as "a participant".

This module is the rule's one home; :mod:`lessonkit.services.disclosure` applies it to a convening, and every front
end asks that. Pure functions: no store, no files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from lessonkit.domain.levels import Attribution, Moderation, Sensitivity, parse_enum
from lessonkit.domain.records import Participant
from lessonkit.i18n import _

#: The most protective level: the default of every report and data export.
DEFAULT_LEVEL = Sensitivity.PUBLIC

#: Words that carry no sensitivity of their own (a party's reason for a position on the memorandum) are
#: treated as said inside the convening: they travel no wider than this.
UNLABELLED_WORDS = Sensitivity.CONVENING

#: The widest level at which the name a facilitator knows a person by may appear.
NAMES_UP_TO = Sensitivity.CONVENING


class Purpose(str, Enum):
    """What a disclosure is for. The rule of who is shown is the same for all; what differs is whether text is
    redacted inside the convening (the board does not redact at ``convening`` and ``restricted``)."""

    BOARD = "board"  # the live board, the facilitator's listings and tables
    REPORT = "report"  # PDF, HTML and Markdown reports
    EXPORT = "export"  # CSV and JSON data exports
    BUNDLE = "bundle"  # a bundle made for another convening
    CLONE = "clone"  # a new convening started from this one


class Withheld(str, Enum):
    """Why a record was left out."""

    HIDDEN = "hidden"  # moderation hid it
    SENSITIVITY = "sensitivity"  # the record itself is more private than the level
    CONSENT = "consent"  # the author's share_up_to stops short of the level
    NOT_RECORDED = "not recorded"  # the author does not consent to being recorded (or is no longer registered)
    REVIEW_OVERDUE = "review overdue"  # the author's consent review is overdue (levels wider than convening)


def parse_level(value: object) -> Sensitivity:
    """A level from text ('public', 'network', 'convening', 'restricted'); None means the default, public."""
    if value in (None, ""):
        return DEFAULT_LEVEL
    return parse_enum(Sensitivity, "level", value)  # type: ignore[return-value]


def parse_purpose(value: object) -> Purpose:
    return parse_enum(Purpose, "purpose", value)  # type: ignore[return-value]


def review_overdue(author: Participant | None, today: date) -> bool:
    """True when the author's consent was to be checked again before ``today``."""
    due = author.consent.review_date if author is not None else None
    return due is not None and due < today


def withheld_because(
    sensitivity: Sensitivity,
    author: Participant | None,
    level: Sensitivity,
    today: date,
    moderation: Moderation = Moderation.VISIBLE,
    include_hidden: bool = False,
) -> Withheld | None:
    """None when the record may be shown at ``level``; else why not (the first reason that applies)."""
    if moderation is Moderation.HIDDEN and not include_hidden:
        return Withheld.HIDDEN
    if author is not None and not author.consent.record:
        return Withheld.NOT_RECORDED
    if sensitivity.rank > level.rank:
        return Withheld.SENSITIVITY
    if author is None:
        return None
    if author.consent.share_up_to.rank > level.rank:
        return Withheld.CONSENT
    if level.rank < NAMES_UP_TO.rank and review_overdue(author, today):
        return Withheld.REVIEW_OVERDUE
    return None


def consent_allows(author: Participant | None, level: Sensitivity, today: date | None = None) -> bool:
    """True when the author (None: anonymous) agreed that their words may reach audience ``level``."""
    return withheld_because(Sensitivity.PUBLIC, author, level, today or date.today()) is None


def may_include(
    sensitivity: Sensitivity, author: Participant | None, level: Sensitivity, today: date | None = None
) -> bool:
    """The rule every front end obeys (for a visible record)."""
    return withheld_because(sensitivity, author, level, today or date.today()) is None


def effective_sensitivity(note_level: Sensitivity, author: Participant | None) -> Sensitivity:
    """The stricter of a record's own level and its author's consent."""
    if author is None:
        return note_level
    consent_level = author.consent.share_up_to
    return note_level if note_level.rank >= consent_level.rank else consent_level


def still_consented(author: Participant | None) -> bool:
    """False once the author has said their words are not to be recorded: such records are shown nowhere."""
    return author is None or author.consent.record


def anonymous_label() -> str:
    return _("a participant")


def credit(author: Participant | None, level: Sensitivity) -> str:
    """How the author of a record shown at ``level`` is named (see the module's docstring)."""
    if author is None or not author.consent.record or author.consent.attribution is Attribution.ANONYMOUS:
        return anonymous_label()
    if author.consent.attribution is Attribution.NAMED and level.rank >= NAMES_UP_TO.rank:
        return author.name
    return author.pseudonym or anonymous_label()


def redacts(level: Sensitivity, purpose: Purpose) -> bool:
    """Whether free text is redacted: always when it leaves the laptop; on the board only at levels wider than
    ``convening`` (inside the convening people know each other's names)."""
    return purpose is not Purpose.BOARD or level.rank < NAMES_UP_TO.rank


@dataclass
class Tally:
    """What a disclosure let out, left out or changed: the numbers on a report's cover and in the export log."""

    included: int = 0  # records that went out
    withheld: int = 0  # records left out (by sensitivity, consent, moderation, review)
    redacted: int = 0  # records whose text had something redacted
    reasons: Counter[Withheld] = field(default_factory=Counter)
    participants: set[int] = field(default_factory=set)  # whose words went out
    overdue: set[int] = field(default_factory=set)  # left out because their consent review is overdue

    def withhold(self, reason: Withheld, author_id: int | None = None, n: int = 1) -> None:
        self.withheld += n
        self.reasons[reason] += n
        if reason is Withheld.REVIEW_OVERDUE and author_id is not None:
            self.overdue.add(author_id)

    def include(self, author_id: int | None) -> None:
        self.included += 1
        if author_id is not None:
            self.participants.add(author_id)


def level_label(level: Sensitivity) -> str:
    """The level as printed on a cover: who may read the document."""
    return {
        Sensitivity.PUBLIC: _("public: may be shared with anyone"),
        Sensitivity.NETWORK: _("network: partner groups of the network only"),
        Sensitivity.CONVENING: _("convening: people of this convening only"),
        Sensitivity.RESTRICTED: _("restricted: facilitators only"),
    }[level]
