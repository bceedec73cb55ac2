"""Translations kept beside an original: of a session's title and prompts, and of a participant's note.

An original is never replaced. A session's translation is the same session in another language (prompts in the
original's order; a prompt left empty falls back to the original). A note's translation is a person's work (a
facilitator's or an interpreter's): who made it and when are recorded with it. No machine translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

MAX_TITLE = 200
MAX_PROMPT = 500
MAX_TRANSLATION = 8000  # a translation may run longer than its original


@dataclass(frozen=True)
class SessionText:
    """A session's title and prompts in one language other than the original."""

    language: str
    title: str = ""
    prompts: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, language: object, data: Any, n_prompts: int) -> SessionText:
        lang = language_tag("translations", language)
        if not isinstance(data, dict):
            raise ValidationError(f"translations.{lang}", _("give a title and prompts."))
        prompts = data.get("prompts") or []
        if isinstance(prompts, str):
            prompts = prompts.splitlines()
        if not isinstance(prompts, list):
            raise ValidationError(f"translations.{lang}.prompts", _("give the prompts as a list."))
        if len(prompts) > n_prompts:
            raise ValidationError(
                f"translations.{lang}.prompts",
                ngettext(
                    "{n} prompt given, but the session has {m}: translate its prompts in their order.",
                    "{n} prompts given, but the session has {m}: translate its prompts in their order.",
                    len(prompts),
                ).format(n=len(prompts), m=n_prompts),
            )
        return cls(
            language=lang,
            title=v.text(f"translations.{lang}.title", data.get("title"), max_length=MAX_TITLE, required=False),
            prompts=tuple(
                v.text(f"translations.{lang}.prompts", p, max_length=MAX_PROMPT, required=False) for p in prompts
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "prompts": list(self.prompts)}

    @property
    def empty(self) -> bool:
        return not self.title and not any(self.prompts)

    def prompt(self, index: int) -> str:
        return self.prompts[index] if index < len(self.prompts) else ""


def session_texts(data: object, original: str, n_prompts: int) -> tuple[SessionText, ...]:
    """The stored ``translations`` mapping (language → title and prompts), checked; the original is refused."""
    if data in (None, "", {}):
        return ()
    if not isinstance(data, dict):
        raise ValidationError(
            "translations", _("give the translations per language (a language code, then its title and prompts).")
        )
    out: list[SessionText] = []
    for lang, text in data.items():
        item = SessionText.from_dict(lang, text, n_prompts)
        if item.language == original:
            raise ValidationError(
                "translations",
                _("'{lang}' is the session's original language: edit the original instead.").format(lang=lang),
            )
        if not item.empty:
            out.append(item)
    return tuple(sorted(out, key=lambda t: t.language))


def merge_text(current: Iterable[SessionText], new: SessionText) -> tuple[SessionText, ...]:
    """``current`` with ``new`` added; a part left empty in ``new`` keeps what was there before."""
    kept = {t.language: t for t in current}
    old = kept.get(new.language)
    if old is not None:
        length = max(len(old.prompts), len(new.prompts))
        prompts = tuple(new.prompt(i) or old.prompt(i) for i in range(length))
        new = SessionText(new.language, new.title or old.title, prompts)
    kept[new.language] = new
    return tuple(sorted((t for t in kept.values() if not t.empty), key=lambda t: t.language))


@dataclass(frozen=True)
class NoteTranslation:
    """A human translation of a note, shown beside the original (never instead of it)."""

    language: str
    text: str
    by: str
    at: datetime = field(default_factory=v.now)

    @classmethod
    def from_dict(cls, data: Any) -> NoteTranslation:
        if not isinstance(data, dict):
            raise ValidationError("translations", _("each translation needs a language, a text and who made it."))
        return cls(
            language=language_tag("translations.language", data.get("language")),
            text=v.text("translations.text", data.get("text"), max_length=MAX_TRANSLATION),
            by=v.text("translations.by", data.get("by"), max_length=120),
            at=v.iso_datetime("translations.at", data["at"]) if data.get("at") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "text": self.text, "by": self.by, "at": self.at.isoformat()}


def note_translations(data: object) -> tuple[NoteTranslation, ...]:
    if data in (None, ""):
        return ()
    if not isinstance(data, list):
        raise ValidationError("translations", _("give the translations as a list."))
    return tuple(NoteTranslation.from_dict(d) for d in data)
