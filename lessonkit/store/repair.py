"""``restore``: one way back for a damaged database file, a convening's or the library's.

Nothing is ever deleted: the files as they were are copied into ``NAME.damaged-STAMP/`` before anything is
written. A journal with damaged lines is repaired in place (the good lines kept, the journal kept aside); a
snapshot that cannot be read is rebuilt from the last good copy plus every journal line that reads cleanly.
Whatever the files hold (garbage, lines of the wrong shape, documents that are not objects), restore ends with a
readable database or one clear error, and leaves the files it could not use unchanged.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from lessonkit.errors import CorruptStoreError, NotFoundError
from lessonkit.i18n import _
from lessonkit.store import aside, journal
from lessonkit.store.age_cipher import Cipher


@dataclass(frozen=True)
class Restored:
    """What restore did: ``status`` is "fine" (nothing to do), "repaired" (damaged journal lines kept aside, the
    rest kept) or "restored" (rebuilt from the last good copy)."""

    status: str
    aside: Path | None = None
    restored_from: Path | None = None
    replayed: int = 0
    damaged: tuple[str, ...] = ()


def restore(path: Path, force: bool = False, cipher: Cipher | None = None) -> Restored:
    """Repair or rebuild the database file ``path`` (see the module's docstring). ``force`` rebuilds from the last
    good copy even when the file reads fine (later changes stay in the folder set aside). ``cipher``: the keys of an
    encrypted convening (what is set aside stays encrypted: it is copied as it is)."""
    from lessonkit.store.tinydb_store import TinyDBStore

    with TinyDBStore(path)._locked():
        if not force:
            found = _repair_in_place(path, cipher)
            if found is not None:
                return found
        return _rebuild(path, cipher)


def _repair_in_place(path: Path, cipher: Cipher | None) -> Restored | None:
    """Restored ("fine" or "repaired") when the snapshot reads; None when it needs rebuilding."""
    journal.forget(path)
    try:
        snap = journal.load(path, exclusive=True, settle=False, cipher=cipher)
    except CorruptStoreError:
        return None
    if not (snap.damage or snap.torn_tail):
        return Restored("fine")
    damaged = aside.describe(snap.damage, snap.lines + 1 if snap.torn_tail else None)
    kept = journal.compact(path, snap)
    return Restored("repaired", kept, None, 0, tuple(damaged))


def _rebuild(path: Path, cipher: Cipher | None) -> Restored:
    good = journal.last_good_path(path)
    if not good.exists():
        raise NotFoundError(_("There is no last good copy of {path} ({good}).").format(path=path, good=good))
    try:
        journal.recover(good, None, cipher)
    except CorruptStoreError as exc:
        raise CorruptStoreError(
            _("The last good copy {good} cannot be read either, so nothing was changed: keep the files and ask for "
              "help.").format(good=good),
            str(good),
        ) from exc
    folder = aside.new_folder(path)
    jpath = journal.journal_path(path)
    for p in (path, jpath):
        if p.exists():
            aside.copy_into(folder, p)
    kept_good = folder / "restored-from.lastgood"
    shutil.copyfile(good, kept_good)
    recovered = journal.recover(kept_good, folder / jpath.name, cipher)
    if recovered.damage:
        report = [_("Damaged lines of {file}, left out by restore:").format(file=jpath.name), *recovered.damage]
        (folder / aside.REPORT).write_text("\n".join(report) + "\n", encoding="utf-8")
    journal.create(path, recovered.tables, cipher)
    journal.forget(path)
    return Restored("restored", folder, good, recovered.replayed, recovered.damage)

