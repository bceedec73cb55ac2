"""The live board and the moderation panel, without a browser."""

from __future__ import annotations

import time

import pytest

from lessonkit import services
from lessonkit.errors import LessonkitError
from lessonkit.ui.board import LiveBoard, listening_board, pick_session
from lessonkit.ui.moderation import ModerationPanel, moderation_panel

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def board(demo_store):  # type: ignore[no-untyped-def]
    b = LiveBoard(demo_store, refresh_s=0)
    yield b
    b.stop()


def html(b: LiveBoard) -> str:
    return b.prompts.value + b.board.value + b.status.value


def test_prompts_and_notes_grouped_by_category_with_counts(board: LiveBoard) -> None:
    assert "What does your community need most right now?" in board.prompts.value
    assert "font-size:1.6em" in board.prompts.value
    page = board.board.value
    for label in ("Need", "What worked", "Risk", "Question"):
        assert label in page
    assert "Need <span class=\"lk-count\">(1)</span>" in page
    assert "#housing <b>1</b>" in page  # tag counts
    assert "Safe places to meet" in page


def test_participant_markup_is_escaped_everywhere(demo_store) -> None:  # type: ignore[no-untyped-def]
    consent = {"attribution": "named", "share_up_to": "public"}
    code = services.add_participant(demo_store, "<b>Bold</b>", consent=consent).join_code
    services.submit_note(demo_store, 1, "risk", f"{SCRIPT} and {IMG}", tags=["<i>x"], join_code=code)
    services.submit_note(demo_store, 1, "need", IMG, sensitivity="public", join_code=None)
    s = services.add_session(demo_store, f"Title {SCRIPT}", [f"Prompt {IMG}"], allow_anonymous=True)
    page = html(LiveBoard(demo_store, refresh_s=0)) + html(LiveBoard(demo_store, session=s.id, refresh_s=0))
    for raw in ("<script", "<img", "<b>Bold", "<i>x"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page


def test_attribution_follows_consent(demo_store) -> None:  # type: ignore[no-untyped-def]
    page = LiveBoard(demo_store, refresh_s=0, audience="restricted").board.value
    assert "— Patient Heron" in page and "Sol" not in page  # pseudonym
    assert "— Kiri Moana" in page  # named: inside the convening, the name
    assert "Falcon" not in page  # consent: anonymous
    assert "Phone lists of members" in page and page.count("— a participant") == 2  # Falcon + anonymous note


def test_notes_more_private_than_the_screen_stay_off_it(board: LiveBoard) -> None:
    assert "Phone lists of members" not in board.board.value
    assert "1 note more private than &#x27;convening&#x27; kept off this screen" in board.board.value


def test_hidden_and_merged_counts(demo_store, board: LiveBoard) -> None:  # type: ignore[no-untyped-def]
    services.hide_note(demo_store, 2)
    services.merge_notes(demo_store, 4, 1)
    assert board.refresh()
    page = board.board.value
    assert "Door-to-door surveys" not in page and "1 hidden" in page
    assert "rotate leadership" not in page and "+1 merged" in page


def test_refresh_picks_up_a_note_written_after_creation(demo_store, board: LiveBoard) -> None:  # type: ignore[no-untyped-def]
    assert not board.refresh()  # nothing changed
    services.submit_note(demo_store, 1, "question", "Arrived after the board", join_code="DEMO-BBBB")
    assert board.refresh()
    assert "Arrived after the board" in board.board.value
    assert not board.refresh()


def test_polling_thread_rerenders_and_stops(demo_store) -> None:  # type: ignore[no-untyped-def]
    live = LiveBoard(demo_store, refresh_s=0.05)
    try:
        assert live.polling
        renders = live.renders
        time.sleep(0.2)
        assert live.renders == renders  # no change, no re-render
        services.submit_note(demo_store, 1, "need", "Seen by the poller", join_code="DEMO-AAAA")
        deadline = time.monotonic() + 5
        while "Seen by the poller" not in live.board.value and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Seen by the poller" in live.board.value
    finally:
        live.stop()
    assert not live.polling


def test_pick_session(demo_store) -> None:  # type: ignore[no-untyped-def]
    assert pick_session(demo_store).id == 1
    assert pick_session(demo_store, "2").id == 2
    assert pick_session(demo_store, "listening: questions for each other").id == 2
    with pytest.raises(LessonkitError):
        pick_session(demo_store, "nope")
    assert "no session" in LiveBoard(demo_store, session="nope", refresh_s=0).status.value


def test_listening_board_and_panel_open_the_workspace(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lessonkit.resources import data_path
    from lessonkit.store import Workspace

    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    live = listening_board("demo", home=str(ws.home), refresh_s=0)
    assert "Safe places" in live.board.value
    panel = moderation_panel("demo", session=1, home=str(ws.home))
    assert len(panel.note.options) == 4


# --- moderation --------------------------------------------------------------------------------------------


def test_moderation_hide_show_merge_raise(demo_store, board: LiveBoard) -> None:  # type: ignore[no-untyped-def]
    panel = moderation_panel(board=board)
    assert isinstance(panel, ModerationPanel)
    assert [v for _l, v in panel.note.options] == [1, 2, 3, 4]

    panel.note.value = 2
    panel.hide.click()
    assert "hidden" in panel.status.value
    assert services.list_notes(demo_store)[1].moderation.value == "hidden"
    assert "Door-to-door" not in board.board.value  # the board refreshed at once
    panel.show.click()
    assert services.list_notes(demo_store)[1].moderation.value == "visible"

    panel.note.value = 4
    assert 4 not in [v for _l, v in panel.into.options]
    panel.into.value = 1
    panel.merge.click()
    assert services.list_notes(demo_store)[3].merged_into == 1
    assert "+1 merged" in board.board.value

    panel.note.value = 1
    assert panel.level.value == "network"
    panel.level.value = "restricted"
    panel.raise_level.click()
    assert services.list_notes(demo_store)[0].sensitivity.value == "restricted"
    assert "Safe places" not in board.board.value  # now off the projected screen


def test_moderation_errors_show_inline(demo_store) -> None:  # type: ignore[no-untyped-def]
    panel = ModerationPanel(demo_store, 1)
    panel.note.value = 3  # restricted
    panel.level.value = "public"
    panel.raise_level.click()
    assert 'role="alert"' in panel.status.value and "only raise" in panel.status.value
    assert services.list_notes(demo_store)[2].sensitivity.value == "restricted"

    panel.note.value = 2
    services.hide_note(demo_store, 1)
    panel.into.value = 1  # became hidden since the list was loaded
    panel.merge.click()
    assert "visible note" in panel.status.value
    assert services.list_notes(demo_store)[1].moderation.value == "visible"


def test_moderation_labels_are_plain_text(demo_store) -> None:  # type: ignore[no-untyped-def]
    services.submit_note(demo_store, 1, "risk", SCRIPT + " " * 5 + "\n tail", join_code=None)
    panel = ModerationPanel(demo_store, 1)
    label = panel.note.options[-1][0]
    assert label.startswith("#7 (convening) <script>") and "\n" not in label


def test_the_board_says_when_someone_narrowed_their_consent(  # type: ignore[no-untyped-def]
    demo_store, board: LiveBoard
) -> None:
    assert "narrowed" not in board.board.value
    services.change_consent(demo_store, "DEMO-AAAA", {"share_up_to": "restricted"}, by_participant=True)
    assert board.refresh()
    page = board.board.value
    assert "Patient Heron narrowed their consent" in page and "Sol" not in page
    assert "Safe places to meet" not in page  # and the board already follows it
