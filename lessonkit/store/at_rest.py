"""Turning a convening file's encryption on and off, changing its key, and destroying it: whole-file operations.

Each runs under the exclusive lock, reads the data once, and writes it again through a compaction (snapshot, last
good copy, a new journal), so no old byte of the other kind is left in those files. The order makes a kill at any
moment safe:

- encrypt: the keys file first, then the compaction. Killed in between, the convening is encrypted with its plain
  data still in place; that data is read (never refused) and encrypted by the next process that holds the lock.
- decrypt: the plain compaction first, then the keys file goes. Killed in between, it is still encrypted: the next
  unlocked process encrypts the plain data again, and ``decrypt`` can be run again.
- new key: the new keys file (which keeps the old key, to read what was encrypted to it) first, then the
  compaction with the new key.

Folders of damaged files set aside (``NAME.damaged-*``) are converted too: on encrypt each file in them (but the
damage report, which quotes nobody) becomes a whole age file; on decrypt such files are opened again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lessonkit.store import aside, journal, keyring, sealed_index
from lessonkit.store import keys as keyfile
from lessonkit.store.age_cipher import CannotDecrypt, Cipher, is_sealed
from lessonkit.store.snapshot import Tables, write_atomic
from lessonkit.store.tinydb_store import TinyDBStore


def aside_files(path: Path) -> Iterator[Path]:
    """Every file in the folders of damaged files set aside for ``path`` (except their reports)."""
    for folder in sorted(path.parent.glob(f"{path.name}.damaged-*")):
        if folder.is_dir():
            for item in sorted(folder.iterdir()):
                if item.is_file() and item.name != aside.REPORT:
                    yield item


def _load_alone(path: Path, cipher: Cipher | None) -> journal.Snapshot:
    journal.forget(path)
    return journal.load(path, cipher=cipher)


def encrypt(path: Path, keys: keyfile.KeysFile, cipher: Cipher) -> Tables:
    """Encrypt the plain convening file ``path`` with new ``keys`` (unlocked as ``cipher``); returns its tables."""
    with TinyDBStore(path)._locked():
        snap = _load_alone(path, None)
        aside.clean_stale_temps(path.parent, f".{path.name}.")
        keyfile.write(path, keys)
        keyring.remember(path, keys, list(cipher.identities))
        snap.cipher = cipher
        journal.compact(path, snap)
        for item in aside_files(path):
            data = item.read_bytes()
            if not is_sealed(data):
                write_atomic(item, cipher.seal(data, padded=False))
        sealed_index.publish(path, snap.tables, cipher)
        journal.forget(path)
        return snap.tables


def decrypt(path: Path, cipher: Cipher) -> list[Path]:
    """Write the encrypted convening file ``path`` plainly again and remove its keys, index and lock mark. Returns
    the files set aside that could not be opened (left as they are)."""
    kept: list[Path] = []
    with TinyDBStore(path)._locked():
        snap = _load_alone(path, cipher)
        snap.cipher = None
        journal.compact(path, snap)
        for item in aside_files(path):
            data = item.read_bytes()
            if is_sealed(data):
                try:
                    write_atomic(item, cipher.open(data))
                except CannotDecrypt:
                    kept.append(item)
        sealed_index.remove(path)
        keyfile.keys_path(path).unlink(missing_ok=True)
        keyring.lock_mark_path(path).unlink(missing_ok=True)
        keyring.forget(path)
    return kept


def rekey(path: Path, reader: Cipher, keys: keyfile.KeysFile, cipher: Cipher) -> None:
    """Re-encrypt convening file ``path`` (readable with ``reader``) to new ``keys`` (unlocked as ``cipher``)."""
    with TinyDBStore(path)._locked():
        snap = _load_alone(path, reader)
        keyfile.write(path, keys)
        keyring.remember(path, keys, list(cipher.identities))
        snap.cipher = cipher
        journal.compact(path, snap)
        sealed_index.publish(path, snap.tables, cipher)
        journal.forget(path)


def shred(path: Path) -> list[Path]:
    """Destroy the key (overwritten, flushed, deleted), then delete every file of convening ``path``: the
    snapshot, journal, last good copy, index, lock files, damaged files set aside. Needs no passphrase. Returns what
    was deleted."""
    removed: list[Path] = []
    with TinyDBStore(path)._locked():
        if keyfile.destroy(path):
            removed.append(keyfile.keys_path(path))
        keyring.forget(path)
        sealed_index.remove(path)
        for suffix in ("", ".journal", ".lastgood", ".index", ".locked", ".journal.synced", ".journal.synclock"):
            item = Path(str(path) + suffix)
            if item.exists():
                item.unlink()
                removed.append(item)
        for folder in sorted(path.parent.glob(f"{path.name}.damaged-*")):
            for item in sorted(folder.iterdir()) if folder.is_dir() else []:
                item.unlink()
                removed.append(item)
            if folder.is_dir():
                folder.rmdir()
        aside.clean_stale_temps(path.parent, f".{path.name}.")
    Path(str(path) + ".lock").unlink(missing_ok=True)
    journal.forget(path)
    return removed
