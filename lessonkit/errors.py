"""The one exception hierarchy. Every message says what went wrong and what to do."""

from __future__ import annotations


class LessonkitError(Exception):
    """Base of every error lessonkit raises on purpose; its message is meant for a person."""


class ValidationError(LessonkitError):
    """Input that breaks a rule; names the field and says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotFoundError(LessonkitError):
    """A convening, participant, session or note that does not exist."""


class AlreadyExistsError(LessonkitError):
    """Something with that name already exists."""


class ConsentError(LessonkitError):
    """An action the person's consent does not allow."""


class SessionClosedError(LessonkitError):
    """A contribution to a session that is closed or does not accept it."""


class StoreError(LessonkitError):
    """A workspace file that cannot be used."""


class CorruptStoreError(StoreError):
    """A convening or library file that cannot be read; it was left untouched."""

    def __init__(self, message: str, path: str, last_good: str | None = None) -> None:
        self.path = path
        self.last_good = last_good
        super().__init__(message)


class LockedError(StoreError):
    """An encrypted convening whose key this process does not hold (not unlocked yet, or locked since)."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path  # the convening's file, so a screen can offer to unlock it
        super().__init__(message)


class WrongPassphraseError(StoreError):
    """A passphrase that does not open the convening's key; nothing was read or changed."""


class SchemaVersionError(StoreError):
    """A record written by a newer lessonkit than this one."""


class ServeError(LessonkitError):
    """The participant server could not be started."""


class SyncError(LessonkitError):
    """The network's library server could not be reached or refused a request (its address shown masked)."""


class SyncAuthError(SyncError):
    """The library server wants a user name and password (or refused the ones given)."""
