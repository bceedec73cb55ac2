"""Encryption at rest, issue 12's "done when": an encrypted convening with notes, participants and bundles leaves no
participant text, name or join code in plain text under the workspace; the facilitator reads it all back with the
passphrase; a wrong passphrase is one line and changes nothing; the participant server holds no secret key;
withdrawal and restore work on encrypted stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from crypto_support import PASSPHRASE, encrypted_convening, hold_keys, leaks

from lessonkit import services
from lessonkit.domain.records import Participant
from lessonkit.errors import LockedError, WrongPassphraseError
from lessonkit.services import encryption as enc
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import journal, keyring
from lessonkit.store import journal_lines as lines
from lessonkit.store.age_cipher import Cipher, is_sealed
from lessonkit.store.workspace import Workspace

PEOPLE = [("Amaru Quispe Huanca", "Red de Vecinas del Sur"), ("Oksana Hrytsenko", "Kharkiv Tenants' Circle")]
NOTES = ["The landlord cut the water on Calle Nueve", "Police came to the union meeting twice", "Rent doubled in March"]


def seeded(ws: Workspace, slug: str = "safe") -> tuple[Cipher, list[Participant], int]:
    """An encrypted convening: two people, an open session, notes by the facilitator and through the participant
    server, a restricted one among them."""
    cipher = encrypted_convening(ws, slug)
    store = ws.store(slug)
    people = [services.add_participant(store, n, o, consent={"share_up_to": "network"}) for n, o in PEOPLE]
    session = services.add_session(store, "What did you hear?", "Name one change", allow_anonymous=True)
    services.submit_note(store, session.id, "need", NOTES[0], join_code=people[0].join_code)
    services.submit_note(store, session.id, "risk", NOTES[2], sensitivity="network", join_code=people[1].join_code)
    assert session.id is not None
    return cipher, people, session.id


#: what the risk register, the ledger and reflections hold of people (issue 16's tables, encrypted like the rest)
CARE = {
    "risk": "Checkpoint on the Ruta Sur bridge", "mitigation": "Travel in pairs past the mill",
    "group": "Barrio Nuevo Water Committee", "line": "Generator fuel for the clinic",
    "evidence": "Receipt signed by Tomasa", "changed": "We now rotate who speaks to the press",
    "stubborn": "The council still ignores our letters", "questions": "How do we protect the youngest organisers?",
}


def add_care_and_reflections(ws: Workspace, people: list[Participant], monkeypatch: pytest.MonkeyPatch) -> None:
    """A risk with a group's rating, a ledger line with evidence (the facilitator's unlocked process), and a
    reflection sent through the participant server (which holds no key)."""
    from lessonkit.services import ledger, reflections, risks

    store = ws.store("safe")
    risk = risks.add_risk(store, CARE["risk"], "physical-safety", 4, 5, group=CARE["group"],
                          mitigations=[CARE["mitigation"]], join_code=people[1].join_code, sensitivity="restricted")
    risks.rate_risk(store, risk.id or 0, CARE["group"], 3, 5)
    ledger.add_line(store, CARE["group"], "Clinic", "goods", 20, "l", CARE["line"], status="delivered",
                    evidence=CARE["evidence"], join_code=people[0].join_code)
    as_participant_server(monkeypatch)
    reflections.submit_reflection(ws.store("safe"), CARE["changed"], CARE["stubborn"], CARE["questions"],
                                  join_code=people[0].join_code)
    monkeypatch.delenv("LESSONKIT_ROLE")
    hold_keys(ws.path_for("safe"))


def as_participant_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process from now on opens convenings as the participant server does (and holds no key)."""
    monkeypatch.setenv("LESSONKIT_ROLE", "participant")
    keyring.forget_all()


def secrets_of(people: list[Participant]) -> list[str]:
    return [s for p in people for s in (p.name, p.organization, p.join_code, p.pseudonym)] + NOTES


