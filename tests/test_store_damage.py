"""Damaged files: a flipped byte costs one line at most, restore survives any input and deletes nothing."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.services.library import add_module
from lessonkit.store import journal, journal_lines
from lessonkit.store.tinydb_store import TinyDBStore
from lessonkit.store.workspace import Workspace

FILES = ("c1.json", "c1.json.journal", "c1.json.lastgood")


def template(folder: Path) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """A convening file with 30 notes written since its last compaction, half appended, half in transactions.
    Returns {note number: id} and the byte range of each journal line."""
    store = TinyDBStore.create(folder / "c1.json")
    ids = {}
    for n in range(30):
        doc = {"n": n, "text": f"note number {n}"}
        ids[n] = store.append("notes", lambda tx, d=doc: d) if n % 2 else store.insert("notes", doc)
    raw = (folder / "c1.json.journal").read_bytes()
    spans, start = [], 0
    for line in raw.split(b"\n")[:-1]:
        spans.append((start, start + len(line) + 1))
        start += len(line) + 1
    return ids, spans


def test_a_flipped_byte_anywhere_costs_at_most_its_own_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Done-when of issue 9: bytes flipped at 20 random positions; each time every other record is read, under the
    id it had, the damaged line is reported by number and the journal as it was is kept aside unchanged."""
    base = tmp_path / "template"
    base.mkdir()
    ids, spans = template(base)
    original = (base / "c1.json.journal").read_bytes()
    rng = random.Random(20)
    for trial in range(20):
        folder = tmp_path / f"trial-{trial}"
        folder.mkdir()
        for name in FILES:
            shutil.copyfile(base / name, folder / name)
        at = rng.randrange(len(original))
        damaged = bytearray(original)
        damaged[at] ^= rng.randrange(1, 256)
        (folder / "c1.json.journal").write_bytes(damaged)
        line = next(i for i, (a, b) in enumerate(spans) if a <= at < b)  # 0: the header, n + 1: note n
        caplog.clear()
        journal.forget(folder / "c1.json")
        found = {d["n"]: d["id"] for d in TinyDBStore(folder / "c1.json").all("notes")}
        expected = {n: i for n, i in ids.items() if n != line - 1}
        assert {n: found[n] for n in expected} == expected, f"flip at byte {at} (line {line + 1})"
        assert set(found) <= set(ids)
        assert f"of {folder / 'c1.json.journal'}" in caplog.text and str(line + 1) in caplog.text
        (kept,) = folder.glob("c1.json.damaged-*")
        assert (kept / "c1.json.journal").read_bytes() == bytes(damaged)


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


@pytest.fixture
def river(tmp_path: Path) -> Path:
    """A workspace whose convening 'river' has a session and three notes (journal since the last compaction)."""
    home = tmp_path / "home"
    for args in (
        ("convening", "create", "river", "--title", "River"),
        ("session", "add", "river", "--title", "Listening", "--anonymous"),
        *(("notes", "add", "river", "--session", "1", "--category", "need", "--text", f"card {i}") for i in range(3)),
    ):
        assert cli(home, *args).exit_code == 0
    return home


def notes(home: Path) -> list[str]:
    result = cli(home, "notes", "list", "river", "--format", "json")
    assert result.exit_code == 0, result.output
    return [n["text"] for n in json.loads(result.stdout)]


def test_one_flipped_byte_then_restore_reports_the_line_and_keeps_the_rest(river: Path) -> None:
    """On main: `notes list` failed with an unrelated validation message, `restore` said the file reads fine and
    `restore --force` replayed the same bad line."""
    jpath = river / "convenings" / "river.json.journal"
    raw = bytearray(jpath.read_bytes())
    raw[raw.index(b'"sensitivity":"convening"', raw.index(b"card 1")) + 18] ^= 0x20  # convening -> conveNing
    jpath.write_bytes(raw)
    number = raw[: raw.index(b"card 1")].count(b"\n") + 1
    journal.forget(river / "convenings" / "river.json")
    restored = cli(river, "convening", "restore", "river", "--format", "json")
    assert restored.exit_code == 0, restored.output
    report = json.loads(restored.stdout)
    assert report["status"] == "repaired" and report["damaged_lines"][0].startswith(f"line {number} ")
    assert (Path(report["damaged_moved_to"]) / "river.json.journal").read_bytes() == bytes(raw)
    assert notes(river) == ["card 0", "card 2"]
    forced = cli(river, "convening", "restore", "river", "--force")
    assert forced.exit_code == 0 and "Traceback" not in forced.output
    assert notes(river) == ["card 0", "card 2"]  # the bad line is not replayed again


