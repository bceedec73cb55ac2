"""A workspace is a folder: one database file per convening, one for the case library.

Opening a convening picks its store: a plain file; an encrypted one with the key this process holds (asking for the
passphrase when an asker is set, see :mod:`lessonkit.store.keyring`); or, in the participant server
(``LESSONKIT_ROLE=participant``), an encrypted one as :class:`~lessonkit.store.sealed_store.SealedAppendStore`,
which holds no key that reads.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from lessonkit.domain.validation import slug as check_slug
from lessonkit.errors import AlreadyExistsError, NotFoundError, StoreError
from lessonkit.i18n import _, pgettext
from lessonkit.store import aside
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.base import Store, Tx
from lessonkit.store.memory import MemoryStore
from lessonkit.store.repair import Restored, restore


def default_home() -> Path:
    """``LESSONKIT_HOME`` if set, else the user data folder of this system (platformdirs)."""
    env = os.environ.get("LESSONKIT_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("lessonkit", appauthor=False))


class BaseWorkspace(ABC):
    """Where the convenings live."""

    @abstractmethod
    def slugs(self) -> list[str]: ...

    @abstractmethod
    def _open(self, slug: str) -> Store: ...

    @abstractmethod
    def _create(self, slug: str, fill: Callable[[Tx], object] | None = None, cipher: Cipher | None = None) -> Store:
        ...

    @abstractmethod
    def library(self) -> Store: ...

    def exists(self, slug: str) -> bool:
        return slug in self.slugs()

    def locked(self, slug: str) -> bool:
        """Whether ``slug`` is encrypted and this process does not hold its key."""
        return False

    def store(self, slug: str) -> Store:
        """The store of an existing convening; a clear error lists the ones there are."""
        if not self.exists(slug):
            known = ", ".join(self.slugs()) or pgettext("empty list of convenings", "none yet")
            raise NotFoundError(
                _("There is no convening '{slug}' in this workspace (known: {known}). "
                  "Create it with `lessonkit convening create`.").format(slug=slug, known=known)
            )
        return self._open(slug)

    def create_store(
        self, slug: str, fill: Callable[[Tx], object] | None = None, cipher: Cipher | None = None
    ) -> Store:
        """A new convening. ``fill`` writes its first records: the convening then appears with all of them or (if
        ``fill`` raises, or the process is killed) not at all. ``cipher``: its keys, to encrypt it from the start
        (their keys file must already be written, see :mod:`lessonkit.services.encryption`)."""
        slug = check_slug("slug", slug)
        if self.exists(slug):
            raise AlreadyExistsError(
                _("A convening '{slug}' already exists: choose another short name.").format(slug=slug)
            )
        return self._create(slug, fill, cipher)


class Workspace(BaseWorkspace):
    """A folder on disk (``--home``, ``LESSONKIT_HOME`` or the user data folder)."""

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = Path(home).expanduser() if home else default_home()
        self.convenings_dir = self.home / "convenings"

    def __repr__(self) -> str:
        return f"Workspace({str(self.home)!r})"

    def path_for(self, slug: str) -> Path:
        return self.convenings_dir / f"{check_slug('slug', slug)}.json"

    def locked(self, slug: str) -> bool:
        from lessonkit.store import keyring
        from lessonkit.store.keys import is_encrypted

        path = self.path_for(slug)
        return is_encrypted(path) and keyring.unlocked(path) is None

    def slugs(self) -> list[str]:
        if not self.convenings_dir.is_dir():
            return []
        return sorted(p.name[:-5] for p in self.convenings_dir.glob("*.json") if not p.name.startswith("."))

    def _open(self, slug: str) -> Store:
        from lessonkit.store import keyring
        from lessonkit.store.keys import is_encrypted
        from lessonkit.store.tinydb_store import TinyDBStore

        path = self.path_for(slug)
        if is_encrypted(path) and os.environ.get("LESSONKIT_ROLE") == "participant":
            from lessonkit.store.sealed_store import SealedAppendStore

            return SealedAppendStore(path)
        return TinyDBStore(path, keyring.cipher_for(path))

    def _create(self, slug: str, fill: Callable[[Tx], object] | None = None, cipher: Cipher | None = None) -> Store:
        from lessonkit.store.tinydb_store import TinyDBStore

        self.convenings_dir.mkdir(parents=True, exist_ok=True)
        aside.clean_stale_temps(self.convenings_dir)  # an import or compaction killed half-way
        try:
            return TinyDBStore.create(self.path_for(slug), fill, cipher)
        except StoreError:
            if self.path_for(slug).exists():
                raise AlreadyExistsError(
                    _("A convening '{slug}' already exists: choose another short name.").format(slug=slug)
                ) from None
            raise

    def library(self) -> Store:
        from lessonkit.store.tinydb_store import TinyDBStore

        path = self.home / "library.json"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            try:
                return TinyDBStore.create(path)
            except StoreError:
                pass  # another process created it first
        return TinyDBStore(path)

    def restore(self, slug: str, force: bool = False) -> Restored:
        """Repair or rebuild a damaged convening file (see :mod:`lessonkit.store.repair`); nothing is deleted."""
        from lessonkit.store import keyring

        self.store(slug)  # one clear error when there is no such convening
        path = self.path_for(slug)
        cipher = keyring.cipher_for(path)
        done = restore(path, force, cipher)
        if cipher is not None:
            from lessonkit.store.tinydb_store import TinyDBStore

            TinyDBStore(path, cipher).publish()
        return done

    def restore_library(self, force: bool = False) -> Restored:
        """The same for the case library."""
        path = self.home / "library.json"
        if not path.exists():
            raise NotFoundError(_("There is no library in {home} yet.").format(home=self.home))
        return restore(path, force)


class MemoryWorkspace(BaseWorkspace):
    """Convenings held in memory, for tests."""

    def __init__(self) -> None:
        self._stores: dict[str, MemoryStore] = {}
        self._library = MemoryStore()

    def slugs(self) -> list[str]:
        return sorted(self._stores)

    def _open(self, slug: str) -> Store:
        return self._stores[slug]

    def _create(self, slug: str, fill: Callable[[Tx], object] | None = None, cipher: Cipher | None = None) -> Store:
        if cipher is not None:
            raise StoreError(_("Encryption at rest needs a workspace on disk."))
        store = MemoryStore()
        if fill is not None:
            with store.transaction() as tx:
                fill(tx)
        self._stores[slug] = store
        return store

    def library(self) -> Store:
        return self._library
