"""The disclosure layer: one table of cases on both stores, and every front end giving the same set for a level."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from lessonkit import services
from lessonkit.domain.levels import Moderation, Sensitivity
from lessonkit.domain.records import Note, Participant
from lessonkit.services.disclosure import Disclosure, Purpose, Withheld
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

TODAY = date.today()
OVERDUE = (TODAY - timedelta(days=3)).isoformat()
LATER = (TODAY + timedelta(days=300)).isoformat()


@dataclass(frozen=True)
class Case:
    level: str
    share: str | None  # the author's share_up_to; None: an anonymous note (no author)
    record: bool
    attribution: str
    sensitivity: str
    moderation: str = "visible"
    withdrawn: bool = False  # the author withdrew (services.withdraw: their words are deleted)
    overdue: bool = False  # the author's consent review date has passed
    shown: bool = True
    label: str = ""  # "name", "pseudonym" or "anonymous"
    why: Withheld | None = None


CASES = [
    # public: names never, pseudonyms as consent says, review overdue keeps words in
    Case("public", "public", True, "named", "public", label="pseudonym"),
    Case("public", "public", True, "pseudonym", "public", label="pseudonym"),
    Case("public", "public", True, "anonymous", "public", label="anonymous"),
    Case("public", "network", True, "pseudonym", "public", shown=False, why=Withheld.CONSENT),
    Case("public", "public", True, "pseudonym", "network", shown=False, why=Withheld.SENSITIVITY),
    Case("public", "public", False, "named", "public", shown=False, why=Withheld.NOT_RECORDED),
    Case("public", "public", True, "named", "public", moderation="hidden", shown=False, why=Withheld.HIDDEN),
    Case("public", "public", True, "named", "public", moderation="merged", shown=False),  # counted, not a row
    Case("public", "public", True, "pseudonym", "public", withdrawn=True, shown=False),
    Case("public", "public", True, "pseudonym", "public", overdue=True, shown=False, why=Withheld.REVIEW_OVERDUE),
    Case("public", None, True, "", "public", label="anonymous"),
    Case("public", None, True, "", "network", shown=False, why=Withheld.SENSITIVITY),
    # network
    Case("network", "network", True, "named", "network", label="pseudonym"),
    Case("network", "network", True, "pseudonym", "public", label="pseudonym"),
    Case("network", "convening", True, "named", "network", shown=False, why=Withheld.CONSENT),
    Case("network", "network", True, "named", "network", overdue=True, shown=False, why=Withheld.REVIEW_OVERDUE),
    Case("network", "public", True, "anonymous", "restricted", shown=False, why=Withheld.SENSITIVITY),
    # convening: names inside, an overdue review does not keep words in
    Case("convening", "convening", True, "named", "convening", label="name"),
    Case("convening", "public", True, "named", "public", overdue=True, label="name"),
    Case("convening", "convening", True, "anonymous", "convening", label="anonymous"),
    Case("convening", "restricted", True, "named", "convening", shown=False, why=Withheld.CONSENT),
    Case("convening", "convening", True, "pseudonym", "restricted", shown=False, why=Withheld.SENSITIVITY),
    Case("convening", "convening", False, "named", "convening", shown=False, why=Withheld.NOT_RECORDED),
    Case("convening", "convening", True, "named", "convening", withdrawn=True, shown=False),
    # restricted: the facilitators' own view
    Case("restricted", "restricted", True, "pseudonym", "restricted", label="pseudonym"),
    Case("restricted", "restricted", True, "named", "restricted", label="name"),
    Case("restricted", "restricted", True, "named", "restricted", moderation="hidden", shown=False),
    Case("restricted", "public", True, "named", "public", withdrawn=True, shown=False),
    Case("restricted", "restricted", False, "anonymous", "restricted", shown=False, why=Withheld.NOT_RECORDED),
    Case("restricted", None, True, "", "restricted", label="anonymous"),
]


def seed_cases(ws: BaseWorkspace) -> tuple[Store, dict[int, int]]:
    """One participant and one note per case (notes written as stored records, as old data could be);
    returns the store and {case number: note id}."""
    services.create_convening(ws, "cases", "Cases")
    store = ws.store("cases")
    session = services.add_session(store, "S", allow_anonymous=True)
    anchor = services.submit_note(store, session.id or 0, "need", "anchor", sensitivity="public").id
    notes: dict[int, int] = {}
    for i, case in enumerate(CASES):
        author_id = None
        if case.share is not None:
            consent = {
                "record": case.record,
                "attribution": case.attribution,
                "share_up_to": case.share,
                "review_date": OVERDUE if case.overdue else LATER,
            }
            author_id = services.add_participant(store, f"Name{i}", consent=consent, pseudonym=f"Pseudo{i}").id
        note = Note.from_dict(
            {"session_id": session.id, "category": "need", "text": f"case-{i}", "sensitivity": case.sensitivity,
             "author_id": author_id}
        )
        doc = note.to_dict()
        if case.moderation == "hidden":
            doc["moderation"] = Moderation.HIDDEN.value
        if case.moderation == "merged":
            doc.update(moderation=Moderation.MERGED.value, merged_into=anchor)
        notes[i] = store.insert("notes", doc)
    for i, case in enumerate(CASES):
        if case.withdrawn:
            person = next(p for p in services.list_participants(store) if p.name == f"Name{i}")
            withdraw_participant(store, person.join_code)
    return store, notes


def expected_label(case: Case, i: int) -> str:
    return {"name": f"Name{i}", "pseudonym": f"Pseudo{i}", "anonymous": "a participant"}[case.label]


def test_the_case_table_on_both_stores(workspace: BaseWorkspace) -> None:
    store, note_ids = seed_cases(workspace)
    for level in Sensitivity:
        view = Disclosure.open(store, level, Purpose.REPORT)
        shown = {s.note.id: s for s in view.notes().shown}
        for i, case in enumerate(CASES):
            if case.level != level.value:
                continue
            note_id = note_ids[i]
            assert (note_id in shown) is case.shown, (i, case)
            if case.shown:
                assert shown[note_id].author == expected_label(case, i), (i, case)
                assert shown[note_id].level.rank <= level.rank
            elif case.why is not None and case.why is not Withheld.HIDDEN:
                author = shown_author_id(store, note_id)
                assert view.why_withheld(Sensitivity(case.sensitivity), author) is case.why, (i, case)
        assert "anchor" in {s.note.text for s in shown.values()}


def shown_author_id(store: Store, note_id: int) -> int | None:
    doc = store.get("notes", note_id)
    assert doc is not None
    return doc.get("author_id")  # type: ignore[no-any-return]


def test_counts_the_cover_and_the_log_use(workspace: BaseWorkspace) -> None:
    store, _ids = seed_cases(workspace)
    view = Disclosure.open(store, "public", Purpose.EXPORT)
    found = view.notes()
    public_rows = [c for c in CASES if c.level == "public"]
    assert view.tally.included == len(found.shown)
    assert view.tally.reasons[Withheld.REVIEW_OVERDUE] >= 1 and len(view.tally.overdue) >= 1
    assert "consent review is overdue" in " ".join(view.notices())
    assert found.hidden >= sum(1 for c in public_rows if c.moderation == "hidden")
    assert view.tally.participants == {s.note.author_id for s in found.shown if s.note.author_id is not None}


def test_the_board_redacts_only_beyond_the_convening(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "r", "R")
    store = workspace.store("r")
    code = services.add_participant(store, "Zofia Kowalczyk", consent={"share_up_to": "public"}).join_code
    services.add_session(store, "S")
    services.submit_note(store, 1, "need", "Zofia's idea", sensitivity="public", join_code=code)
    inside = Disclosure.open(store, "convening", Purpose.BOARD).notes().shown[0].note.text
    outside = Disclosure.open(store, "public", Purpose.BOARD).notes().shown[0].note.text
    report = Disclosure.open(store, "convening", Purpose.REPORT).notes().shown[0].note.text
    assert inside == "Zofia's idea" and outside == report == "[name]'s idea"


# --- the same set from every front end --------------------------------------------------------------------


def cli_listing(ws_home: str, level: str) -> set[str]:
    from lessonkit.cli import main

    args = ["--home", ws_home, "notes", "list", "cases", "--level", level, "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return {row["text"] for row in json.loads(result.stdout)}


@pytest.mark.parametrize("level", ["public", "network", "convening", "restricted"])
def test_board_listing_csv_and_dataframe_give_the_same_set(disk_workspace: BaseWorkspace, level: str) -> None:
    from lessonkit.export.data_export import export_data, to_csv
    from lessonkit.export.tables import notes_dataframe
    from lessonkit.ui.board import LiveBoard

    store, _ids = seed_cases(disk_workspace)
    expected = {s.note.text for s in Disclosure.open(store, level).notes().shown}
    board = LiveBoard(store, refresh_s=0, audience=level)
    on_board = {t for t in expected | {f"case-{i}" for i in range(len(CASES))} if f">{t}<" in board.board.value}
    board.stop()
    listing = cli_listing(str(disk_workspace.home), level)  # type: ignore[attr-defined]
    csv_rows = to_csv(export_data("notes", store=store, level=level)).splitlines()
    in_csv = {t for t in expected | {f"case-{i}" for i in range(len(CASES))} if any(f",{t}," in r for r in csv_rows)}
    frame = set(notes_dataframe(store, level=level)["text"])
    assert on_board == listing == in_csv == frame == expected
    assert {f"case-{i}" for i, c in enumerate(CASES) if c.level == level and c.shown} <= expected


def test_narrowing_takes_effect_at_once_everywhere(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "n", "N")
    store = workspace.store("n")
    code = services.add_participant(store, "Ana", consent={"share_up_to": "public"}).join_code
    services.add_session(store, "S")
    services.submit_note(store, 1, "need", "words", sensitivity="public", join_code=code)
    assert len(Disclosure.open(store, "public").notes().shown) == 1
    from lessonkit.services.consent import change_consent

    change_consent(store, code, {"share_up_to": "convening"}, by_participant=True)
    assert Disclosure.open(store, "public").notes().shown == []
    assert len(Disclosure.open(store, "convening").notes().shown) == 1


def test_participant_with_a_pseudonym_never_shows_the_name_at_public(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "p", "P")
    store = workspace.store("p")
    consent = {"share_up_to": "public", "attribution": "named"}
    person = services.add_participant(store, "Zofia Kowalczyk", consent=consent)
    services.add_session(store, "S")
    services.submit_note(store, 1, "need", "x", sensitivity="public", join_code=person.join_code)
    assert isinstance(person, Participant) and person.pseudonym
    shown = Disclosure.open(store, "public").notes().shown[0]
    assert shown.author == person.pseudonym and "Zofia" not in shown.author
