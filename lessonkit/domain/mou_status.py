"""The life of a memorandum: draft → proposed → agreed → signed → under review → renewed | ended.

The record holds the status, the parties, which version was agreed and which signed, and the history of every
status change (who, when, why). Signatures are bound to the exact version signed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.mou import Party, find_party
from lessonkit.domain.mou_decisions import Position, check_blocks_resolved
from lessonkit.domain.mou_translation import TranslationRef
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import AlreadyExistsError, ValidationError
from lessonkit.i18n import _, language_name, pgettext


class MouStatus(str, Enum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    SIGNED = "signed"
    UNDER_REVIEW = "under review"
    RENEWED = "renewed"
    ENDED = "ended"


def status_label(status: MouStatus) -> str:
    return {
        MouStatus.DRAFT: _("Draft"),
        MouStatus.PROPOSED: _("Proposed for decision"),
        MouStatus.AGREED: _("Agreed"),
        MouStatus.SIGNED: _("Signed"),
        MouStatus.UNDER_REVIEW: _("Under review"),
        MouStatus.RENEWED: _("Renewed"),
        MouStatus.ENDED: _("Ended"),
    }[status]


# Steps a facilitator takes by hand. "signed" is reached by signatures; "draft" also by editing.
TRANSITIONS: dict[MouStatus, tuple[MouStatus, ...]] = {
    MouStatus.DRAFT: (MouStatus.PROPOSED,),
    MouStatus.PROPOSED: (MouStatus.AGREED, MouStatus.DRAFT),
    MouStatus.AGREED: (MouStatus.PROPOSED,),
    MouStatus.SIGNED: (MouStatus.UNDER_REVIEW, MouStatus.ENDED),
    MouStatus.UNDER_REVIEW: (MouStatus.RENEWED, MouStatus.ENDED),
    MouStatus.RENEWED: (MouStatus.UNDER_REVIEW, MouStatus.ENDED),
    MouStatus.ENDED: (),
}
IN_FORCE = (MouStatus.SIGNED, MouStatus.UNDER_REVIEW, MouStatus.RENEWED)


class HistoryEvent(str, Enum):
    """A step lessonkit writes in the history itself: stored as this code (with its values), said in the reader's
    language when shown (a note a person typed is kept as typed)."""

    EDITED = "edited"
    SIGNED = "signed by every party"
    PARTY_ADDED = "party added"
    PARTY_REMOVED = "party removed"
    LANGUAGE_CHANGED = "authoritative language changed"


def event_text(event: HistoryEvent, values: dict[str, str], version: int | None) -> str:
    named = {k: language_name(val) if k in ("old", "new") else val for k, val in values.items()}  # language tags
    return {
        HistoryEvent.EDITED: _("edited: version {version} is a new draft"),
        HistoryEvent.SIGNED: _("signed by every party"),
        HistoryEvent.PARTY_ADDED: _("party added: {name}"),
        HistoryEvent.PARTY_REMOVED: _("party removed: {name}"),
        HistoryEvent.LANGUAGE_CHANGED: _("Authoritative language changed from {old} to {new}"),
    }[event].format_map({"version": version, **named})


@dataclass(frozen=True)
class StatusChange:
    old: MouStatus
    new: MouStatus
    by: str
    note: str = ""
    version: int | None = None
    at: datetime = field(default_factory=v.now)
    event: HistoryEvent | None = None
    values: tuple[tuple[str, str], ...] = ()  # the event's names (a party, languages), as (key, value) pairs

    @property
    def shown_note(self) -> str:
        """What the step says, in the reader's language for an event, else the note as typed."""
        if self.event is None:
            return self.note
        return event_text(self.event, dict(self.values), self.version)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StatusChange:
        event = d.get("event")
        values = d.get("values") or {}
        return cls(
            old=MouStatus(d["old"]),
            new=MouStatus(d["new"]),
            by=d.get("by", ""),
            note=d.get("note", ""),
            version=d.get("version"),
            at=v.iso_datetime("at", d["at"]),
            event=parse_enum(HistoryEvent, "history.event", event) if event else None,  # type: ignore[arg-type]
            values=tuple((str(k), str(val)) for k, val in values.items()) if isinstance(values, dict) else (),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "old": self.old.value,
            "new": self.new.value,
            "by": self.by,
            "note": self.note,
            "version": self.version,
            "at": self.at.isoformat(),
        }
        if self.event is not None:
            out.update(event=self.event.value, values=dict(self.values))
        return out


