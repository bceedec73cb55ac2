"""Bundles are checked record by record with the domain's own validation, and ids cost nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import report_seed

from lessonkit.errors import ValidationError
from lessonkit.export.bundle import BundleError, bundle_bytes, import_bundle
from lessonkit.services import hide_note, list_notes, merge_notes, submit_note
from lessonkit.services.redact_terms import list_terms
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import save_round_target
from lessonkit.services.tables import CONVENING_TABLES, check_record
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.memory import _MemoryTx
from lessonkit.store.tinydb_store import _TinyTx
from lessonkit.store.workspace import BaseWorkspace


def rewritten(bundle: bytes, table: str, change: Callable[[list[dict[str, Any]]], None]) -> bytes:
    """The bundle with ``change`` applied to the records of ``table`` (checksums and counts kept right)."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    docs = json.loads(members[f"tables/{table}.json"])
    change(docs)
    data = json.dumps(docs).encode()
    members[f"tables/{table}.json"] = data
    manifest["tables"][table].update(count=len(docs), bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    members["manifest.json"] = json.dumps(manifest).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, member in members.items():
            zf.writestr(name, member)
    return buf.getvalue()


@pytest.fixture
def seeded(workspace: BaseWorkspace) -> BaseWorkspace:
    report_seed.seed(workspace)
    return workspace


def test_a_record_id_of_five_million_costs_nothing(
    seeded: BaseWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On main: one filler insert per missing id, more than 5 minutes. Now no insert runs per id at all."""

    def no_fillers(*args: object) -> int:
        raise AssertionError("an import must not insert records one id at a time")

    monkeypatch.setattr(_MemoryTx, "insert", no_fillers)
    monkeypatch.setattr(_TinyTx, "insert", no_fillers)
    bundle = rewritten(bundle_bytes(seeded.store("demo"), "demo"), "notes", lambda d: d[-1].update(id=5_000_000))
    (tmp_path / "big.zip").write_bytes(bundle)
    import_bundle(seeded, tmp_path / "big.zip", as_slug="copy")
    monkeypatch.undo()
    store = seeded.store("copy")
    assert max(n.id or 0 for n in list_notes(store)) == 5_000_000
    assert submit_note(store, 1, "need", "after the import", join_code="DEMO-AAAA").id == 5_000_001


def bundle_with_terms(tmp_path: Path) -> tuple[Workspace, Path]:
    ws = Workspace(tmp_path / "ws")
    report_seed.seed(ws)
    path = tmp_path / "demo.zip"
    path.write_bytes(bundle_bytes(ws.store("demo"), "demo"))
    return ws, path


def test_an_import_killed_at_any_step_leaves_nothing_or_everything(tmp_path: Path) -> None:
    """On main a kill after the convening file was created and before it was filled left an empty convening."""
    ws, bundle = bundle_with_terms(tmp_path)
    expected = len(list_notes(ws.store("demo"), respect_consent=False))
    real_fsync = os.fsync
    step, outcomes = 0, []
    while True:
        step += 1
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            calls = [0]

            def fsync(fd: int, calls: list[int] = calls, step: int = step) -> None:
                calls[0] += 1
                if calls[0] == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                real_fsync(fd)

            os.fsync = fsync
            try:
                import_bundle(Workspace(tmp_path / "ws"), bundle, as_slug=f"copy-{step}")
            finally:
                os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status)
        slug = f"copy-{step}"
        present = ws.exists(slug)
        outcomes.append((killed, present))
        if present:
            assert len(list_notes(ws.store(slug), respect_consent=False)) == expected
        else:
            assert killed
        if not killed:
            break
    assert any(killed and not present for killed, present in outcomes)  # some kills came before the end
    ws.create_store("after")  # the next writer sweeps what dead importers left in the temp files
    assert not [p.name for p in (tmp_path / "ws" / "convenings").iterdir() if ".tmp-" in p.name]


def set_field(table: str, index: int, **fields: Any) -> Callable[[list[dict[str, Any]]], None]:
    return lambda docs: docs[index].update(fields)


HOSTILE_RECORDS: dict[str, tuple[str, Callable[[list[dict[str, Any]]], None], str]] = {
    "terms not a list": ("redaction_terms", set_field("redaction_terms", 0, terms=5), "redaction_terms.terms"),
    "a term with NUL": ("redaction_terms", set_field("redaction_terms", 0, terms=["a\x00b"]), "U+0000"),
    "unknown note field": ("notes", set_field("notes", 0, colour="red"), "notes.colour"),
    "name with NUL": ("participants", set_field("participants", 0, name="Ki\x00ri"), "participants.name"),
    "empty session title": ("sessions", set_field("sessions", 0, title=""), "sessions.title"),
    "note in no session": ("notes", set_field("notes", 0, session_id=99), "notes.session_id"),
    "note by nobody": ("notes", set_field("notes", 0, author_id=77), "notes.author_id"),
    "rating by nobody": ("scoring_ratings", set_field("scoring_ratings", 0, participant_id=99), "participant_id"),
    "bad sensitivity": ("notes", set_field("notes", 0, sensitivity="everyone"), "notes.sensitivity"),
    "audit counts": ("audit", set_field("audit", 0, removed={"notes": "all"}), "audit.removed"),
    "version not a number": ("mou_versions", set_field("mou_versions", 0, number="one"), "mou_versions"),
    "id too large": ("notes", set_field("notes", 0, id=10**20), "no valid, unique id"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_RECORDS))
def test_every_record_is_validated_by_its_domain_code(case: str, tmp_path: Path) -> None:
    """On main `{"terms": 5}` was imported, then `notes list`, `export` and `report` crashed."""
    ws, bundle = bundle_with_terms(tmp_path)
    withdraw_participant(ws.store("demo"), "DEMO-CCCC")  # an audit line
    bundle.write_bytes(bundle_bytes(ws.store("demo"), "demo"))
    table, change, named = HOSTILE_RECORDS[case]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(rewritten(bundle.read_bytes(), table, change))
    with pytest.raises(BundleError, match="nothing was imported") as refused:
        import_bundle(ws, bad, as_slug="copy")
    assert named in str(refused.value)
    assert ws.slugs() == ["demo"]


def test_every_record_the_services_write_passes_its_tables_check(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    save_round_target(store, 1, load_rubric(report_seed.RUBRIC_NAME))
    hide_note(store, 1)
    merge_notes(store, 3, 2)
    withdraw_participant(store, "DEMO-CCCC")
    with store.read() as tx:
        checked = {name: [check_record(name, d) for d in tx.all(name)] for name in CONVENING_TABLES}
    assert all(checked[name] for name in ("context_profiles", "audit", "redaction_terms", "scoring_ratings"))
    assert list_terms(store) == report_seed.EXTRA_TERMS


def test_an_unknown_field_is_named_with_its_table() -> None:
    with pytest.raises(ValidationError) as err:
        check_record("sessions", {"title": "Listening", "colour": "red"})
    assert err.value.field == "sessions.colour"
