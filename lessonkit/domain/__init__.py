"""Dataclasses and pure functions: no widgets, no files, no pandas."""

from lessonkit.domain.levels import Attribution, Category, Moderation, Sensitivity
from lessonkit.domain.records import Consent, Convening, Note, Participant, Session

__all__ = [
    "Attribution",
    "Category",
    "Consent",
    "Convening",
    "Moderation",
    "Note",
    "Participant",
    "Sensitivity",
    "Session",
]
