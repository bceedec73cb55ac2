"""The convening summary: what happened, in numbers and short lists, at one privacy level.

Overview (dates; the place only at ``convening`` level or more private), sessions with the notes each may show,
the most used tags, a chart of notes by category, the memorandum's status, and the transferability rounds.
Counts of notes and ratings follow the same consent and sensitivity rules as every other export.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lessonkit.domain.board import summarize
from lessonkit.domain.levels import Category, Sensitivity, category_label
from lessonkit.domain.mou_status import status_label
from lessonkit.domain.records import Note
from lessonkit.export.report_blocks import Block, Chart, CoverPart, Heading, Para, Part, table
from lessonkit.export.report_charts import bar_chart
from lessonkit.export.report_data import cover as make_cover
from lessonkit.export.report_data import open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import (
    _,
    current_language,
    format_date,
    format_list,
    format_number,
    language_name,
    pgettext,
    using_language,
)
from lessonkit.services.disclosure import Disclosure
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import list_rounds, round_ratings
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Store

TOP_TAGS = 10


@dataclass
class SummaryReport:
    cover: CoverPart
    overview: Part
    sessions: Part
    chart: Chart | Part
    memorandum: Part
    transfer: Part


def _overview(scope: Disclosure, notes: list[Note], withheld: int) -> Part:
    c = scope.convening
    rows: list[list[object]] = [
        [_("Title"), scope.text(c.title, count=False)],
        [_("Dates"), " – ".join(format_date(d, "long") for d in (c.start, c.end) if d) or _("not recorded")],
        [_("Working languages"), format_list([language_name(lang) for lang in c.languages])],
    ]
    if scope.level.rank >= Sensitivity.CONVENING.rank and c.place:
        rows.append([_("Place"), scope.text(c.place)])
    people = list(scope.people.values())
    rows += [
        [_("Participants registered"), format_number(len(people))],
        [_("… of whom agreed to be recorded"), format_number(sum(1 for p in people if p.consent.record))],
        [_("Notes shown in this summary"), format_number(len(notes))],
        [_("Notes withheld at this privacy level"), format_number(withheld)],
    ]
    return Part([Heading(1, _("Overview")), table([_("Item"), _("Value")], rows)])


def _sessions(scope: Disclosure, notes: list[Note]) -> Part:
    by_session: dict[int, Counter[Category]] = {}
    for n in notes:
        by_session.setdefault(n.session_id, Counter())[n.category] += 1
    is_open = pgettext("summary column: is the session open (yes/no)", "Open")
    headers = [_("Session"), is_open] + [category_label(c) for c in Category] + [_("Total")]
    rows = []
    for s in list_sessions(scope.store):
        counts = by_session.get(s.id or 0, Counter())
        rows.append(
            [scope.session(s, count=True).title, _("yes") if s.is_open else _("no")]
            + [counts[c] for c in Category]
            + [sum(counts.values())]
        )
    blocks: list[Block] = [Heading(1, _("Sessions")), table(headers, rows)]
    tags = summarize(notes).tags[:TOP_TAGS]
    if tags:
        shown = ", ".join(f"#{t} ({n})" for t, n in tags)
        blocks += [Heading(2, _("Most used tags")), Para(shown)]
    return Part(blocks)


def _chart(notes: list[Note]) -> Chart | Part:
    if not notes:
        return Part([])
    counts = Counter(n.category for n in notes)
    title = _("Notes by category, all sessions")
    png = bar_chart([category_label(c) for c in Category], [counts[c] for c in Category], title)
    return Chart(png, _("Chart: {title}").format(title=title))


def _memorandum(scope: Disclosure) -> Part:
    head: list[Block] = [Heading(1, _("Memorandum of understanding"))]
    if not has_mou(scope.store):
        return Part(head + [Para(_("This convening has no memorandum."))])
    state = get_mou(scope.store)
    r = state.record
    rows: list[list[object]] = [
        [_("Title"), scope.text(r.title)],
        [_("Status"), status_label(r.status)],
        [_("Latest version"), state.latest.number],
        [_("Signed version in force"), r.signed_version or pgettext("no version", "none")],
        [_("Parties"), len(r.parties)],
        [_("Open blocks / concerns"), f"{len(state.blocks())} / {len(state.concerns())}"],
    ]
    return Part(head + [table([_("Item"), _("Value")], rows)])


def _transfer(scope: Disclosure) -> Part:
    from lessonkit.domain.scoring import score

    head: list[Block] = [Heading(1, _("Transferability rounds"))]
    rounds = list_rounds(scope.store)
    if not rounds:
        return Part(head + [Para(_("No scoring round was held."))])
    rows = []
    for r in rounds:
        ratings = scope.ratings(round_ratings(scope.store, r.id or 0))
        label = f"{scope.text(r.module_title)} → {scope.text(r.target_name)}"
        if not ratings:
            rows.append([r.id, label, 0, "", _("no ratings may be shown at this level")])
            continue
        result = score(load_rubric(r.rubric).localized(current_language()), r.source, [x.ratings for x in ratings])
        rows.append([r.id, label, len(ratings), f"{result.overall:g}", result.verdict])
    return Part(head + [table([_("Round"), _("Module → target"), _("Assessors"), _("Overall"), _("Verdict")], rows)])


def summary_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    language: str | None = None,
) -> SummaryReport:
    """The convening summary in ``language`` (default: the current language); see :func:`_summary_report`."""
    with using_language(language):
        return _summary_report(convening, level, home, store=store)


def _summary_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
) -> SummaryReport:
    """The summary of a whole convening at ``level`` (default: public)."""
    store = open_store(convening, home, store)
    scope = Disclosure.open(store, level)
    found = scope.notes()
    notes = [s.note for s in found.shown]
    overview = _overview(scope, notes, found.withheld)
    parts = (_sessions(scope, notes), _chart(notes), _memorandum(scope), _transfer(scope))
    cover = CoverPart(make_cover(scope, _("Convening summary"), _("the whole convening"), [redaction_note()]))
    return SummaryReport(cover, overview, *parts)
