"""The message catalogues: complete against a fresh extraction, compiled files matching their sources, placeholders
kept, the commands a network runs to add its language, and no message hidden where extraction cannot see it."""

from __future__ import annotations

import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from i18n_support import build_catalogue, fresh_template

from lessonkit.i18n import ENV_LOCALE_PATH, LOCALE_DIR, catalogs

SHIPPED = catalogs.languages()


def test_the_six_interface_languages_ship() -> None:
    assert SHIPPED == ["ar", "es", "fr", "pt", "ru"]


@pytest.mark.parametrize("lang", SHIPPED)
def test_shipped_catalogue_covers_a_fresh_extraction(lang: str) -> None:
    """Every message of the code is in the catalogue, and at least 95% of them are translated.

    Fails until the translators' catalogues are merged and `lessonkit translations update` has added the newest
    messages; `lessonkit translations check` shows the same figures."""
    report = catalogs.check(fresh_template(), LOCALE_DIR, [lang])[0]
    assert not report.not_in_catalogue, (
        f"{len(report.not_in_catalogue)} messages missing from {lang}: run `lessonkit translations update`; "
        f"first ones: {report.not_in_catalogue[:5]}"
    )
    assert report.ratio >= catalogs.MIN_COVERAGE, f"{lang} translates {report.translated}/{report.total}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_shipped_compiled_catalogue_matches_its_source(lang: str) -> None:
    assert catalogs.mo_matches(catalogs.po_path(lang)), f"run `lessonkit translations compile {lang}`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_shipped_translations_keep_their_placeholders(lang: str) -> None:
    assert catalogs.placeholder_problems(catalogs.read(catalogs.po_path(lang))) == []


def test_the_template_on_disk_is_current() -> None:
    on_disk = {(m.context, m.id) for m in catalogs.read(catalogs.TEMPLATE) if m.id}
    fresh = {(m.context, m.id) for m in fresh_template() if m.id}
    assert fresh <= on_disk, f"run `lessonkit translations extract`: {sorted(map(str, fresh - on_disk))[:5]}"


# --- messages with a context (pgettext, npgettext) -----------------------------------------------------------


def test_extraction_keeps_each_meaning_of_a_word_apart() -> None:
    """One English word with two meanings is two messages, each with its context for the translator."""
    template = fresh_template()
    meanings = {m.context for m in template if m.id == "Open"}
    assert len(meanings) >= 2 and None not in meanings, meanings
    plural = [m for m in template if m.context and isinstance(m.id, (tuple, list))]
    assert plural, "npgettext messages are extracted with their context and both forms"


def test_a_catalogue_must_translate_each_context(tmp_path: Path) -> None:
    """Translating "Open" once is not enough: each context's "Open" counts (and is missing) on its own."""
    from babel.messages.catalog import Catalog

    template = Catalog()
    template.add("Open", context="button")
    template.add("Open", context="column")
    template.add(("{n} block", "{n} blocks"), context="stance")
    own = Catalog(locale="es")
    own.add("Open", "Abrir", context="button")
    own.add(("{n} block", "{n} blocks"), ("{n} bloqueo", "{n} bloqueos"), context="stance")
    translated, total, missing = catalogs.coverage(own, template)
    assert (translated, total, missing) == (2, 3, ["Open"])


def test_placeholders_are_checked_in_context_messages() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="es")
    catalog.add("{n} open", "{n} abiertas", context="scoring rounds")
    catalog.add("{n} open", "abiertas", context="sessions")
    catalog.add(("{n} block", "{n} blocks"), ("{n} bloqueo", "bloqueos"), context="stance")
    assert len(catalogs.placeholder_problems(catalog)) == 2


def test_compiled_context_messages_are_compared_and_read(tmp_path: Path) -> None:
    po = build_catalogue(tmp_path, "es", translate=lambda m: f"es:{m}")
    catalogue = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    for msg in fresh_template():
        if msg.context and isinstance(msg.id, str):
            assert catalogue.pgettext(msg.context, msg.id) == f"es:{msg.id}"
    text = po.read_text(encoding="utf-8")
    changed = text.replace('msgctxt "session button"\nmsgid "Open"\nmsgstr "es:Open"', 'msgctxt "session button"\n'
                           'msgid "Open"\nmsgstr "Abrir"', 1)
    assert changed != text
    po.write_text(changed, encoding="utf-8")
    assert not catalogs.mo_matches(po)


# --- the checks themselves, on catalogues made here ----------------------------------------------------------


def test_a_complete_catalogue_passes_and_a_thin_one_fails(tmp_path: Path) -> None:
    template = fresh_template()
    build_catalogue(tmp_path, "es", translate=lambda m: m)
    build_catalogue(tmp_path, "fr", translate=lambda m: m, keep=lambda m: hash(m) % 10 != 0)  # ~90% translated
    reports = {r.lang: r for r in catalogs.check(template, tmp_path)}
    assert reports["es"].ok and reports["es"].ratio == 1.0
    assert not reports["fr"].ok and 0.8 < reports["fr"].ratio < catalogs.MIN_COVERAGE


