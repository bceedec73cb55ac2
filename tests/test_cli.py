"""The record commands (convening, participant, session, notes) through CliRunner, and the console script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.resources import data_path
from lessonkit.services import hide_note, load_demo
from lessonkit.services.participants import set_consent
from lessonkit.store import Workspace
from tests.conftest import run_cli

PAPER_CARDS = data_path("demo", "paper-cards.csv")
DEMO_NOTES = 6  # the notes of data/demo/convening.json


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


def assert_one_line_error(result: Result, *needles: str) -> str:
    """Non-zero exit, exactly one line on stderr starting with 'Error:', no traceback."""
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


# --- help ---------------------------------------------------------------------------------------------------

GROUPS = ("convening", "participant", "session", "notes")


def _commands() -> list[tuple[str, click.Command]]:
    out = []
    for name in GROUPS:
        group = main.commands[name]
        assert isinstance(group, click.Group) and group.help
        out += [(f"{name} {sub}", cmd) for sub, cmd in group.commands.items()]
    return out


@pytest.mark.parametrize("path,command", _commands(), ids=[p for p, _c in _commands()])
def test_every_command_and_option_has_help(path: str, command: click.Command, home: Path) -> None:
    assert command.help, path
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts}"
    assert "Usage:" in ok(home, *path.split(), "--help").stdout


def test_every_command_that_prints_records_takes_json() -> None:
    for path, command in _commands():
        fmt = next((p for p in command.params if p.name == "fmt"), None)
        assert fmt is not None and "json" in getattr(fmt.type, "choices", ()), path


# --- convening ----------------------------------------------------------------------------------------------


def test_convening_create_and_list(home: Path) -> None:
    out = ok(
        home,
        "convening",
        "create",
        "lake-2026",
        "--title",
        "Lake 2026",
        "--start",
        "2026-05-01",
        "--end",
        "2026-05-03",
        "--place",
        "Somewhere (invented)",
        "--languages",
        "en,es",
    ).stdout
    assert "lake-2026" in out
    made = as_json(home, "convening", "create", "hill", "--title", "Hill")
    assert made == {
        "slug": "hill",
        "title": "Hill",
        "start": None,
        "end": None,
        "place": "",
        "languages": ["en"],
        "countries": [],
    }
    listed = as_json(home, "convening", "list")
    assert [(c["slug"], c["status"]) for c in listed] == [("hill", "ok"), ("lake-2026", "ok")]
    assert listed[1]["languages"] == ["en", "es"]
    assert "Lake 2026" in ok(home, "convening", "list").stdout


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--title", "T", "--start", "2026-13-01"], "start"),
        (["--title", "T", "--start", "2026-05-03", "--end", "2026-05-01"], "end"),
        (["--title", ""], "title"),
        ([], "--title"),
    ],
)
def test_convening_create_mistakes(home: Path, args: list[str], needle: str) -> None:
    assert_one_line_error(cli(home, "convening", "create", "x", *args), needle)
    assert not (home / "convenings" / "x.json").exists()


def test_convening_create_twice_and_bad_slug(home: Path) -> None:
    ok(home, "convening", "create", "x", "--title", "X")
    assert_one_line_error(cli(home, "convening", "create", "x", "--title", "Again"), "already exists")
    assert_one_line_error(cli(home, "convening", "create", "Not A Slug", "--title", "T"), "slug")


def test_unknown_command_and_convening_are_one_line(demo_home: Path) -> None:
    assert_one_line_error(cli(demo_home, "notes", "frobnicate"), "frobnicate")
    assert_one_line_error(cli(demo_home, "notes", "list", "nope"), "nope", "demo")
    assert_one_line_error(cli(demo_home, "participant", "list", "demo", "--format", "xml"), "--format")


def test_unusable_home_folder_is_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    assert_one_line_error(cli(not_a_folder / "ws", "convening", "create", "x", "--title", "X"), "--home")


# --- participants -------------------------------------------------------------------------------------------


def test_participant_add_prints_join_code(demo_home: Path) -> None:
    out = ok(
        demo_home, "participant", "add", "demo", "--name", "Heron", "--organization", "Reed Collective"
    ).stdout
    listed = as_json(demo_home, "participant", "list", "demo")
    heron = next(p for p in listed if p["name"] == "Heron")
    assert heron["join_code"] in out
    assert heron["record"] is True and heron["attribution"] == "pseudonym"
    assert heron["share_up_to"] == "convening"


def test_participant_add_consent_options_json(demo_home: Path) -> None:
    added = as_json(
        demo_home,
        "participant",
        "add",
        "demo",
        "--name",
        "Wren",
        "--no-record",
        "--attribution",
        "anonymous",
        "--share-up-to",
        "restricted",
        "--pseudonym",
        "Reed Warbler",
        "--review-date",
        "2026-10-01",
    )
    assert added["record"] is False and "media_use" not in added and added["pseudonym"] == "Reed Warbler"
    assert added["attribution"] == "anonymous" and added["share_up_to"] == "restricted"
    assert added["review_date"] == "2026-10-01" and len(added["join_code"]) == 9


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--name", "Sol"], "Sol"),  # already registered in the demo
        (["--name", "Ibis", "--review-date", "soon"], "review_date"),
        (["--name", "Ibis", "--attribution", "famous"], "--attribution"),
        (["--name", "Ibis", "--share-up-to", "everyone"], "--share-up-to"),
        ([], "--name"),
    ],
)
def test_participant_add_mistakes(demo_home: Path, args: list[str], needle: str) -> None:
    before = as_json(demo_home, "participant", "list", "demo")
    assert_one_line_error(cli(demo_home, "participant", "add", "demo", *args), needle)
    assert as_json(demo_home, "participant", "list", "demo") == before


def test_participant_list_formats(demo_home: Path) -> None:
    table = ok(demo_home, "participant", "list", "demo").stdout
    assert "DEMO-AAAA" in table and "Observer Jo" in table
    csv_out = ok(demo_home, "participant", "list", "demo", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,name,pseudonym,organization,join_code,record")
    assert len(csv_out.splitlines()) == 5


# --- sessions -----------------------------------------------------------------------------------------------


def test_session_add_list_open_close(demo_home: Path) -> None:
    added = as_json(
        demo_home,
        "session",
        "add",
        "demo",
        "--title",
        "Closing round",
        "--prompt",
        "What will you",
        "--prompt",
        "Who will you call?",
        "--anonymous",
        "--closed",
    )
    assert added == {
        "id": 3,
        "title": "Closing round",
        "kind": "listening",
        "open": False,
        "anonymous": True,
        "prompts": ["What will you", "Who will you call?"],
        "language": "en",
        "languages": ["en"],
        "translations": {},
    }
    assert "Closing round" in ok(demo_home, "session", "list", "demo").stdout
    assert as_json(demo_home, "session", "open", "demo", "3")["open"] is True
    assert "closed" in ok(demo_home, "session", "close", "demo", "3").stdout
    states = {s["id"]: s["open"] for s in as_json(demo_home, "session", "list", "demo")}
    assert states == {1: True, 2: False, 3: False}


def test_session_mistakes(demo_home: Path) -> None:
    assert_one_line_error(cli(demo_home, "session", "open", "demo", "99"), "99")
    assert_one_line_error(cli(demo_home, "session", "close", "demo", "one"), "ID")
    assert_one_line_error(cli(demo_home, "session", "add", "demo"), "--title")


# --- notes --------------------------------------------------------------------------------------------------


def test_notes_add_paper_card_after_session_closed(demo_home: Path) -> None:
    note = as_json(
        demo_home,
        "notes",
        "add",
        "demo",
        "--session",
        "2",
        "--category",
        "question",
        "--text",
        "Who keeps the minutes?",
        "--tags",
        "process",
        "--code",
        "demo-bbbb",
    )
    assert note["source"] == "paper" and note["author"] == "Kiri Moana"
    assert note["sensitivity"] == "convening" and note["tags"] == ["process"]


def test_notes_add_defaults_to_the_authors_stricter_consent(demo_home: Path) -> None:
    note = as_json(
        demo_home,
        "notes",
        "add",
        "demo",
        "--session",
        "1",
        "--category",
        "risk",
        "--text",
        "x",
        "--code",
        "DEMO-CCCC",
    )
    assert note["sensitivity"] == "restricted" and note["author"] == "a participant"


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--category", "gossip", "--text", "t"], "category"),
        (["--category", "need", "--text", "t", "--sensitivity", "secret"], "--sensitivity"),
        (["--category", "need", "--text", "t", "--code", "DEMO-DDDD"], "consent"),  # record = false
        (["--category", "need", "--text", "t", "--code", "DEMO-AAAA", "--sensitivity", "public"], "network"),
        (["--category", "need", "--text", "t", "--code", "NOPE-NOPE"], "NOPE-NOPE"),
        (["--category", "need", "--text", "   "], "text"),
    ],
)
def test_notes_add_mistakes(demo_home: Path, args: list[str], needle: str) -> None:
    assert_one_line_error(cli(demo_home, "notes", "add", "demo", "--session", "1", *args), needle)
    assert len(as_json(demo_home, "notes", "list", "demo")) == DEMO_NOTES


def test_notes_list_follows_consent_and_never_shows_join_codes(demo_home: Path) -> None:
    rows = as_json(demo_home, "notes", "list", "demo")
    authors = {r["text"][:10]: r["author"] for r in rows}
    assert authors == {
        "Safe place": "Patient Heron",  # pseudonym
        "Door-to-do": "Kiri Moana",  # named, and the listing is the facilitators' own (level restricted)
        "Phone list": "a participant",  # consent says anonymous
        "¿Cómo hace": "a participant",  # an anonymous note
        "كيف تحمون ": "Patient Heron",
        "Где вы нах": "Patient Heron",
    }
    for fmt in ("table", "csv", "json"):
        out = ok(demo_home, "notes", "list", "demo", "--format", fmt).stdout
        assert "DEMO-" not in out and "author_id" not in out and "Safe places" in out


def test_notes_list_filters_hidden_and_withdrawn(demo_home: Path) -> None:
    ws = Workspace(demo_home)
    hide_note(ws.store("demo"), 2)
    assert [r["id"] for r in as_json(demo_home, "notes", "list", "demo")] == [1, 3, 4, 5, 6]
    table = ok(demo_home, "notes", "list", "demo", "--include-hidden").stdout
    assert "hidden" in table and "Door-to-door" in table
    assert [r["id"] for r in as_json(demo_home, "notes", "list", "demo", "--session", "2")] == [5, 6]
    set_consent(ws.store("demo"), 1, {"record": False})  # Sol withdraws
    result = ok(demo_home, "notes", "list", "demo")
    assert "Safe places" not in result.stdout and "withdrawn consent" in result.stderr


def test_notes_import_demo_cards(demo_home: Path) -> None:
    out = ok(demo_home, "notes", "import", "demo", str(PAPER_CARDS)).stdout
    assert "Imported 5 notes" in out
    rows = as_json(demo_home, "notes", "list", "demo")
    assert len(rows) == DEMO_NOTES + 5 and {r["source"] for r in rows[DEMO_NOTES:]} == {"paper"}
    assert [r["session"] for r in rows[DEMO_NOTES:]] == [1, 1, 1, 2, 2]


def test_notes_import_json(demo_home: Path) -> None:
    imported = as_json(demo_home, "notes", "import", "demo", str(PAPER_CARDS))
    assert imported == {"imported": 5, "ids": [7, 8, 9, 10, 11]}


def test_notes_import_is_all_or_nothing(demo_home: Path, tmp_path: Path) -> None:
    lines = PAPER_CARDS.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:2], "1,gossip,Not a category,,convening,", *lines[2:]]) + "\n", "utf-8")
    assert_one_line_error(cli(demo_home, "notes", "import", "demo", str(bad)), "row 3", "category", "Nothing")
    assert len(as_json(demo_home, "notes", "list", "demo")) == DEMO_NOTES


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"session,text\n1,hello\n", "category"),  # a missing column
        (b"session,category,text\n1,need,\xff\xfe caf\xe9\n", "UTF-8"),
        (b'session,category,text\n1,need,"' + b"x" * 200_000 + b'"\n', "CSV"),  # beyond csv's field limit
    ],
    ids=["missing-column", "not-utf8", "field-too-large"],
)
def test_notes_import_unreadable_csv(demo_home: Path, tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "cards.csv"
    path.write_bytes(content)
    assert_one_line_error(cli(demo_home, "notes", "import", "demo", str(path)), needle)
    assert len(as_json(demo_home, "notes", "list", "demo")) == DEMO_NOTES


def test_notes_import_missing_file(demo_home: Path, tmp_path: Path) -> None:
    assert_one_line_error(cli(demo_home, "notes", "import", "demo", str(tmp_path / "none.csv")), "none.csv")


# --- a damaged convening file, end to end -------------------------------------------------------------------


def test_corrupt_convening_file_then_restore(home: Path) -> None:
    ok(home, "convening", "create", "river", "--title", "River")
    ok(home, "participant", "add", "river", "--name", "Otter")
    path = home / "convenings" / "river.json"
    garbage = b'{"convening": {"1": {"slug": "riv'
    path.write_bytes(garbage)

    failed = cli(home, "notes", "list", "river")
    line = assert_one_line_error(failed, str(path), "river.json.lastgood", "restore")
    assert path.read_bytes() == garbage  # the damaged file is left exactly as it was
    assert "error" in ok(home, "convening", "list").stdout

    restored = as_json(home, "convening", "restore", "river")
    aside = Path(restored["damaged_moved_to"])
    assert restored["restored_from"] == str(path) + ".lastgood" and "lastgood" in line
    assert (aside / "river.json").read_bytes() == garbage  # moved aside, not deleted
    assert ok(home, "notes", "list", "river", "--format", "json").stdout.strip() == "[]"
    assert_one_line_error(cli(home, "convening", "restore", "river"), "reads fine")


def test_restore_keeps_what_the_intact_journal_held(home: Path) -> None:
    ok(home, "convening", "create", "river", "--title", "River")
    ok(home, "participant", "add", "river", "--name", "Otter")
    (home / "convenings" / "river.json").write_bytes(b"garbage")
    restored = as_json(home, "convening", "restore", "river")
    assert restored["restored_counts"]["participants"] == 1


def test_restore_unknown_convening(home: Path) -> None:
    assert_one_line_error(cli(home, "convening", "restore", "ghost"), "ghost")


# --- the installed console script ---------------------------------------------------------------------------


def test_console_script_runs_a_paper_card_round(demo_home: Path) -> None:
    result = run_cli("notes", "import", "demo", str(PAPER_CARDS), home=demo_home)
    assert result.returncode == 0 and "Imported 5 notes" in result.stdout, result.stderr
    listed = run_cli("notes", "list", "demo", "--format", "json", home=demo_home)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == DEMO_NOTES + 5


def test_console_script_error_is_one_line(home: Path) -> None:
    result = run_cli("participant", "add", "nowhere", "--name", "X", home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "nowhere" in result.stderr
