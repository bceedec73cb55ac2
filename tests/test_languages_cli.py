"""Content in several languages from the command line: sessions, notes, the glossary, the memorandum."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import run_cli

from lessonkit.cli import main
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.store import Workspace

SIX = ("en", "es", "fr", "pt", "ar", "ru")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def demo_home(home: Path) -> Path:
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    return home


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> Result:
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result


def as_json(home: Path, *args: str) -> Any:
    return json.loads(ok(home, *args, "--format", "json").stdout)


def one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def make(home: Path, languages: str = "en,es,ar") -> None:
    ok(home, "convening", "create", "multi", "--title", "Multi", "--languages", languages)


def test_session_add_with_titles_and_prompts_per_language(home: Path) -> None:
    make(home)
    added = as_json(
        home, "session", "add", "multi",
        "--title", "Listening", "--title", "es:Escucha",
        "--prompt", "What do you need?", "--prompt", "Why: tell us", "--prompt", "es:¿Qué necesitas?",
    )
    assert added["title"] == "Listening" and added["language"] == "en"
    assert added["prompts"] == ["What do you need?", "Why: tell us"]  # "Why:" is no language: plain text
    assert added["translations"] == {"es": {"title": "Escucha", "prompts": ["¿Qué necesitas?"]}}
    arabic = as_json(home, "session", "add", "multi", "--language", "ar", "--title", "الاستماع", "--prompt", "ماذا؟")
    assert arabic["language"] == "ar" and arabic["languages"] == ["ar"]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--title", "x", "--prompt", "fr:Bonjour"], "'fr' is not one of this convening's languages"),
        (["--title", "es:Solo"], "give the title in en"),
        (["--title", "A", "--title", "B"], "two titles in 'en'"),
        (["--title", "A", "--prompt", "es:uno", "--prompt", "es:dos"], "2 prompts given, but the session has 0"),
        (["--title", "A", "--language", "Spanish"], "language code"),
    ],
)
def test_session_add_mistakes_are_one_line(home: Path, args: list[str], needle: str) -> None:
    make(home)
    one_line_error(cli(home, "session", "add", "multi", *args), needle)
    assert as_json(home, "session", "list", "multi") == []


def test_session_translate_and_list(home: Path) -> None:
    make(home)
    ok(home, "session", "add", "multi", "--title", "Listening", "--prompt", "What?", "--prompt", "Why?")
    arabic = ["--lang", "ar", "--title", "الاستماع", "--prompt", "ماذا؟"]
    done = as_json(home, "session", "translate", "multi", "1", *arabic)
    assert done["languages"] == ["en", "ar"] and done["prompts"] == ["What?", "Why?"]
    table = ok(home, "session", "list", "multi").stdout
    assert "en, ar" in table
    one_line_error(cli(home, "session", "translate", "multi", "1", "--lang", "en", "--title", "x"), "original")


def test_notes_carry_their_language_and_translations(demo_home: Path) -> None:
    rows = as_json(demo_home, "notes", "list", "demo")
    assert [r["language"] for r in rows] == ["en", "en", "en", "es", "ar", "ru"]
    added = as_json(demo_home, "notes", "add", "demo", "--session", "1", "--category", "need", "--text", "Água",
                    "--language", "pt")
    done = as_json(demo_home, "notes", "translate", "demo", str(added["id"]), "--lang", "en", "--text", "Water",
                   "--by", "Ana")
    assert done["text"] == "Água" and done["translations"][0]["text"] == "Water"
    assert done["translations"][0]["by"] == "Ana" and done["translations"][0]["at"]
    table = ok(demo_home, "notes", "list", "demo").stdout
    assert "language" in table.splitlines()[0] and " pt " in table
    csv_text = ok(demo_home, "notes", "list", "demo", "--format", "csv").stdout
    assert "en: Water (by Ana)" in csv_text
    one_line_error(
        cli(demo_home, "notes", "translate", "demo", str(added["id"]), "--lang", "pt", "--text", "x", "--by", "A"),
        "written in 'pt'",
    )


def test_convening_languages(home: Path) -> None:
    make(home, "en")
    assert as_json(home, "convening", "languages", "multi", "en,es,fr,pt,ar,ru")["languages"] == list(SIX)
    assert "العربية (ar)" in ok(home, "convening", "languages", "multi").stdout
    one_line_error(cli(home, "convening", "languages", "multi", "en,English"), "language code")


def test_glossary_add_list_export(demo_home: Path, tmp_path: Path) -> None:
    ok(demo_home, "glossary", "add", "demo", "NGO", "--expansion", "non-governmental organisation",
       "--definition", "A group that is not part of a government.")
    ok(demo_home, "glossary", "add", "demo", "ONG", "--of", "NGO", "--lang", "es",
       "--expansion", "organización no gubernamental", "--definition", "Un grupo que no es parte del gobierno.")
    terms = as_json(demo_home, "glossary", "list", "demo")
    ngo = next(t for t in terms if t["entries"][0]["term"] == "NGO")
    assert [e["language"] for e in ngo["entries"]] == ["en", "es"]
    arabic = ok(demo_home, "glossary", "list", "demo", "--lang", "ar")
    assert "مذكرة التفاهم" in arabic.stdout and "en*" in arabic.stdout  # the NGO falls back, marked
    out = tmp_path / "sheets"
    ok(demo_home, "glossary", "export", "demo", "--format", "md", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(f"glossary-demo-{lang}.md" for lang in SIX)
    assert "**ONG** (organización no gubernamental)" in (out / "glossary-demo-es.md").read_text("utf-8")
    one = tmp_path / "ar.html"
    ok(demo_home, "glossary", "export", "demo", "--lang", "ar", "--format", "html", "--out", str(one))
    page = one.read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "التكافل" in page
    one_line_error(cli(demo_home, "glossary", "add", "demo", "x", "--definition", "y", "--of", "nope"), "no term")


@pytest.mark.parametrize("language", SIX)
def test_mou_init_in_each_language(home: Path, language: str) -> None:
    make(home, "en")
    ok(home, "participant", "add", "multi", "--name", "Ana", "--organization", "Grupo A")
    out = ok(home, "mou", "init", "multi", "--author", "Fac", "--party", "Grupo A", "--language", language).stdout
    assert "18 clauses" in out
    shown = as_json(home, "mou", "show", "multi")
    template = json.loads(
        data_path("mou", "template.json" if language == "en" else f"template.{language}.json").read_text("utf-8")
    )
    assert shown["language"] == language and shown["clauses"][0]["title"] == template["sections"][0]["title"]


def test_mou_init_with_an_unknown_language_lists_those_available(home: Path) -> None:
    make(home, "en")
    one_line_error(
        cli(home, "mou", "init", "multi", "--author", "Fac", "--language", "sw"),
        "no memorandum template in 'sw'", "ar, en, es, fr, pt, ru",
    )
    one_line_error(cli(home, "mou", "show", "multi"), "no memorandum yet")  # nothing was created


def test_mou_translations_show_and_diff_per_language(demo_home: Path) -> None:
    rows = as_json(demo_home, "mou", "translations", "demo", "--lang", "fr")
    states = {r["key"]: r["state"] for r in rows}
    assert states["purpose"] == "stale" and states["scope"] == "current"
    purpose = next(r for r in rows if r["key"] == "purpose")
    assert purpose["based_on"] == 1 and purpose["source_changed_in"] == 3
    assert {r["key"]: r["state"] for r in as_json(demo_home, "mou", "translations", "demo", "--lang", "es")}[
        "purpose"
    ] == "current"  # brought up to date in the demo
    page = ok(demo_home, "mou", "show", "demo", "--lang", "fr").stdout
    assert "Raison d'être et objectifs" in page and "out of date" in page
    diff = cli(demo_home, "mou", "diff", "demo", "2", "3", "--lang", "es")
    assert diff.exit_code == 0 and "{+parte, sobre todo en lugares seguros" in diff.stdout
    stale_diff = cli(demo_home, "mou", "diff", "demo", "2", "3", "--lang", "fr")
    assert "No differences." in stale_diff.stdout and "Raison d'être et objectifs" in stale_diff.stderr
    ok(demo_home, "mou", "translate", "demo", "--lang", "fr", "--clause", "purpose", "--title", "Raison d'être",
       "--text", "Apprendre les unes des autres, surtout sur les lieux sûrs.", "--by", "Léa")
    assert {r["key"]: r["state"] for r in as_json(demo_home, "mou", "translations", "demo", "--lang", "fr")}[
        "purpose"
    ] == "current"
    one_line_error(cli(demo_home, "mou", "authoritative", "demo", "--lang", "ru", "--by", "Fac"), "Translate them")


def test_the_console_script_speaks_several_languages(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    listed = run_cli("glossary", "list", "demo", "--lang", "ru", "--format", "json", home=home)
    assert listed.returncode == 0 and "МоВ" in listed.stdout