def test_a_catalogue_missing_new_messages_fails(tmp_path: Path) -> None:
    build_catalogue(tmp_path, "es", translate=lambda m: m)
    template = catalogs.read_template_copy(fresh_template())
    template.add("A message added to the code after the catalogue was made")
    report = catalogs.check(template, tmp_path, ["es"])[0]
    assert report.not_in_catalogue == ["A message added to the code after the catalogue was made"]
    assert not report.ok


def test_a_compiled_file_that_does_not_match_its_source_fails(tmp_path: Path) -> None:
    po = build_catalogue(tmp_path, "es", translate=lambda m: m)
    assert catalogs.mo_matches(po)
    os.utime(po.with_suffix(".mo"), (1, 1))  # an old mtime means nothing: content decides
    assert catalogs.mo_matches(po)
    text = po.read_text(encoding="utf-8").replace('msgstr "Submit"', 'msgstr "Enviar"', 1)
    po.write_text(text, encoding="utf-8")
    assert not catalogs.mo_matches(po)
    catalogs.compile_po(po)
    assert catalogs.mo_matches(po)
    po.with_suffix(".mo").unlink()
    assert not catalogs.mo_matches(po)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Saved {n} notes", "Se guardaron {n} notas", True),
        ("Saved {n} notes", "Se guardaron notas", False),
        ("Saved {n} notes", "Se guardaron {n} notas de {who}", False),
        ("Port {p} within {s:.0f} s", "Puerto {p} en {s:.0f} s", True),
        ("{value!r} is not valid", "{value!r} no es válido", True),
        ("%(prog)s, version %(version)s", "%(prog)s, versión %(version)s", True),
        ("%(prog)s, version %(version)s", "%(prog)s, versión", False),
        ("Use {{braces}} for {x}", "Usa {{llaves}} para {x}", True),
        ("Use {{braces}} for {x}", "Usa {llaves} para {x}", False),
        ("95% of {n}", "95 % de {n}", True),
    ],
)
def test_placeholders_must_match(msgid: str, msgstr: str, ok: bool) -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="es")
    catalog.add(msgid, msgstr)
    assert (catalogs.placeholder_problems(catalog) == []) is ok


def test_plural_translations_may_drop_the_count_in_the_singular_only() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ru")
    catalog.add(("{n} note", "{n} notes"), ("одна заметка", "{n} заметки", "{n} заметок"))
    assert catalogs.placeholder_problems(catalog) == []
    catalog.add(("{n} file", "{n} files"), ("{n} файл", "{n} файла", "файлов"))
    assert len(catalogs.placeholder_problems(catalog)) == 1


def test_extraction_sees_every_message() -> None:
    """A literal message inside an f-string (f"{_('x')}") is invisible to extraction: never translated."""
    root = Path(catalogs.PACKAGE_DIR)
    hidden = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "N_", "ngettext", "pgettext", "npgettext")
                    and any(isinstance(arg, ast.Constant) for arg in inner.args)
                ):
                    hidden.append(f"{path.relative_to(root.parent)}:{inner.lineno}")
    assert hidden == [], "move these _() calls out of their f-strings: " + ", ".join(hidden)


def test_translated_variables_hold_marked_constants() -> None:
    """``_(x)`` with a variable is translated only if every value it can hold was marked for extraction: a
    constant whose texts are wrapped in ``N_`` (``_(SECTION_HEADINGS[key])``). An enum's value (``_(s.value)``) is
    never extracted: give the enum a label function instead (``review_status_label``)."""
    root = Path(catalogs.PACKAGE_DIR)
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(root.rglob("*.py"))}
    marked = {
        target.id
        for tree in trees.values()
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
        and any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "N_" for n in ast.walk(node.value))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    message_args = {"_": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}
    unmarked = []
    for path, tree in trees.items():
        for statement in ast.walk(tree):
            if not isinstance(statement, ast.stmt) or isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                continue
            names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
            for call in ast.walk(statement):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                    continue
                count = message_args.get(call.func.id)
                if count and not all(isinstance(a, ast.Constant) for a in call.args[:count]) and not names & marked:
                    unmarked.append(f"{path.relative_to(root.parent)}:{call.lineno}: {ast.unparse(call)}")
    assert unmarked == [], "translate labels, not values:\n" + "\n".join(sorted(set(unmarked)))


