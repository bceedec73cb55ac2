"""Dot votes: the tally rules, opening and closing, ballots from phones and paper, exact counts under 30 concurrent
processes with recasts, anonymous votes, consent, the command line, the participant form and the board's chart."""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonkit import services
from lessonkit.cli import main
from lessonkit.domain.votes import Ballot, Vote, VoteOn, anonymous_tag, check_dots, latest_ballots, tally
from lessonkit.errors import ConsentError, LessonkitError, SessionClosedError, ValidationError
from lessonkit.resources import data_path
from lessonkit.services.tables import check_record
from lessonkit.services.themes import accept_theme
from lessonkit.services.votes import (
    ballots_of,
    cast_ballot,
    close_vote,
    current_vote,
    my_ballot,
    open_vote,
    vote_items,
    vote_results,
)
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.base import Store
from lessonkit.store.tinydb_store import TinyDBStore
from lessonkit.ui.board import LiveBoard
from lessonkit.ui.vote import VoteForm, follows
from lessonkit.ui.vote_board import VotePanel

# --- the rules ---------------------------------------------------------------------------------------------------


def ballot(id_: int, who: int, *dots: int) -> Ballot:
    return Ballot(vote_id=1, dots=dots, participant_id=who, id=id_)


def test_each_voters_latest_ballot_counts_and_repeats_stack() -> None:
    ballots = [ballot(1, 7, 10, 10, 11), ballot(2, 8, 11), ballot(3, 7, 12), ballot(4, 9, 12, 12)]
    assert [b.id for b in latest_ballots(ballots)] == [2, 3, 4]
    assert [(t.item, t.dots) for t in tally(ballots, [10, 11, 12])] == [(12, 3), (11, 1), (10, 0)]
    anonymous = [
        Ballot(1, (10,), None, "aa", id=1),
        Ballot(1, (11,), None, "aa", id=2),
        Ballot(1, (10,), None, "bb", id=3),
    ]
    assert [(t.item, t.dots) for t in tally(anonymous, [10, 11])] == [(10, 1), (11, 1)]


def test_a_ballot_has_one_to_k_dots_on_the_votes_items() -> None:
    vote = Vote(session_id=1, dots=3, on=VoteOn.NOTES, items=(4, 5))
    assert check_dots(vote, ["4", "#5", 4]) == (4, 5, 4)
    bad_ballots: list[tuple[list[object], str]] = [
        ([], "at least one dot"), ([4, 4, 4, 4], "4 dots"), ([6], "not one of"), (["x"], "not an")
    ]
    for bad, needle in bad_ballots:
        with pytest.raises(ValidationError, match=needle):
            check_dots(vote, bad)


def test_anonymous_tags_are_stable_per_person_and_meaningless_without_the_key() -> None:
    key, other = "ab" * 32, "cd" * 32
    assert anonymous_tag(key, 1, 7) == anonymous_tag(key, 1, 7) != anonymous_tag(key, 1, 8)
    assert anonymous_tag(key, 1, 7) != anonymous_tag(other, 1, 7) and len(anonymous_tag(key, 1, 7)) == 32
    with pytest.raises(ValueError):
        anonymous_tag("", 1, 7)


def test_records_refuse_what_they_cannot_be() -> None:
    with pytest.raises(ValidationError, match="one participant"):
        Ballot.from_dict({"vote_id": 1, "dots": [1], "participant_id": 3, "voter": "aa"})
    with pytest.raises(ValidationError, match="from 1 to 20"):
        Vote.from_dict({"session_id": 1, "dots": 0, "on": "notes", "items": [1]})
    with pytest.raises(ValidationError) as err:
        check_record("ballots", {"vote_id": 1, "dots": [1], "participant_id": 3, "colour": "red"})
    assert err.value.field == "ballots.colour"


# --- services, on both stores --------------------------------------------------------------------------------------


@pytest.fixture
def voting(demo_store: Store) -> Store:
    """Demo session 1 with a vote open on the notes the room may see (1, 2 and 4: note 3 is restricted)."""
    open_vote(demo_store, 1, 3, "notes")
    return demo_store


