"""Encryption at rest, at the store: lines, snapshot, compaction, damage, the participant server's appends, crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from crash_harness import crash_test
from crypto_support import hold_keys, leaks, unlocked_cipher

from lessonkit.errors import LockedError
from lessonkit.store import journal, keyring, sealed_index
from lessonkit.store import journal_lines as lines
from lessonkit.store.age_cipher import is_sealed
from lessonkit.store.snapshot import write_atomic
from lessonkit.store.tinydb_store import TinyDBStore

WORDS = "The landlord on Calle Nueve cut the water"


def encrypted_file(tmp_path: Path) -> tuple[Path, TinyDBStore]:
    path = tmp_path / "convenings" / "c.json"
    cipher = hold_keys(path)
    return path, TinyDBStore.create(path, cipher=cipher)


def test_an_encrypted_line_reads_back_only_with_the_key_and_names_only_its_table() -> None:
    cipher = unlocked_cipher()
    line = lines.encode({"a": ["notes", {"text": WORDS}], "t": "t1"}, cipher)
    assert WORDS.encode() not in line and line.startswith(line[:8] + b" age:notes:") and line.endswith(b"\n")
    assert lines.decode(line[:-1], cipher)["a"][1]["text"] == WORDS
    with pytest.raises(ValueError):
        lines.decode(line[:-1], cipher.public())  # the participant server cannot read it back
    header, _jid = lines.header(1)
    assert lines.encode(lines.decode(header[:-1]), cipher) == header  # the header stays plain: it names nobody


def test_a_damaged_encrypted_line_is_found_without_the_key_and_still_reserves_its_id() -> None:
    cipher = unlocked_cipher()
    line = bytearray(lines.encode({"a": ["notes", {"text": WORDS}], "t": "t1"}, cipher)[:-1])
    line[60] ^= 0x04  # one byte inside the ciphertext
    (damage,) = lines.read_lines(bytes(line), 2, 100, ["notes"], cipher)
    assert isinstance(damage, lines.Damage) and damage.reserves == (("notes", 0),)
    line[60] ^= 0x04
    line[40:50] = b"ZZZZZZZZZZ"  # more than one byte: the table in front still says which id it took
    (damage,) = lines.read_lines(bytes(line), 2, 100, ["notes"], cipher)
    assert isinstance(damage, lines.Damage) and damage.reserves == (("notes", 0),)


def test_every_file_of_an_encrypted_store_is_ciphertext_and_reads_back(tmp_path: Path) -> None:
    path, store = encrypted_file(tmp_path)
    store.insert("participants", {"name": "Amaru Quispe", "join_code": "KX7R-M3PD"})
    store.append("notes", lambda tx: {"text": WORDS})
    with store.transaction() as tx:
        tx.update("participants", 1, {"organization": "Red de Vecinas"})
    journal.compact(path, journal.load(path, cipher=store.cipher))
    store.append("notes", lambda tx: {"text": WORDS + " again"})
    assert leaks(tmp_path, ["Amaru Quispe", "KX7R-M3PD", "Red de Vecinas", WORDS]) == []
    for name in ("c.json", "c.json.lastgood"):
        assert is_sealed((path.parent / name).read_bytes())
    journal.forget(path)
    assert [d["text"] for d in store.all("notes")] == [WORDS, WORDS + " again"]
    assert store.get("participants", 1)["organization"] == "Red de Vecinas"  # type: ignore[index]


def test_damage_in_an_encrypted_journal_is_kept_aside_as_ciphertext(tmp_path: Path) -> None:
    path, store = encrypted_file(tmp_path)
    for i in range(3):
        store.append("notes", lambda tx, i=i: {"text": f"{WORDS} {i}"})
    jpath = journal.journal_path(path)
    raw = bytearray(jpath.read_bytes())
    second = raw.index(b"\n", raw.index(b"\n") + 1) + 1  # the second note's line
    raw[second + 80] ^= 0x10
    jpath.write_bytes(bytes(raw))
    journal.forget(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(journal.log, "warning", lambda *a, **k: None)
        texts = [d["text"] for d in store.all("notes")]
    assert texts == [f"{WORDS} 0", f"{WORDS} 2"]
    (folder,) = path.parent.glob("c.json.damaged-*")
    assert (folder / "c.json.journal").exists() and leaks(tmp_path, [WORDS]) == []
    assert store.get("notes", 3)["text"] == f"{WORDS} 2"  # type: ignore[index]  # kept its id


def test_the_participant_server_appends_without_reading_and_never_compacts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.store.sealed_store import SealedAppendStore

    path, store = encrypted_file(tmp_path)
    sealed_index.publish(path, {}, store.cipher)  # type: ignore[arg-type]
    monkeypatch.setattr(journal, "COMPACT_MIN_BYTES", 500)
    server = SealedAppendStore(path)
    for i in range(6):
        assert server.append("notes", lambda tx, i=i: {"text": f"{WORDS} {i}"}) == 0
    assert journal.load(path, exclusive=False, cipher=store.cipher).generation == 1  # nobody compacted
    with pytest.raises(Exception, match="participant form"):
        server.insert("notes", {"text": "x"})
    journal.forget(path)
    assert [(d["id"], d["text"]) for d in store.all("notes")] == [(i + 1, f"{WORDS} {i}") for i in range(6)]
    assert journal.load(path, cipher=store.cipher).generation == 2  # the facilitator's read compacted
    assert leaks(tmp_path, [WORDS]) == []


def test_a_lock_written_by_another_process_makes_this_one_forget_the_key(tmp_path: Path) -> None:
    path, store = encrypted_file(tmp_path)
    store.insert("notes", {"text": WORDS})
    write_atomic(keyring.lock_mark_path(path), b"locked elsewhere")  # what `lessonkit convening lock` writes
    with pytest.raises(LockedError, match="locked"):
        store.all("notes")
    assert keyring.unlocked(path) is None and str(path) not in journal._CACHE


def test_plain_data_left_by_a_killed_encrypt_is_read_and_then_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "convenings" / "c.json"
    path.parent.mkdir()
    plain = TinyDBStore.create(path)
    plain.insert("notes", {"text": WORDS})
    plain.append("notes", lambda tx: {"text": WORDS + " 2"})
    cipher = hold_keys(path)  # killed right after the keys file was written
    store = TinyDBStore(path, cipher)
    journal.forget(path)
    assert [d["text"] for d in store.all("notes")] == [WORDS, WORDS + " 2"]
    assert is_sealed(path.read_bytes()) and leaks(tmp_path, [WORDS]) == []


def test_writers_killed_at_random_on_an_encrypted_file_lose_and_duplicate_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crash test of issue 9 on an encrypted file, participant-server appenders among the writers."""
    monkeypatch.setattr(journal, "COMPACT_MIN_BYTES", 3000)
    out = crash_test(tmp_path, rounds=3, kills_per_round=10, writers=3, max_pause=0.05, cipher=unlocked_cipher())
    assert out.errors == []
    assert (out.lost, out.moved, out.duplicates) == ([], [], 0)
    assert out.kills >= 30 and out.acknowledged > 40 and out.compactions >= 3
    assert out.stale_temps == []
    for round_dir in tmp_path.iterdir():
        assert is_sealed((round_dir / "c.json").read_bytes())
    assert os.environ.get("LESSONKIT_PASSPHRASE") is None
