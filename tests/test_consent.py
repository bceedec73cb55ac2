"""Consent that its owner can change: the service and its history, the form, the command, the set-up panel,
review dates that remind, and reports that leave out anyone whose review is overdue."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from support import run_cli

from lessonkit import services
from lessonkit.domain.consent import Direction, compare, plain_words
from lessonkit.domain.records import Consent
from lessonkit.errors import ConsentError
from lessonkit.export.data_export import export_data
from lessonkit.export.report_data import COVER_MIME
from lessonkit.export.report_listening import listening_report
from lessonkit.resources import data_path
from lessonkit.services.consent import change_consent, consent_history, due_reviews
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.setup_consent import ConsentPanel

KIRI = "DEMO-BBBB"  # named, shares up to public; her note "Door-to-door surveys…" is public


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        ({}, {"record": False}, Direction.NARROWER),
        ({"record": False}, {}, Direction.WIDER),
        ({"share_up_to": "public"}, {"share_up_to": "network"}, Direction.NARROWER),
        ({"attribution": "anonymous"}, {"attribution": "named"}, Direction.WIDER),
        ({"attribution": "named", "share_up_to": "public"}, {"attribution": "anonymous", "share_up_to": "public"},
         Direction.NARROWER),
        ({"attribution": "named", "share_up_to": "network"}, {"attribution": "anonymous", "share_up_to": "public"},
         Direction.MIXED),
        ({}, {"review_date": "2030-01-01"}, Direction.SAME),
    ],
)
def test_which_way_a_change_goes(old: dict, new: dict, direction: Direction) -> None:  # type: ignore[type-arg]
    assert compare(Consent.from_dict(old), Consent.from_dict(new)) is direction


def test_narrowing_is_kept_with_its_time_and_author_and_widening_needs_confirmation(
    demo_store,  # type: ignore[no-untyped-def]
) -> None:
    done = change_consent(demo_store, KIRI, {"share_up_to": "network"}, by="Ana")
    assert done.person.consent.share_up_to.value == "network" and done.change is not None
    with pytest.raises(ConsentError, match="confirmed-by-participant"):
        change_consent(demo_store, KIRI, {"share_up_to": "public"}, by="Ana")
    assert services.participant_by_code(demo_store, KIRI).consent.share_up_to.value == "network"  # unchanged
    change_consent(demo_store, KIRI, {"share_up_to": "public"}, by="Ana", note="said yes in person on 4 May")
    change_consent(demo_store, KIRI, {"share_up_to": "public"}, by="Ana")  # no change: nothing recorded
    history = consent_history(demo_store, done.person.id)
    assert [(c.direction, c.by, c.note) for c in history] == [
        (Direction.NARROWER, "Ana", ""),
        (Direction.WIDER, "Ana", "said yes in person on 4 May"),
    ]
    assert history[0].at <= history[1].at


def test_a_participant_narrows_from_the_form_and_the_next_export_obeys(demo_store) -> None:  # type: ignore[no-untyped-def]
    before = export_data("notes", store=demo_store, level="public")
    assert [r["author"] for r in before.rows] == ["Bright Otter"]
    form = ListeningForm(demo_store, code=KIRI)
    box = form.consent
    assert box.layout.display is None and "Bright Otter" in box.summary.value and "Kiri" not in box.summary.value
    box.toggle.click()
    box.share_up_to.value = "convening"
    box.save.click()
    assert "narrower" in box.status.value
    assert export_data("notes", store=demo_store, level="public").rows == []  # the next export obeys
    assert "public" not in [v for _l, v in form.sensitivity.options]  # the form offers only what consent allows
    change = consent_history(demo_store)[-1]
    assert change.by_participant and change.direction is Direction.NARROWER
    box.share_up_to.value = "public"  # widening it again is theirs to do: no confirmation needed
    box.save.click()
    assert len(export_data("notes", store=demo_store, level="public").rows) == 1


def test_who_changed_a_consent_is_stored_as_a_code_whatever_the_form_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    """A person working in Spanish changes and then withdraws their consent: the history keeps the codes
    'participant' and 'withdrawn' (never the Spanish words), and says them in the reader's language."""
    form = ListeningForm(demo_store, code=KIRI, languages=["en", "es"], language="es")
    form.consent.share_up_to.value = "convening"
    form.consent.save.click()
    form.consent.confirm_withdraw.value = True
    form.consent.withdraw.click()
    stored = demo_store.all("consent_changes")[-2:]
    assert [(d["by"], d["by_participant"], d["note"]) for d in stored] == [
        ("participant", True, ""),
        ("participant", True, "withdrawn"),
    ]
    change = consent_history(demo_store)[-1]
    assert (change.shown_by, change.shown_note) == ("the participant themselves", "withdrawn")
    facilitator = change_consent(demo_store, 1, {"share_up_to": "restricted"})
    assert facilitator.change is not None and facilitator.change.by == "facilitator"
    assert facilitator.change.shown_by == "a facilitator"


def test_withdrawing_from_the_form_needs_a_tick_then_removes_everything(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, code=KIRI)
    form.consent.withdraw.click()
    assert 'role="alert"' in form.consent.status.value
    assert any(n.author_id == 2 for n in services.list_notes(demo_store))
    form.consent.confirm_withdraw.value = True
    form.consent.withdraw.click()
    assert not any(n.author_id == 2 for n in services.list_notes(demo_store, respect_consent=False))
    assert services.participant_by_code(demo_store, KIRI).consent.record is False
    assert consent_history(demo_store)[-1].by_participant
    assert "not recorded" in form.consent.summary.value