def dots(store: Store, vote_id: int = 1, level: object = None) -> dict[int, int]:
    return {t.item: t.dots for t in vote_results(store, vote_id, level).tally}


def test_a_vote_is_on_what_the_room_may_see_and_one_opens_per_session(voting: Store) -> None:
    vote = current_vote(voting, 1)
    assert vote is not None and vote.items == (1, 2, 4) and vote.audience.value == "convening"
    assert [i.id for i in vote_items(voting, vote)] == [1, 2, 4]
    with pytest.raises(ValidationError, match="still open"):
        open_vote(voting, 1, 3, "notes")
    with pytest.raises(ValidationError, match="accept themes first"):
        open_vote(voting, 2, 3)
    theme = accept_theme(voting, 2, [5, 6])
    made = open_vote(voting, 2, 2, "themes")
    assert made.items == (theme.id,) and [i.text for i in vote_items(voting, made)] != [""]


def test_casting_recasting_and_closing(voting: Store) -> None:
    cast_ballot(voting, 1, "DEMO-AAAA", [1, 1, 2])
    cast_ballot(voting, 1, "DEMO-BBBB", [4])
    assert dots(voting) == {1: 2, 2: 1, 4: 1}
    cast_ballot(voting, 1, "demo-aaaa", [4, 4])  # a recast replaces the earlier ballot
    assert dots(voting) == {4: 3, 1: 0, 2: 0}
    assert len(ballots_of(voting, 1)) == 3 and vote_results(voting, 1).voters == 2
    mine = my_ballot(voting, 1, "DEMO-AAAA")
    assert mine is not None and mine.dots == (4, 4)
    with pytest.raises(ConsentError):
        cast_ballot(voting, 1, "DEMO-DDDD", [1])  # consent says: do not record
    close_vote(voting, 1)
    with pytest.raises(SessionClosedError):
        cast_ballot(voting, 1, "DEMO-BBBB", [1])
    assert current_vote(voting, 1) is None and len(ballots_of(voting, 1)) == 3
    with voting.read() as tx:
        assert all(check_record(t, d) for t in ("votes", "ballots") for d in tx.all(t))


def test_results_obey_consent_at_every_level(voting: Store) -> None:
    cast_ballot(voting, 1, "DEMO-AAAA", [1])  # Sol shares up to network
    cast_ballot(voting, 1, "DEMO-BBBB", [2])  # Kiri shares publicly
    assert dots(voting, level="network") == {1: 1, 2: 1}  # note 4 is for the convening only
    public = vote_results(voting, 1, "public")
    assert {t.item: t.dots for t in public.tally} == {2: 1}  # note 1 is network, Sol's ballot network only
    assert withdraw_participant(voting, "DEMO-BBBB").counts()["ballots"] == 1  # counted in the audit line
    assert ballots_of(voting, 1)[0].participant_id == 1 and len(ballots_of(voting, 1)) == 1
    assert dots(voting, level="restricted") == {1: 1, 4: 0}  # Kiri's note 2 left with her words


def test_an_anonymous_vote_keeps_people_apart_from_their_dots(demo_store: Store) -> None:
    vote = open_vote(demo_store, 1, 2, "notes", anonymous=True)
    cast_ballot(demo_store, vote.id, "DEMO-AAAA", [1])  # type: ignore[arg-type]
    cast_ballot(demo_store, vote.id, "DEMO-BBBB", [2, 2])  # type: ignore[arg-type]
    cast_ballot(demo_store, vote.id, "DEMO-AAAA", [4])  # type: ignore[arg-type]
    stored = demo_store.all("ballots")
    assert all(d["participant_id"] is None and d["created"] is None and len(d["voter"]) == 32 for d in stored)
    assert "DEMO" not in json.dumps(stored) and dots(demo_store, vote.id) == {2: 2, 4: 1, 1: 0}  # type: ignore[arg-type]
    assert my_ballot(demo_store, vote.id, "DEMO-AAAA").dots == (4,)  # type: ignore[arg-type, union-attr]
    key = demo_store.get("votes", vote.id)["key"]  # type: ignore[arg-type, index]
    closed = close_vote(demo_store, vote.id)  # type: ignore[arg-type]
    assert closed.key == "" and demo_store.get("votes", vote.id)["key"] == ""  # type: ignore[arg-type, index]
    assert my_ballot(demo_store, vote.id, "DEMO-AAAA") is None  # type: ignore[arg-type]
    assert dots(demo_store, vote.id) == {2: 2, 4: 1, 1: 0}  # type: ignore[arg-type]
    path = getattr(demo_store, "path", None)
    if path is not None:  # nothing on disk still holds the key: not the journal, not the last good copy
        for file in Path(path).parent.iterdir():
            assert key not in file.read_bytes().decode("utf-8", "replace"), file.name


