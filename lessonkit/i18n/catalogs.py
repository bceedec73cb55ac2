"""Message catalogues with Babel's Python API: extract the template, start, update, compile and check catalogues.

``lessonkit translations extract|init|update|compile|check`` (lessonkit/cli/translations.py) calls these. Layout::

    lessonkit/locale/lessonkit.pot                   the template: every message of the code (``extract``)
    lessonkit/locale/<lang>/LC_MESSAGES/lessonkit.po  one language's translations (``init`` / ``update``)
    lessonkit/locale/<lang>/LC_MESSAGES/lessonkit.mo  what the program reads (``compile``), shipped in the package

A compiled catalogue is compared by content with its ``.po`` (never by modification time: a git checkout gives files
arbitrary mtimes). Coverage counts the messages of a *fresh* extraction that a catalogue translates.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from lessonkit import __version__
from lessonkit.errors import LessonkitError
from lessonkit.i18n import DOMAIN, LOCALE_DIR, _, refresh

PACKAGE_DIR = LOCALE_DIR.parent
PROJECT_DIR = PACKAGE_DIR.parent
MAPPING = LOCALE_DIR / "babel.cfg"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
WIDTH = 76
MIN_COVERAGE = 0.95

_BRACE = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\))?[sdifr]")  # %s, %(name)s: a lone "95% of" is not one


class CatalogueError(LessonkitError):
    """A catalogue cannot be read, started or compiled (the message says which file and what to do)."""


# --- extraction ---------------------------------------------------------------------------------------------


def extract() -> Catalog:
    """Every message of the package's Python code (keywords ``_``, ``N_``, ``ngettext``, ``pgettext`` and
    ``npgettext``; a context is kept as the message's ``msgctxt``), as a template."""
    with MAPPING.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp, str(MAPPING))
    catalog = Catalog(project=DOMAIN, version=__version__, copyright_holder=f"{DOMAIN} contributors")

    def only_package(dirpath: str) -> bool:
        path = Path(dirpath).resolve()
        inside = path == PROJECT_DIR or path == PACKAGE_DIR or PACKAGE_DIR in path.parents
        return inside and path.name != "__pycache__" and not path.name.startswith(".")

    found = extract_from_dir(
        str(PROJECT_DIR), method_map, options_map, keywords=KEYWORDS, directory_filter=only_package
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(catalog: Catalog, path: Path = TEMPLATE) -> Path:
    _write_po(catalog, path)
    return path


# --- one language -------------------------------------------------------------------------------------------


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages that have a ``.po`` in ``locale_dir``."""
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    try:
        with path.open("rb") as fp:
            return read_po(fp, abort_invalid=True)
    except OSError as exc:
        raise CatalogueError(_("Cannot read {path}: {error}").format(path=path, error=exc)) from exc
    except Exception as exc:  # Babel raises PoFileError and plain ValueErrors for broken files
        raise CatalogueError(
            _("{path} is not a valid catalogue ({error}). Fix the line it names, then run the command again.").format(
                path=path, error=exc
            )
        ) from exc


def init(lang: str, template: Catalog, locale_dir: Path = LOCALE_DIR) -> Path:
    """Start ``lang``'s catalogue from the template, with the language's plural rule (CLDR)."""
    path = po_path(lang, locale_dir)
    if path.exists():
        raise CatalogueError(_("{path} already exists: use `lessonkit translations update`.").format(path=path))
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogueError(
            _("'{lang}' is not a language tag Babel knows (examples: sw, uk, tl, pt_BR).").format(lang=lang)
        ) from exc
    catalog = read_template_copy(template)
    catalog.locale = locale
    catalog.fuzzy = False
    _write_po(catalog, path)
    return path


def read_template_copy(template: Catalog) -> Catalog:
    buf = io.BytesIO()
    write_po(buf, template)
    buf.seek(0)
    return read_po(buf)


def update(path: Path, template: Catalog) -> Catalog:
    """Bring a catalogue in line with the template: new messages added, changed ones fuzzy, gone ones obsolete."""
    catalog = read(path)
    catalog.update(template, update_creation_date=True)
    _write_po(catalog, path)
    return catalog


def compile_po(path: Path) -> Path:
    """Write ``<path>.mo`` beside the ``.po`` (fuzzy and untranslated messages left out: English is shown)."""
    catalog = read(path)
    problems = [f"{path}:{m.lineno}: {e}" for m, errors in catalog.check() for e in errors]
    if problems:
        raise CatalogueError(_("Not compiled, fix these first:") + "\n" + "\n".join(problems))
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    mo = path.with_suffix(".mo")
    mo.write_bytes(buf.getvalue())
    refresh()
    return mo


# --- checks -------------------------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    """``{name}``, ``{n:.0f}``, ``%s`` and ``%(name)s`` in ``text`` (``{{``/``}}`` are literal braces)."""
    plain = text.replace("{{", "").replace("}}", "")
    braces = {"{" + m.split(":")[0].split("!")[0] + "}" for m in _BRACE.findall(plain)}
    return braces | set(_PRINTF.findall(text.replace("%%", "")))


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Translations whose placeholders differ from their message's (a missing one or an extra one)."""
    problems = []
    for msg in _translated(catalog):
        if isinstance(msg.id, (tuple, list)):
            expected = placeholders(msg.id[0]) | placeholders(msg.id[1])
            forms = [str(s) for s in (msg.string or ()) if s]
            extra = set().union(*(placeholders(s) for s in forms)) - expected
            missing = placeholders(msg.id[1]) - placeholders(forms[-1]) if forms else set()
        else:
            expected, got = placeholders(str(msg.id)), placeholders(str(msg.string))
            extra, missing = got - expected, expected - got
        if extra or missing:
            problems.append(
                _("line {line}: {msgid!r}: missing {missing}, extra {extra}").format(
                    line=msg.lineno, msgid=_first(msg.id), missing=sorted(missing), extra=sorted(extra)
                )
            )
    return problems


def coverage(catalog: Catalog, template: Catalog) -> tuple[int, int, list[str]]:
    """(translated, total, missing ids): how much of ``template`` the catalogue translates (fuzzy is not)."""
    translated = 0
    missing: list[str] = []
    for msg in _messages(template):
        own = catalog.get(msg.id, context=msg.context)
        if own is None:
            missing.append(_first(msg.id))
        elif _is_translated(own):
            translated += 1
    return translated, len(_messages_list(template)), missing


def mo_matches(po: Path) -> bool:
    """Whether the ``.mo`` beside ``po`` holds exactly what compiling the ``.po`` gives (content, not mtimes)."""
    mo = po.with_suffix(".mo")
    if not mo.is_file():
        return False
    buf = io.BytesIO()
    write_mo(buf, read(po), use_fuzzy=False)
    buf.seek(0)
    with mo.open("rb") as fp:
        return _mo_content(gettext.GNUTranslations(fp)) == _mo_content(gettext.GNUTranslations(buf))


@dataclass
class Report:
    """What ``check`` found for one catalogue."""

    lang: str
    translated: int
    total: int
    not_in_catalogue: list[str] = field(default_factory=list)
    placeholder_problems: list[str] = field(default_factory=list)
    compiled_current: bool = True

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def ok(self) -> bool:
        return (
            not self.not_in_catalogue
            and not self.placeholder_problems
            and self.compiled_current
            and self.ratio >= MIN_COVERAGE
        )


def check(template: Catalog, locale_dir: Path = LOCALE_DIR, langs: Iterable[str] | None = None) -> list[Report]:
    """One report per catalogue of ``locale_dir`` against ``template`` (a fresh extraction)."""
    reports = []
    for lang in langs or languages(locale_dir):
        po = po_path(lang, locale_dir)
        catalog = read(po)
        translated, total, missing = coverage(catalog, template)
        reports.append(Report(lang, translated, total, missing, placeholder_problems(catalog), mo_matches(po)))
    return reports


# --- helpers ------------------------------------------------------------------------------------------------


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH)
    path.write_bytes(buf.getvalue())


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _messages_list(catalog: Catalog) -> list[Message]:
    return list(_messages(catalog))


def _translated(catalog: Catalog) -> Iterator[Message]:
    return (m for m in _messages(catalog) if _is_translated(m))


def _is_translated(msg: Message) -> bool:
    if msg.fuzzy:
        return False
    strings = msg.string if isinstance(msg.string, (tuple, list)) else (msg.string,)
    return all(bool(s) for s in strings)


def _first(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _mo_content(t: gettext.GNUTranslations) -> dict[object, str]:
    content = dict(t._catalog)  # type: ignore[attr-defined]
    content.pop("", None)  # the header: dates and tool names may differ, the messages may not
    return content
