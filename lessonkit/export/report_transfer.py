"""The transferability brief: one module → one target context, from a scoring round of the convening.

Scores per criterion with the spread of the assessors' ratings, the chart, the gaps with the module's own
cautions, and the questions that open the adaptation conversation. Only ratings of assessors whose consent allows
the brief's level count (the others are withheld and counted); the module's own texts (summary, cautions, notes
on the context it came from) are left out when the library marks the module more private than the brief.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.scoring import ScoreResult, score
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.errors import LessonkitError
from lessonkit.export.report_blocks import Block, Bullets, Chart, CoverPart, Heading, Para, Part, message, table
from lessonkit.export.report_data import cover as make_cover
from lessonkit.export.report_data import open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import _, current_language, pgettext, using_language
from lessonkit.services.disclosure import Disclosure
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import get_round, list_rounds, round_ratings
from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace


@dataclass
class TransferReport:
    cover: CoverPart
    summary: Part
    chart: Chart | Part
    criteria: Part
    gaps: Part


def _n(value: float) -> str:
    return f"{value:g}"


def _module_texts_allowed(library: Store | None, slug: str, scope: Disclosure) -> bool:
    if library is None:
        return True
    from lessonkit.services.library import get_module

    try:
        module = get_module(library, slug)
    except LessonkitError:
        return True  # gone from the library: the round's copy is all there is
    return module.sensitivity.rank <= scope.level.rank


def _shown_round(r: ScoringRound, scope: Disclosure, texts_ok: bool) -> ScoringRound:
    """The round's texts redacted, or withheld (and counted) when the module is more private than the brief."""
    from dataclasses import replace

    if not texts_ok:
        scope.withhold(sum(1 for t in (r.module_summary, r.cautions, *r.context.values()) if t))
        return replace(
            r, module_summary="", cautions="", context={}, target_description=scope.text(r.target_description)
        )
    return replace(
        r,
        module_summary=scope.text(r.module_summary),
        cautions=scope.text(r.cautions),
        context={k: scope.text(v) for k, v in r.context.items()},
        target_description=scope.text(r.target_description),
    )


def _summary(r: ScoringRound, result: ScoreResult | None, counted: int, scope: Disclosure) -> Part:
    blocks: list[Block] = [Heading(1, f"{scope.text(r.module_title)} → {scope.text(r.target_name)}")]
    if r.module_summary:
        blocks.append(Para(r.module_summary))
    if r.target_description:
        blocks.append(Para(_("The target context: {d}").format(d=r.target_description)))
    if result is None:
        return Part(blocks + [Para(_("No ratings may be shown at this privacy level."), emphasis=True)])
    none = pgettext("empty list of criteria", "none")
    rows: list[list[object]] = [
        [_("Overall match (0–100)"), _n(result.overall)],
        [_("Range across single assessors"), f"{_n(result.overall_low)}–{_n(result.overall_high)}"],
        [_("Assessors counted"), counted],
        [_("Verdict"), result.verdict],
        [_("Critical criteria that fail"), ", ".join(c.name for c in result.failing) or none],
        [_("Critical criteria assessors disagree on"), ", ".join(c.name for c in result.contested) or none],
        [_("Not scored (not rated on both sides)"), ", ".join(c.name for c in result.missing_criteria) or none],
    ]
    blocks.append(table([_("Item"), _("Value")], rows))
    blocks.append(Para(_("A score opens a conversation about adaptation; it does not decide."), emphasis=True))
    return Part(blocks)


def _criteria(result: ScoreResult) -> Part:
    headers = [
        _("Criterion"),
        _("Critical"),
        _("Weight"),
        pgettext("ratings of the source context", "Source"),
        _("Target (median)"),
        _("Ratings"),
        _("Spread"),
        _("Gap"),
        _("Match"),
    ]
    rows = [
        [
            c.name,
            _("yes") if c.criterion.critical else "",
            _n(c.criterion.weight),
            _n(c.source),
            _n(c.target),
            " ".join(_n(x) for x in sorted(c.ratings)),
            _n(c.spread),
            _n(c.gap),
            f"{round(100 * c.score)}%",
        ]
        for c in result.criteria
    ]
    return Part([Heading(1, _("Scores by criterion")), table(headers, rows)])


def _gaps(result: ScoreResult, r: ScoringRound) -> Part:
    blocks: list[Block] = [Heading(1, _("Gaps, cautions and adaptation"))]
    if result.strongest:
        strong = ", ".join(f"{c.name} ({round(100 * c.score)}%)" for c in result.strongest)
        blocks.append(Para(_("Strongest matches: {list}").format(list=strong)))
    if not result.gaps:
        blocks.append(Para(_("No gaps: the contexts match on every criterion.")))
    for gap in result.gaps:
        title = gap.name + (" — " + _("critical: do not transfer as is") if gap.fails else "")
        items = [gap.what, *gap.cautions, _("For the conversation: {q}").format(q=gap.prompt)]
        blocks += [Heading(2, title), Bullets(tuple(items))]
    notes = [f"{k}: {v}" for k, v in r.context.items() if v]
    if notes:
        blocks += [Heading(2, _("Adaptation notes: where the tactic came from")), Bullets(tuple(notes))]
    return Part(blocks)


def transfer_report(
    convening: str | None = None,
    round: int | str | None = None,  # noqa: A002 - the parameter is called round in the notebook
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    library: Store | None = None,
    language: str | None = None,
) -> TransferReport:
    """The transferability brief in ``language`` (default: the current language); see :func:`_transfer_report`."""
    with using_language(language):
        return _transfer_report(convening, round, level, home, store=store, library=library)


def _transfer_report(
    convening: str | None = None,
    round: int | str | None = None,  # noqa: A002 - the parameter is called round in the notebook
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    library: Store | None = None,
) -> TransferReport:
    """The brief of one scoring round (default: the latest) at ``level`` (default: public); the rubric's words in
    ``language`` (default: the report's language) where it has them."""
    if store is None:
        library = library or Workspace(home or None).library()
    store = open_store(convening, home, store)
    scope = Disclosure.open(store, level)
    title = _("Transferability brief")
    rounds = list_rounds(store)
    if not rounds:
        cover = CoverPart(make_cover(scope, title, _("no scoring round"), [redaction_note()]))
        empty = message(_("This convening has no scoring round yet."))
        return TransferReport(cover, empty, Part([]), Part([]), Part([]))
    chosen = get_round(store, round) if round not in (None, "") else rounds[-1]
    ratings = scope.ratings(round_ratings(store, chosen.id or 0))
    shown = _shown_round(chosen, scope, _module_texts_allowed(library, chosen.module_slug, scope))
    rubric = load_rubric(chosen.rubric).localized(current_language())
    result = (
        score(rubric, shown.source, [x.ratings for x in ratings], cautions=shown.cautions, context=shown.context)
        if ratings
        else None
    )
    summary = _summary(shown, result, len(ratings), scope)
    label = _("round {n}: {module} → {target}").format(
        n=chosen.id,
        module=scope.text(chosen.module_title, count=False),
        target=scope.text(chosen.target_name, count=False),
    )
    cover = CoverPart(make_cover(scope, title, label, [redaction_note()]))
    if result is None:
        return TransferReport(cover, summary, Part([]), Part([]), Part([]))
    from lessonkit.export import plots

    heading = f"{scope.text(chosen.module_title, count=False)} → {scope.text(chosen.target_name, count=False)}"
    chart = Chart(
        plots.png(plots.criterion_chart(result, heading)), _("Chart: source and target, criterion by criterion")
    )
    return TransferReport(cover, summary, chart, _criteria(result), _gaps(result, shown))
