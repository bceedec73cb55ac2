"""The listening report's parts from running the room (themes, priorities, opinion groups), at each level: only
what may go out, redacted, and nothing at all when the room ran none of it."""

from __future__ import annotations

import pytest
import report_seed

from lessonkit import services
from lessonkit.domain.opinions import Answer, OpinionAnswer
from lessonkit.export.report_blocks import Chart
from lessonkit.export.report_listening import listening_report
from lessonkit.services.opinions import add_statement
from lessonkit.services.participants import find_by_code
from lessonkit.services.themes import accept_theme
from lessonkit.services.votes import cast_ballot, open_vote, prepare_vote
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

THEME_NAME = "Lakeview Community Hall and its keys"  # an extra redaction term inside


def html(part: object) -> str:
    return part._repr_mimebundle_()["text/html"]  # type: ignore[attr-defined]


def note_id(store: Store, text: str) -> int:
    return next(n.id for n in services.list_notes(store) if n.text == text)  # type: ignore[misc, return-value]


@pytest.fixture
def room(workspace: BaseWorkspace) -> Store:
    report_seed.seed(workspace)
    store = workspace.store("demo")
    public, restricted = note_id(store, report_seed.PUBLIC_NOTE), note_id(store, report_seed.RESTRICTED_NOTE)
    accept_theme(store, 1, [public, restricted], name=THEME_NAME)
    accept_theme(store, 1, [note_id(store, report_seed.NETWORK_NOTE)])
    vote = open_vote(store, 1, 3, "notes", audience="restricted")
    cast_ballot(store, vote.id, "DEMO-BBBB", [public, public])  # type: ignore[arg-type]
    cast_ballot(store, vote.id, "DEMO-CCCC", [restricted])  # type: ignore[arg-type]  # Falcon: restricted only
    statements = [add_statement(store, 1, f"Statement {i} about Riverbend") for i in range(8)]
    people = ["DEMO-BBBB"] + [
        services.add_participant(store, f"Voter {i}", consent={"share_up_to": "public"}).join_code for i in range(5)
    ]
    answers = {1: 0, 2: 0, 3: 0, 4: 0}  # statements 1-4: everyone agrees; 5-8: odd voters agree, even disagree
    with store.transaction() as tx:  # as the agree form writes them (tested in test_opinion_groups)
        for n, code in enumerate(people):
            person = find_by_code(tx, code)
            for s in statements:
                choice = Answer.AGREE if answers.get(s.id or 0) == 0 or n % 2 else Answer.DISAGREE
                tx.insert("opinion_answers", OpinionAnswer(s.id or 0, person.id or 0, choice).to_dict())
    return store


def test_public_report_shows_only_what_may_go_out(room: Store) -> None:
    report = listening_report(store=room)
    themes, priorities, opinions = html(report.themes), html(report.priorities), html(report.opinions)
    assert "Themes" in themes and "[redacted] and its keys" in themes and "Lakeview" not in themes
    assert report_seed.RESTRICTED_NOTE not in themes and report_seed.NETWORK_NOTE not in themes
    for secret in report_seed.SECRETS:
        assert secret not in themes + priorities + opinions
    assert "Priorities" in priorities and "1 ballot counted" in priorities  # Falcon's ballot stays restricted
    assert "Where the room agrees" in opinions and "Riverbend" not in opinions and "[redacted]" in opinions
    assert "What every group agrees on" in opinions
    assert isinstance(report.priorities_chart, Chart) and isinstance(report.opinion_chart, Chart)


def test_restricted_report_shows_the_whole_room(room: Store) -> None:
    report = listening_report(store=room, level="restricted", session=1)
    assert report_seed.RESTRICTED_NOTE in html(report.themes) and "[redacted] and its keys" in html(report.themes)
    assert "2 ballots counted" in html(report.priorities)
    assert "6 people answered at least 7 statements" in html(report.opinions)


def test_a_session_without_any_of_it_has_empty_parts(workspace: BaseWorkspace) -> None:
    report_seed.seed(workspace)
    prepare_vote(workspace.store("demo"), 1, 3, "notes")  # prepared for an agenda block, never opened: no priorities
    report = listening_report(store=workspace.store("demo"), level="restricted")
    for part in (report.themes, report.priorities, report.opinions, report.priorities_chart, report.opinion_chart):
        assert html(part) == '<div class="lk-part"></div>'