# --- thirty phones at once ---------------------------------------------------------------------------------------

PHONES = 30


def _phone(path: Path, code: str, first: list[int], final: list[int], start: int, errors: Path) -> None:
    """A child process: wait for the start signal, cast a ballot, then change it."""
    try:
        os.read(start, 1)
        store = TinyDBStore(path)
        cast_ballot(store, 1, code, first)
        cast_ballot(store, 1, code, final)
    except BaseException:  # pragma: no cover - reported by the parent
        errors.with_name(f"{errors.name}-{code}").write_text(traceback.format_exc())
        os._exit(1)
    os._exit(0)


def test_thirty_phones_casting_and_recasting_at_once_are_each_counted_once(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    path = Path(store.path)  # type: ignore[attr-defined]
    codes = [services.add_participant(store, f"Phone {i}").join_code for i in range(PHONES)]
    open_vote(store, 1, 3, "notes")  # items 1, 2, 4
    items = [1, 2, 4]
    plans = {code: ([items[i % 3]] * 3, [items[i % 3], items[(i + 1) % 3]]) for i, code in enumerate(codes)}
    expected = {1: 0, 2: 0, 4: 0}
    for _first, final in plans.values():
        for item in final:
            expected[item] += 1
    start_read, start_write = os.pipe()
    children = []
    for code, (first, final) in plans.items():
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(start_write)
            _phone(path, code, first, final, start_read, tmp_path / "error")
        children.append(pid)
    os.close(start_read)
    os.write(start_write, b"x" * PHONES)  # every phone goes at once
    os.close(start_write)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    errors = [p.read_text() for p in tmp_path.glob("error-*")]
    assert not failed, errors
    fresh = TinyDBStore(path)
    assert len(ballots_of(fresh, 1)) == 2 * PHONES  # every ballot stored, none lost or doubled
    result = vote_results(fresh, 1)
    assert result.voters == PHONES
    assert {t.item: t.dots for t in result.tally} == expected  # only each phone's recast counts, exactly once


# --- command line, form, board -------------------------------------------------------------------------------------


def test_vote_commands_open_cast_from_paper_show_results_and_close(tmp_path: Path) -> None:
    home = tmp_path / "home"
    services.load_demo(Workspace(home), data_path("demo", "convening.json"))

    def cli(*args: str) -> tuple[int, str]:
        run = CliRunner().invoke(main, ["--home", str(home), *args])
        return run.exit_code, run.output

    code, out = cli("vote", "open", "demo", "--session", "1", "--dots", "3")
    assert code == 1 and "accept themes first" in out and len(out.strip().splitlines()) == 1
    code, out = cli("vote", "open", "demo", "--session", "1", "--dots", "3", "--on", "notes", "--format", "json")
    assert code == 0 and json.loads(out)["items"] == [1, 2, 4] and "key" not in json.loads(out)
    assert cli("vote", "cast", "demo", "--code", "DEMO-AAAA", "--item", "2", "--item", "2", "--item", "4")[0] == 0
    assert cli("vote", "cast", "demo", "--code", "DEMO-BBBB", "--item", "4")[0] == 0
    code, out = cli("vote", "cast", "demo", "--code", "DEMO-BBBB", "--item", "3")
    assert code == 1 and "not one of this vote's items" in out
    code, out = cli("vote", "results", "demo", "--format", "json")
    assert json.loads(out) == [{"item": 2, "dots": 2}, {"item": 4, "dots": 2}, {"item": 1, "dots": 0}]
    assert "Door-to-door" in cli("vote", "results", "demo")[1]
    assert cli("vote", "close", "demo")[0] == 0
    code, out = cli("vote", "cast", "demo", "--code", "DEMO-AAAA", "--item", "1")
    assert code == 1 and "closed" in out
    code, out = cli("vote", "open", "demo", "--session", "2", "--dots", "1", "--on", "notes", "--later")
    assert code == 0 and "Prepared vote 2 on session 2: 1 dot each" in out and "vote:2" in out
    code, out = cli("agenda", "add", "demo", "--title", "Dots", "--minutes", "10", "--start", "9:00",
                    "--link", "vote:2")
    assert code == 0, out
    code, out = cli("agenda", "start", "demo", "--format", "json")
    assert code == 0 and json.loads(out)["opened"] == ["vote 2: 1 dot on the notes of session 2"]
    assert cli("vote", "cast", "demo", "--code", "DEMO-AAAA", "--item", "5")[0] == 0


def test_vote_form_places_dots_casts_and_recasts(voting: Store) -> None:
    vote = current_vote(voting)
    assert vote is not None and follows(voting) == vote.id and follows(voting, "2") is None
    form = VoteForm(voting, vote, language="en")
    assert len(form.dots) == 3 and "3 dots left" in form.left.value
    form.submit.click()
    assert "enter your join code" in form.status.value
    form.code.value = "DEMO-AAAA"
    assert "recognised" in form.code_hint.value
    form.submit.click()
    assert "Place at least one dot" in form.status.value
    form.dots[1].value, form.dots[2].value = 2, 2
    assert "only 3 dots" in form.left.value
    form.submit.click()
    assert "Not saved" in form.status.value and dots(voting) == {1: 0, 2: 0, 4: 0}
    form.dots[2].value = 1
    form.submit.click()
    assert "counted" in form.status.value and dots(voting) == {1: 2, 2: 1, 4: 0}
    again = VoteForm(voting, vote, code="DEMO-AAAA", language="es")  # back later: their dots are shown again
    assert again.dots[1].value == 2 and again.dots[2].value == 1 and again.language == "es"
    again.dots[1].value = 0
    again.dots[4].value = 2
    again.submit.click()
    assert dots(voting) == {4: 2, 2: 1, 1: 0}
    close_vote(voting, vote.id)  # type: ignore[arg-type]
    again.submit.click()
    assert "closed" in again.status.value and again.dots[4].value == 2  # nothing placed is lost


def test_board_and_panel_show_live_results_as_bars(voting: Store) -> None:
    cast_ballot(voting, 1, "DEMO-BBBB", [2, 2, 1])
    board = LiveBoard(voting, refresh_s=0)
    assert "lk-vote" in board.votes.value and "2 dots" in board.votes.value and "width:100%" in board.votes.value
    panel = VotePanel(voting, 1)
    assert panel.results.value == board.votes.value
    panel.close_button.click()
    assert "is closed" in panel.status.value and "(closed)" in panel.results.value
    panel.on.value = "themes"
    panel.open_button.click()
    assert "Nothing changed" in panel.status.value
    panel.on.value = "notes"
    panel.anonymous.value = True
    panel.open_button.click()
    assert "is open" in panel.status.value and current_vote(voting, 1).anonymous  # type: ignore[union-attr]


def test_vote_errors_are_one_line(voting: Store) -> None:
    for action, needle in [
        (lambda: cast_ballot(voting, 9, "DEMO-AAAA", [1]), "no vote 9"),
        (lambda: cast_ballot(voting, 1, "NOPE-NOPE", [1]), "NOPE"),
        (lambda: open_vote(voting, 1, 99, "notes"), "from 1 to 20"),
        (lambda: open_vote(voting, 1, 2, "ideas"), "ideas"),
    ]:
        with pytest.raises(LessonkitError, match=needle) as err:
            action()
        assert "\n" not in str(err.value)
