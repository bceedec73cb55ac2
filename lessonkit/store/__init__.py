"""Storage: the Store seam, its TinyDB and in-memory implementations, and workspaces."""

from lessonkit.store.base import Store, Tx
from lessonkit.store.memory import MemoryStore
from lessonkit.store.workspace import BaseWorkspace, MemoryWorkspace, Workspace, default_home

__all__ = ["BaseWorkspace", "MemoryStore", "MemoryWorkspace", "Store", "Tx", "Workspace", "default_home"]
