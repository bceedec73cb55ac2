"""Bad input gets one clear line: bytes that are not UTF-8, control characters, slugs with a line break, bad CSV."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.domain import validation as v
from lessonkit.domain.records import Note, Participant, Session
from lessonkit.errors import ValidationError
from lessonkit.resources import data_path
from lessonkit.services import import_notes_csv, list_notes, load_demo
from lessonkit.store import Workspace, journal
from lessonkit.store.workspace import BaseWorkspace

#: The notes of the demo convening (what an import or command that fails must leave as it was).
DEMO_NOTES = len(json.loads(data_path("demo", "convening.json").read_text(encoding="utf-8"))["notes"])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    load_demo(Workspace(tmp_path / "ws"), data_path("demo", "convening.json"))
    return tmp_path / "ws"


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def one_line_error(result: Result, *needles: str) -> str:
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


# --- arguments that are not UTF-8 ---------------------------------------------------------------------------

LATIN1 = "caf\udce9"  # b"caf\xe9" from a Latin-1 terminal, as Python hands it over (PEP 383)
COMMANDS = {
    "notes add": ("notes", "add", "demo", "--session", "1", "--category", "need", "--text", LATIN1),
    "participant add": ("participant", "add", "demo", "--name", LATIN1),
    "session add": ("session", "add", "demo", "--title", LATIN1),
    "redact-terms": ("convening", "redact-terms", "demo", "--add", LATIN1),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_argument_that_is_not_utf8_is_one_line(home: Path, command: str) -> None:
    """On main: a UnicodeEncodeError traceback."""
    one_line_error(cli(home, *COMMANDS[command]), "caf\\xe9", "UTF-8")
    assert len(list_notes(Workspace(home).store("demo"))) == DEMO_NOTES  # nothing written


def test_a_latin1_terminal_end_to_end(home: Path, tmp_path: Path) -> None:
    """The real command with raw Latin-1 bytes in argv; a file name in Latin-1 is still a file name."""
    env = {**os.environ, "LESSONKIT_HOME": str(home), "LC_ALL": "C.UTF-8"}
    card = b"lessonkit notes add demo --session 1 --category need --text caf\xe9".split()
    done = subprocess.run(card, capture_output=True, env=env, timeout=120)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.decode().count("\n") == 1 and b"not valid UTF-8" in done.stderr
    cards = Path(os.fsdecode(bytes(tmp_path) + b"/cartes-\xe9t\xe9.csv"))
    cards.write_text("session,category,text\n1,need,a card\n", encoding="utf-8")
    imported = subprocess.run([b"lessonkit", b"notes", b"import", b"demo", os.fsencode(cards)], env=env,
                              capture_output=True, timeout=120)
    assert imported.returncode == 0, imported.stderr


# --- control characters, in the domain (every front end) ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "multiline", "message"),
    [
        ("a\x00b", True, "U+0000"),
        ("a\x1b[31mred", True, "U+001B"),
        ("a\x9bb", True, "U+009B"),
        ("evil\u202egnp.exe", False, "U+202E"),
        ("two\nlines", False, "one line"),
        ("tab\there", False, "one line"),
        (LATIN1, True, "UTF-8"),
    ],
)
def test_control_characters_are_refused(value: str, multiline: bool, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        v.text("field", value, max_length=100, multiline=multiline)
    assert message in err.value.message


@pytest.mark.parametrize(
    "value",
    [
        "سارا\u200f",  # Arabic name with a right-to-left mark
        "می\u200cخواهم",  # Persian with a zero-width non-joiner
        "\u2067שלום\u2069 and hello",  # an isolate around Hebrew
        "क्\u200dष",  # Devanagari with a zero-width joiner
    ],
)
def test_marks_that_scripts_need_are_kept(value: str) -> None:
    assert v.text("name", value, max_length=100, multiline=False) == value


def test_records_refuse_control_characters_in_names_titles_tags_and_notes() -> None:
    with pytest.raises(ValidationError, match="name"):
        Participant.from_dict({"name": "Ki\x00ri", "join_code": "ABCD-EFGH"})
    with pytest.raises(ValidationError, match="title"):
        Session.from_dict({"title": "Listening\nround"})
    note = {"session_id": 1, "category": "need", "sensitivity": "public"}
    with pytest.raises(ValidationError, match="tags"):
        Note.from_dict({**note, "text": "ok", "tags": ["hous\x07ing"]})
    with pytest.raises(ValidationError, match="text"):
        Note.from_dict({**note, "text": "bell\x07"})
    kept = Note.from_dict({**note, "text": "line one\r\nline two\tand a tab\vpasted\u2028break"})
    assert kept.text == "line one\nline two\tand a tab\npasted\nbreak"


def test_a_control_character_on_the_command_line_is_one_line(home: Path) -> None:
    one_line_error(cli(home, "participant", "add", "demo", "--name", "Ki\x1bri"), "U+001B")
    one_line_error(cli(home, "session", "add", "demo", "--title", "a\tb"), "one line")


def test_a_slug_with_a_trailing_line_break_is_refused(home: Path) -> None:
    """On main: silently trimmed (the convening 'river' was created)."""
    one_line_error(cli(home, "convening", "create", "river\n", "--title", "River"), "river\\n")
    assert not Workspace(home).exists("river")
    with pytest.raises(ValidationError):
        v.slug("slug", " river")


# --- CSV import of paper cards --------------------------------------------------------------------------------


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cards.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('session,category,text\n1,need,ok\n1,need,"never closed\n1,need,next\n', "row 3", "never closed"),
        ("session,category,text,colour\n1,need,ok,red\n", "columns", "'colour'"),
        ("session,category,text\n1,need,ok\n1,need,too,many,cells\n", "row 3", "more cells"),
        ("session,category,text\n1,need,ok\n1,need,bell\x07\n", "row 3", "U+0007"),
        ('session,category,text\n1,need,"a"b\n', "row 2", "cannot be read"),
    ],
)
def test_a_bad_csv_names_the_row_or_column_and_imports_nothing(
    workspace: BaseWorkspace, tmp_path: Path, text: str, where: str, what: str
) -> None:
    load_demo(workspace, data_path("demo", "convening.json"))
    store = workspace.store("demo")
    with pytest.raises(ValidationError) as err:
        import_notes_csv(store, csv_file(tmp_path, text))
    assert err.value.field == where and what in err.value.message
    assert len(list_notes(store)) == DEMO_NOTES


def test_the_paper_cards_still_import(workspace: BaseWorkspace) -> None:
    load_demo(workspace, data_path("demo", "convening.json"))
    store = workspace.store("demo")
    added = import_notes_csv(store, data_path("demo", "paper-cards.csv"))
    assert [n.id for n in added] == list(range(DEMO_NOTES + 1, DEMO_NOTES + 1 + len(added)))
    assert {n.id for n in list_notes(store, respect_consent=False)} >= {n.id for n in added}


def test_a_big_import_is_one_transaction(workspace: BaseWorkspace, tmp_path: Path) -> None:
    """3,000 cards: ids follow on, all of them on disk (the benchmark measures the time)."""
    load_demo(workspace, data_path("demo", "convening.json"))
    store = workspace.store("demo")
    rows = "".join(f"1,need,card {i},t{i % 5},public,\n" for i in range(3000))
    added = import_notes_csv(store, csv_file(tmp_path, "session,category,text,tags,sensitivity,join_code\n" + rows))
    assert [n.id for n in added] == list(range(DEMO_NOTES + 1, DEMO_NOTES + 3001))
    path = getattr(store, "path", None)
    if path is not None:
        journal.forget(path)  # read the files afresh
        assert len(list_notes(store)) == DEMO_NOTES + 3000
        assert journal.journal_path(path).read_bytes().count(b"\n") == 1  # written as a new snapshot
