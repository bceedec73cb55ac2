"""CouchDB-style revision trees for library documents, as pure functions.

A revision is ``N-hash``: ``N`` counts the edits since the document was created, ``hash`` names this edit. A document
keeps its **leaves** (the newest revision of each branch) with their ancestry (``_revisions``: ``start`` and the
hashes newest first). Two laptops that edit the same revision offline make two leaves: a conflict. As in CouchDB,
every peer picks the same winner (not deleted, then the highest ``N``, then the highest hash) and keeps the
others until a person resolves them; a resolution writes the chosen body on top of the winner and a deletion on
top of every other leaf.

Revision hashes are deterministic (the parent revision, the deletion flag and the body's fingerprint): two
laptops that import the same module get the same first revision, so nothing conflicts that did not change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

# How many ancestor hashes a leaf remembers (CouchDB's _revs_limit defaults to 1000).
REVS_LIMIT = 100
# This laptop's record id is never sent; the time of the last edit travels but does not make a new revision.
LOCAL_FIELDS = frozenset({"id"})
NOT_IN_DIGEST = LOCAL_FIELDS | {"updated"}
DOC_PREFIX = "module:"


class Merge(str, Enum):
    """What an incoming revision did to a document's leaves."""

    KNOWN = "known"  # this revision (or a descendant of it) is already here
    EXTENDED = "extended"  # it continues one of the leaves
    BRANCHED = "branched"  # it starts a new branch: a conflict, unless one of the two is a deletion


def parse_rev(rev: str) -> tuple[int, str]:
    """``"3-abc"`` → ``(3, "abc")``; a malformed revision raises ValueError."""
    number, sep, name = str(rev).partition("-")
    if not sep or not name or not number.isdigit() or int(number) < 1:
        raise ValueError(f"not a revision: {rev!r}")
    return int(number), name


