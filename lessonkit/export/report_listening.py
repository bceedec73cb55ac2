"""The listening-session report: the prompts, the board's counts, a chart, and the notes by category.

Only notes that may go out at the report's level are shown (sensitivity and consent); hidden notes stay out;
a duplicate merged into a shown note is counted on it. Every text is redacted and every author credited as their
consent says.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.content_language import interface_language
from lessonkit.domain.board import summarize
from lessonkit.domain.language import Shown
from lessonkit.domain.levels import Category, Moderation, Sensitivity, category_label
from lessonkit.domain.records import Note, Session
from lessonkit.domain.rules import effective_sensitivity
from lessonkit.errors import NotFoundError
from lessonkit.export.report_blocks import Block, Chart, CoverPart, Heading, Para, Part, table
from lessonkit.export.report_charts import bar_chart
from lessonkit.export.report_data import Scope, open_store
from lessonkit.i18n import _
from lessonkit.services.notes import list_notes
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Store

TOP_TAGS = 15


@dataclass
class ListeningReport:
    cover: CoverPart
    board: Part  # the prompts and the board's counts
    chart: Chart | Part
    notes: Part  # the notes by category


def pick_sessions(store: Store, session: int | str | None) -> list[Session]:
    """The session given by id or exact title, or every session when ``session`` is None."""
    sessions = list_sessions(store)
    if session in (None, ""):
        return sessions
    wanted = str(session).strip()
    for s in sessions:
        if str(s.id) == wanted or s.title.casefold() == wanted.casefold():
            return [s]
    known = ", ".join(f"{s.id} ({s.title})" for s in sessions) or _("none yet")
    raise NotFoundError(
        _("There is no session '{s}' in this convening (sessions: {known}).").format(s=session, known=known)
    )


def _prompt_blocks(scope: Scope, sessions: list[Session], language: str) -> list[Block]:
    """Each session's title and prompts in the report's language (the original, marked, where not translated)."""
    blocks: list[Block] = []
    for s in sessions:
        blocks.append(Heading(2, scope.text(s.title_in(language).text)))
        shown = s.prompts_in(language)
        if shown:
            rows = [[_prompt_text(scope, p)] for p in shown]
            blocks.append(table([_("Prompts")], rows))
    return blocks


def _prompt_text(scope: Scope, prompt: Shown) -> str:
    if prompt.fallback:
        return _("{text} (original, {lang})").format(text=scope.text(prompt.text), lang=prompt.language)
    return scope.text(prompt.text)


def _count_blocks(notes: list[Note]) -> list[Block]:
    summary = summarize(notes)
    rows = [[category_label(g.category), g.count, sum(g.merged_counts.values())] for g in summary.groups]
    blocks: list[Block] = [
        Heading(2, _("The board's counts")),
        table([_("Category"), _("Notes"), _("Duplicates merged in")], rows + [[_("Total"), summary.total, ""]]),
    ]
    return blocks


def _tag_blocks(scope: Scope, notes: list[Note]) -> list[Block]:
    summary = summarize(notes)
    if not summary.tags:
        return []
    counts: dict[str, int] = {}
    for tag, n in summary.tags:
        shown = scope.text(tag, count=False)
        counts[shown] = counts.get(shown, 0) + n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
    return [Heading(2, _("Tags")), table([_("Tag"), _("Notes")], [[f"#{t}", n] for t, n in top])]


def _note_blocks(scope: Scope, notes: list[Note], titles: dict[int, str]) -> list[Block]:
    summary = summarize(notes)
    several = len({n.session_id for n in notes}) > 1
    blocks: list[Block] = [Heading(2, _("Notes by category"))]
    if not summary.total:
        return blocks + [Para(_("No notes may be shown at this privacy level."), emphasis=True)]
    for group in summary.groups:
        if not group.notes:
            continue
        blocks.append(Heading(3, f"{category_label(group.category)} ({group.count})"))
        headers = [_("Note"), _("Language"), _("Tags"), _("By"), _("Level")] + ([_("Session")] if several else [])
        rows = []
        for note in sorted(group.notes, key=lambda n: n.id or 0):
            text, *rest = scope.texts(note.text, *note.tags, *(t.text for t in note.translations))
            tags, translated = rest[: len(note.tags)], rest[len(note.tags) :]
            for t, words in zip(note.translations, translated, strict=True):
                text += "\n" + _("Translation into {lang} by {who}: {text}").format(
                    lang=t.language, who=scope.text(t.by, count=False), text=words
                )
            merged = group.merged_counts.get(note.id or 0, 0)
            if merged:
                text += "\n" + _("(+{n} merged)").format(n=merged)
            level = effective_sensitivity(note.sensitivity, scope.author(note.author_id))
            row = [text, note.language, " ".join(f"#{t}" for t in tags), scope.credit(note.author_id), level.value]
            rows.append(row + ([titles.get(note.session_id, "")] if several else []))
        blocks.append(table(headers, rows))
    return blocks


def _chart(notes: list[Note]) -> Chart | Part:
    summary = summarize(notes)
    if not summary.total:
        return Part([])
    labels = [category_label(c) for c in Category]
    values = [g.count for g in summary.groups]
    title = _("Notes by category")
    return Chart(bar_chart(labels, values, title), _("Chart: {title}").format(title=title))


def listening_report(
    convening: str | None = None,
    session: int | str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
    language: str | None = None,
) -> ListeningReport:
    """Build the report of one session (or all sessions) at ``level`` (default: public). Titles and prompts are in
    ``language`` (default: the report's language) where translated; notes are in the words they were written in,
    with the translations people gave."""
    store = open_store(convening, home, store)
    scope = Scope.open(store, level)
    sessions = pick_sessions(store, session)
    ids = {s.id for s in sessions}
    notes = [n for n in list_notes(store, respect_consent=False) if n.session_id in ids]
    hidden = sum(1 for n in notes if n.moderation is Moderation.HIDDEN)
    kept = scope.keep(
        [n for n in notes if n.moderation is not Moderation.HIDDEN], lambda n: n.sensitivity, lambda n: n.author_id
    )
    titles = {s.id: scope.text(s.title, count=False) for s in sessions if s.id is not None}
    lang = language or interface_language()
    board = Part(_prompt_blocks(scope, sessions, lang) + _count_blocks(kept) + _tag_blocks(scope, kept))
    chart = _chart(kept)
    notes_part = Part(_note_blocks(scope, kept, titles))
    extra = [_("Hidden by moderation (not counted above): {n}").format(n=hidden)] if hidden else []
    label = titles.get(sessions[0].id or 0) if session not in (None, "") and sessions else None
    cover = CoverPart(scope.cover(_("Listening report"), label, extra + [redaction_note()]))
    return ListeningReport(cover, board, chart, notes_part)


def redaction_note() -> str:
    return _(
        "Participants' names, join codes, e-mail addresses, phone numbers and the convening's extra terms are "
        "redacted from the text; authors are credited only as their consent allows."
    )
