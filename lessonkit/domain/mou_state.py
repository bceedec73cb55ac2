"""Everything known about one memorandum at a moment: record, versions, positions, signatures, proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lessonkit.domain.mou import MouVersion
from lessonkit.domain.mou_amendment import Amendment, AmendmentStatus
from lessonkit.domain.mou_decisions import Position, missing_positions, open_blocks, open_concerns
from lessonkit.domain.mou_schedule import SOON_DAYS, DueItem, due_items
from lessonkit.domain.mou_status import MouRecord, Signature
from lessonkit.domain.mou_translation import ClauseTranslation, ParallelText, languages_of, parallel
from lessonkit.errors import NotFoundError
from lessonkit.i18n import _


@dataclass(frozen=True)
class MouState:
    record: MouRecord
    versions: tuple[MouVersion, ...]  # oldest first
    positions: tuple[Position, ...] = ()
    signatures: tuple[Signature, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    translations: tuple[ClauseTranslation, ...] = ()

    @property
    def latest(self) -> MouVersion:
        return self.versions[-1]

    def version(self, number: int | None = None) -> MouVersion:
        """Version ``number`` (the latest when None); a clear error names the versions there are."""
        if number is None:
            return self.latest
        for ver in self.versions:
            if ver.number == number:
                return ver
        raise NotFoundError(
            _("There is no version {n} of the memorandum (versions 1 to {last}).").format(
                n=number, last=self.latest.number
            )
        )

    def blocks(self) -> list[Position]:
        return open_blocks(self.positions, self.latest, self.record.parties)

    def concerns(self) -> list[Position]:
        return open_concerns(self.positions, self.latest, self.record.parties)

    def missing(self) -> list[tuple[str, str]]:
        return missing_positions(self.positions, self.latest, self.record.parties)

    def signatures_for(self, number: int) -> list[Signature]:
        return [s for s in self.signatures if s.version == number]

    def pending(self) -> list[Amendment]:
        return [a for a in self.amendments if a.status is AmendmentStatus.PENDING]

    def parallel(self, language: str, number: int | None = None) -> list[ParallelText]:
        """Each clause of a version (the latest by default) beside its translation into ``language``."""
        return parallel(self.versions, self.translations, self.version(number).number, language)

    def translation_languages(self) -> list[str]:
        """The languages the memorandum has translations in (the authoritative one is ``record.language``)."""
        return [lang for lang in languages_of(self.translations) if lang != self.record.language]

    def due(self, today: date, soon_days: int = SOON_DAYS) -> list[DueItem]:
        return due_items(self.latest, self.record.status, today, soon_days)
