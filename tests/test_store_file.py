"""What only the file store has to get right: durability, other processes, corruption, compaction."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from lessonkit.errors import CorruptStoreError
from lessonkit.store import group_sync, journal, journal_lines
from lessonkit.store.tinydb_store import TinyDBStore
from lessonkit.store.workspace import Workspace


def test_file_is_plain_tinydb_after_compaction(disk_workspace: Workspace) -> None:
    store = disk_workspace.create_store("c1")
    for i in range(3):
        store.insert("notes", {"n": i})
    path = disk_workspace.path_for("c1")
    journal.compact(path, journal.load(path))
    from tinydb import TinyDB

    with TinyDB(path) as db:
        assert [d["n"] for d in db.table("notes").all()] == [0, 1, 2]


def test_a_fresh_handle_sees_other_writers(disk_workspace: Workspace) -> None:
    path = disk_workspace.path_for("c1")
    disk_workspace.create_store("c1")
    a, b = TinyDBStore(path), TinyDBStore(path)
    a.insert("notes", {"by": "a"})
    assert [d["by"] for d in b.all("notes")] == ["a"]
    b.insert("notes", {"by": "b"})
    journal.forget(path)  # as if `a` lived in another process
    assert [d["by"] for d in a.all("notes")] == ["a", "b"]


def test_compaction_keeps_everything_and_a_last_good_copy(disk_workspace: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(journal, "COMPACT_MIN_BYTES", 2000)
    store = disk_workspace.create_store("c1")
    path = disk_workspace.path_for("c1")
    for i in range(200):
        store.insert("notes", {"n": i, "text": "x" * 20})
    store.remove("notes", 5)
    assert journal.journal_path(path).stat().st_size < 4000  # compacted along the way
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [i for i in range(200) if i != 4]
    good = json.loads(journal.last_good_path(path).read_text())
    assert len(good["notes"]) > 100


def test_torn_last_journal_line_is_kept_aside_and_repaired(disk_workspace: Workspace) -> None:
    store = disk_workspace.create_store("c1")
    store.insert("notes", {"n": 1})
    path = disk_workspace.path_for("c1")
    with open(journal.journal_path(path), "ab") as f:
        f.write(b'{"c":[["notes","2",{"n":')  # a crash in the middle of an append
    torn = journal.journal_path(path).read_bytes()
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [1]
    (kept,) = path.parent.glob("c1.json.damaged-*")  # under the exclusive lock nobody is writing it: reported
    assert (kept / "c1.json.journal").read_bytes() == torn and "cut off" in (kept / "damage.txt").read_text()
    store.insert("notes", {"n": 2})
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [1, 2]


def test_corrupt_file_names_the_file_keeps_it_and_offers_last_good(disk_workspace: Workspace) -> None:
    store = disk_workspace.create_store("c1")
    store.insert("notes", {"n": 1})
    path = disk_workspace.path_for("c1")
    journal.compact(path, journal.load(path))
    path.write_text('{"notes": {"1": {"n": 1}')  # truncated JSON
    damaged = path.read_bytes()
    journal.forget(path)
    with pytest.raises(CorruptStoreError) as err:
        store.insert("notes", {"n": 2})
    assert str(path) in str(err.value) and "lastgood" in str(err.value)
    assert "restore" in str(err.value)
    assert path.read_bytes() == damaged  # never overwritten
    restored = disk_workspace.restore("c1")
    assert restored.status == "restored" and restored.aside is not None
    assert (restored.aside / path.name).read_bytes() == damaged
    assert [d["n"] for d in store.all("notes")] == [1]


def test_restore_replays_the_intact_journal(disk_workspace: Workspace) -> None:
    """The last good copy is the last compaction; the journal since then brings back everything after it."""
    store = disk_workspace.create_store("c1")
    for i in range(3):
        store.insert("notes", {"n": i})
    path = disk_workspace.path_for("c1")
    path.write_text("garbage")
    journal.forget(path)
    with pytest.raises(CorruptStoreError):
        store.all("notes")
    assert disk_workspace.restore("c1").replayed == 3
    assert [d["n"] for d in store.all("notes")] == [0, 1, 2]
    path.write_text("garbage again")
    journal.forget(path)
    again = disk_workspace.restore("c1")  # a second restore in the same second
    assert again.aside is not None and again.aside.exists() and [d["n"] for d in store.all("notes")] == [0, 1, 2]


def test_corrupt_journal_line_is_reported_kept_aside_and_the_rest_read(
    disk_workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    store = disk_workspace.create_store("c1")
    store.insert("notes", {"n": 1})
    path = disk_workspace.path_for("c1")
    jpath = journal.journal_path(path)
    damaged = b"not json\n" + jpath.read_bytes()
    jpath.write_bytes(damaged)
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [1]
    assert "Line 1 of" in caplog.text and "damaged" in caplog.text
    (kept,) = path.parent.glob("c1.json.damaged-*")
    assert (kept / jpath.name).read_bytes() == damaged and "line 1 " in (kept / "damage.txt").read_text()
    journal.forget(path)
    caplog.clear()
    assert [d["n"] for d in store.all("notes")] == [1] and not caplog.text  # reported once, then gone


WRITER = textwrap.dedent(
    """
    import sys
    from lessonkit.store.tinydb_store import TinyDBStore
    store = TinyDBStore(sys.argv[1])
    worker, count = int(sys.argv[2]), int(sys.argv[3])
    for i in range(count):
        store.insert("notes", {"worker": worker, "i": i})
    """
)


def test_many_processes_write_one_convening(disk_workspace: Workspace) -> None:
    """8 processes x 50 inserts into one file: every record present once, the file valid."""
    disk_workspace.create_store("c1")
    path = disk_workspace.path_for("c1")
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(w), "50"]) for w in range(8)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    journal.forget(path)
    docs = TinyDBStore(path).all("notes")
    assert len(docs) == 400
    assert len({d["id"] for d in docs}) == 400
    assert {(d["worker"], d["i"]) for d in docs} == {(w, i) for w in range(8) for i in range(50)}
    json.loads(path.read_text())  # the snapshot is valid JSON
    for line in journal.journal_path(path).read_bytes().splitlines():
        journal_lines.decode(line)  # every line whole and checked


MIXED = textwrap.dedent(
    """
    import sys
    from lessonkit.store.tinydb_store import TinyDBStore
    store = TinyDBStore(sys.argv[1])
    worker, count = int(sys.argv[2]), int(sys.argv[3])
    for i in range(count):
        if worker % 2:
            store.append("notes", lambda tx: {"worker": worker, "i": i, "seen": len(tx.all("notes"))})
        else:
            with store.transaction() as tx:
                tx.insert("notes", {"worker": worker, "i": i})
                tx.update("counter", 1, {"n": tx.get("counter", 1)["n"] + 1})
    print(sorted(d["id"] for d in store.all("notes") if d["worker"] == worker))
    """
)


def test_appenders_and_transactions_from_many_processes(disk_workspace: Workspace, monkeypatch) -> None:
    """4 processes append under the shared lock while 4 run exclusive transactions (with compaction along the
    way): all 400 notes present once, every process agrees on every id, the counter saw each transaction."""
    store = disk_workspace.create_store("c1")
    store.insert("counter", {"n": 0})
    path = disk_workspace.path_for("c1")
    env = dict(__import__("os").environ, LESSONKIT_COMPACT_MIN_BYTES="3000")  # compact every ~40 writes
    procs = [subprocess.Popen([sys.executable, "-c", MIXED, str(path), str(w), "50"], stdout=subprocess.PIPE,
                              text=True, env=env) for w in range(8)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8
    journal.forget(path)
    docs = TinyDBStore(path).all("notes")
    assert len(docs) == 400 and len({d["id"] for d in docs}) == 400
    assert {(d["worker"], d["i"]) for d in docs} == {(w, i) for w in range(8) for i in range(50)}
    for w, out in enumerate(outs):  # the ids each process saw are the ids on disk
        assert eval(out) == sorted(d["id"] for d in docs if d["worker"] == w)
    assert TinyDBStore(path).get("counter", 1)["n"] == 200  # type: ignore[index]
    assert journal.journal_path(path).stat().st_size < 20_000  # compaction did run


def test_a_torn_append_followed_by_others_is_skipped(disk_workspace: Workspace) -> None:
    """An appender that died mid-write leaves a fragment that the next append continues on the same line."""
    store = disk_workspace.create_store("c1")
    store.append("notes", lambda tx: {"n": 1})
    path = disk_workspace.path_for("c1")
    with open(journal.journal_path(path), "ab") as f:
        f.write(b'{"a":["notes",{"n":')  # the writer died here
    store.append("notes", lambda tx: {"n": 2})
    journal.forget(path)
    assert [d["n"] for d in store.all("notes")] == [1, 2]


def test_group_commit_marks_how_far_the_journal_is_durable(disk_workspace: Workspace) -> None:
    store = disk_workspace.create_store("c1")
    store.append("notes", lambda tx: {"n": 1})
    jpath = journal.journal_path(disk_workspace.path_for("c1"))
    marker = jpath.with_name(jpath.name + ".synced")
    ino, offset = (int(x) for x in marker.read_text().split())
    assert ino == jpath.stat().st_ino and offset == jpath.stat().st_size
    assert group_sync._synced_to(marker, ino + 1) == -1  # a mark for another journal file counts for nothing
    journal.compact(disk_workspace.path_for("c1"), journal.load(disk_workspace.path_for("c1")))
    assert not marker.exists()  # a replaced journal may reuse the inode number: the mark goes with it