def test_messages_are_whole_sentences_with_their_plural_forms() -> None:
    """No "(s)" (a count takes ngettext), no message beginning or ending in a space (a piece glued to another),
    and no braces that are not placeholders (a translator cannot tell them apart)."""
    placeholder = re.compile(r"\{[A-Za-z_]\w*(![rsa])?(:[^{}]*)?\}")
    problems = []
    for msg in fresh_template():
        for text in [msg.id] if isinstance(msg.id, str) else list(msg.id or ()):
            if not text:
                continue
            braces = re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", ""))
            if "(s)" in text:
                problems.append(f"a count with (s): {text!r}")
            if text != text.strip():
                problems.append(f"a piece with a space at its edge: {text!r}")
            if any(not placeholder.fullmatch(b) for b in braces):
                problems.append(f"braces that are not a placeholder: {text!r}")
    assert problems == [], "\n".join(problems)


def test_click_texts_are_all_offered_for_translation() -> None:
    """Click's own words a person sees are in our template (lessonkit/cli/language.py lists them)."""
    import click
    from babel.messages.extract import extract_from_file

    ours = {m.id if isinstance(m.id, str) else m.id[0] for m in fresh_template() if m.id}
    developer_only = {  # mistakes in a program's own declarations, never seen by a person using lessonkit
        "Value must be an iterable.",
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Could not determine name for option with declarations {decls!r}",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Invalid start character for option ({option})",
        "Unknown standard stream '{name}'",
        "Unknown color {colour!r}",
        "Choice({choices})",
        "(dynamic)",
        "unknown error",
        "Press any key to continue...",
    }
    folder = Path(click.__file__).parent
    missing = []
    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui"):
        for _line, msg, _c, _ctx in extract_from_file(
            "python", str(folder / f"{name}.py"), keywords={"_": None, "ngettext": (1, 2)}
        ):
            first = msg if isinstance(msg, str) else msg[0]
            if first not in ours and first not in developer_only and not first.startswith(("DeprecationWarning",
                                                                                           "No options defined")):
                missing.append(first)
    assert missing == [], "add these to CLICK_TEXTS in lessonkit/cli/language.py: " + repr(missing)


# --- what a network runs to add its own language -------------------------------------------------------------


def cli(*args: str) -> tuple[int, str]:
    """The `lessonkit` command in this process (exit code, output)."""
    from click.testing import CliRunner

    from lessonkit.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_a_network_adds_swahili_without_touching_code(tmp_path: Path) -> None:
    code, out = cli("translations", "init", "sw", "--locale-dir", str(tmp_path))
    assert code == 0, out
    po = catalogs.po_path("sw", tmp_path)
    catalog = catalogs.read(po)
    assert catalog.locale_identifier == "sw" and catalog.num_plurals == 2
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Usage:"\nmsgstr ""', 'msgid "Usage:"\nmsgstr "Matumizi:"')
    po.write_text(text, encoding="utf-8")
    assert cli("translations", "compile", "--locale-dir", str(tmp_path))[0] == 0
    env = {**os.environ, ENV_LOCALE_PATH: str(tmp_path)}
    shown = subprocess.run(["lessonkit", "--lang", "sw", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Matumizi: lessonkit")
    code, out = cli("translations", "init", "sw", "--locale-dir", str(tmp_path))
    assert code != 0 and "already exists" in out
    code, out = cli("translations", "init", "not-a-language", "--locale-dir", str(tmp_path))
    assert code != 0 and "Traceback" not in out and "not a language tag" in out


def test_check_reports_coverage_and_exit_code(tmp_path: Path) -> None:
    build_catalogue(tmp_path, "es", translate=lambda m: m)
    build_catalogue(tmp_path, "fr", translate=lambda m: m, keep=lambda m: False)
    code, out = cli("translations", "check", "es", "--locale-dir", str(tmp_path), "--format", "json")
    assert code == 0, out
    code, out = cli("translations", "check", "fr", "--locale-dir", str(tmp_path))
    assert code == 1 and "fr" in out


def test_update_adds_new_messages_and_keeps_translations(tmp_path: Path) -> None:
    from babel.messages.catalog import Catalog

    old = Catalog(locale="es")
    old.add("Submit", "Enviar")
    po = catalogs.po_path("es", tmp_path)
    catalogs._write_po(old, po)
    template = Catalog()
    template.add("Submit")
    template.add("Language")
    updated = catalogs.update(po, template)
    assert updated.get("Submit").string == "Enviar" and updated.get("Language") is not None
    mo = catalogs.compile_po(po)
    with mo.open("rb") as fp:
        assert gettext.GNUTranslations(fp).gettext("Submit") == "Enviar"


def test_compile_refuses_a_broken_catalogue(tmp_path: Path) -> None:
    po = catalogs.po_path("es", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text('msgid "x"\nthis line is not gettext\n', encoding="utf-8")
    with pytest.raises(catalogs.CatalogueError, match="not a valid catalogue"):
        catalogs.compile_po(po)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
