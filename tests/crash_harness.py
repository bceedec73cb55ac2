"""Kill writers of one convening file at random moments and check what survives (importable as `crash_harness`).

Writer processes are forked from the caller (cheap: lessonkit is already imported) and insert notes forever, two of
every three by appending under the shared lock (as participants' forms do) and one in an exclusive transaction; after
each write returns they report ``writer index id`` on a pipe: that note is *acknowledged*. The caller SIGKILLs a
random writer after a random pause, starts another, and at the end of each round reads the file afresh: every
acknowledged note must be there once, under the id it was given, and no note may be there twice.
Compactions run often because the caller sets a tiny ``journal.COMPACT_MIN_BYTES`` and each round starts a new file.

With ``cipher`` (an encrypted convening's unlocked keys) the file is encrypted; writers with an odd index then append
as the participant server does, with the public key only (acknowledged without an id, since they cannot read the
journal back: each such note must be there once, under whatever id the facilitator's replay gives it).
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonkit.store import journal
from lessonkit.store.tinydb_store import TinyDBStore


@dataclass
class Outcome:
    kills: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: list[tuple[int, int]] = field(default_factory=list)
    moved: list[tuple[int, int]] = field(default_factory=list)  # acknowledged under another id than now
    duplicates: int = 0
    compactions: int = 0
    errors: list[str] = field(default_factory=list)
    stale_temps: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        for name in ("kills", "acknowledged", "stored", "duplicates", "compactions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("lost", "moved", "errors", "stale_temps"):
            getattr(self, name).extend(getattr(other, name))


def _writer(path: Path, wid: int, ack: int, cipher: Any = None) -> None:
    journal.forget(path)
    store = TinyDBStore(path, cipher)
    sealed = cipher.public() if cipher is not None and wid % 2 else None
    rng = random.Random(wid)
    i = 0
    while True:
        doc = {"w": wid, "i": i, "text": "x" * rng.randint(1, 80)}
        if sealed is not None:  # the participant server: appends encrypted, reads nothing
            with store._locked(shared=True):
                journal.append_sealed(path, sealed, "notes", doc)
            doc_id = 0
        elif i % 3 == 2:
            doc_id = store.insert("notes", doc)
        else:
            doc_id = store.append("notes", lambda tx, doc=doc: doc)  # type: ignore[misc]
        os.write(ack, f"{wid} {i} {doc_id}\n".encode())
        i += 1


class _Writers:
    def __init__(self, path: Path, cipher: Any = None) -> None:
        self.path = path
        self.cipher = cipher
        self.live: dict[int, tuple[int, int]] = {}  # pid -> (writer id, read end of its pipe)
        self.buffers: dict[int, bytes] = {}
        self.acks: dict[tuple[int, int], int] = {}
        self.errors: list[str] = []
        self.next_wid = 0

    def spawn(self) -> None:
        r, w = os.pipe()
        wid, self.next_wid = self.next_wid, self.next_wid + 1
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(r)
            code = 0
            try:
                _writer(self.path, wid, w, self.cipher)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
                os.write(w, f"E {type(exc).__name__}: {exc}\n".encode()[:500])
                code = 1
            os._exit(code)
        os.close(w)
        os.set_blocking(r, False)
        self.live[pid] = (wid, r)
        self.buffers[r] = b""

    def drain(self, r: int, until_eof: bool = False) -> None:
        if until_eof:
            os.set_blocking(r, True)
        while True:
            try:
                chunk = os.read(r, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buffers[r] += chunk
        *whole, self.buffers[r] = self.buffers[r].split(b"\n")
        for line in whole:
            text = line.decode()
            if text.startswith("E "):
                self.errors.append(text[2:])
                continue
            wid, i, doc_id = (int(x) for x in text.split())
            self.acks[(wid, i)] = doc_id

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        _wid, r = self.live.pop(pid)
        self.drain(r, until_eof=True)
        os.close(r)


def run_round(
    folder: Path, kills: int, writers: int, rng: random.Random, max_pause: float, cipher: Any = None
) -> Outcome:
    """One new file, ``writers`` writers at a time, ``kills`` SIGKILLs; then the file is read afresh and checked."""
    path = folder / "c.json"
    TinyDBStore.create(path, cipher=cipher)
    procs = _Writers(path, cipher)
    for _ in range(writers):
        procs.spawn()
    out = Outcome()
    while out.kills < kills:
        time.sleep(rng.uniform(0, max_pause))
        for _wid, r in list(procs.live.values()):
            procs.drain(r)
        procs.kill(rng.choice(sorted(procs.live)))
        out.kills += 1
        if out.kills < kills:
            procs.spawn()
    for pid in list(procs.live):
        procs.kill(pid)
    journal.forget(path)
    docs = TinyDBStore(path, cipher).all("notes")  # a fresh read, as a process started after the crash would do
    by_key: dict[tuple[int, int], list[int]] = {}
    for d in docs:
        by_key.setdefault((d["w"], d["i"]), []).append(d["id"])
    out.acknowledged, out.stored, out.errors = len(procs.acks), len(docs), procs.errors
    out.duplicates = sum(len(ids) - 1 for ids in by_key.values())
    out.lost = sorted(k for k in procs.acks if k not in by_key)
    out.moved = sorted(k for k, i in procs.acks.items() if k in by_key and i and by_key[k] != [i])
    out.compactions = getattr(journal.load(path, cipher=cipher), "generation", 1) - 1
    out.stale_temps = [p.name for p in folder.iterdir() if ".tmp-" in p.name]
    return out


def crash_test(root: Path, rounds: int, kills_per_round: int, writers: int = 3, seed: int = 9,
               max_pause: float = 0.03, cipher: Any = None) -> Outcome:
    """``rounds`` rounds (each in a new folder under ``root``); the caller sets ``journal.COMPACT_MIN_BYTES``.
    ``cipher``: run on an encrypted file (see the module's docstring)."""
    rng = random.Random(seed)
    total = Outcome()
    for n in range(rounds):
        folder = root / f"round-{n}"
        folder.mkdir()
        total.add(run_round(folder, kills_per_round, writers, rng, max_pause, cipher))
    return total
