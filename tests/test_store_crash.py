"""Crash safety of the file store: writers SIGKILLed at any moment lose no acknowledged note and duplicate none."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from crash_harness import crash_test

from lessonkit.store import journal
from lessonkit.store.tinydb_store import TinyDBStore
from lessonkit.store.workspace import Workspace


def in_killed_child(action: Callable[[], None]) -> None:
    """Run ``action`` in a forked child that is expected to SIGKILL itself; wait for it."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            action()
        finally:
            os._exit(3)  # not killed: the parent sees exit code 3
    _pid, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child was not killed"


def kill_at_replace(target: Path, after: bool) -> Callable[..., None]:
    """An ``os.replace`` that SIGKILLs the process when it replaces ``target`` (before or after doing so)."""
    real = os.replace

    def replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)) == target and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(dst)) == target and after:
            os.kill(os.getpid(), signal.SIGKILL)

    return replace


def compact_in_child(path: Path, after: bool) -> None:
    def action() -> None:
        os.replace = kill_at_replace(path, after)  # type: ignore[assignment]
        journal.forget(path)
        store = TinyDBStore(path)
        with store.transaction():  # the exclusive lock, as every compaction holds it
            journal.compact(path, journal.load(path))

    in_killed_child(action)


def notes_by_key(path: Path) -> dict[tuple[int, int], list[int]]:
    journal.forget(path)  # read as a process started after the crash would
    found: dict[tuple[int, int], list[int]] = {}
    for d in TinyDBStore(path).all("notes"):
        found.setdefault((d["w"], d["i"]), []).append(d["id"])
    return found


def seeded(disk_workspace: Workspace) -> tuple[Path, dict[tuple[int, int], int]]:
    store = disk_workspace.create_store("c1")
    given = {}
    for i in range(12):
        doc = {"w": 0, "i": i}
        given[(0, i)] = store.insert("notes", doc) if i % 3 == 2 else store.append("notes", lambda tx, d=doc: d)
    return disk_workspace.path_for("c1"), given


def test_compaction_killed_after_the_new_snapshot_is_in_place_duplicates_nothing(disk_workspace: Workspace) -> None:
    """The window between "snapshot replaced" and "journal emptied": replay must skip what the snapshot holds."""
    path, given = seeded(disk_workspace)
    compact_in_child(path, after=True)
    assert notes_by_key(path) == {k: [i] for k, i in given.items()}
    store = TinyDBStore(path)  # appends made after the crash land after what the snapshot absorbed
    for i in range(12, 15):
        given[(0, i)] = store.append("notes", lambda tx, i=i: {"w": 0, "i": i})
    assert notes_by_key(path) == {k: [i] for k, i in given.items()}
    journal.compact(path, journal.load(path))
    assert notes_by_key(path) == {k: [i] for k, i in given.items()}


def test_a_killed_compaction_leaves_no_temp_copy_behind(disk_workspace: Workspace) -> None:
    path, given = seeded(disk_workspace)
    compact_in_child(path, after=False)  # killed with the whole new snapshot written to its temp file
    assert [p.name for p in path.parent.glob(".c1.json.tmp-*")]
    journal.forget(path)
    assert notes_by_key(path) == {k: [i] for k, i in given.items()}
    assert not [p.name for p in path.parent.iterdir() if ".tmp-" in p.name]


def test_writers_killed_at_random_lose_and_duplicate_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Done-when of issue 9: at least 100 SIGKILLs during appends, transactions and compactions; every acknowledged
    note is there once under its id. (A longer run: tests/benchmarks/bench_crash.py.)"""
    monkeypatch.setattr(journal, "COMPACT_MIN_BYTES", 1500)  # compact every few writes
    out = crash_test(tmp_path, rounds=10, kills_per_round=12, writers=3, max_pause=0.04)
    assert out.errors == []
    assert (out.lost, out.moved, out.duplicates) == ([], [], 0)
    assert out.kills >= 100 and out.acknowledged > 200 and out.compactions >= 10
    assert out.stale_temps == []
