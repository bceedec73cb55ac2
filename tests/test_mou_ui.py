"""Memorandum panels and the participant amendment form, without a browser: set .value, .click(), read the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lessonkit.domain.mou_status import MouStatus
from lessonkit.resources import data_path
from lessonkit.services import add_participant, create_convening, load_demo
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.services.participants import set_consent
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.base import Store
from lessonkit.ui import (
    amendment_app,
    mou_document,
    mou_due,
    mou_editor,
    mou_positions,
    mou_proposals,
    mou_signoff,
    mou_versions,
)
from lessonkit.ui.mou_amend import AmendmentForm
from lessonkit.ui.mou_edit import ClauseEditor, MouEditor

VALLEY = "Green Valley Youth Forum (invented)"


@pytest.fixture
def store() -> Store:
    ws = MemoryWorkspace()
    load_demo(ws, data_path("demo", "convening.json"))
    return ws.store("demo")


def editor_for(editor: MouEditor, key: str) -> ClauseEditor:
    return next(e for e in editor.editors if e.clause.key == key)


# --- editor ---


def test_start_from_the_template() -> None:
    ws = MemoryWorkspace()
    create_convening(ws, "fresh", "Fresh")
    store = ws.store("fresh")
    add_participant(store, "Ana", "Harbour Circle")
    editor = mou_editor(store=store)
    assert editor.start in editor.children and list(editor.parties.options) == ["Harbour Circle"]
    editor.author.value = "Fac"
    editor.parties.value = ("Harbour Circle",)
    editor.start.click()
    assert has_mou(store) and "version 1" in editor.status.value
    assert len(editor.editors) == 18 and editor.sections in editor.children


def test_edit_and_save_a_new_version(store: Store) -> None:
    editor = mou_editor(store=store)
    editor_for(editor, "scope").text.value = "Visits, materials and <b>shared meals</b>."
    editor.author.value, editor.summary.value = "Fac", "Scope widened"
    editor.save.click()
    state = get_mou(store)
    assert state.latest.number == 4 and state.latest.summary == "Scope widened" and state.latest.author == "Fac"
    assert "Saved version 4" in editor.status.value
    assert editor.based_on == 4 and editor.summary.value == ""
    assert state.record.status is MouStatus.DRAFT  # editing a proposed memorandum makes it a draft again


def test_empty_clause_is_refused_and_what_was_typed_stays(store: Store) -> None:
    editor = mou_editor(store=store)
    editor_for(editor, "scope").text.value = "   "
    editor_for(editor, "purpose").text.value = "Kept text."
    editor.author.value, editor.summary.value = "Fac", "oops"
    editor.save.click()
    assert "empty" in editor.status.value and "Not saved" in editor.status.value
    assert get_mou(store).latest.number == 3
    assert editor_for(editor, "purpose").text.value == "Kept text."


def test_bad_schedule_line_names_clause_and_line(store: Store) -> None:
    editor = mou_editor(store=store)
    rotation = editor_for(editor, "rotating_leadership")
    assert rotation.lines is not None and "Falcon" in rotation.lines.value
    rotation.lines.value += "\n2027-10-01 | Falcon"
    editor.author.value, editor.summary.value = "Fac", "rotation"
    editor.save.click()
    assert "Rotating leadership" in editor.status.value and "line 4" in editor.status.value
    assert get_mou(store).latest.number == 3


def test_add_and_remove_clauses(store: Store) -> None:
    editor = mou_editor(store=store)
    editor.new_title.value = "Media contacts"
    editor.add.click()
    editor.editors[-1].text.value = "Only the coordinating party speaks to the media."
    editor_for(editor, "non_binding").remove.value = True
    editor.author.value, editor.summary.value = "Fac", "Media clause; non-binding clause removed"
    editor.save.click()
    latest = get_mou(store).latest
    assert latest.clause("media_contacts") is not None and latest.clause("non_binding") is None


def test_editor_keeps_unsaved_edits_when_a_proposal_is_accepted_meanwhile(store: Store) -> None:
    editor, inbox = mou_editor(store=store), mou_proposals(store=store)
    editor_for(editor, "scope").text.value = "My unsaved scope."
    inbox.author.value = "Fac"
    inbox.cards[0].accept.click()
    assert get_mou(store).latest.number == 4
    assert editor_for(editor, "scope").text.value == "My unsaved scope." and "saved meanwhile" in editor.status.value
    editor.author.value, editor.summary.value = "Fac", "scope"
    editor.save.click()
    assert "after you opened version 3" in editor.status.value and get_mou(store).latest.number == 4
    editor.reload.click()
    assert editor.based_on == 4 and editor_for(editor, "scope").text.value != "My unsaved scope."


# --- versions, diff, document ---


def test_versions_and_marked_diff_escape_text(store: Store) -> None:
    editor, panel = mou_editor(store=store), mou_versions(store=store)
    editor_for(editor, "scope").text.value = "Visits <script>alert(1)</script> only."
    editor.author.value, editor.summary.value = "Fac", "Scope <i>cut</i>"
    editor.save.click()
    assert panel.new.value == 4 and panel.old.value == 3
    assert "<del>" in panel.diff.value and "<ins>" in panel.diff.value
    assert "&lt;script&gt;" in panel.diff.value and "<script>" not in panel.diff.value
    assert "Scope &lt;i&gt;cut&lt;/i&gt;" in panel.listing.value
    panel.mode.value = "text"
    assert "{+" in panel.diff.value and "[-" in panel.diff.value and "<pre" in panel.diff.value
    panel.old.value = 1
    panel.new.value = 2
    assert "Rotating leadership" in panel.diff.value


def test_document_preview_and_files(tmp_path: Path) -> None:
    load_demo(Workspace(tmp_path), data_path("demo", "convening.json"))
    panel = mou_document("demo", home=str(tmp_path))
    assert "Riverbend Exchange" in panel.preview.value and "Open blocks and concerns" in panel.preview.value
    panel.version.value = 1
    panel.save_md.click()
    panel.save_html.click()
    assert (tmp_path / "exports" / "demo-mou-v1.md").read_text(encoding="utf-8").startswith("# Riverbend")
    assert "<!DOCTYPE html>" in (tmp_path / "exports" / "demo-mou-v1.html").read_text(encoding="utf-8")


# --- positions ---


def test_positions_block_needs_reason_and_lifting_it(store: Store) -> None:
    panel = mou_positions(store=store)
    block_mark = "color:#b71c1c"
    assert block_mark in panel.grid.value and "A block stops agreement" in panel.open_items.value
    panel.party.value, panel.clause.value, panel.stance.value = VALLEY, "scope", "block"
    panel.record.click()
    assert "block needs a reason" in panel.status.value and len(get_mou(store).positions) == 4
    panel.party.value, panel.clause.value, panel.stance.value = VALLEY, "resources", "agree"
    panel.reason.value = "The travel fund was added."
    panel.record.click()
    assert get_mou(store).blocks() == [] and "Recorded" in panel.status.value
    assert block_mark not in panel.grid.value and panel.reason.value == ""


# --- proposals inbox ---


def test_inbox_accepts_and_declines(store: Store) -> None:
    participant = AmendmentForm(store, code="DEMO-AAAA")
    participant.clause.value = "scope"
    participant.text.value = "Visits only."
    participant.reason.value = "Simpler."
    participant.submit.click()
    inbox = mou_proposals(store=store)
    assert len(inbox.cards) == 2 and "Kiri Moana" in inbox.cards[0].header.value
    assert "<ins>" in inbox.cards[0].header.value
    inbox.author.value = "Fac"
    inbox.cards[1].decline.click()
    assert "note" in inbox.status.value and len(get_mou(store).pending()) == 2
    inbox.cards[1].note.value = "Scope stays wide for now."
    inbox.cards[1].decline.click()
    inbox.cards[0].accept.click()
    state = get_mou(store)
    assert state.pending() == [] and state.latest.number == 4 and "accepted" in inbox.status.value
    assert "Scope stays wide for now." in inbox.decided.value


def test_inbox_hides_the_name_of_an_anonymous_participant(store: Store) -> None:
    form = AmendmentForm(store, code="DEMO-CCCC")  # Falcon: attribution anonymous, shares with facilitators only
    form.clause.value = "scope"
    form.text.value, form.reason.value = "Visits only.", "Safer."
    form.submit.click()
    card = mou_proposals(store=store).cards[-1]
    assert "Falcon" not in card.header.value and "by a participant" in card.header.value
    assert "restricted" in card.header.value


def test_inbox_hides_the_text_of_someone_who_withdrew_consent(store: Store) -> None:
    kiri = next(d["id"] for d in store.all("participants") if d["name"] == "Kiri Moana")
    set_consent(store, kiri, {"record": False})
    (card,) = mou_proposals(store=store).cards
    assert "shared travel fund" not in card.header.value and "withdrawn consent" in card.header.value
    assert "Kiri Moana" not in card.header.value and card.accept.disabled


# --- status and sign-off, due ---


def test_signoff_through_to_signed(store: Store) -> None:
    positions, panel = mou_positions(store=store), mou_signoff(store=store)
    panel.author.value = "Fac"
    agree = next(b for b in panel.steps.children if b.description == "Mark agreed")
    agree.click()
    assert "Green Valley" in panel.status.value and get_mou(store).record.status is MouStatus.PROPOSED
    positions.party.value, positions.clause.value, positions.stance.value = VALLEY, "resources", "concern"
    positions.reason.value = "We will look for the fund together."
    positions.record.click()
    next(b for b in panel.steps.children if b.description == "Mark agreed").click()
    assert get_mou(store).record.status is MouStatus.AGREED and panel.sign in panel.children
    for party in [p.name for p in get_mou(store).record.parties]:
        panel.party.value, panel.signatory.value, panel.role.value = party, "Someone", "Delegate"
        panel.signed_on.value = date(2026, 3, 12)
        panel.sign.click()
        assert "signed version 3" in panel.status.value
    state = get_mou(store)
    assert state.record.status is MouStatus.SIGNED and state.record.signed_version == 3
    assert panel.sign not in panel.children and "Start review" in [b.description for b in panel.steps.children]


def test_signing_another_version_is_refused(store: Store) -> None:
    panel = mou_signoff(store=store)
    panel.author.value = "Fac"
    next(b for b in panel.steps.children if b.description == "Back to draft").click()
    assert get_mou(store).record.status is MouStatus.DRAFT and panel.sign not in panel.children


def test_due_panel(store: Store) -> None:
    panel = mou_due(store=store, today=date(2026, 11, 21))
    assert "overdue" in panel.items.value and "Harbour Tenants Circle" in panel.items.value
    assert "Coordinating now: Green Valley" in panel.items.value
    panel.today.value = date(2026, 1, 1)
    panel.days.value = 10
    assert "Nothing is due" in panel.items.value


# --- participant amendment form ---


def test_amendment_form_from_the_link(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "code=DEMO-BBBB")
    form = amendment_app(store=store)
    assert isinstance(form, AmendmentForm) and form.form.layout.display is None
    assert "Welcome, Bright Otter" in form.status.value and "Your proposals" in form.mine.value
    form.clause.value = "purpose"
    assert "Current text" in form.current.value and form.text.value.startswith("The purpose")
    form.text.value = "To learn together, across borders."
    form.reason.value = "Shorter."
    form.submit.click()
    assert "Thank you" in form.status.value and form.reason.value == ""
    (mine,) = [a for a in get_mou(store).amendments if a.clause_key == "purpose"]
    assert mine.text == "To learn together, across borders." and mine.party == VALLEY


def test_amendment_form_errors_keep_the_text(store: Store) -> None:
    form = AmendmentForm(store)
    assert form.form.layout.display == "none"
    form.code.value = "NOPE-NOPE"
    form.go.click()
    assert "not found" in form.status.value and form.form.layout.display == "none"
    form.code.value = "demo-aaaa"
    form.go.click()
    form.clause.value = "scope"
    form.text.value = "My new scope."
    form.submit.click()
    assert "Why: " in form.status.value and form.text.value == "My new scope."
    assert len(get_mou(store).amendments) == 1


def test_amendment_form_respects_consent(store: Store) -> None:
    form = AmendmentForm(store, code="DEMO-DDDD")
    assert "not to be recorded" in form.status.value and form.form.layout.display == "none"


def test_amendment_form_without_a_memorandum() -> None:
    ws = MemoryWorkspace()
    create_convening(ws, "fresh", "Fresh")
    form = AmendmentForm(ws.store("fresh"), code="ABCD-EFGH")
    assert "no memorandum to amend yet" in form.header.value
