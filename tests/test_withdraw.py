"""Consent withdrawal and the extra redaction terms: services on both stores, the files on disk, the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import report_seed
from support import run_cli

from lessonkit import services
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.services.redact_terms import add_terms, list_terms, redactor_for, remove_terms
from lessonkit.services.withdraw import audit_log, withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace

KIRI_NOTE = "Door-to-door surveys run by young people"
KIRI_PROPOSAL = "shared travel fund that the parties contribute to"


@pytest.fixture
def seeded(workspace: BaseWorkspace) -> BaseWorkspace:
    report_seed.seed(workspace)
    return workspace


def everything(store) -> str:  # type: ignore[no-untyped-def]
    with store.read() as tx:
        return json.dumps({t: tx.all(t) for t in ("notes", "mou_amendments", "mou_positions", "scoring_ratings")})


def test_withdrawal_removes_a_persons_words_in_one_step(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    services.merge_notes(store, 1, 2)  # Sol's duplicate folded into Kiri's note
    assert KIRI_NOTE in everything(store) and KIRI_PROPOSAL in everything(store)
    result = withdraw_participant(store, "demo-bbbb", by="Facilitator")
    assert result.counts() == {
        "notes": 2, "proposals": 1, "positions": 1, "ratings": 1, "risks": 0, "ledger": 0, "reflections": 0,
        "ballots": 0, "answers": 0, "statements": 0,
    }
    text = everything(store)
    assert KIRI_NOTE not in text and KIRI_PROPOSAL not in text and "cannot pay their own travel" not in text
    assert all(r["participant_id"] != 2 for r in store.all("scoring_ratings"))
    assert services.participant_by_code(store, "DEMO-BBBB").consent.record is False
    sol = store.get("notes", 1)
    assert sol["moderation"] == "visible" and sol["merged_into"] is None  # no longer merged into a deleted note
    (line,) = audit_log(store)
    assert line["action"] == "consent withdrawn" and line["participant_id"] == 2 and line["by"] == "Facilitator"
    assert line["removed"] == result.counts() and "Kiri" not in json.dumps(line)


def test_withdrawal_of_an_unknown_code_changes_nothing(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    before = everything(store)
    with pytest.raises(NotFoundError, match="join code"):
        withdraw_participant(store, "ZZZZ-ZZZZ")
    assert everything(store) == before and audit_log(store) == []


def test_withdrawn_words_are_gone_from_every_file_on_disk(disk_workspace: Workspace) -> None:
    report_seed.seed(disk_workspace)
    store = disk_workspace.store("demo")
    for _ in range(3):  # a journal with history, then a compaction's last good copy
        services.raise_sensitivity(store, 2, "network")
    withdraw_participant(store, "DEMO-BBBB")
    files = list((disk_workspace.home / "convenings").iterdir())
    assert files and not any(KIRI_NOTE.encode() in p.read_bytes() for p in files if p.is_file())


def test_extra_terms_are_kept_per_convening(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "a", "A")
    store = workspace.store("a")
    assert list_terms(store) == []
    assert add_terms(store, ["Lakeview", " lakeview ", "Pinecrest  Union"]) == ["Lakeview", "Pinecrest Union"]
    assert redactor_for(store)("Lakeview and the pinecrest union") == "[redacted] and the [redacted]"
    with pytest.raises(NotFoundError, match="not on the list"):
        remove_terms(store, ["Nowhere"])
    assert remove_terms(store, ["LAKEVIEW"]) == ["Pinecrest Union"]
    with pytest.raises(ValidationError, match="term"):
        add_terms(store, [""])
    assert list_terms(store) == ["Pinecrest Union"]


def test_the_commands(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    report_seed.seed(Workspace(home))
    out = run_cli("convening", "redact-terms", "demo", "--add", "Harbour", "--remove", "Riverbend", home=home)
    assert out.returncode == 0 and "Harbour" in out.stdout and "Riverbend" not in out.stdout
    refused = run_cli("participant", "withdraw", "demo", "DEMO-BBBB", home=home, input="n\n")
    assert refused.returncode == 1 and KIRI_NOTE in everything(Workspace(home).store("demo"))
    done = run_cli("participant", "withdraw", "demo", "DEMO-BBBB", "--yes", "--format", "json", home=home)
    assert done.returncode == 0 and json.loads(done.stdout)["removed"]["notes"] == 2
    assert KIRI_NOTE not in everything(Workspace(home).store("demo"))
    unknown = run_cli("participant", "withdraw", "demo", "NOPE-NOPE", "--yes", home=home)
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: The join code")
