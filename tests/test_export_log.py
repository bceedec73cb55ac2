"""The export log: every data export, bundle and clone adds a line to its convening (reports: test_reports_pdf)."""

from __future__ import annotations

import json
from pathlib import Path

import report_seed
from support import run_cli

from lessonkit import services
from lessonkit.export.bundle import export_bundle
from lessonkit.export.bundle_clone import clone_convening
from lessonkit.export.bundle_share import share_bundle
from lessonkit.export.data_export import export_data, write_data
from lessonkit.services.export_log import list_exports
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace


def test_data_exports_bundles_and_clones_are_logged(workspace: BaseWorkspace, tmp_path: Path) -> None:
    report_seed.seed(workspace)
    store = workspace.store("demo")
    notes = export_data("notes", store=store, level="public")
    write_data(notes, "csv", tmp_path / "private-folder" / "notes.csv")
    export_bundle(workspace, "demo", tmp_path / "backup.zip")
    share_bundle(workspace, "demo", tmp_path / "for-next.zip", "network")
    clone_convening(workspace, "demo", "next", by="Ana")
    log = list_exports(store)
    assert [(r.what, r.level.value, r.file) for r in log] == [
        ("export notes", "public", "notes.csv"),  # the file's name only: folders can name people or places
        ("bundle", "restricted", "backup.zip"),
        ("bundle", "network", "for-next.zip"),
        ("clone", "network", "next"),
    ]
    first = log[0]
    assert (first.included, first.withheld, first.redacted) == (len(notes.rows), notes.withheld, notes.redacted)
    kiri = next(p.id for p in services.list_participants(store) if p.name == "Kiri Moana")
    assert first.participant_ids == (kiri,)  # only Kiri's words go out at public
    assert set(log[1].participant_ids) == {1, 2, 3, 4} and log[1].included > 0  # a backup holds everyone's
    assert log[3].by == "Ana" and log[0].at <= log[3].at
    assert list_exports(workspace.store("next")) == []


def test_a_shared_bundle_holds_only_what_may_go_out(workspace: BaseWorkspace, tmp_path: Path) -> None:
    from lessonkit.export.bundle import import_bundle

    report_seed.seed(workspace)
    path, scope = share_bundle(workspace, "demo", tmp_path / "shared.zip", "public")
    raw = path.read_bytes().decode("latin-1")
    for secret in ("DEMO-", "Kiri", "Falcon", "kiri.moana@", "Safe house"):
        assert secret not in raw
    made = import_bundle(workspace, path, as_slug="shared")
    assert made.counts["notes"] == scope.tally.included and "participants" not in made.counts
    with workspace.store("shared").read() as tx:
        notes = tx.all("notes")
    assert notes and all(n["author_id"] is None and n["sensitivity"] == "public" for n in notes)


def test_the_exports_command(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    report_seed.seed(Workspace(home))
    printed = run_cli("export", "demo", "--what", "notes", home=home)
    assert printed.returncode == 0
    listed = run_cli("convening", "exports", "demo", "--format", "json", home=home)
    rows = json.loads(listed.stdout)
    assert [(r["what"], r["level"], r["file"]) for r in rows] == [("export notes", "public", "")]
    assert rows[0]["participant_ids"] == [2]
    assert "export notes" in run_cli("convening", "exports", "demo", home=home).stdout