def checked(entry: object) -> bytes:
    payload = json.dumps(entry).encode()
    return journal_lines.check_of(payload) + b" " + payload + b"\n"


HOSTILE_LINES = {
    "bad shape": b'{"c":[["notes","9"]]}\n',
    "non-dict document": b'{"c":[["notes","9",5]]}\n',
    "non-dict append": b'{"a":["notes",7],"t":"x"}\n',
    "unknown table": b'{"c":[["bogus","1",{"x":1}]]}\n',
    "unknown table name": b'{"c":[["no such table","1",{"x":1}]]}\n',
    "table is a list": b'{"c":[[["x"],"1",{}]]}\n',
    "id not a number": b'{"c":[["notes","abc",{}]]}\n',
    "changes not a list": b'{"c":5}\n',
    "a JSON list": b"[1,2]\n",
    "garbage": b"\x00\xff garbage \xfe\n",
    "checked, bad shape": checked({"c": [["notes", "0", {}]]}),
    "checked, non-dict document": checked({"c": [["notes", "9", [1]]]}),
    "checked, reserved table": checked({"c": [["_journal", "1", {"journal": "x"}]]}),
    "checked, not JSON": journal_lines.check_of(b"{nope") + b" {nope\n",
    "cut off": b'12345678 {"a":["notes",{"text":',
}


@pytest.mark.parametrize("case", sorted(HOSTILE_LINES))
def test_restore_never_crashes_on_a_hostile_journal(river: Path, case: str) -> None:
    jpath = river / "convenings" / "river.json.journal"
    hostile = jpath.read_bytes() + HOSTILE_LINES[case]
    jpath.write_bytes(hostile)
    journal.forget(river / "convenings" / "river.json")
    for args in (("convening", "restore", "river", "--format", "json"), ("convening", "restore", "river", "--force")):
        result = cli(river, *args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
    kept = sorted((river / "convenings").glob("river.json.damaged-*"))
    assert (kept[0] / "river.json.journal").read_bytes() == hostile  # the damaged journal, kept as it was
    assert notes(river) == ["card 0", "card 1", "card 2"]


HOSTILE_SNAPSHOTS = {
    "not a record": b'{"notes": {"1": 5}}',
    "bad id": b'{"notes": {"x": {}}}',
    "a list": b"[1, 2]",
    "damaged journal mark": b'{"_journal": {"1": {"offset": "far"}}}',
    "truncated": b'{"notes": {"1": {"te',
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SNAPSHOTS))
def test_a_hostile_snapshot_is_one_line_then_restored(river: Path, case: str) -> None:
    path = river / "convenings" / "river.json"
    path.write_bytes(HOSTILE_SNAPSHOTS[case])
    journal.forget(path)
    failed = cli(river, "notes", "list", "river")
    assert failed.exit_code == 1 and failed.stderr.count("\n") == 1 and "convening restore river" in failed.stderr
    result = cli(river, "convening", "restore", "river", "--format", "json")
    assert result.exit_code == 0, result.output
    assert (Path(json.loads(result.stdout)["damaged_moved_to"]) / "river.json").read_bytes() == HOSTILE_SNAPSHOTS[case]
    assert notes(river) == ["card 0", "card 1", "card 2"]


