"""Bundles: a round trip keeps every record; each hostile zip is refused and leaves the workspace as it was."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import report_seed
from support import run_cli

from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.errors import AlreadyExistsError
from lessonkit.export.bundle import BundleError, Limits, bundle_bytes, export_bundle, import_bundle
from lessonkit.export.bundle_checks import TABLE_KINDS
from lessonkit.export.bundle_clone import clone_convening
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace


@pytest.fixture
def seeded(workspace: BaseWorkspace) -> BaseWorkspace:
    report_seed.seed(workspace)
    withdraw_participant(workspace.store("demo"), "DEMO-CCCC")  # leaves gaps in the note ids and an audit line
    return workspace


def tables(ws: BaseWorkspace, slug: str) -> dict[str, list[dict]]:
    with ws.store(slug).read() as tx:
        return {name: tx.all(name) for name in TABLE_KINDS}


def test_round_trip_yields_equal_records(seeded: BaseWorkspace, tmp_path: Path) -> None:
    path = export_bundle(seeded, "demo", tmp_path / "demo.zip")
    done = import_bundle(seeded, path, as_slug="copy")
    before, after = tables(seeded, "demo"), tables(seeded, "copy")
    assert after.pop("convening")[0]["slug"] == "copy" and before.pop("convening")
    made = before.pop("exports")[-1]  # the line that logs this very bundle is written after it
    assert after.pop("exports") == []
    assert (made["what"], made["file"], made["level"]) == ("bundle", "demo.zip", "restricted")
    assert after == before and done.counts["notes"] == len(before["notes"])
    assert report_seed.RESTRICTED_NOTE not in path.read_bytes().decode("latin-1")  # withdrawn: not carried


def test_every_table_of_a_convening_is_carried(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    report_seed.seed(ws)
    withdraw_participant(ws.store("demo"), "DEMO-AAAA")
    on_disk = json.loads((tmp_path / "ws" / "convenings" / "demo.json").read_text())
    with ws.store("demo").read() as tx:
        present = {name for name in on_disk if tx.all(name)}
    assert present <= set(TABLE_KINDS)


def zip_with(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return buf.getvalue()


def members_of(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def with_manifest(members: dict[str, bytes], change: Callable[[dict], None]) -> dict[str, bytes]:
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    return {**members, "manifest.json": json.dumps(manifest).encode()}


def newer_notes(members: dict[str, bytes]) -> dict[str, bytes]:
    notes = json.loads(members["tables/notes.json"])
    notes[0]["schema_version"] = CURRENT_VERSIONS["note"] + 1
    data = json.dumps(notes).encode()

    def fix(m: dict) -> None:
        m["tables"]["notes"]["sha256"] = hashlib.sha256(data).hexdigest()

    return with_manifest({**members, "tables/notes.json": data}, fix)


HOSTILE: dict[str, tuple[Callable[[dict[str, bytes]], bytes], str]] = {
    "absolute path": (lambda m: zip_with({**m, "/etc/evil.json": b"{}"}), "absolute path or '..'"),
    "dot-dot": (lambda m: zip_with({**m, "tables/../../evil.json": b"{}"}), "absolute path or '..'"),
    "symlink": (
        lambda m: zip_with({**m, "tables/link.json": b"/etc/passwd"}, links=("tables/link.json",)),
        "is a link",
    ),
    "oversized member": (lambda m: zip_with({**m, "tables/notes.json": b" " * 200_000}), "bytes; the limit is"),
    "too many members": (lambda m: zip_with({**m, **{f"x{i}": b"" for i in range(40)}}), "members; the limit is"),
    "unlisted member": (lambda m: zip_with({**m, "extra.txt": b"hi"}), "not listed in the manifest"),
    "checksum mismatch": (
        lambda m: zip_with({**m, "tables/notes.json": m["tables/notes.json"].replace(b"public", b"PUBLIC")}),
        "checksum",
    ),
    "newer records": (lambda m: zip_with(newer_notes(m)), "newer than this lessonkit"),
    "newer manifest": (
        lambda m: zip_with(with_manifest(m, lambda x: x["schema_versions"].update(note=99))),
        "newer than this lessonkit",
    ),
    "newer format": (lambda m: zip_with(with_manifest(m, lambda x: x.update(format_version=2))), "newer lessonkit"),
    "not a zip": (lambda m: b"PK\x03\x04 not really", "not a zip file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_bundles_are_refused_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    report_seed.seed(ws)
    make, message = HOSTILE[case]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make(members_of(bundle_bytes(ws.store("demo"), "demo"))))
    before = sorted(p.name for p in (tmp_path / "ws" / "convenings").iterdir())
    limits = Limits(max_members=30, max_member_bytes=150_000)  # the demo memorandum in six languages is ~45 kB
    with pytest.raises(BundleError, match="nothing was imported") as refused:
        import_bundle(ws, bad, as_slug="copy", limits=limits)
    assert message in str(refused.value)
    assert sorted(p.name for p in (tmp_path / "ws" / "convenings").iterdir()) == before
    assert ws.slugs() == ["demo"]


def test_an_existing_name_is_refused_before_writing(seeded: BaseWorkspace, tmp_path: Path) -> None:
    path = export_bundle(seeded, "demo", tmp_path / "demo.zip")
    with pytest.raises(AlreadyExistsError, match="--as"):
        import_bundle(seeded, path)


def test_clone_reuses_prompts_memorandum_profiles_and_terms_never_words(seeded: BaseWorkspace) -> None:
    from lessonkit.domain.rubric import ContextProfile
    from lessonkit.services.mou import get_mou
    from lessonkit.services.scoring import load_rubric, save_profile

    old = seeded.store("demo")
    rubric = load_rubric()
    save_profile(old, ContextProfile.from_dict({"name": "River town", "ratings": report_seed.all_ratings(2)}, rubric))
    made = clone_convening(seeded, "demo", "next", title="Next exchange")
    assert (made.sessions, made.mou, made.profiles, made.terms) == (2, "template", 1, 3)
    new = tables(seeded, "next")
    assert new["convening"][0]["title"] == "Next exchange" and new["convening"][0]["start"] is None
    assert [s["prompts"] for s in new["sessions"]] == [s["prompts"] for s in tables(seeded, "demo")["sessions"]]
    assert not any(s["is_open"] for s in new["sessions"])
    for table in ("participants", "notes", "mou_positions", "mou_amendments", "scoring_ratings", "audit"):
        assert new[table] == []
    state = get_mou(seeded.store("next"))
    assert state.latest.number == 1 and state.record.parties == () and "Copied from" in state.latest.summary


def test_the_commands(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    report_seed.seed(Workspace(home))
    out = run_cli("convening", "export", "demo", "--out", str(tmp_path / "b.zip"), home=home)
    assert out.returncode == 0 and "keep it safe" in out.stdout
    imported = run_cli("convening", "import", str(tmp_path / "b.zip"), "--as", "copy", "--format", "json", home=home)
    assert imported.returncode == 0 and json.loads(imported.stdout)["slug"] == "copy"
    (tmp_path / "bad.zip").write_bytes(zip_with({"../x": b""}))
    bad = run_cli("convening", "import", str(tmp_path / "bad.zip"), home=home)
    assert bad.returncode == 1 and "nothing was imported" in bad.stderr and len(bad.stderr.splitlines()) == 1
    cloned = run_cli("convening", "clone", "demo", "next", home=home)
    assert cloned.returncode == 0 and "No participants or notes were copied" in cloned.stdout
    assert Workspace(home).slugs() == ["copy", "demo", "next"]
