"""The listening-session report: the prompts, the board's counts, a chart, and the notes by category.

Only notes that may go out at the report's level are shown (sensitivity and consent); hidden notes stay out;
a duplicate merged into a shown note is counted on it. Every text is redacted and every author credited as their
consent says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.domain.board import summarize
from lessonkit.domain.language import Shown
from lessonkit.domain.levels import Category, Sensitivity, category_label, level_name
from lessonkit.domain.records import Note, Session
from lessonkit.export.report_blocks import Block, Chart, CoverPart, Heading, Para, Part, table
from lessonkit.export.report_charts import bar_chart
from lessonkit.export.report_data import cover, open_store
from lessonkit.export.report_room import room_parts
from lessonkit.i18n import _, current_language, language_name, npgettext, pgettext, using_language
from lessonkit.services.disclosure import Disclosure, NoteSet
from lessonkit.services.sessions import get_session, list_sessions
from lessonkit.store.base import Store

TOP_TAGS = 15


@dataclass
class ListeningReport:
    cover: CoverPart
    board: Part  # the prompts and the board's counts
    chart: Chart | Part
    notes: Part  # the notes by category
    # running the room (issue 15): accepted themes, dot-vote priorities, opinion groups (empty parts when none)
    themes: Part = field(default_factory=lambda: Part([]))
    priorities: Part = field(default_factory=lambda: Part([]))
    priorities_chart: Chart | Part = field(default_factory=lambda: Part([]))
    opinions: Part = field(default_factory=lambda: Part([]))
    opinion_chart: Chart | Part = field(default_factory=lambda: Part([]))


def pick_sessions(store: Store, session: int | str | None) -> list[Session]:
    """The session given by id or exact title, or every session when ``session`` is None."""
    if session in (None, ""):
        return list_sessions(store)
    return [get_session(store, session)]  # type: ignore[arg-type]


def _prompt_blocks(sessions: list[Session], language: str) -> list[Block]:
    """Each session's title and prompts in the report's language (the original, marked, where not translated).
    The sessions come through the disclosure layer, so their words are already redacted."""
    blocks: list[Block] = []
    for s in sessions:
        blocks.append(Heading(2, s.title_in(language).text))
        shown = s.prompts_in(language)
        if shown:
            blocks.append(table([_("Prompts")], [[_prompt_text(p)] for p in shown]))
    return blocks


def _prompt_text(prompt: Shown) -> str:
    if prompt.fallback:
        return _("{text} (original, {lang})").format(text=prompt.text, lang=language_name(prompt.language))
    return prompt.text


def _count_blocks(notes: list[Note]) -> list[Block]:
    summary = summarize(notes)
    rows = [[category_label(g.category), g.count, sum(g.merged_counts.values())] for g in summary.groups]
    blocks: list[Block] = [
        Heading(2, _("The board's counts")),
        table([_("Category"), _("Notes"), _("Duplicates merged in")], rows + [[_("Total"), summary.total, ""]]),
    ]
    return blocks


def _tag_blocks(notes: list[Note]) -> list[Block]:
    summary = summarize(notes)
    if not summary.tags:
        return []
    top = summary.tags[:TOP_TAGS]
    return [Heading(2, _("Tags")), table([_("Tag"), _("Notes")], [[f"#{t}", n] for t, n in top])]


def _note_blocks(found: NoteSet, titles: dict[int, str]) -> list[Block]:
    summary = summarize(found.notes())
    shown = found.by_id()
    several = len({n.session_id for n in found.notes()}) > 1
    blocks: list[Block] = [Heading(2, _("Notes by category"))]
    if not summary.total:
        return blocks + [Para(_("No notes may be shown at this privacy level."), emphasis=True)]
    for group in summary.groups:
        if not group.notes:
            continue
        blocks.append(Heading(3, f"{category_label(group.category)} ({group.count})"))
        note_head, level_head = pgettext("a participant's note", "Note"), pgettext("sensitivity of a note", "Level")
        headers = [note_head, _("Language"), _("Tags"), _("By"), level_head] + ([_("Session")] if several else [])
        rows = []
        for note in sorted(group.notes, key=lambda n: n.id or 0):
            # Participants' words as written, whatever the report's language; human translations given for a note
            # go beside the original, never instead of it (each cell takes its direction from its own text).
            item = shown[note.id or 0]
            text = note.text
            for t in note.translations:
                text += "\n" + _("Translation into {lang} by {who}: {text}").format(
                    lang=language_name(t.language), who=t.by, text=t.text
                )
            if item.merged:
                merged = npgettext("notes merged into this one", "(+{n} merged)", "(+{n} merged)", item.merged)
                text += "\n" + merged.format(n=item.merged)
            written_in = language_name(note.language) if note.language else ""
            row = [text, written_in, " ".join(f"#{t}" for t in note.tags), item.author, level_name(item.level)]
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
    """The listening report in ``language`` (default: the current language); see :func:`_listening_report`."""
    with using_language(language):
        return _listening_report(convening, session, level, home, store=store)


def _listening_report(
    convening: str | None = None,
    session: int | str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
) -> ListeningReport:
    """Build the report of one session (or all sessions) at ``level`` (default: public). Titles and prompts are in
    ``language`` (default: the report's language) where translated; notes are in the words they were written in,
    with the translations people gave."""
    store = open_store(convening, home, store)
    disclosure = Disclosure.open(store, level)
    lang = current_language()
    sessions = [disclosure.session(s, count=True) for s in pick_sessions(store, session)]
    found = disclosure.notes(s.id for s in sessions if s.id is not None)
    notes = found.notes()
    titles = {s.id: s.title_in(lang).text for s in sessions if s.id is not None}
    board = Part(_prompt_blocks(sessions, lang) + _count_blocks(notes) + _tag_blocks(notes))
    chart = _chart(notes)
    notes_part = Part(_note_blocks(found, titles))
    room = room_parts(disclosure, sessions, found, lang)  # before the cover, which counts what was withheld
    extra = [_("Hidden by moderation (not counted above): {n}").format(n=found.hidden)] if found.hidden else []
    label = titles.get(sessions[0].id or 0) if session not in (None, "") and sessions else None
    front = CoverPart(cover(disclosure, _("Listening report"), label, extra + [redaction_note()]))
    return ListeningReport(
        front,
        board,
        chart,
        notes_part,
        room.themes,
        room.priorities,
        room.priorities_chart,
        room.opinions,
        room.opinion_chart,
    )


def redaction_note() -> str:
    return _(
        "Participants' names (in every form), their organisations, join codes, e-mail addresses, handles, phone "
        "numbers and the convening's extra terms are redacted from the text; authors are credited only as their "
        "consent allows, by pseudonym outside the convening."
    )
