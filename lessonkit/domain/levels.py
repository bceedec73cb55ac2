"""The small vocabularies of the domain: sensitivity levels, attribution, note categories, moderation."""

from __future__ import annotations

from enum import Enum

from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext


class Sensitivity(str, Enum):
    """How widely a record may travel; each level includes the audiences of the ones after it."""

    PUBLIC = "public"
    NETWORK = "network"
    CONVENING = "convening"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        """0 for public (shared most widely) up to 3 for restricted (shared least)."""
        return _ORDER.index(self)

    def at_least_as_private_as(self, other: Sensitivity) -> bool:
        return self.rank >= other.rank


_ORDER = [Sensitivity.PUBLIC, Sensitivity.NETWORK, Sensitivity.CONVENING, Sensitivity.RESTRICTED]


class Attribution(str, Enum):
    """How a person's words may be credited."""

    NAMED = "named"
    PSEUDONYM = "pseudonym"
    ANONYMOUS = "anonymous"


class Category(str, Enum):
    """What a listening note is about."""

    NEED = "need"
    WORKED = "what worked"
    RISK = "risk"
    QUESTION = "question"


class Moderation(str, Enum):
    """Whether a note shows on the board."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    MERGED = "merged"


def category_label(category: Category) -> str:
    return {
        Category.NEED: _("Need"),
        Category.WORKED: _("What worked"),
        Category.RISK: _("Risk"),
        Category.QUESTION: _("Question"),
    }[category]


def level_name(level: Sensitivity) -> str:
    """The level's short name for readers (reports, badges); what a person types stays the value ('public')."""
    return {
        Sensitivity.PUBLIC: _("public"),
        Sensitivity.NETWORK: _("network"),
        Sensitivity.CONVENING: _("convening"),
        Sensitivity.RESTRICTED: _("restricted"),
    }[level]


def attribution_name(attribution: Attribution) -> str:
    """How a person is credited, in a word for readers; what a person types stays the value ('pseudonym')."""
    return {
        Attribution.NAMED: _("named"),
        Attribution.PSEUDONYM: _("by pseudonym"),
        Attribution.ANONYMOUS: _("anonymous"),
    }[attribution]


def moderation_name(state: Moderation) -> str:
    """Whether a note shows on the board, in a word for readers (the facilitator's moderation list)."""
    return {
        Moderation.VISIBLE: pgettext("note state", "visible"),
        Moderation.HIDDEN: pgettext("note state", "hidden"),
        Moderation.MERGED: pgettext("note state", "merged"),
    }[state]


def sensitivity_label(level: Sensitivity) -> str:
    return {
        Sensitivity.PUBLIC: _("Public: may be shared with anyone"),
        Sensitivity.NETWORK: _("Network: partner groups of the network only"),
        Sensitivity.CONVENING: _("Convening: people in this convening only"),
        Sensitivity.RESTRICTED: _("Restricted: facilitators only"),
    }[level]


def parse_enum(enum: type[Enum], field: str, value: object) -> Enum:
    """Turn ``value`` into a member of ``enum`` or raise a ValidationError that lists the choices."""
    if isinstance(value, enum):
        return value
    text = str(value).strip().lower() if value is not None else ""
    try:
        return enum(text)  # by value: one dict lookup
    except ValueError:
        pass
    for member in enum:
        if text == member.value or text == member.name.lower():
            return member
    choices = ", ".join(m.value for m in enum)
    raise ValidationError(field, _("'{value}' is not one of: {choices}.").format(value=value, choices=choices))