def test_an_encrypted_convening_leaves_nothing_readable_and_reads_back_with_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(tmp_path / "ws")
    _cipher, people, session_id = seeded(ws)
    from lessonkit.export import export_bundle, share_bundle
    from lessonkit.services import ledger, reflections, risks

    add_care_and_reflections(ws, people, monkeypatch)
    export_bundle(ws, "safe", ws.home / "exports" / "whole.zip")
    share_bundle(ws, "safe", ws.home / "exports" / "network.zip", "network")
    as_participant_server(monkeypatch)
    services.submit_note(ws.store("safe"), session_id, "risk", NOTES[1], sensitivity="restricted",
                         join_code=people[0].join_code)
    monkeypatch.delenv("LESSONKIT_ROLE")

    assert leaks(ws.home, secrets_of(people) + list(CARE.values())) == []
    assert not [p for p in ws.home.rglob("*") if p.is_file() and b"AGE-SECRET-KEY" in p.read_bytes()]

    with pytest.raises(LockedError):
        ws.store("safe")
    enc.unlock_convening(ws, "safe", PASSPHRASE)  # the one real unlock: about a second of scrypt
    store = ws.store("safe")
    assert sorted(n.text for n in services.list_notes(store)) == sorted(NOTES)
    assert [(p.name, p.organization) for p in services.list_participants(store)] == PEOPLE
    assert [(r.title, r.mitigations) for r in risks.list_risks(store)] == [(CARE["risk"], (CARE["mitigation"],))]
    assert [r.group for r in risks.list_ratings(store)] == [CARE["group"]]
    assert [(e.what, e.evidence) for e in ledger.list_lines(store)] == [(CARE["line"], CARE["evidence"])]
    assert [(r.changed, r.author_id) for r in reflections.list_reflections(store)] == [(CARE["changed"], people[0].id)]


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    seeded(ws)
    keyring.lock(ws.path_for("safe"))
    before = {p: p.read_bytes() for p in ws.home.rglob("*") if p.is_file()}
    with pytest.raises(WrongPassphraseError) as caught:
        enc.unlock_convening(ws, "safe", PASSPHRASE.upper())
    assert "\n" not in str(caught.value) and "Wrong passphrase for 'safe'" in str(caught.value)
    assert {p: p.read_bytes() for p in ws.home.rglob("*") if p.is_file()} == before
    assert keyring.unlocked(ws.path_for("safe")) is None
    hold_keys(ws.path_for("safe"))
    enc.change_passphrase(ws, "safe", "another long passphrase")
    enc.lock_convening(ws, "safe")
    assert enc.unlock_convening(ws, "safe", "another long passphrase").unlocked


def test_a_lost_passphrase_is_recovered_only_with_the_recovery_key(tmp_path: Path) -> None:
    import dataclasses

    from crypto_support import shared_keys

    from lessonkit.store import keys as keyfile
    from lessonkit.store.age_cipher import new_identity

    sheet = new_identity()
    keys, identities = shared_keys()
    ws = Workspace(tmp_path / "ws")
    path = ws.path_for("safe")
    path.parent.mkdir(parents=True)
    with_sheet = dataclasses.replace(keys, recovery=(str(sheet.to_public()),))
    keyfile.write(path, with_sheet)
    services.create_convening(ws, "safe", "Quiet", cipher=keyring.remember(path, with_sheet, list(identities)))
    services.add_participant(ws.store("safe"), *PEOPLE[0])
    enc.lock_convening(ws, "safe")
    before = {p: p.read_bytes() for p in ws.home.rglob("*") if p.is_file()}
    with pytest.raises(Exception, match="does not open"):
        enc.recover_convening(ws, "safe", str(new_identity()), "a brand new passphrase")
    assert {p: p.read_bytes() for p in ws.home.rglob("*") if p.is_file()} == before
    status = enc.recover_convening(ws, "safe", f"# recovery sheet\n{sheet}\n", "a brand new passphrase")
    assert status.unlocked and status.recipient != keys.recipient and status.recovery == with_sheet.recovery
    assert [p.name for p in services.list_participants(ws.store("safe"))] == [PEOPLE[0][0]]


PARTICIPANT_SCRIPT = r"""
import builtins, io, json, os, sys
opened = set()
real_open, real_os_open = io.open, os.open
def spy_open(file, *a, **k):
    opened.add(os.path.basename(str(file)))
    return real_open(file, *a, **k)
def spy_os_open(path, *a, **k):
    opened.add(os.path.basename(str(path)))
    return real_os_open(path, *a, **k)
builtins.open = io.open = spy_open
os.open = spy_os_open
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.context import open_store
from lessonkit.store import keyring
store = open_store()
form = ListeningForm(store, code=sys.argv[1])
form.text.value = "Sent from the participant server"
form.submit.click()
print(json.dumps({"store": type(store).__name__, "status": form.status.value, "opened": sorted(opened),
                  "consent": form.consent.summary.value, "unlocked": len(keyring._UNLOCKED),
                  "state": repr(vars(store)), "env": sorted(os.environ)}))
"""


