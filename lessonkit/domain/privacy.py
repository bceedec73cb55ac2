"""Which records may leave the laptop at a privacy level, and how their authors are credited.

A privacy level is an audience: ``public`` (anyone) < ``network`` < ``convening`` < ``restricted`` (facilitators
only). A record goes into a report or data export at level L only if

- its sensitivity is at most L (a ``convening`` note never reaches a ``network`` report),
- its author's consent allows L (``share_up_to`` is at most L), and
- its author still consents to being recorded at all.

Records without an author (anonymous notes) follow their sensitivity alone. Pure functions: no store, no files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from lessonkit.domain.levels import Attribution, Sensitivity, parse_enum
from lessonkit.domain.records import Participant
from lessonkit.i18n import _

T = TypeVar("T")

#: The most protective level: the default of every report and data export.
DEFAULT_LEVEL = Sensitivity.PUBLIC

#: Words that carry no sensitivity of their own (a party's reason for a position on the memorandum) are
#: treated as said inside the convening: they travel no wider than this.
UNLABELLED_WORDS = Sensitivity.CONVENING


def parse_level(value: object) -> Sensitivity:
    """A level from text ('public', 'network', 'convening', 'restricted'); None means the default, public."""
    if value in (None, ""):
        return DEFAULT_LEVEL
    return parse_enum(Sensitivity, "level", value)  # type: ignore[return-value]


def consent_allows(author: Participant | None, level: Sensitivity) -> bool:
    """True when the author (None: anonymous) agreed that their words may reach audience ``level``."""
    if author is None:
        return True
    return author.consent.record and author.consent.share_up_to.rank <= level.rank


def may_include(sensitivity: Sensitivity, author: Participant | None, level: Sensitivity) -> bool:
    """The rule every export obeys: sensitivity at most ``level`` and the author's consent allows ``level``."""
    return sensitivity.rank <= level.rank and consent_allows(author, level)


def attribution(author: Participant | None) -> str:
    """How the author may be credited: named and pseudonymous authors by their chosen name, others as
    "a participant" (also anyone who no longer consents to being recorded)."""
    if author is None or not author.consent.record or author.consent.attribution is Attribution.ANONYMOUS:
        return _("a participant")
    return author.name


@dataclass
class Tally:
    """What an export left out or changed: the numbers printed on a report's cover."""

    withheld: int = 0  # records left out by sensitivity or consent
    redacted: int = 0  # records whose text had something redacted

    def add(self, other: Tally) -> Tally:
        return Tally(self.withheld + other.withheld, self.redacted + other.redacted)


def split(
    items: Iterable[T],
    level: Sensitivity,
    sensitivity_of: Callable[[T], Sensitivity],
    author_of: Callable[[T], Participant | None],
) -> tuple[list[T], int]:
    """The items that may be shown at ``level`` (in order) and how many were withheld."""
    kept: list[T] = []
    withheld = 0
    for item in items:
        if may_include(sensitivity_of(item), author_of(item), level):
            kept.append(item)
        else:
            withheld += 1
    return kept, withheld


def level_label(level: Sensitivity) -> str:
    """The level as printed on a cover: who may read the document."""
    return {
        Sensitivity.PUBLIC: _("public: may be shared with anyone"),
        Sensitivity.NETWORK: _("network: partner groups of the network only"),
        Sensitivity.CONVENING: _("convening: people of this convening only"),
        Sensitivity.RESTRICTED: _("restricted: facilitators only"),
    }[level]