def test_the_consent_box_stays_hidden_without_a_recognised_code(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store)
    assert form.consent.layout.display == "none"
    form.code.value = "NOPE-NOPE"
    assert form.consent.layout.display == "none"
    form.code.value = "DEMO-AAAA"
    assert form.consent.layout.display is None
    lines = plain_words(services.participant_by_code(demo_store, "DEMO-AAAA"))
    assert any("Patient Heron" in line for line in lines) and not any("Sol" in line for line in lines)


def test_reviews_due_and_reports_leave_out_overdue_consents_beyond_the_convening(
    demo_store,  # type: ignore[no-untyped-def]
) -> None:
    past = (date.today() - timedelta(days=2)).isoformat()
    soon = (date.today() + timedelta(days=5)).isoformat()
    change_consent(demo_store, KIRI, {"review_date": past})
    change_consent(demo_store, "DEMO-AAAA", {"review_date": soon})
    due = {p.join_code: state for p, state in due_reviews(demo_store)}
    assert due == {"DEMO-CCCC": "overdue", KIRI: "overdue", "DEMO-AAAA": "due soon"}
    report = listening_report(store=demo_store, level="public")
    cover = report.cover._repr_mimebundle_()[COVER_MIME]
    assert "consent review is overdue" in " ".join(cover["notes"])
    assert "Door-to-door" not in report.notes.html()
    convening = listening_report(store=demo_store, level="convening")  # inside the convening: still shown
    assert "Door-to-door" in convening.notes.html()


def test_the_set_up_panel_changes_consent_and_lists_reviews(demo_store) -> None:  # type: ignore[no-untyped-def]
    panel = ConsentPanel(demo_store)
    assert "Falcon" in panel.due.value and "overdue" in panel.due.value
    panel.person.value = 2  # Kiri Moana
    panel.share_up_to.value = "restricted"
    panel.save.click()
    assert "narrower" in panel.status.value and "narrower" in panel.history.value
    assert services.participant_by_code(demo_store, KIRI).consent.share_up_to.value == "restricted"
    panel.share_up_to.value = "public"
    panel.save.click()
    assert 'role="alert"' in panel.status.value and "confirmed" in panel.status.value
    panel.confirmation.value = "said yes on the phone, 4 May"
    panel.save.click()
    assert "wider" in panel.status.value and "said yes on the phone" in panel.history.value


def test_the_consent_and_due_commands(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    services.load_demo(Workspace(home), data_path("demo", "convening.json"))
    narrowed = run_cli("participant", "consent", "demo", KIRI, "--share-up-to", "network", "--format", "json",
                       home=home)
    assert narrowed.returncode == 0, narrowed.stderr
    assert json.loads(narrowed.stdout)["change"] == "narrower" and "join_code" not in json.loads(narrowed.stdout)
    refused = run_cli("participant", "consent", "demo", KIRI, "--attribution", "named", "--share-up-to", "public",
                      home=home)
    assert refused.returncode == 1 and "--confirmed-by-participant" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    widened = run_cli("participant", "consent", "demo", KIRI, "--share-up-to", "public",
                      "--confirmed-by-participant", "said yes in person on 4 May", home=home)
    assert widened.returncode == 0 and "wider" in widened.stdout
    nothing = run_cli("participant", "consent", "demo", KIRI, home=home)
    assert nothing.returncode == 2 and "--share-up-to" in nothing.stderr
    due = run_cli("participant", "due", "demo", "--format", "json", home=home)
    assert [(r["name"], r["state"]) for r in json.loads(due.stdout)] == [("Falcon", "overdue")]


def test_consent_changes_travel_in_a_bundle(demo_workspace: BaseWorkspace, tmp_path: Path) -> None:
    from lessonkit.export.bundle import export_bundle, import_bundle

    change_consent(demo_workspace.store("demo"), KIRI, {"record": False}, by="Ana")
    import_bundle(demo_workspace, export_bundle(demo_workspace, "demo", tmp_path / "b.zip"), as_slug="copy")
    assert [c.by for c in consent_history(demo_workspace.store("copy"))] == ["Ana"]


def test_the_pseudonym_and_countries_commands(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    made = run_cli("convening", "create", "k", "--title", "K", "--countries", "ke,pl", "--format", "json", home=home)
    assert json.loads(made.stdout)["countries"] == ["KE", "PL"]
    changed = run_cli("convening", "countries", "k", "--set", "UA", "--format", "json", home=home)
    assert json.loads(changed.stdout)["countries"] == ["UA"]
    bad = run_cli("convening", "countries", "k", "--set", "Ukraine", home=home)
    assert bad.returncode == 1 and "two-letter" in bad.stderr
    added = json.loads(run_cli("participant", "add", "k", "--name", "Olena", "--format", "json", home=home).stdout)
    assert len(added["pseudonym"].split()) == 2
    renamed = run_cli("participant", "pseudonym", "k", added["join_code"], "Quiet Lark", "--format", "json", home=home)
    assert json.loads(renamed.stdout)["pseudonym"] == "Quiet Lark"
