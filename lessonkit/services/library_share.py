"""Share levels and deletion of library modules: what the next ``lessonkit library sync`` will send.

Raising a module to ``network`` or ``public`` lets it leave at the next sync. Lowering a module that was already sent
(or deleting it) sends a deletion, which every other laptop applies; the server keeps the old revisions until its
administrator purges them (``_purge`` does not replicate), so only share what may be shared network-wide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from lessonkit.domain.levels import parse_enum
from lessonkit.domain.library import Module
from lessonkit.domain.modules import ShareLevel
from lessonkit.domain.sharing import check_share, may_leave
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import TABLE, find_doc, unknown_module_message
from lessonkit.services.library_revs import REVS, Record
from lessonkit.store.base import Store, Tx


@dataclass(frozen=True)
class ShareChange:
    """One module's new level; ``withdraws`` when the next sync sends a deletion for it."""

    module: Module
    withdraws: bool


def _require(tx: Tx, slug: str) -> Module:
    doc = find_doc(tx, slug)
    if doc is None:
        raise NotFoundError(unknown_module_message(slug, [d["slug"] for d in tx.all(TABLE)]))
    return Module.from_dict(doc)


def on_server(tx: Tx, slug: str) -> bool:
    """True when a revision of ``slug`` went to (or came from) the server and no deletion was sent for it since."""
    docs = tx.search(REVS, lambda d: d.get("slug") == slug)
    if not docs:
        return False
    record = Record.from_doc(docs[0])
    return not record.withdrawn and any(not x.deleted for x in record.leaves)


def is_shared(store: Store, slug: str) -> bool:
    """True when deleting or withdrawing ``slug`` here would send a deletion to every laptop of the network."""
    with store.read() as tx:
        return on_server(tx, slug)


def share_modules(
    store: Store, slugs: Iterable[str], level: str | ShareLevel, *, origin: str | None = None
) -> list[ShareChange]:
    """Set the share level of the named modules (and, with ``origin``, every module imported from it) at once.

    Every module is checked first; a level one of them may not take changes nothing.
    """
    wanted: ShareLevel = parse_enum(ShareLevel, "level", level)  # type: ignore[assignment]
    names = list(dict.fromkeys(slugs))
    changes: list[ShareChange] = []
    with store.transaction() as tx:
        modules = [_require(tx, s) for s in names]
        if origin:
            modules += [
                m
                for m in (Module.from_dict(d) for d in tx.all(TABLE))
                if m.origin.format == origin and m.slug not in names
            ]
        if not modules:
            raise ValidationError(
                "slug", _("name at least one module, or use --origin (for example --origin beautiful-trouble).")
            )
        for module in modules:
            check_share(module, wanted)
        for module in modules:
            if module.share is wanted:
                changes.append(ShareChange(module, False))
                continue
            changed = replace(module, share=wanted)
            tx.update(TABLE, module.id, {"share": wanted.value})  # type: ignore[arg-type]
            changes.append(ShareChange(changed, not may_leave(changed) and on_server(tx, module.slug)))
    return changes


def delete_module(store: Store, slug: str) -> bool:
    """Remove a module from this library; True when the next sync sends the deletion to the network."""
    with store.transaction() as tx:
        module = _require(tx, slug)
        shared = on_server(tx, slug)
        tx.remove(TABLE, module.id)  # type: ignore[arg-type]
    return shared
