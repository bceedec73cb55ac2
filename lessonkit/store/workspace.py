"""A workspace is a folder: one database file per convening, one for the case library."""

from __future__ import annotations

import os
import shutil
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path

from lessonkit.domain.validation import slug as check_slug
from lessonkit.errors import AlreadyExistsError, NotFoundError, StoreError
from lessonkit.i18n import _
from lessonkit.store import journal
from lessonkit.store.base import Store
from lessonkit.store.memory import MemoryStore


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
    def _create(self, slug: str) -> Store: ...

    @abstractmethod
    def library(self) -> Store: ...

    def exists(self, slug: str) -> bool:
        return slug in self.slugs()

    def store(self, slug: str) -> Store:
        """The store of an existing convening; a clear error lists the ones there are."""
        if not self.exists(slug):
            known = ", ".join(self.slugs()) or _("none yet")
            raise NotFoundError(
                _("There is no convening '{slug}' in this workspace (known: {known}). "
                  "Create it with `lessonkit convening create`.").format(slug=slug, known=known)
            )
        return self._open(slug)

    def create_store(self, slug: str) -> Store:
        slug = check_slug("slug", slug)
        if self.exists(slug):
            raise AlreadyExistsError(
                _("A convening '{slug}' already exists: choose another short name.").format(slug=slug)
            )
        return self._create(slug)


class Workspace(BaseWorkspace):
    """A folder on disk (``--home``, ``LESSONKIT_HOME`` or the user data folder)."""

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = Path(home).expanduser() if home else default_home()
        self.convenings_dir = self.home / "convenings"

    def __repr__(self) -> str:
        return f"Workspace({str(self.home)!r})"

    def path_for(self, slug: str) -> Path:
        return self.convenings_dir / f"{check_slug('slug', slug)}.json"

    def slugs(self) -> list[str]:
        if not self.convenings_dir.is_dir():
            return []
        return sorted(p.name[:-5] for p in self.convenings_dir.glob("*.json") if not p.name.startswith("."))

    def _open(self, slug: str) -> Store:
        from lessonkit.store.tinydb_store import TinyDBStore

        return TinyDBStore(self.path_for(slug))

    def _create(self, slug: str) -> Store:
        from lessonkit.store.tinydb_store import TinyDBStore

        self.convenings_dir.mkdir(parents=True, exist_ok=True)
        return TinyDBStore.create(self.path_for(slug))

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

    def restore(self, slug: str) -> tuple[Path, Path, int]:
        """Move a damaged convening file (and its journal) aside and continue from the last good copy.

        The last good copy is replayed with every journal line that still reads cleanly, so an intact journal loses
        nothing. Returns (the folder now holding the damaged files, the last good copy, journal lines replayed).
        Nothing is deleted.
        """
        from lessonkit.store.tinydb_store import TinyDBStore

        path = self.path_for(slug)
        good = journal.last_good_path(path)
        if not good.exists():
            raise NotFoundError(_("There is no last good copy of '{slug}' ({good}).").format(slug=slug, good=good))
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        with TinyDBStore(path)._locked():
            aside.mkdir()
            journal.forget_synced(journal.journal_path(path))
            for p in (path, journal.journal_path(path)):
                if p.exists():
                    os.replace(p, aside / p.name)
            shutil.copyfile(good, aside / "restored-from.lastgood")
            tables, replayed = journal.recover(good, aside / journal.journal_path(path).name)
            journal.write_atomic(path, journal.dumps(tables))
            journal.write_atomic(good, journal.dumps(tables))
            journal.forget(path)
        return aside, good, replayed


class MemoryWorkspace(BaseWorkspace):
    """Convenings held in memory, for tests."""

    def __init__(self) -> None:
        self._stores: dict[str, MemoryStore] = {}
        self._library = MemoryStore()

    def slugs(self) -> list[str]:
        return sorted(self._stores)

    def _open(self, slug: str) -> Store:
        return self._stores[slug]

    def _create(self, slug: str) -> Store:
        self._stores[slug] = MemoryStore()
        return self._stores[slug]

    def library(self) -> Store:
        return self._library