def test_library_restore(tmp_path: Path) -> None:
    """The error for a damaged library file named `lessonkit library restore`, which did not exist."""
    home = tmp_path / "home"
    add_module(Workspace(home).library(), {"slug": "kept", "title": "Kept", "type": "tactic"})
    path = home / "library.json"
    path.write_bytes(b"{garbage")
    journal.forget(path)
    failed = cli(home, "library", "list")
    assert failed.exit_code == 1 and "lessonkit library restore" in failed.stderr
    result = cli(home, "library", "restore", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "restored" and (Path(report["damaged_moved_to"]) / "library.json").exists()
    assert [d["slug"] for d in Workspace(home).library().all("modules")] == ["kept"]
    again = cli(home, "library", "restore")
    assert again.exit_code == 1 and "reads fine" in again.stderr


def test_a_wave_one_journal_still_loads_and_is_upgraded_by_the_next_compaction(tmp_path: Path) -> None:
    """Snapshot without the `_journal` mark, journal of bare JSON lines (a transaction, appends, a torn fragment
    followed by an append on the same line, as wave 1 wrote them)."""
    path = tmp_path / "c.json"
    path.write_text('{"notes": {"1": {"n": 1}}}')
    journal.journal_path(path).write_bytes(
        b'{"c":[["notes","2",{"n":2}]]}\n'
        b'{"a":["notes",{"n":3}],"t":"t3"}\n'
        b'{"a":["notes",{"n":{"a":["notes",{"n":4}],"t":"t4"}\n'
    )
    store = TinyDBStore(path)
    assert [(d["id"], d["n"]) for d in store.all("notes")] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    store.append("notes", lambda tx: {"n": 5})
    journal.compact(path, journal.load(path))
    lines = journal.journal_path(path).read_bytes().splitlines()
    assert len(lines) == 1 and journal_lines.decode(lines[0])["journal"] == journal_lines.FORMAT
    journal.forget(path)
    assert [(d["id"], d["n"]) for d in store.all("notes")] == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


def test_a_line_still_being_written_is_not_damage_until_nobody_can_be_writing_it(tmp_path: Path) -> None:
    """Under the shared lock (appenders) a last line without its newline may be an append in flight: it is left
    alone. Under the exclusive lock nobody is writing, so it was left by a writer that died: reported and kept."""
    path = tmp_path / "c.json"
    store = TinyDBStore.create(path)
    store.append("notes", lambda tx: {"n": 1})
    line = journal_lines.encode({"a": ["notes", {"n": 2}], "t": "x"})
    with open(journal.journal_path(path), "ab") as f:
        f.write(line[:20])
    journal.forget(path)
    with store._locked(shared=True):
        snap = journal.load(path, exclusive=False)
    assert snap.torn_tail and not snap.damage and not list(tmp_path.glob("c.json.damaged-*"))
    with open(journal.journal_path(path), "ab") as f:
        f.write(line[20:])  # the writer finishes its line
    assert [d["n"] for d in store.all("notes")] == [1, 2] and not list(tmp_path.glob("c.json.damaged-*"))
    with open(journal.journal_path(path), "ab") as f:
        f.write(line[:20])  # this one never finishes
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [1, 2]
    assert len(list(tmp_path.glob("c.json.damaged-*"))) == 1


def test_the_line_format() -> None:
    entry = {"c": [["notes", "3", {"text": "caf\u00e9\nline"}]]}
    line = journal_lines.encode(entry)
    check, payload = line[:8], line[9:-1]
    assert line.endswith(b"\n") and b"\n" not in line[:-1] and line[8:9] == b" "
    assert check == journal_lines.check_of(payload) and journal_lines.decode(line[:-1]) == entry
    header, journal_id = journal_lines.header(7)
    assert journal_lines.identity(header[:-1]) == journal_id
    assert journal_lines.decode(header[:-1])["generation"] == 7
    other = journal_lines.encode({"a": ["notes", {"n": 1}], "t": "t"})
    joined = line[:30] + other[:-1]  # a writer died after 30 bytes; the next append continued the line
    read = journal_lines.read_lines(joined, 4, 100, ("notes",))
    assert isinstance(read[0], journal_lines.Damage) and read[0].line == 4 and read[0].reserves == (("notes", 3),)
    assert read[1] == {"a": ["notes", {"n": 1}], "t": "t"}