@dataclass(frozen=True)
class MouRecord:
    title: str
    status: MouStatus = MouStatus.DRAFT
    parties: tuple[Party, ...] = ()
    agreed_version: int | None = None
    signed_version: int | None = None
    history: tuple[StatusChange, ...] = ()
    language: str = "en"
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MouRecord:
        data = upgrade("mou", data)
        return cls(
            id=data.get("id"),
            title=v.text("title", data.get("title"), max_length=200),
            status=parse_enum(MouStatus, "status", data.get("status", "draft")),  # type: ignore[arg-type]
            parties=tuple(Party.from_dict(p) for p in data.get("parties") or ()),
            agreed_version=data.get("agreed_version"),
            signed_version=data.get("signed_version"),
            history=tuple(StatusChange.from_dict(h) for h in data.get("history") or ()),
            language=str(data.get("language") or "en"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou"],
            "title": self.title,
            "status": self.status.value,
            "parties": [p.to_dict() for p in self.parties],
            "agreed_version": self.agreed_version,
            "signed_version": self.signed_version,
            "history": [h.to_dict() for h in self.history],
            "language": self.language,
        }

    def party(self, name: str, field: str = "party") -> Party:
        return find_party(self.parties, name, field)


def _moved(
    record: MouRecord,
    new: MouStatus,
    by: str,
    note: str,
    version: int | None,
    event: HistoryEvent | None = None,
    **changes: Any,
) -> MouRecord:
    entry = StatusChange(record.status, new, by, note, version, event=event)
    return replace(record, status=new, history=record.history + (entry,), **changes)


def check_editable(record: MouRecord) -> None:
    if record.status is MouStatus.ENDED:
        raise ValidationError(
            "status",
            _("this memorandum has ended and can no longer change. Start a new memorandum for a new arrangement."),
        )


def after_edit(record: MouRecord, by: str, version: int) -> MouRecord:
    """Saving a new version makes it a draft again; what was agreed or signed stays as it was."""
    check_editable(record)
    if record.status is MouStatus.DRAFT:
        return record
    return _moved(record, MouStatus.DRAFT, by, "", version, HistoryEvent.EDITED)


def move(
    record: MouRecord, target: MouStatus | str, by: str, latest: int, blocks: list[Position], note: str = ""
) -> MouRecord:
    """Take one step by hand; refuses steps the status machine does not allow and agreement over a block."""
    new: MouStatus = parse_enum(MouStatus, "status", target)  # type: ignore[assignment]
    by = v.text("by", by, max_length=120)
    note = v.text("note", note, max_length=500, required=False)
    allowed = TRANSITIONS[record.status]
    if new is MouStatus.SIGNED and record.status is MouStatus.AGREED:
        raise ValidationError(
            "status",
            _(
                "record each party's signature: the memorandum becomes signed when "
                "every party has signed the agreed version."
            ),
        )
    if new not in allowed:
        nexts = ", ".join(status_label(s) for s in allowed) or pgettext("empty list of statuses", "none")
        raise ValidationError(
            "status",
            _("a memorandum that is '{cur}' cannot become '{new}' (possible next: {nexts}).").format(
                cur=status_label(record.status), new=status_label(new), nexts=nexts
            ),
        )
    if new is MouStatus.PROPOSED and not record.parties:
        raise ValidationError("parties", _("add the parties before proposing the memorandum for decision."))
    if new in (MouStatus.AGREED, MouStatus.RENEWED):
        check_blocks_resolved(blocks, new.value)
    changes: dict[str, Any] = {"agreed_version": latest} if new is MouStatus.AGREED else {}
    return _moved(record, new, by, note, latest, **changes)


@dataclass(frozen=True)
class Signature:
    """One party's sign-off: who signed, in which role, on which day, and exactly which version.

    What is signed is the authoritative text (in ``language``); the translations there were at that moment are
    recorded with it (which one, which version each translated, and whether it was out of date)."""

    party: str
    signatory: str
    role: str
    signed_on: date
    version: int
    recorded: datetime = field(default_factory=v.now)
    language: str = ""
    translations: tuple[TranslationRef, ...] = ()
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Signature:
        data = upgrade("mou_signature", data)
        signed_on = v.iso_date("date", data.get("signed_on"), required=True)
        assert signed_on is not None
        return cls(
            id=data.get("id"),
            party=v.text("party", data.get("party"), max_length=200),
            signatory=v.text("signatory", data.get("signatory"), max_length=120),
            role=v.text("role", data.get("role"), max_length=120),
            signed_on=signed_on,
            version=int(data["version"]),
            recorded=v.iso_datetime("recorded", data["recorded"]) if data.get("recorded") else v.now(),
            language=str(data.get("language") or ""),
            translations=tuple(TranslationRef.from_dict(t) for t in data.get("translations") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou_signature"],
            "language": self.language,
            "translations": [t.to_dict() for t in self.translations],
            "party": self.party,
            "signatory": self.signatory,
            "role": self.role,
            "signed_on": self.signed_on.isoformat(),
            "version": self.version,
            "recorded": self.recorded.isoformat(),
        }


def check_can_sign(
    record: MouRecord,
    signature: Signature,
    latest: int,
    blocks: list[Position],
    signatures: Iterable[Signature],
) -> Party:
    """Refuse a signature for an unknown party, a version other than the latest agreed one, or a block."""
    party = record.party(signature.party)
    agreed = record.agreed_version
    if signature.version != agreed or agreed != latest:
        if agreed is None:
            raise ValidationError(
                "version",
                _("no version has been agreed yet: propose the memorandum and reach agreement before signing."),
            )
        raise ValidationError(
            "version",
            _(
                "only the latest agreed version can be signed. Version {v} is not it "
                "(agreed: version {a}; latest: version {l}, status '{s}')."
            ).format(v=signature.version, a=agreed, l=latest, s=status_label(record.status)),
        )
    if record.status is not MouStatus.AGREED:
        raise ValidationError(
            "status",
            _("the memorandum is '{s}': only an agreed memorandum can be signed.").format(
                s=status_label(record.status)
            ),
        )
    check_blocks_resolved(blocks, "sign")
    if any(s.party.casefold() == party.name.casefold() and s.version == signature.version for s in signatures):
        raise AlreadyExistsError(
            _("{party} has already signed version {v}.").format(party=party.name, v=signature.version)
        )
    return party


def all_signed(parties: Iterable[Party], signatures: Iterable[Signature], version: int) -> bool:
    signed = {s.party.casefold() for s in signatures if s.version == version}
    return all(p.name.casefold() in signed for p in parties)


def after_signature(record: MouRecord, signatures: Iterable[Signature], version: int, by: str) -> MouRecord:
    """The memorandum becomes signed once every party has signed ``version``."""
    if record.status is MouStatus.AGREED and all_signed(record.parties, signatures, version):
        return _moved(record, MouStatus.SIGNED, by, "", version, HistoryEvent.SIGNED, signed_version=version)
    return record
