"""lessonkit: facilitation workbooks for cross-border learning convenings."""

from __future__ import annotations

from lessonkit.errors import (
    AlreadyExistsError,
    ConsentError,
    CorruptStoreError,
    LessonkitError,
    NotFoundError,
    SchemaVersionError,
    SessionClosedError,
    StoreError,
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "AlreadyExistsError",
    "ConsentError",
    "CorruptStoreError",
    "LessonkitError",
    "NotFoundError",
    "SchemaVersionError",
    "SessionClosedError",
    "StoreError",
    "ValidationError",
    "__version__",
]
