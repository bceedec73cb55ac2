"""The memorandum report: status at a glance, then the document (current version, clauses, signatures, open
concerns, change log) as :mod:`lessonkit.export.mou_text` lays it out.

The reasons parties give for their positions are people's words without a sensitivity of their own: they go out
only at ``convening`` level or more private (:data:`~lessonkit.domain.privacy.UNLABELLED_WORDS`), and only if the
party's sole member (when the party is one person) consents to that level; otherwise the reason is marked as
withheld. Every text in the document is redacted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lessonkit.content_language import interface_language
from lessonkit.domain import privacy
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_decisions import Position
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import status_label
from lessonkit.export.mou_text import document
from lessonkit.export.report_blocks import Block, Bullets, CoverPart, Heading, Para, Part, Table, message, table
from lessonkit.export.report_data import Scope, open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import _
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.store.base import Store


@dataclass
class MouReport:
    cover: CoverPart
    status: Part
    document: Part


def reason_allowed(state: MouState, position: Position, scope: Scope) -> bool:
    """Whether a position's reason may go out at the scope's level (words of the party's sole member, if any)."""
    if privacy.UNLABELLED_WORDS.rank > scope.level.rank:
        return False
    for party in state.record.parties:
        if party.name.casefold() == position.party.casefold() and len(party.participant_ids) == 1:
            return privacy.consent_allows(scope.author(party.participant_ids[0]), scope.level)
    return True


def withheld_reason() -> str:
    return _("(reason withheld at this privacy level)")


def with_reasons_at(state: MouState, scope: Scope) -> MouState:
    """The state with every position reason that may not go out at the scope's level replaced by a marker."""
    shown = {id(p) for p in state.blocks() + state.concerns()}
    positions = []
    for p in state.positions:
        if p.reason and not reason_allowed(state, p, scope):
            if id(p) in shown:
                scope.withhold()
            p = replace(p, reason=withheld_reason())
        positions.append(p)
    return replace(state, positions=tuple(positions))


def redact_block(block: Block, scope: Scope) -> Block:
    if isinstance(block, Heading):
        return Heading(block.level, scope.text(block.text))
    if isinstance(block, Para):
        return Para(scope.text(block.text), block.emphasis)
    if isinstance(block, Bullets):
        return Bullets(tuple(scope.text(i) for i in block.items))
    return Table(block.headers, tuple(tuple(scope.texts(*row)) for row in block.rows))


def _status_part(state: MouState, scope: Scope) -> Part:
    record = state.record
    rows: list[list[object]] = [
        [_("Title"), scope.text(record.title)],
        [_("Status"), status_label(record.status)],
        [_("Latest version"), state.latest.number],
        [_("Agreed version"), record.agreed_version or _("none yet")],
        [_("Signed version in force"), record.signed_version or _("none")],
        [_("Parties"), scope.text(", ".join(p.name for p in record.parties)) or _("none yet")],
        [_("Open blocks"), len(state.blocks())],
        [_("Open concerns"), len(state.concerns())],
        [_("Proposals waiting for a decision"), len(state.pending())],
    ]
    return Part([Heading(1, _("The memorandum at a glance")), table([_("Item"), _("Value")], rows)])


def mou_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    version: int | None = None,
    language: str | None = None,
) -> MouReport:
    """The memorandum (its latest version, or ``version``) at ``level`` (default: public), read in ``language``
    (default: the report's language; clauses without a translation in it are shown in the authoritative text,
    marked)."""
    store = open_store(convening, home, store)
    scope = Scope.open(store, level)
    title = _("Memorandum of understanding")
    if not has_mou(store):
        cover = CoverPart(scope.cover(title, _("the whole convening"), [redaction_note()]))
        empty = message(_("This convening has no memorandum yet."))
        return MouReport(cover, empty, Part([]))
    state = with_reasons_at(get_mou(store), scope)
    blocks = [redact_block(b, scope) for b in document(state, version, language or interface_language())]
    if blocks and isinstance(blocks[0], Heading):
        blocks = blocks[1:]  # the title is on the cover and in the status table
    status = _status_part(state, scope)
    body = Part([Heading(1, _("The document"))] + [_shift(b) for b in blocks])
    notes = [redaction_note()]
    if privacy.UNLABELLED_WORDS.rank > scope.level.rank:
        notes.append(_("Reasons given for positions are shared at 'convening' level or more private only."))
    cover = CoverPart(scope.cover(title, _("the whole convening"), notes))
    return MouReport(cover, status, body)


def _shift(block: Block) -> Block:
    """Headings one level down, under the part's own heading."""
    return Heading(min(block.level + 1, 5), block.text) if isinstance(block, Heading) else block
