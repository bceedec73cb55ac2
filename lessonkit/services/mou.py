"""The memorandum of a convening: create it from the template, read it, save versions, manage its parties.

One memorandum per convening. Parties are groups of the convening: the organisation of a registered
participant (or the participant's own name when they came without one); see ``eligible_parties``. Every use
case runs in one transaction, so a refused change leaves everything as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.mou import (
    MAX_SUMMARY_LENGTH,
    Clause,
    MouVersion,
    Party,
    check_clauses,
    check_parties_named,
    eligible_parties,
    find_party,
)
from lessonkit.domain.mou_amendment import Amendment
from lessonkit.domain.mou_decisions import Position
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import (
    HistoryEvent,
    MouRecord,
    MouStatus,
    Signature,
    StatusChange,
    after_edit,
    check_editable,
)
from lessonkit.domain.mou_template import Template, template_from_dict
from lessonkit.domain.mou_translation import ClauseTranslation
from lessonkit.domain.records import Participant
from lessonkit.errors import AlreadyExistsError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.resources import data_path
from lessonkit.store.base import Store, Tx

MOU = "mou"
VERSIONS = "mou_versions"
POSITIONS = "mou_positions"
SIGNATURES = "mou_signatures"
AMENDMENTS = "mou_amendments"
TRANSLATIONS = "mou_translations"


def template_languages() -> list[str]:
    """The languages the memorandum template exists in (``data/mou/template.json`` and ``template.<lang>.json``)."""
    folder = data_path("mou")
    found = {p.name[len("template.") : -len(".json")] for p in folder.glob("template.*.json")}
    try:
        found.add(str(json.loads((folder / "template.json").read_text(encoding="utf-8")).get("language") or "en"))
    except (OSError, json.JSONDecodeError, AttributeError):
        pass
    return sorted(found)


def _template_path(language: str | None) -> Path:
    folder = data_path("mou")
    if not language:
        return folder / "template.json"
    lang = language_tag("language", language)
    for tag in (lang, lang.split("-")[0]):
        path = folder / f"template.{tag}.json"
        if path.exists():
            return path
    if lang.split("-")[0] == _default_template_language(folder):
        return folder / "template.json"
    raise ValidationError(
        "language",
        _("there is no memorandum template in '{lang}'. Templates exist in: {known}.").format(
            lang=lang, known=", ".join(template_languages())
        ),
    )


def _default_template_language(folder: Path) -> str:
    try:
        return str(json.loads((folder / "template.json").read_text(encoding="utf-8")).get("language") or "en")
    except (OSError, json.JSONDecodeError, AttributeError):
        return "en"


def load_template(language: str | None = None) -> Template:
    """The template in ``language`` (``data/mou/template.<language>.json``, or ``template.json`` for its own
    language, English); a language without a template is an error naming those there are."""
    path = _template_path(language)
    try:
        return template_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(str(path), _("cannot read the template: {e}").format(e=exc)) from exc


def load_state(tx: Tx) -> MouState:
    docs = tx.all(MOU)
    if not docs:
        raise NotFoundError(
            _(
                "This convening has no memorandum yet: start one from the template in the memorandum "
                "workbook "
                "or with `lessonkit mou init SLUG`."
            )
        )
    versions = sorted((MouVersion.from_dict(d) for d in tx.all(VERSIONS)), key=lambda ver: ver.number)
    return MouState(
        record=MouRecord.from_dict(docs[0]),
        versions=tuple(versions),
        positions=tuple(Position.from_dict(d) for d in tx.all(POSITIONS)),
        signatures=tuple(Signature.from_dict(d) for d in tx.all(SIGNATURES)),
        amendments=tuple(Amendment.from_dict(d) for d in tx.all(AMENDMENTS)),
        translations=tuple(ClauseTranslation.from_dict(d) for d in tx.all(TRANSLATIONS)),
    )


def get_mou(store: Store) -> MouState:
    with store.read() as tx:
        return load_state(tx)


def has_mou(store: Store) -> bool:
    with store.read() as tx:
        return bool(tx.all(MOU))


def participants_in(tx: Tx) -> list[Participant]:
    return [Participant.from_dict(d) for d in tx.all("participants")]


def write_record(tx: Tx, record: MouRecord) -> None:
    assert record.id is not None
    tx.update(MOU, record.id, record.to_dict())


def _resolve_parties(tx: Tx, names: Iterable[str]) -> tuple[Party, ...]:
    eligible = eligible_parties(participants_in(tx))
    chosen: list[Party] = []
    for name in names:
        party = find_eligible(eligible, name)
        if any(p.name.casefold() == party.name.casefold() for p in chosen):
            raise AlreadyExistsError(_("'{name}' is already a party.").format(name=party.name))
        chosen.append(party)
    return tuple(chosen)


def find_eligible(eligible: list[Party], name: str) -> Party:
    try:
        return find_party(eligible, name)
    except ValidationError:
        known = ", ".join(p.name for p in eligible) or _("nobody registered yet")
        raise ValidationError(
            "party",
            _(
                "'{name}' is not a group of this convening. Parties are the organisations of registered "
                "participants, or a participant's own name (known: {known}). Register someone of that group "
                "first."
            ).format(name=name, known=known),
        ) from None


def create_in(tx: Tx, author: str, title: str | None, parties: Iterable[str], template: Template) -> MouState:
    """Create the memorandum and its version 1 from ``template`` inside an open transaction.

    The template's language is the authoritative one. For each other language of the convening that has a
    template, the same clauses in that language are added as translations of version 1 (parallel texts).
    """
    if tx.all(MOU):
        raise AlreadyExistsError(_("This convening already has a memorandum: open it to continue."))
    author = v.text("your name", author, max_length=120)
    record = MouRecord(
        title=v.text("title", title or template.title, max_length=200),
        parties=_resolve_parties(tx, parties),
        language=template.language,
    )
    record = replace(record, id=tx.insert(MOU, record.to_dict()))
    first = MouVersion(1, template.clauses, author, _("Started from the template"))
    tx.insert(VERSIONS, first.to_dict())
    for other in _parallel_templates(tx, template.language):
        for clause in other.clauses:
            if first.clause(clause.key) is not None:
                made = ClauseTranslation(clause.key, other.language, clause.title, clause.text, 1, author)
                tx.insert(TRANSLATIONS, made.to_dict())
    return load_state(tx)


def _parallel_templates(tx: Tx, authoritative: str) -> list[Template]:
    docs = tx.all("convening")
    languages = docs[0].get("languages") or [] if docs else []
    available = template_languages()
    wanted = [lang for lang in languages if lang != authoritative and lang.split("-")[0] in available]
    return [load_template(lang) for lang in wanted]


def create_mou(
    store: Store,
    author: str,
    title: str | None = None,
    parties: Iterable[str] = (),
    language: str | None = None,
) -> MouState:
    """Start the convening's memorandum from the template in ``language`` (version 1, status draft); the
    template's other languages among the convening's become parallel translations."""
    template = load_template(language)
    with store.transaction() as tx:
        return create_in(tx, author, title, parties, template)


def clauses_from_input(items: Sequence[Clause | dict[str, Any]]) -> tuple[Clause, ...]:
    clauses = tuple(c if isinstance(c, Clause) else Clause.from_dict(c) for c in items)
    check_clauses(clauses)
    return clauses


def save_in(
    tx: Tx,
    state: MouState,
    clauses: tuple[Clause, ...],
    author: str,
    summary: str,
    amendment_id: int | None = None,
) -> MouVersion:
    """Append a new immutable version; editing anything but a draft makes the memorandum a draft again."""
    author = v.text("your name", author, max_length=120)
    summary = v.text("summary", summary, max_length=MAX_SUMMARY_LENGTH)
    check_editable(state.record)
    check_parties_named(clauses, state.record.parties)
    if state.latest.same_content(clauses):
        raise ValidationError(
            "clauses",
            _("nothing changed since version {n}: edit a clause before saving.").format(n=state.latest.number),
        )
    version = MouVersion(state.latest.number + 1, clauses, author, summary, amendment_id=amendment_id)
    version = replace(version, id=tx.insert(VERSIONS, version.to_dict()))
    record = after_edit(state.record, author, version.number)
    if record is not state.record:
        write_record(tx, record)
    return version


def save_version(
    store: Store,
    clauses: Sequence[Clause | dict[str, Any]],
    author: str,
    summary: str,
    based_on: int | None = None,
) -> MouVersion:
    """Save the whole edited memorandum as a new version.

    ``based_on`` is the version the editor started from: if someone saved a newer one since, nothing is saved
    and the error says so (the editor keeps what was typed).
    """
    new = clauses_from_input(clauses)
    with store.transaction() as tx:
        state = load_state(tx)
        if based_on is not None and based_on != state.latest.number:
            raise ValidationError(
                "version",
                _(
                    "version {n} was saved by {who} ({summary}) after you opened version {b}: "
                    "nothing was saved. "
                    "Copy your changes, reload, and apply them to the newest version."
                ).format(n=state.latest.number, who=state.latest.author, summary=state.latest.summary, b=based_on),
            )
        return save_in(tx, state, new, author, summary)


def _log_party(
    tx: Tx, record: MouRecord, parties: tuple[Party, ...], by: str, event: HistoryEvent, name: str
) -> MouRecord:
    who = v.text("your name", by, max_length=120)
    entry = StatusChange(record.status, record.status, who, event=event, values=(("name", name),))
    record = replace(record, parties=parties, history=record.history + (entry,))
    write_record(tx, record)
    return record


def add_party(store: Store, name: str, by: str) -> MouRecord:
    """Add a group of the convening as a party (logged in the memorandum's history)."""
    with store.transaction() as tx:
        state = load_state(tx)
        check_editable(state.record)
        if any(p.name.casefold() == (name or "").strip().casefold() for p in state.record.parties):
            raise AlreadyExistsError(_("'{name}' is already a party.").format(name=name.strip()))
        party = find_eligible(eligible_parties(participants_in(tx)), name)
        return _log_party(
            tx,
            state.record,
            state.record.parties + (party,),
            by,
            HistoryEvent.PARTY_ADDED,
            party.name,
        )


def remove_party(store: Store, name: str, by: str) -> MouRecord:
    """Remove a party that has signed nothing (a party that signed leaves through the exit clause instead)."""
    with store.transaction() as tx:
        state = load_state(tx)
        check_editable(state.record)
        party = state.record.party(name)
        if any(s.party.casefold() == party.name.casefold() for s in state.signatures):
            raise ValidationError(
                "party",
                _("{name} has signed a version: it leaves through the exit clause, not by being removed.").format(
                    name=party.name
                ),
            )
        if state.record.status is not MouStatus.DRAFT and state.record.status is not MouStatus.PROPOSED:
            raise ValidationError("party", _("parties can be removed only from a draft or proposed memorandum."))
        kept = tuple(p for p in state.record.parties if p is not party)
        return _log_party(tx, state.record, kept, by, HistoryEvent.PARTY_REMOVED, party.name)
