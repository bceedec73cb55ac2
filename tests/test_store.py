"""The Store contract, run against both the in-memory and the TinyDB store."""

from __future__ import annotations

import pytest

from lessonkit.errors import AlreadyExistsError, NotFoundError
from lessonkit.store.base import ReadOnlyError
from lessonkit.store.workspace import BaseWorkspace


def test_insert_get_update_remove(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    a = store.insert("notes", {"text": "one"})
    b = store.insert("notes", {"text": "two"})
    assert (a, b) == (1, 2)
    assert store.get("notes", a) == {"id": 1, "text": "one"}
    store.update("notes", a, {"text": "uno", "id": 99})
    assert store.get("notes", a) == {"id": 1, "text": "uno"}
    store.remove("notes", b)
    assert [d["text"] for d in store.all("notes")] == ["uno"]
    assert store.get("notes", b) is None
    with pytest.raises(NotFoundError):
        store.update("notes", 42, {"x": 1})
    with pytest.raises(NotFoundError):
        store.remove("notes", 42)


def test_search_and_empty_tables(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    assert store.all("nothing-here") == []
    for i in range(5):
        store.insert("notes", {"n": i})
    assert [d["n"] for d in store.search("notes", lambda d: d["n"] % 2 == 0)] == [0, 2, 4]


def test_transaction_is_all_or_nothing(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    store.insert("notes", {"text": "kept"})
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.insert("notes", {"text": "lost"})
            tx.update("notes", 1, {"text": "changed"})
            raise RuntimeError("boom")
    assert store.all("notes") == [{"id": 1, "text": "kept"}]


def test_transaction_sees_its_own_writes(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    with store.transaction() as tx:
        doc_id = tx.insert("p", {"name": "Ana"})
        assert tx.get("p", doc_id) == {"id": doc_id, "name": "Ana"}
        tx.update("p", doc_id, {"name": "Ana M."})
        assert [d["name"] for d in tx.all("p")] == ["Ana M."]
    assert store.get("p", doc_id)["name"] == "Ana M."  # type: ignore[index]


def test_read_view_refuses_writes(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    with pytest.raises(ReadOnlyError):
        with store.read() as tx:
            tx.insert("notes", {"x": 1})
    assert store.all("notes") == []


def test_returned_documents_are_copies(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    store.insert("notes", {"tags": ["a"]})
    doc = store.get("notes", 1)
    doc["tags"].append("mutated")  # type: ignore[index]
    doc["text"] = "mutated"  # type: ignore[index]
    assert store.get("notes", 1) == {"id": 1, "tags": ["a"]}


def test_version_changes_on_write(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    before = store.version()
    assert store.version() == before
    store.insert("notes", {"x": 1})
    assert store.version() != before


def test_workspace_lists_and_refuses_duplicates(workspace: BaseWorkspace) -> None:
    workspace.create_store("b-conv")
    workspace.create_store("a-conv")
    assert workspace.slugs() == ["a-conv", "b-conv"]
    with pytest.raises(AlreadyExistsError):
        workspace.create_store("a-conv")
    with pytest.raises(NotFoundError, match="a-conv, b-conv"):
        workspace.store("missing")


def test_append_checks_then_inserts_with_the_next_id(workspace: BaseWorkspace) -> None:
    store = workspace.create_store("c1")
    store.insert("notes", {"n": 0})
    seen: list[int] = []

    def build(tx):  # type: ignore[no-untyped-def]
        seen.append(len(tx.all("notes")))
        return {"n": 1}

    assert store.append("notes", build) == 2
    assert seen == [1]
    assert store.insert("notes", {"n": 2}) == 3  # transactions and appends share one id sequence
    with pytest.raises(ValueError):
        store.append("notes", lambda tx: (_ for _ in ()).throw(ValueError("refused")))
    assert [d["n"] for d in store.all("notes")] == [0, 1, 2]
