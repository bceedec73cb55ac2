"""Versions of the memorandum, the word diff between any two, and the document itself (preview and files)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou_diff import diff_as_text
from lessonkit.domain.mou_state import MouState
from lessonkit.export import diff_html, diffs_for, outdated_note
from lessonkit.export import mou_html as to_html
from lessonkit.export import mou_markdown as to_markdown
from lessonkit.i18n import _, format_datetime
from lessonkit.ui.html import table
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, hub_for, no_mou_yet
from lessonkit.ui.mou_translate import language_dropdown, set_language_options


def version_options(state: MouState) -> list[tuple[str, int]]:
    marks = {state.record.agreed_version: _("agreed"), state.record.signed_version: _("signed")}
    return [
        (f"{v.number}: {v.summary[:50]}" + (f" ({marks[v.number]})" if v.number in marks else ""), v.number)
        for v in reversed(state.versions)
    ]


class MouVersions(Panel):
    """Every version (who, when, summary) and the word-level diff between two of them."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.listing = widgets.HTML()
        self.old = widgets.Dropdown(description=_("From version"), style=WIDE)
        self.new = widgets.Dropdown(description=_("To version"), style=WIDE)
        self.mode = widgets.ToggleButtons(
            options=[(_("Changes marked"), "marked"), (_("Plain text"), "text")], value="marked"
        )
        self.everything = widgets.Checkbox(value=False, description=_("Show unchanged clauses too"), indent=False)
        self.language = language_dropdown()
        self.diff = widgets.HTML()
        self._options: list[tuple[str, int]] = []
        for w in (self.old, self.new, self.mode, self.everything, self.language):
            w.observe(lambda _c: self.show_diff(), names="value")
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        rows = [(v.number, format_datetime(v.created, "short"), v.author, v.summary) for v in reversed(state.versions)]
        self.listing.value = table([_("Version"), _("Saved"), _("By"), _("Summary")], rows)
        options = version_options(state)
        if options != self._options:  # a new version (or a new mark): compare the latest with the one before
            self._options = options
            self.new.options, self.old.options = options, options
            self.new.value = state.latest.number
            self.old.value = max(1, state.latest.number - 1)
        set_language_options(self.language, state)
        self.children = [
            self.listing,
            widgets.HBox([self.old, self.new]),
            widgets.HBox([self.mode, self.everything]),
            self.language,
            self.diff,
            self.status,
        ]
        self.show_diff()

    def show_diff(self) -> None:
        state = self.hub.state()
        if state is None or self.old.value is None or self.new.value is None:
            return
        old, new = state.version(self.old.value), state.version(self.new.value)
        lang = self.language.value or None
        diffs = diffs_for(state, old.number, new.number, lang)
        note = outdated_note(state, new.number, lang)
        if self.mode.value == "text":
            text = diff_as_text(old, new, all_clauses=self.everything.value, diffs=diffs)
            text += f"\n{note}\n" if note else ""
            self.diff.value = f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"
        else:
            style = (
                "<style>.lk-diff ins{background:#e6ffec;text-decoration:none}.lk-diff del{background:#ffebe9}</style>"
            )
            self.diff.value = style + diff_html(old, new, all_clauses=self.everything.value, diffs=diffs, note=note)


class MouDocument(Panel):
    """The memorandum as it will be printed, and buttons that save it as Markdown or HTML."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.version = widgets.Dropdown(description=_("Version"), style=WIDE)
        self.language = language_dropdown()
        self.preview = widgets.HTML()
        self.save_md = widgets.Button(description=_("Save as Markdown"), icon="download")
        self.save_html = widgets.Button(description=_("Save as HTML"), icon="download")
        self.version.observe(lambda _c: self.show(), names="value")
        self.language.observe(lambda _c: self.show(), names="value")
        self.save_md.on_click(lambda _b: self.run(lambda: self.save("md")))
        self.save_html.on_click(lambda _b: self.run(lambda: self.save("html")))
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        chosen = self.version.value
        self.version.options = version_options(state)
        self.version.value = chosen if chosen is not None and chosen <= state.latest.number else state.latest.number
        buttons = [self.save_md, self.save_html] if self.hub.home else []
        set_language_options(self.language, state)
        self.children = [self.version, self.language, widgets.HBox(buttons), self.status, self.preview]
        self.show()

    def show(self) -> None:
        state = self.hub.state()
        if state is not None and self.version.value is not None:
            lang = self.language.value or None
            self.preview.value = to_html(state, self.version.value, full_page=False, language=lang)

    def save(self, fmt: str) -> str:
        state = self.hub.state()
        assert state is not None and self.hub.home is not None
        number = self.version.value or state.latest.number
        folder = Path(self.hub.home) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        lang = self.language.value or state.record.language
        suffix = "" if lang == state.record.language else f"-{lang}"
        path = folder / f"{self.hub.slug or 'convening'}-mou-v{number}{suffix}.{fmt}"
        text = to_markdown(state, number, lang) if fmt == "md" else to_html(state, number, language=lang)
        path.write_text(text, encoding="utf-8")
        return _("Saved {path}").format(path=path)


def mou_versions(convening: str | None = None, home: str | None = None, store: Any = None) -> MouVersions:
    """The list of versions and the diff between any two (marked, or as plain text)."""
    return MouVersions(hub_for(convening, home, store))


def mou_document(convening: str | None = None, home: str | None = None, store: Any = None) -> MouDocument:
    """The memorandum as a document: preview any version, save it as Markdown or HTML under exports/."""
    return MouDocument(hub_for(convening, home, store))
