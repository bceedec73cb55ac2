"""The disclosure layer for running the room (issue 15), reached through
:class:`lessonkit.services.disclosure.Disclosure` (``scope.themes``, ``scope.statements``, ``scope.ballots``,
``scope.answers``).

- A theme holds note ids only: it goes out with those of its notes this audience may see, labelled by the
  facilitator's name (redacted as the purpose asks) or by the most telling words of those notes alone, so a withheld
  note never shapes a theme shown at that level; a theme left with no note is left out.
- A statement typed by the facilitator goes out redacted as the purpose asks; one made of a note goes out only
  where that note does, with the note's words as they go out.
- A dot-vote ballot or an agree / disagree answer has no sensitivity of its own: it counts where its author's
  consent allows the level (an anonymous ballot names nobody and always counts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.opinions import OpinionAnswer, Statement
from lessonkit.domain.records import Note
from lessonkit.domain.theme_words import label_of, telling_words
from lessonkit.domain.themes import Theme
from lessonkit.domain.votes import Ballot

if TYPE_CHECKING:
    from lessonkit.services.disclosure import Disclosure, NoteSet, ShownNote


@dataclass(frozen=True)
class ShownTheme:
    """An accepted theme as it may be shown: only its notes this audience may see, and its label (the facilitator's
    name, redacted as the purpose asks, else the most telling words of those notes alone)."""

    theme: Theme
    notes: tuple[ShownNote, ...]
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class ShownStatement:
    """A statement as it may be shown: typed by the facilitator (redacted as the purpose asks) or a note's words as
    this audience may see them (``note`` set: its translations go with it)."""

    statement: Statement
    text: str
    language: str
    note: Note | None = None


def themes(scope: Disclosure, accepted: Iterable[Theme], found: NoteSet) -> list[ShownTheme]:
    shown, corpus = found.by_id(), [s.note.text for s in found.shown]
    out = []
    for theme in accepted:
        members = tuple(shown[i] for i in theme.note_ids if i in shown)
        if not members:
            continue
        words = tuple(telling_words([m.note.text for m in members], corpus))
        label = scope.text(theme.name, count=False) if theme.name else label_of(words)
        out.append(ShownTheme(theme, members, label, words))
    return out


def statements(scope: Disclosure, items: Iterable[Statement], found: NoteSet) -> list[ShownStatement]:
    shown = found.by_id()
    out = []
    for s in items:
        if s.note_id is None:
            out.append(ShownStatement(s, scope.text(s.text, count=False), s.language))
        elif s.note_id in shown:
            note = shown[s.note_id].note
            out.append(ShownStatement(s, note.text, note.language, note))
    return out


def ballots(scope: Disclosure, items: Iterable[Ballot]) -> list[Ballot]:
    return scope.keep(items, lambda _b: Sensitivity.PUBLIC, lambda b: b.participant_id)


def answers(scope: Disclosure, items: Iterable[OpinionAnswer]) -> list[OpinionAnswer]:
    return scope.keep(items, lambda _a: Sensitivity.PUBLIC, lambda a: a.participant_id)
