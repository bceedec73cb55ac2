"""Notes as a pandas table: documented columns, consent-based attribution and sensitivity, escaped HTML."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lessonkit import services
from lessonkit.export.tables import NOTE_COLUMNS, notes_dataframe
from lessonkit.resources import data_path
from lessonkit.store import Workspace


def test_columns_and_visible_notes(demo_store) -> None:  # type: ignore[no-untyped-def]
    frame = notes_dataframe(demo_store)
    assert list(frame.columns) == list(NOTE_COLUMNS) == [
        "id", "session", "category", "text", "tags", "sensitivity", "author", "moderation", "created",
    ]
    assert list(frame["id"]) == [1, 2, 3, 4, 5, 6]
    assert frame.loc[0, "tags"] == "housing, space"
    assert frame.loc[1, "category"] == "what worked"
    assert isinstance(frame.loc[0, "created"], pd.Timestamp) and str(frame["created"].dt.tz) == "UTC"


def test_hidden_notes_only_on_request_and_session_filter(demo_store) -> None:  # type: ignore[no-untyped-def]
    services.hide_note(demo_store, 2)
    services.merge_notes(demo_store, 4, 1)
    assert list(notes_dataframe(demo_store)["id"]) == [1, 3, 5, 6]
    everything = notes_dataframe(demo_store, include_hidden=True)
    assert list(everything["moderation"]) == ["visible", "hidden", "visible", "merged", "visible", "visible"]
    services.submit_note(demo_store, 2, "question", "On paper", join_code=None, source="paper")
    assert list(notes_dataframe(demo_store, session_id=2)["text"])[-1:] == ["On paper"]
    assert len(notes_dataframe(demo_store, session_id=1)) == 2


def test_author_follows_consent(demo_store) -> None:  # type: ignore[no-untyped-def]
    authors = list(notes_dataframe(demo_store)["author"])
    # Sol: pseudonym, Kiri Moana: named (inside the convening), Falcon: anonymous consent, an anonymous note, then two
    # more by Sol
    heron = "Patient Heron"
    assert authors == [heron, "Kiri Moana", "a participant", "a participant", heron, heron]
    public = notes_dataframe(demo_store, level="public")  # only Kiri's public note; her name stays inside
    assert list(public["author"]) == ["Bright Otter"]


def test_sensitivity_never_wider_than_consent(demo_store) -> None:  # type: ignore[no-untyped-def]
    sol = services.participant_by_code(demo_store, "DEMO-AAAA")  # consent: up to network
    note = {"session_id": 1, "category": "need", "text": "Old record", "tags": [], "sensitivity": "public",
            "author_id": sol.id, "created": "2026-03-10T10:00:00+00:00", "moderation": "visible",
            "schema_version": 1}
    demo_store.insert("notes", note)
    frame = notes_dataframe(demo_store)
    assert frame.iloc[-1]["text"] == "Old record" and frame.iloc[-1]["sensitivity"] == "network"


def test_html_view_escapes_participant_text(demo_store) -> None:  # type: ignore[no-untyped-def]
    services.submit_note(demo_store, 1, "risk", "<script>alert(1)</script> <img src=x onerror=alert(1)>",
                         join_code=None)
    page = notes_dataframe(demo_store)._repr_html_()
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page


def test_empty_convening_gives_the_columns(workspace) -> None:  # type: ignore[no-untyped-def]
    services.create_convening(workspace, "empty", "Nothing yet")
    frame = notes_dataframe(workspace.store("empty"))
    assert frame.empty and list(frame.columns) == list(NOTE_COLUMNS)


def test_notes_table_one_liner(tmp_path: Path) -> None:
    from lessonkit.ui import notes_table

    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    assert len(notes_table("demo", home=str(ws.home))) == 6
    assert len(notes_table("demo", session="2", home=str(ws.home))) == 2