def test_the_participant_server_works_without_any_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What it is given: its settings and environment (no passphrase even when the facilitator's shell has one)
    and the files it reads (the index and the journal, never the keys, the snapshot or the last good copy)."""
    from lessonkit.serve import ServeConfig, lab_env, server_env, settings

    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    monkeypatch.setenv("LESSONKIT_PASSPHRASE", PASSPHRASE)
    cfg = ServeConfig(home=ws.home, convening="safe", port=1)
    env = server_env(cfg)
    given = json.dumps(settings(cfg)) + json.dumps(env)
    assert PASSPHRASE not in given and "AGE-SECRET-KEY" not in given and env["LESSONKIT_ROLE"] == "participant"
    lab = lab_env(cfg)  # the facilitator's JupyterLab: not the participant role, and no passphrase either
    assert "LESSONKIT_ROLE" not in lab and PASSPHRASE not in json.dumps(lab)
    run = subprocess.run([sys.executable, "-c", PARTICIPANT_SCRIPT, people[0].join_code], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.splitlines()[-1])
    assert seen["store"] == "SealedAppendStore" and seen["unlocked"] == 0
    assert "your note was saved" in seen["status"] and "tell the facilitator" in seen["consent"]
    touched = {name for name in seen["opened"] if "safe.json" in name}
    assert {"safe.json.index", "safe.json.journal"} <= touched, touched
    assert not touched & {"safe.json", "safe.json.keys", "safe.json.lastgood"}, touched
    assert "Identity" not in seen["state"] and "LESSONKIT_PASSPHRASE" not in seen["env"]
    texts = [n.text for n in services.list_notes(ws.store("safe"))]
    assert "Sent from the participant server" in texts


def test_the_participant_form_recognises_codes_from_sealed_entries_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.ui.mou_amend import amendment_app
    from lessonkit.ui.participant import ListeningForm

    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    monkeypatch.setenv("LESSONKIT_HOME", str(ws.home))
    monkeypatch.setenv("LESSONKIT_CONVENING", "safe")
    as_participant_server(monkeypatch)
    store = ws.store("safe")
    form = ListeningForm(store)
    form.code.value = people[0].join_code.lower().replace("-", "")
    assert "recognised" in form.code_hint.value and people[0].pseudonym in form.consent.summary.value
    assert people[0].name not in form.consent.summary.value
    assert [o[1] for o in form.sensitivity.options] == ["network", "convening", "restricted"]
    form.code.value = "AAAA-AAAA"
    assert "not found" in form.code_hint.value
    assert "not available" in amendment_app().value
    from lessonkit.ui.room import room_app

    assert isinstance(room_app().children[0], ListeningForm)  # the page that follows the room: listening only
    form.code.value = people[1].join_code
    form.consent.save.click()  # the controls are hidden; a click that got through changes nothing
    assert "Not changed" in form.consent.status.value
    from lessonkit.ui.reflect import ReflectionForm

    reflect = ReflectionForm(store)  # issue 16's participant page: it only appends, so it works here too
    reflect.code.value = people[0].join_code
    assert "recognised" in reflect.code_hint.value
    reflect.changed.value = "We rotate who speaks"
    reflect.submit.click()
    assert "your reflection was saved" in reflect.status.value and reflect.changed.value == ""
    monkeypatch.delenv("LESSONKIT_ROLE")
    hold_keys(ws.path_for("safe"))
    from lessonkit.services.reflections import list_reflections

    assert [(r.changed, r.author_id) for r in list_reflections(ws.store("safe"))] == [
        ("We rotate who speaks", people[0].id)
    ]


def test_withdrawal_removes_the_words_from_every_encrypted_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    cipher, people, _sid = seeded(ws)
    store = ws.store("safe")
    withdraw_participant(store, people[0].join_code)
    path = ws.path_for("safe")
    for name in (path, journal.last_good_path(path)):
        assert NOTES[0].encode() not in cipher.open(name.read_bytes())
    for raw in journal.journal_path(path).read_bytes().splitlines()[1:]:
        assert NOTES[0] not in json.dumps(lines.decode(raw, cipher))
    assert [n.text for n in services.list_notes(store)] == [NOTES[2]]


def test_restore_rebuilds_an_encrypted_convening_and_keeps_the_damaged_file_encrypted(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    path = ws.path_for("safe")
    path.write_bytes(path.read_bytes()[:200] + b"\x00garbage")
    journal.forget(path)
    done = ws.restore("safe")
    assert done.status == "restored" and done.aside is not None
    assert sorted(n.text for n in services.list_notes(ws.store("safe"))) == sorted([NOTES[0], NOTES[2]])
    assert all(is_sealed(p.read_bytes()) for p in done.aside.iterdir() if p.name.endswith((".json", ".lastgood")))
    assert leaks(ws.home, secrets_of(people)) == []


def test_encrypting_an_existing_convening_covers_what_was_set_aside_and_decrypting_undoes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crypto_support import shared_keys

    from lessonkit.store import at_rest

    ws = Workspace(tmp_path / "ws")
    services.create_convening(ws, "open", "Open Exchange")
    store = ws.store("open")
    person = services.add_participant(store, *PEOPLE[0])
    session = services.add_session(store, "Listening")
    services.submit_note(store, session.id, "need", NOTES[0], join_code=person.join_code)
    jpath = journal.journal_path(ws.path_for("open"))
    jpath.write_bytes(jpath.read_bytes()[:-5] + b"XX\n")  # a damaged line: kept aside, plainly
    journal.forget(ws.path_for("open"))
    with monkeypatch.context() as mp:
        mp.setattr(journal.log, "warning", lambda *a, **k: None)
        services.list_notes(store)
    assert leaks(ws.home, [PEOPLE[0][0]]) != []
    keys, identities = shared_keys()
    at_rest.encrypt(ws.path_for("open"), keys, keys.cipher(list(identities)))  # what encrypt_convening does
    assert leaks(ws.home, [PEOPLE[0][0], person.join_code, NOTES[0]]) == []
    assert enc.encryption_status(ws, "open").encrypted
    assert enc.decrypt_convening(ws, "open") == []
    assert not enc.is_encrypted(ws, "open") and not is_sealed(ws.path_for("open").read_bytes())
    assert [p.name for p in services.list_participants(ws.store("open"))] == [PEOPLE[0][0]]


def test_a_new_key_re_encrypts_everything_and_shred_leaves_nothing(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    cipher, people, _sid = seeded(ws)
    old = cipher.recipients[0]
    enc.change_passphrase(ws, "safe", "a completely new passphrase", new_key=True)
    status = enc.encryption_status(ws, "safe")
    assert status.recipient != old and status.unlocked
    with pytest.raises(ValueError):
        lines.decode(journal.journal_path(ws.path_for("safe")).read_bytes().splitlines()[0] + b"x", cipher)
    assert is_sealed(ws.path_for("safe").read_bytes())
    with pytest.raises(Exception, match="decrypt"):  # the old key alone no longer opens the snapshot
        Cipher(cipher.recipients, [cipher.identities[0]]).open(ws.path_for("safe").read_bytes())
    assert len(services.list_notes(ws.store("safe"))) == 2
    with pytest.raises(Exception, match="confirm"):
        enc.shred_convening(ws, "safe", "nope")
    removed = enc.shred_convening(ws, "safe", "safe")
    assert ws.path_for("safe").with_name("safe.json.keys") in removed
    assert not [p for p in (ws.home / "convenings").iterdir() if p.name.startswith("safe.json")]
    assert not ws.exists("safe")


def test_an_encrypted_bundle_imports_with_the_passphrase_or_a_partners_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.export import export_bundle, import_bundle
    from lessonkit.store.age_cipher import new_identity

    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    own = export_bundle(ws, "safe", tmp_path / "own.zip")
    partner = new_identity()
    theirs = export_bundle(ws, "safe", tmp_path / "theirs.zip", to=[str(partner.to_public())])
    assert leaks(tmp_path, secrets_of(people)) == []
    other = Workspace(tmp_path / "other")
    keyring.set_asker(lambda slug: PASSPHRASE)
    try:
        done = import_bundle(other, own, "mine")
    finally:
        keyring.set_asker(None)
    assert done.counts["notes"] == 2 and enc.is_encrypted(other, "mine")
    assert enc.encryption_status(other, "mine").recipient == enc.encryption_status(ws, "safe").recipient
    done = import_bundle(other, theirs, "partner", identity=str(partner), new_passphrase="partner's own passphrase")
    assert [p.name for p in services.list_participants(other.store("partner"))] == [n for n, _o in PEOPLE]
    with pytest.raises(Exception, match="--identity"):
        import_bundle(other, theirs, "nobody")
    assert not other.exists("nobody") and leaks(other.home, secrets_of(people)) == []
    exported = [r.what for r in services.export_log.list_exports(ws.store("safe"))]
    assert exported == ["bundle (encrypted)", "bundle (encrypted)"]
    assert os.environ.get("LESSONKIT_PASSPHRASE") is None


def test_the_breach_report_says_what_left_and_whom_to_warn_first(tmp_path: Path) -> None:
    from lessonkit.export import share_bundle
    from lessonkit.services.breach import breach_report

    ws = Workspace(tmp_path / "ws")
    _cipher, people, session_id = seeded(ws)
    store = ws.store("safe")
    services.submit_note(store, session_id, "risk", NOTES[1], sensitivity="restricted", join_code=people[1].join_code)
    share_bundle(ws, "safe", tmp_path / "network.zip", "network")
    report = breach_report(store, "safe", True)
    assert [r.what for r in report.exports] == ["bundle (encrypted)"]
    assert [p.name for p in report.whose(report.exports[0])] == [PEOPLE[1][0]]
    assert [e.person.name for e in report.warn_first] == [PEOPLE[1][0], PEOPLE[0][0]]
    assert report.warn_first[0].stored == {"network": 1, "restricted": 1}
    from lessonkit.services import reflections

    reflections.submit_reflection(store, "We learned to rotate", sensitivity="restricted",
                                  join_code=people[0].join_code)
    reflections.submit_reflection(store, "Another", sensitivity="restricted", join_code=people[0].join_code)
    again = breach_report(store, "safe", True)
    assert [e.person.name for e in again.warn_first] == [PEOPLE[0][0], PEOPLE[1][0]]
    assert again.warn_first[0].stored == {"convening": 1, "restricted": 2}
    assert any("--new-key" in step for step in report.checklist)
    assert json.loads(json.dumps(report.to_dict()))["warn_first"][0]["exports"] == 1


def test_a_convening_locked_meanwhile_asks_again(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    seeded(ws)
    store = ws.store("safe")
    enc.lock_convening(ws, "safe")
    with pytest.raises(LockedError):
        services.list_notes(store)
    assert [(slug, type(found).__name__) for slug, found in services.list_convenings(ws)] == [
        ("safe", "LockedError")
    ]
    hold_keys(ws.path_for("safe"))
    assert len(services.list_notes(store)) == 2


def test_a_report_of_an_encrypted_convening_reads_it_in_its_own_kernel(tmp_path: Path) -> None:
    """The report kernel is a separate process: it gets the key held here through its environment, never a file,
    and the export log (inside the encrypted convening) records the report."""
    from lessonkit.export.reports import ReportJob, make_report

    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    out = tmp_path / "out" / "listening.md"
    done = make_report(ReportJob("listening", "safe", out, fmt="md", level="network", home=str(ws.home)))
    assert done.path == out and NOTES[2] in out.read_text(encoding="utf-8")
    assert [r.what for r in services.export_log.list_exports(ws.store("safe"))] == ["report listening"]
    assert keyring.HANDOFF_ENV not in os.environ and leaks(ws.home, secrets_of(people)) == []


def test_a_clone_of_an_encrypted_convening_is_encrypted_with_the_same_passphrase(tmp_path: Path) -> None:
    from lessonkit.export import clone_convening

    ws = Workspace(tmp_path / "ws")
    _cipher, people, _sid = seeded(ws)
    clone_convening(ws, "safe", "next", "Next Exchange")
    assert enc.is_encrypted(ws, "next") and is_sealed(ws.path_for("next").read_bytes())
    assert enc.encryption_status(ws, "next").recipient == enc.encryption_status(ws, "safe").recipient
    assert [s.title for s in services.list_sessions(ws.store("next"))] == ["What did you hear?"]
    assert leaks(ws.home, secrets_of(people)) == []
