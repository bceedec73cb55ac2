"""The memorandum report: status at a glance, then the document (current version, clauses, signatures, open
concerns, change log) as :mod:`lessonkit.export.mou_text` lays it out.

The reasons parties give for their positions are people's words without a sensitivity of their own: they go out
only at ``convening`` level or more private (:data:`~lessonkit.domain.privacy.UNLABELLED_WORDS`), and only if the
party's sole member (when the party is one person) consents to that level; otherwise the reason is marked as
withheld. Every text in the document is redacted.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import status_label
from lessonkit.export.mou_text import document
from lessonkit.export.report_blocks import Block, Bullets, CoverPart, Heading, Para, Part, Table, message, table
from lessonkit.export.report_data import cover as make_cover
from lessonkit.export.report_data import open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import _, current_language, pgettext, using_language
from lessonkit.services.disclosure import Disclosure
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.store.base import Store


@dataclass
class MouReport:
    cover: CoverPart
    status: Part
    document: Part


def withheld_reason() -> str:
    return _("(reason withheld at this privacy level)")


def redact_block(block: Block, scope: Disclosure) -> Block:
    if isinstance(block, Heading):
        return Heading(block.level, scope.text(block.text))
    if isinstance(block, Para):
        return Para(scope.text(block.text), block.emphasis)
    if isinstance(block, Bullets):
        return Bullets(tuple(scope.text(i) for i in block.items))
    return Table(block.headers, tuple(tuple(scope.texts(*row)) for row in block.rows))


def _status_part(state: MouState, scope: Disclosure) -> Part:
    record = state.record
    rows: list[list[object]] = [
        [_("Title"), scope.text(record.title)],
        [_("Status"), status_label(record.status)],
        [_("Latest version"), state.latest.number],
        [_("Agreed version"), record.agreed_version or pgettext("no version", "none yet")],
        [_("Signed version in force"), record.signed_version or pgettext("no version", "none")],
        [
            _("Parties"),
            scope.text(", ".join(p.name for p in record.parties)) or pgettext("empty list of parties", "none yet"),
        ],
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
    """The memorandum report in ``language`` (default: the current language); see :func:`_mou_report`."""
    with using_language(language):
        return _mou_report(convening, level, home, store=store, version=version)


def _mou_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    version: int | None = None,
) -> MouReport:
    """The memorandum (its latest version, or ``version``) at ``level`` (default: public), read in the report's
    language (clauses without a translation in it are shown in the authoritative text, marked)."""
    store = open_store(convening, home, store)
    scope = Disclosure.open(store, level)
    title = _("Memorandum of understanding")
    if not has_mou(store):
        cover = CoverPart(make_cover(scope, title, _("the whole convening"), [redaction_note()]))
        empty = message(_("This convening has no memorandum yet."))
        return MouReport(cover, empty, Part([]))
    state = scope.positions(get_mou(store), withheld_reason())
    blocks = [redact_block(b, scope) for b in document(state, version, current_language())]
    if blocks and isinstance(blocks[0], Heading):
        blocks = blocks[1:]  # the title is on the cover and in the status table
    status = _status_part(state, scope)
    body = Part([Heading(1, _("The document"))] + [_shift(b) for b in blocks])
    notes = [redaction_note()]
    if Sensitivity.CONVENING.rank > scope.level.rank:
        notes.append(_("Reasons given for positions are shared at 'convening' level or more private only."))
    cover = CoverPart(make_cover(scope, title, _("the whole convening"), notes))
    return MouReport(cover, status, body)


def _shift(block: Block) -> Block:
    """Headings one level down, under the part's own heading."""
    return Heading(min(block.level + 1, 5), block.text) if isinstance(block, Heading) else block