def body_digest(body: dict[str, Any]) -> str:
    """A fingerprint of what a document says (this laptop's bookkeeping and CouchDB's ``_`` fields excluded)."""
    shared = {k: v for k, v in body.items() if k not in NOT_IN_DIGEST and not k.startswith("_")}
    raw = json.dumps(shared, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Leaf:
    """The newest revision of one branch of a document, with its ancestry and (unless stored elsewhere) body."""

    rev: str
    ids: tuple[str, ...]
    deleted: bool = False
    digest: str = ""
    here: bool = False  # written on this laptop rather than received
    body: dict[str, Any] | None = None

    @property
    def generation(self) -> int:
        return parse_rev(self.rev)[0]

    def ancestry(self) -> list[str]:
        """This revision and its known ancestors, newest first, as full ``N-hash`` revisions."""
        start = self.generation
        return [f"{start - i}-{h}" for i, h in enumerate(self.ids)]

    def revisions(self) -> dict[str, Any]:
        """CouchDB's ``_revisions`` field."""
        return {"start": self.generation, "ids": list(self.ids)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "rev": self.rev,
            "ids": list(self.ids),
            "deleted": self.deleted,
            "digest": self.digest,
            "here": self.here,
            "body": self.body,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Leaf:
        return cls(
            str(data["rev"]),
            tuple(str(i) for i in data.get("ids") or ()),
            bool(data.get("deleted")),
            str(data.get("digest") or ""),
            bool(data.get("here")),
            data.get("body"),
        )


def _sort_key(leaf: Leaf) -> tuple[bool, int, str]:
    return (not leaf.deleted, leaf.generation, parse_rev(leaf.rev)[1])


def winner(leaves: Iterable[Leaf]) -> Leaf | None:
    """The revision every peer shows: not deleted first, then the longest history, then the highest hash."""
    return max(leaves, key=_sort_key, default=None)


def conflicts(leaves: Iterable[Leaf]) -> list[Leaf]:
    """Leaves a person must settle: every live leaf other than the winner (deleted branches are not conflicts)."""
    leaves = list(leaves)
    top = winner(leaves)
    return [leaf for leaf in leaves if leaf is not top and not leaf.deleted]


def knows(leaves: Iterable[Leaf], rev: str) -> bool:
    """True when ``rev`` is one of the leaves or one of their ancestors."""
    return any(rev in leaf.ancestry() for leaf in leaves)


def child(parent: Leaf | None, digest: str, *, deleted: bool = False, body: dict[str, Any] | None = None) -> Leaf:
    """A new revision written here on top of ``parent`` (None: the document's first revision)."""
    parent_rev = parent.rev if parent else ""
    generation = (parent.generation if parent else 0) + 1
    raw = json.dumps([parent_rev, deleted, "" if deleted else digest])
    name = hashlib.md5(raw.encode("utf-8")).hexdigest()  # noqa: S324 (a name, not a secret; CouchDB uses MD5 too)
    ids = (name, *(parent.ids if parent else ()))[:REVS_LIMIT]
    return Leaf(f"{generation}-{name}", ids, deleted, "" if deleted else digest, True, None if deleted else body)


def merge(leaves: Iterable[Leaf], incoming: Leaf) -> tuple[tuple[Leaf, ...], Merge]:
    """Add a revision received from another peer to a document's leaves."""
    current = tuple(leaves)
    if knows(current, incoming.rev):
        return current, Merge.KNOWN
    ancestry = set(incoming.ancestry())
    for i, leaf in enumerate(current):
        if leaf.rev in ancestry:
            return (*current[:i], incoming, *current[i + 1 :]), Merge.EXTENDED
    return (*current, incoming), Merge.BRANCHED


def resolve(leaves: Iterable[Leaf], digest: str, body: dict[str, Any] | None = None) -> tuple[Leaf, ...]:
    """Settle a conflict the CouchDB way: the chosen body on top of the winner, a deletion on every other leaf."""
    current = tuple(leaves)
    top = winner(current)
    if top is None:
        raise ValueError("a document without revisions has nothing to resolve")
    out = [child(top, digest, body=body)]
    for leaf in current:
        if leaf is top:
            continue
        out.append(leaf if leaf.deleted else child(leaf, "", deleted=True))
    return tuple(out)


def leaf_from_doc(doc: dict[str, Any]) -> Leaf:
    """A revision received from CouchDB (with ``_revisions``); raises ValueError when it is malformed."""
    rev = str(doc.get("_rev") or "")
    generation, name = parse_rev(rev)
    revisions = doc.get("_revisions") or {}
    ids = tuple(str(i) for i in revisions.get("ids") or (name,))
    if not ids or ids[0] != name or int(revisions.get("start", generation)) != generation:
        raise ValueError(f"revision history does not match {rev!r}")
    deleted = bool(doc.get("_deleted"))
    body = None if deleted else {k: v for k, v in doc.items() if not k.startswith("_")}
    return Leaf(rev, ids[:REVS_LIMIT], deleted, "" if body is None else body_digest(body), False, body)


def couch_doc(doc_id: str, leaf: Leaf, body: dict[str, Any] | None) -> dict[str, Any]:
    """The document to send with ``_bulk_docs`` and ``new_edits: false`` (a deletion carries no content)."""
    head = {"_id": doc_id, "_rev": leaf.rev, "_revisions": leaf.revisions()}
    if leaf.deleted:
        return {**head, "_deleted": True}
    shared = {k: v for k, v in (body or {}).items() if k not in LOCAL_FIELDS and not k.startswith("_")}
    return {**head, **shared}


def doc_id(slug: str) -> str:
    return DOC_PREFIX + slug


def slug_of(document_id: str) -> str | None:
    """The module slug a server document id names, or None for documents that are not library modules."""
    return document_id[len(DOC_PREFIX) :] if document_id.startswith(DOC_PREFIX) else None


def replace_body(leaf: Leaf, body: dict[str, Any] | None) -> Leaf:
    return replace(leaf, body=body)
