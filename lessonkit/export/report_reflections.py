"""The after-action reflections report: how many reflected, the tactics people tried and how they went (a table and a
chart), the open questions, and each reflection in its author's words.

Only reflections that may go out at the report's level are shown (their sensitivity and their author's consent);
every text is redacted and every author credited as their consent says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.reflections import open_questions
from lessonkit.domain.signals import ResultClass, result_label
from lessonkit.errors import LessonkitError
from lessonkit.export.report_blocks import Block, Bullets, Chart, CoverPart, Heading, Para, Part, table
from lessonkit.export.report_charts import bar_chart
from lessonkit.export.report_data import cover, open_store
from lessonkit.export.report_listening import redaction_note
from lessonkit.i18n import _, format_number, language_name, using_language
from lessonkit.services.disclosure import Disclosure, ReflectionSet, ShownReflection
from lessonkit.services.library import list_modules
from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace


@dataclass
class ReflectionsReport:
    cover: CoverPart
    overview: Part
    chart: Chart | Part
    questions: Part
    reflections: Part


def _went(value: ResultClass | None) -> str:
    return result_label(value) if value else _("not said")


def _tactic_counts(found: ReflectionSet) -> dict[str, Counter[ResultClass | None]]:
    counts: dict[str, Counter[ResultClass | None]] = {}
    for shown in found.shown:
        for t in shown.reflection.tactics:
            counts.setdefault(t.module, Counter())[t.went] += 1
    return counts


def _overview(found: ReflectionSet, titles: dict[str, str]) -> Part:
    rows: list[list[object]] = [
        [_("Reflections shown in this report"), format_number(len(found.shown))],
        [_("Reflections withheld at this privacy level"), format_number(found.withheld)],
        [_("… of which anonymous"), format_number(sum(1 for s in found.shown if s.reflection.anonymous))],
    ]
    blocks: list[Block] = [Heading(1, _("Overview")), table([_("Item"), _("Value")], rows)]
    counts = _tactic_counts(found)
    if counts:
        results: list[ResultClass | None] = [*ResultClass, None]
        headers = [_("Tactic"), *(_went(r) for r in results), _("Total")]
        ordered = sorted(counts, key=lambda m: (-sum(counts[m].values()), titles.get(m, m)))
        body = [[titles.get(m, m), *(counts[m][r] for r in results), sum(counts[m].values())] for m in ordered]
        blocks += [Heading(2, _("Tactics tried, and how they went")), table(headers, body)]
    return Part(blocks)


def _chart(found: ReflectionSet) -> Chart | Part:
    went = Counter(t.went for s in found.shown for t in s.reflection.tactics)
    if not went:
        return Part([])
    results: list[ResultClass | None] = [*ResultClass, None]
    title = _("Tactics tried, by how they went")
    png = bar_chart([_went(r) for r in results], [went[r] for r in results], title, _("tactics tried"))
    return Chart(png, _("Chart: {title}").format(title=title))


def _questions(found: ReflectionSet) -> Part:
    head: list[Block] = [Heading(1, _("Open questions"))]
    questions = [q for s in found.shown for q in open_questions(s.reflection.questions)]
    if not questions:
        return Part(head + [Para(_("No open question may be shown at this privacy level."), emphasis=True)])
    return Part(head + [Bullets(tuple(questions))])


def _one(shown: ShownReflection, titles: dict[str, str]) -> list[Block]:
    r = shown.reflection
    if r.language:
        about = _("Reflection {id} · by {who} · {level} · written in {language}").format(
            id=r.id, who=shown.author, level=level_name(shown.level), language=language_name(r.language)
        )
    else:
        about = _("Reflection {id} · by {who} · {level}").format(
            id=r.id, who=shown.author, level=level_name(shown.level)
        )
    rows = [
        [_("What changed in their practice"), r.changed],
        [_("What remained stubborn"), r.stubborn],
        [_("What new questions emerged"), r.questions],
    ]
    for t in r.tactics:
        measured = ""
        if t.outcome is not None and t.value is not None:
            measured = _("measured {value} {unit} (baseline: {baseline})").format(
                value=f"{t.value:g}", unit=t.unit, baseline="" if t.baseline is None else f"{t.baseline:g}"
            )
        said = "; ".join(x for x in (_went(t.went), measured, t.how) if x)
        rows.append([_("Tactic tried: {title}").format(title=titles.get(t.module, t.module)), said])
    return [Heading(2, about), table([_("Question"), _("Answer")], [row for row in rows if row[1]])]


def _reflections(found: ReflectionSet, titles: dict[str, str]) -> Part:
    blocks: list[Block] = [Heading(1, _("The reflections"))]
    if not found.shown:
        return Part(blocks + [Para(_("No reflection may be shown at this privacy level."), emphasis=True)])
    for shown in found.shown:
        blocks += _one(shown, titles)
    return Part(blocks)


def _titles(home: str | None, library: Store | None) -> dict[str, str]:
    try:
        store = library if library is not None else Workspace(home or None).library()
        return {m.slug: m.title for m in list_modules(store)}
    except (LessonkitError, OSError):  # a report without the library's titles still shows the short names
        return {}


def reflections_report(
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    library: Store | None = None,
    language: str | None = None,
) -> ReflectionsReport:
    """The reflections of a convening at ``level`` (default: public), in ``language`` (default: the current one);
    tactics are named by their titles in the workspace's library (or ``library``)."""
    with using_language(language):
        store = open_store(convening, home, store)
        scope = Disclosure.open(store, level)
        found = scope.reflections()
        titles = _titles(home, library)
        parts = (_overview(found, titles), _chart(found), _questions(found), _reflections(found, titles))
        front = CoverPart(cover(scope, _("After-action reflections"), _("the whole convening"), [redaction_note()]))
        return ReflectionsReport(front, *parts)
