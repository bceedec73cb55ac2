"""What a person may contribute: the checks made when words are written. Who may *see* them afterwards is
decided by :mod:`lessonkit.domain.privacy` alone."""

from __future__ import annotations

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.records import Participant, Session
from lessonkit.errors import ConsentError, SessionClosedError, ValidationError
from lessonkit.i18n import _


def check_can_contribute(session: Session, author: Participant | None, *, require_open: bool = True) -> None:
    """Raise unless ``author`` (None: anonymous) may add a note to ``session``.

    ``require_open=False`` is for the facilitator typing in paper cards after the session closed; consent still rules.
    """
    if require_open and not session.is_open:
        raise SessionClosedError(
            _("The session '{title}' is closed: ask the facilitator to open it.").format(title=session.title)
        )
    if author is None:
        if require_open and not session.allow_anonymous:
            raise SessionClosedError(
                _("This session does not take anonymous notes: enter your join code.")
            )
        return
    if not author.consent.record:
        raise ConsentError(
            _("Your consent says your words are not to be recorded, so nothing was saved. "
              "If you want to contribute, talk to the facilitator about changing your consent.")
        )


def check_can_reflect(author: Participant | None) -> None:
    """Raise unless ``author`` (None: anonymous) may add an after-action reflection: like a note, only while their
    consent says their words may be recorded. A reflection belongs to no session, so an anonymous one is always
    taken (the participant server is reached only with its token)."""
    if author is not None and not author.consent.record:
        raise ConsentError(
            _("Your consent says your words are not to be recorded, so nothing was saved. "
              "If you want to contribute, talk to the facilitator about changing your consent.")
        )

def check_sensitivity(author: Participant | None, sensitivity: Sensitivity) -> None:
    """A note may never be shared more widely than its author's consent allows."""
    if author is None:
        return
    allowed = author.consent.allowed_levels()
    if sensitivity not in allowed:
        raise ValidationError(
            "sensitivity",
            _("your consent allows sharing up to '{limit}' only: choose {choices}.").format(
                limit=level_name(author.consent.share_up_to), choices=" / ".join(level_name(s) for s in allowed)
            ),
        )
