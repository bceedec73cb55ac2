"""Parallel texts of the memorandum: each clause beside its translation, which ones are out of date, and the
choice of the authoritative language.

The authoritative text is the one the parties sign; translations sit beside it, each saying which version it
translates. A translation is out of date when the authoritative clause changed after that version.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_translation import TranslationState, state_label
from lessonkit.i18n import _, language_name
from lessonkit.services.convenings import get_convening
from lessonkit.services.mou_translations import make_authoritative, translate_clause
from lessonkit.ui.html import esc, message, table
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, author_field, hub_for, no_mou_yet, wide

_STATE_COLOURS = {
    TranslationState.CURRENT: "#1b5e20",
    TranslationState.STALE: "#b71c1c",
    TranslationState.MISSING: "#455a64",
}


def language_dropdown() -> widgets.Dropdown:
    """A language chooser for reading the memorandum; "" is the authoritative language."""
    return widgets.Dropdown(options=[], description=_("Read in"), style=WIDE)


def set_language_options(dropdown: widgets.Dropdown, state: MouState, languages: tuple[str, ...] = ()) -> None:
    """The authoritative language first, then every language with a translation (and ``languages``)."""
    auth = state.record.language
    others = [lang for lang in (*state.translation_languages(), *languages) if lang != auth]
    options = [(_("{name} (authoritative)").format(name=language_name(auth)), "")]
    options += [(language_name(lang), lang) for lang in dict.fromkeys(others)]
    keep = dropdown.value
    if options != list(dropdown.options):
        dropdown.options = options
    dropdown.value = keep if keep in [v for _l, v in options] else ""


def state_badge(state: TranslationState) -> str:
    colour = _STATE_COLOURS[state]
    return (
        f'<span class="lk-tr-{esc(state.value)}" style="display:inline-block;padding:0 .4em;border-radius:.3em;'
        f'color:#fff;font-size:.8em;background:{colour}">{esc(state_label(state))}</span>'
    )


class MouTranslations(Panel):
    """Choose a language and a clause: the authoritative text on one side, its translation to write on the other."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.language = widgets.Dropdown(description=_("Language"), style=WIDE)
        self.clause = widgets.Dropdown(description=_("Clause"), style=WIDE, layout=wide())
        self.overview = widgets.HTML()
        self.source = widgets.HTML()
        self.title = widgets.Text(description=_("Title"), style=WIDE, layout=wide())
        self.text = widgets.Textarea(description=_("Translation"), style=WIDE, layout=wide(height="9em"))
        self.author = author_field()
        self.save = widgets.Button(description=_("Save translation"), button_style="primary")
        self.promote = widgets.Button(
            description=_("Make this language authoritative"), layout=widgets.Layout(width="auto")
        )
        self.language.observe(lambda _c: self.show(), names="value")
        self.clause.observe(lambda _c: self.show_clause(), names="value")
        self.save.on_click(lambda _b: self._save())
        self.promote.on_click(lambda _b: self._promote())
        self.refresh()

    def _languages(self, state: MouState) -> list[str]:
        try:
            listed = list(get_convening(self.hub.store).languages)
        except Exception:  # a convening record that cannot be read: offer the translations there are
            listed = []
        return [lang for lang in dict.fromkeys(listed + state.translation_languages()) if lang != state.record.language]

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        languages = self._languages(state)
        if not languages:
            self.children = [
                widgets.HTML(
                    message(
                        _(
                            "The convening lists no other language than the authoritative one ({lang}). Add "
                            "languages to the convening to hold parallel texts."
                        ).format(lang=state.record.language),
                        "info",
                    )
                )
            ]
            return
        keep = self.language.value
        self.language.options = [(language_name(lang), lang) for lang in languages]
        self.language.value = keep if keep in languages else languages[0]
        keys = [(f"{i}. {c.title}", c.key) for i, c in enumerate(state.latest.clauses, start=1)]
        chosen = self.clause.value
        self.clause.options = keys
        self.clause.value = chosen if chosen in [k for _t, k in keys] else keys[0][1]
        self.author.value = self.author.value or self.hub.author
        self.children = [
            widgets.HTML(
                "<p>"
                + esc(
                    _(
                        "The authoritative text ({lang}) is the one the parties sign. Translations sit beside it; "
                        "one is out of date when its clause changed after the version it translates."
                    ).format(lang=language_name(state.record.language))
                )
                + "</p>"
            ),
            self.language,
            self.overview,
            self.clause,
            self.source,
            self.title,
            self.text,
            self.author,
            widgets.HBox([self.save, self.promote]),
            self.status,
        ]
        self.show()

    def show(self) -> None:
        state = self.hub.state()
        if state is None or not self.language.value:
            return
        texts = state.parallel(self.language.value)
        rows = [(p.clause.title, p.title if p.translation else "", state_label(p.state)) for p in texts]
        counts = {s: sum(1 for p in texts if p.state is s) for s in TranslationState}
        summary = _("{current} up to date, {stale} out of date, {missing} missing").format(
            current=counts[TranslationState.CURRENT],
            stale=counts[TranslationState.STALE],
            missing=counts[TranslationState.MISSING],
        )
        self.overview.value = (
            f"<details><summary>{esc(summary)}</summary>"
            + table([_("Clause"), _("Translation"), _("State")], rows)
            + "</details>"
        )
        self.show_clause()

    def show_clause(self) -> None:
        state = self.hub.state()
        if state is None or not self.language.value or not self.clause.value:
            return
        found = next((p for p in state.parallel(self.language.value) if p.clause.key == self.clause.value), None)
        if found is None:
            return
        note = ""
        if found.state is TranslationState.STALE:
            note = _("The authoritative text changed in version {n}: check the translation against it.").format(
                n=found.changed_in
            )
        self.source.value = (
            f'<div lang="{esc(state.record.language)}" dir="auto" style="max-width:60em;padding:.4em .6em;'
            f'background:#f5f5f5;border-left:4px solid #90a4ae"><b>{esc(found.clause.title)}</b>'
            f'<p style="white-space:pre-wrap">{esc(found.clause.text)}</p></div>'
            f"<p>{state_badge(found.state)} {esc(note)}</p>"
        )
        self.title.value = found.translation.title if found.translation else ""
        self.text.value = found.translation.text if found.translation else ""

    def _save(self) -> None:
        def action() -> str:
            made = translate_clause(
                self.hub.store,
                self.clause.value or "",
                self.language.value or "",
                self.title.value,
                self.text.value,
                self.who(self.author),
            )
            return _("Saved the {lang} translation of '{title}' (of version {n}).").format(
                lang=language_name(made.language), title=made.title, n=made.based_on
            )

        self.run(action)

    def _promote(self) -> None:
        def action() -> str:
            number = make_authoritative(self.hub.store, self.language.value or "", self.who(self.author))
            return _("Version {n} holds the text in {lang}, now authoritative: agree and sign it again.").format(
                n=number, lang=language_name(self.language.value or "")
            )

        self.run(action)


def mou_translations(convening: str | None = None, home: str | None = None, store: Any = None) -> MouTranslations:
    """The memorandum's parallel texts: translate each clause, see what is out of date."""
    return MouTranslations(hub_for(convening, home, store))
