"""The care and accountability report: the joint risk register and the mutual-aid ledger at one privacy level.

The register ranked by agreed likelihood × impact (ties: the higher impact first), each group's own rating and the
spread, the likelihood × impact matrix, the mitigations and contingency plans; then the ledger: each group's balance,
stock levels with a chart, open needs (pledged, not delivered, past their date) and every line. Only risks and lines
the disclosure layer lets out at the level appear (the numbers are computed from those alone); groups are named as
the groups wrote them, and a group that is a person never by the person's name beyond the convening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lessonkit.domain.ledger import Op, kind_label, op_label, status_label
from lessonkit.domain.ledger_book import Book, balance, open_needs, stock
from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.risk_register import band, band_label, groups_of
from lessonkit.domain.risks import risk_category_label
from lessonkit.export.care_charts import risk_matrix_chart, stock_chart
from lessonkit.export.report_blocks import Block, Bullets, Chart, CoverPart, Heading, Para, Part, table
from lessonkit.export.report_data import cover as make_cover
from lessonkit.export.report_data import open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import _, format_date, format_number, using_language
from lessonkit.services.disclosure import Disclosure, ShownLine, ShownRisk
from lessonkit.services.ledger import list_lines
from lessonkit.services.risks import register
from lessonkit.store.base import Store


@dataclass
class CareReport:
    cover: CoverPart
    risks: Part
    matrix: Chart | Part
    plans: Part
    balance: Part
    stock: Part
    stock_chart: Chart | Part
    needs: Part
    ledger: Part


def _risks(scope: Disclosure, shown: list[ShownRisk]) -> Part:
    head: list[Block] = [Heading(1, _("Joint risk register"))]
    if not shown:
        return Part(head + [Para(_("No risk of the register may be shown at this privacy level."), emphasis=True)])
    groups = groups_of(s.joint for s in shown)
    headers = [_("Risk"), _("Title"), _("Category"), _("Agreed (likelihood × impact)"), _("Score"),
               *(scope.party(g) for g in groups), _("Spread (likelihood / impact)"), _("Raised by"), _("Owner"),
               _("Review")]
    rows = []
    for s in shown:
        j, r = s.joint, s.risk
        ratings = []
        for g in groups:
            mine = j.rating_of(g)
            ratings.append(f"{mine.likelihood} × {mine.impact}" if mine else "–")
        spread = f"{j.likelihood_spread} / {j.impact_spread}" + (" !" if j.contested else "") if j.ratings else "–"
        rows.append([r.id, r.title, risk_category_label(r.category), f"{r.likelihood} × {r.impact}",
                     f"{r.score} ({band_label(band(r.score))})", *ratings, spread, s.raised_by, s.owner,
                     format_date(r.review_date) if r.review_date else ""])
    blocks = head + [
        Para(_("Ranked by the agreed likelihood × impact; equal scores put the higher impact first. Each partner "
               "group's own rating is shown beside the agreed one.")),
        table(headers, rows),
    ]
    if any(s.joint.contested for s in shown):
        blocks.append(Para(_("!: the groups' ratings lie two steps or more apart."), emphasis=True))
    return Part(blocks)


def _matrix(shown: list[ShownRisk]) -> Chart | Part:
    if not shown:
        return Part([])
    title = _("Risks by agreed likelihood and impact (numbers are risk ids)")
    return Chart(risk_matrix_chart([s.risk for s in shown], title), _("Chart: {title}").format(title=title))


def _plans(shown: list[ShownRisk]) -> Part:
    if not shown:
        return Part([])
    blocks: list[Block] = [Heading(1, _("Mitigations and contingency plans"))]
    for s in shown:
        r = s.risk
        blocks.append(Heading(2, f"{r.id}. {r.title}"))
        if r.description:
            blocks.append(Para(r.description))
        items = [_("Mitigation: {m}").format(m=m) for m in r.mitigations]
        c = r.contingency
        if c:
            items.append(_("If it happens: {who} — {how} (through {channel})").format(
                who=s.who_acts or _("who acts is not decided"), how=c.how or _("how is not decided"),
                channel=c.channel or _("no channel agreed")))
        if r.reviews:
            last = r.reviews[-1]
            items.append(_("Last reviewed on {date}: {note}").format(date=format_date(last.on), note=last.note or "–"))
        blocks.append(Bullets(tuple(items)) if items else Para(_("No mitigation or plan yet."), emphasis=True))
    return Part(blocks)


def _balance(scope: Disclosure, book: Book) -> Part:
    head: list[Block] = [Heading(1, _("Mutual-aid ledger")), Heading(2, _("Balance per group and unit"))]
    rows = balance(book)
    if not rows:
        return Part(head + [Para(_("No delivery may be shown at this privacy level."), emphasis=True)])
    return Part(head + [
        Para(_("What each group received and gave on the lines delivered or used (pledges and returned resources "
               "moved nothing), and the net.")),
        table([_("Group"), _("Unit"), _("Received"), _("Given"), _("Net")],
              [[scope.party(r.party), r.unit, format_number(r.received), format_number(r.given),
                format_number(r.net)] for r in rows]),
    ])


def _stock(scope: Disclosure, book: Book) -> tuple[Part, Chart | Part]:
    head: list[Block] = [Heading(2, _("Stock levels"))]
    rows = stock(book)
    if not rows:
        return Part(head + [Para(_("No group holds money or goods from the ledger now."))]), Part([])
    names = [scope.party(r.party) for r in rows]
    part = Part(head + [table([_("Group"), _("Resource"), _("Held now"), _("Unit")],
                              [[n, kind_label(r.kind), format_number(r.held), r.unit]
                               for n, r in zip(names, rows, strict=True)])])
    title = _("Stock levels: what each group holds now (received, not yet used or passed on)")
    return part, Chart(stock_chart(rows, names, title), _("Chart: {title}").format(title=title))


def _needs(scope: Disclosure, book: Book, today: date) -> Part:
    head: list[Block] = [Heading(2, _("Open needs: pledged, not delivered, past their date"))]
    late = open_needs(book, today)
    if not late:
        return Part(head + [Para(_("Nothing pledged is past its date."))])
    return Part(head + [table(
        [_("Line"), _("From"), _("To"), _("Quantity"), _("What for"), _("Due")],
        [[e.id, scope.party(e.giver), scope.party(e.receiver), f"{format_number(e.quantity)} {e.unit}", e.what,
          format_date(e.due) if e.due else ""] for e in late],
    )])


def _lines(shown: list[ShownLine]) -> Part:
    head: list[Block] = [Heading(2, _("Every line, in the order written"))]
    if not shown:
        return Part(head + [Para(_("No line of the ledger may be shown at this privacy level."), emphasis=True)])
    book = Book.of(s.line for s in shown)
    rows = []
    for s in shown:
        e = s.line
        kind = op_label(e.op) if e.op is Op.ENTRY else _("{op} of line {ref}").format(op=op_label(e.op),
                                                                                      ref=e.refers_to)
        evidence = _("(withheld: consent)") if s.evidence_withheld else e.evidence
        counts = _("yes") if book.is_live(e) else _("no")
        rows.append([e.id, format_date(e.on), kind, s.giver, s.receiver, kind_label(e.kind),
                     f"{format_number(e.quantity)} {e.unit}", e.what, status_label(e.status), counts, e.reason,
                     evidence])
    return Part(head + [
        Para(_("Lines are never edited or deleted: a status change or a correction is a new line pointing at the "
               "line it changes. 'Counts' says which lines make up the balance.")),
        table([_("Line"), _("Date"), _("Kind of line"), _("From"), _("To"), _("Resource"), _("Quantity"),
               _("What for"), _("Status"), _("Counts"), _("Reason"), _("Evidence")], rows),
    ])


def care_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    language: str | None = None,
    today: date | None = None,
) -> CareReport:
    """The risk register and the mutual-aid ledger of a convening at ``level`` (default: public), in ``language``."""
    with using_language(language):
        store = open_store(convening, home, store)
        scope = Disclosure.open(store, level)
        risks = scope.risks(register(store))
        lines = scope.ledger(list_lines(store))
        book = Book.of(s.line for s in lines)
        stock_part, chart = _stock(scope, book)
        parts = (
            _risks(scope, risks), _matrix(risks), _plans(risks), _balance(scope, book), stock_part, chart,
            _needs(scope, book, today or date.today()), _lines(lines),
        )
        notes = [redaction_note(), _("Shown at this level: risks {risks}, ledger lines {lines}.").format(
            risks=len(risks), lines=len(lines))]
        if scope.level.rank < Sensitivity.CONVENING.rank:
            notes.append(_("Groups named after a person appear by pseudonym at most (level {level}).").format(
                level=level_name(scope.level)))
        cover = CoverPart(make_cover(scope, _("Care and accountability"), _("the whole convening"), notes))
        return CareReport(cover, *parts)

