"""Where the room agrees: Pol.is-style opinion groups found on a synthetic matrix with known groups, no group of
one person, statements and answers through the disclosure layer, the agree form, the panel and the report."""

from __future__ import annotations

import random

import pytest

from lessonkit import services
from lessonkit.domain.opinion_groups import MIN_ANSWERS, find_groups
from lessonkit.domain.opinions import Answer, OpinionAnswer, answer_matrix
from lessonkit.errors import LessonkitError, SessionClosedError, ValidationError
from lessonkit.services.opinions import (
    add_statement,
    answer_statement,
    answering_session,
    my_answers,
    opinion_groups,
    shown_statements,
)
from lessonkit.services.tables import check_record
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store.base import Store
from lessonkit.ui.agree import AgreeForm, follows
from lessonkit.ui.opinions import OpinionPanel

# Three groups of eight over 15 statements: A and B split on 1-10, C disagrees with most; all agree on 11-13 and 15.
PROFILES = {
    "A": [1] * 5 + [-1] * 5 + [1, 1, 1, -1, 1],
    "B": [-1] * 5 + [1] * 5 + [1, 1, 1, 1, 1],
    "C": [-1] * 10 + [1, 1, 1, -1, 1],
}
CONSENSUS = {11, 12, 13, 15}


def synthetic(seed: int = 0, per_group: int = 8, missing: float = 0.15, noise: float = 0.03) -> tuple[dict, dict]:
    """participant -> statement -> answer, with some statements unanswered and a few answers flipped or passed."""
    rng = random.Random(seed)
    matrix: dict[int, dict[int, int]] = {}
    truth: dict[int, str] = {}
    for group, profile in PROFILES.items():
        for _ in range(per_group):
            person = len(truth) + 1
            truth[person] = group
            row = {}
            for statement, value in enumerate(profile, start=1):
                r = rng.random()
                if r < missing:
                    continue
                row[statement] = 0 if r < missing + noise else (-value if r < missing + 2 * noise else value)
            matrix[person] = row
    return matrix, truth


def found_groups(result, truth: dict[int, str]) -> list[set[str]]:  # type: ignore[no-untyped-def]
    by_group: dict[int, set[str]] = {}
    for person, label in zip(result.participants, result.labels, strict=True):
        by_group.setdefault(label, set()).add(truth[person])
    return list(by_group.values())


def test_the_known_groups_are_found_with_their_distinctive_statements_and_the_consensus() -> None:
    matrix, truth = synthetic()
    result = find_groups(matrix)
    assert result.k == 3 and result.sizes() == [8, 8, 8] and result.silhouette and result.silhouette > 0.4
    assert all(len(g) == 1 for g in found_groups(result, truth))  # every group is one true group
    names = {next(iter(g)) for g in found_groups(result, truth)}
    assert names == {"A", "B", "C"}
    for index, items in enumerate(result.distinctive):
        members = {truth[p] for p, g in zip(result.participants, result.labels, strict=True) if g == index}
        group = next(iter(members))
        assert items, group
        for d in items:  # what sets a group apart is what its profile says, on the side it says
            assert PROFILES[group][d.statement - 1] == (1 if d.side == "agree" else -1)
    assert set(result.consensus) == CONSENSUS
    assert len(result.points) == 24 and result.waiting == 0


def test_the_groups_are_recovered_whatever_the_noise_drawn() -> None:
    for seed in range(1, 6):
        matrix, truth = synthetic(seed=seed, noise=0.05)
        groups = found_groups(find_groups(matrix), truth)
        assert sorted(next(iter(g)) for g in groups) == ["A", "B", "C"] and all(len(g) == 1 for g in groups), seed


def test_missing_answers_are_filled_and_projection_is_stable() -> None:
    matrix, _truth = synthetic(seed=3, missing=0.35)
    placed = {p for p, row in matrix.items() if len(row) >= MIN_ANSWERS}
    result = find_groups(matrix)
    assert set(result.participants) == placed and result.waiting == len(matrix) - len(placed)
    assert find_groups(matrix).points == result.points  # same answers, same picture


def test_no_group_of_one_person() -> None:
    matrix, truth = synthetic(per_group=5)
    loner = max(matrix) + 1
    matrix[loner] = {s: (1 if s % 2 else -1) for s in range(1, 16)}  # answers like nobody else
    result = find_groups(matrix)
    assert min(result.sizes()) >= 2
    two = {1: {s: 1 for s in range(1, 8)}, 2: {s: 1 for s in range(1, 8)}, 3: {s: -1 for s in range(1, 8)}}
    assert find_groups(two).k == 1  # three people cannot make two groups without a group of one


def test_too_few_answers_places_nobody() -> None:
    few = {p: {s: 1 for s in range(1, MIN_ANSWERS)} for p in range(1, 6)}
    result = find_groups(few)
    assert result.k == 0 and result.waiting == 5 and result.points == ()
    assert answer_matrix([]) == {}


# --- services, forms and panel ---------------------------------------------------------------------------------


@pytest.fixture
def polled(demo_store: Store) -> Store:
    """Session 1 of the demo with 15 typed statements and 24 people answering as in ``synthetic()``."""
    matrix, _truth = synthetic()
    for s in range(1, 16):
        add_statement(demo_store, 1, f"Statement number {s}")
    people = [services.add_participant(demo_store, f"Person {p}").id for p in matrix]
    with demo_store.transaction() as tx:  # the answers as the form writes them (the form's own path: see below)
        for person, row in zip(people, matrix.values(), strict=True):
            for statement, value in row.items():
                answer = {1: Answer.AGREE, -1: Answer.DISAGREE, 0: Answer.PASS}[value]
                tx.insert("opinion_answers", OpinionAnswer(statement, person or 0, answer).to_dict())
    return demo_store


def test_groups_found_through_the_services_and_the_disclosure_layer(polled: Store) -> None:
    room = opinion_groups(polled, 1)
    assert room.groups.k == 3 and set(room.groups.consensus) == CONSENSUS
    assert room.text(11) == "Statement number 11"
    first = services.list_participants(polled)[-24]  # Person 1, sharing up to the convening by default
    assert withdraw_participant(polled, first.join_code).answers == 15
    assert len(opinion_groups(polled, 1).groups.participants) == 23
    assert opinion_groups(polled, 1, "public").groups.k == 0  # nobody agreed to share beyond the convening
    with polled.read() as tx:
        assert all(check_record(t, d) for t in ("statements", "opinion_answers") for d in tx.all(t))


def test_statements_from_notes_follow_the_notes_disclosure(demo_store: Store) -> None:
    from_note = add_statement(demo_store, 1, note_id=3)  # the restricted note
    typed = add_statement(demo_store, 1, "Rotate who chairs")
    assert [s.statement.id for s in shown_statements(demo_store, 1)] == [typed.id]
    assert [s.statement.id for s in shown_statements(demo_store, 1, "restricted")] == [from_note.id, typed.id]
    answer_statement(demo_store, from_note.id or 0, "DEMO-AAAA", "agree")  # someone else's answer to it
    gone = withdraw_participant(demo_store, "DEMO-CCCC")  # the note's author: the statement and its answers go
    assert (gone.statements, gone.answers) == (1, 0) and demo_store.all("opinion_answers") == []
    assert [s.id for s in services.list_notes(demo_store, respect_consent=False) if s.id == 3] == []
    assert [s["id"] for s in demo_store.all("statements")] == [typed.id]
    for bad, needle in [
        (lambda: add_statement(demo_store, 1, note_id=5), "not a note of session 1"),
        (lambda: add_statement(demo_store, 1, note_id=1) and add_statement(demo_store, 1, note_id=1), "already"),
        (lambda: add_statement(demo_store, 1, ""), "must not be empty"),
        (lambda: answer_statement(demo_store, typed.id, "DEMO-DDDD", "agree"), "not to be recorded"),  # type: ignore[arg-type]
        (lambda: answer_statement(demo_store, typed.id, "DEMO-AAAA", "maybe"), "maybe"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(LessonkitError, match=needle):
            bad()
    services.set_session_open(demo_store, 1, False)
    with pytest.raises(SessionClosedError):
        answer_statement(demo_store, typed.id, "DEMO-AAAA", "agree")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        check_record("statements", {"session_id": 1, "note_id": 1, "text": "both"})


def test_agree_form_asks_one_statement_at_a_time_and_saves_each_answer(demo_store: Store) -> None:
    assert follows(demo_store) == (None, ())
    for s in range(1, 9):
        add_statement(demo_store, 1, f"Statement {s}")
    assert answering_session(demo_store) == 1 and follows(demo_store)[1] == tuple(range(1, 9))
    form = AgreeForm(demo_store, 1, language="en")
    assert "Statement 1 of 8" in form.progress.value and "Statement 1" in form.statement.value
    form.buttons[Answer.AGREE].click()
    assert "enter your join code" in form.status.value
    form.code.value = "DEMO-AAAA"
    form.buttons[Answer.AGREE].click()
    assert "Answer 6 more" in form.status.value and "Statement 2 of 8" in form.progress.value
    form.buttons[Answer.DISAGREE].click()
    form.previous.click()
    assert "Your answer: Disagree" in form.statement.value
    form.buttons[Answer.PASS].click()  # changes the answer to statement 2
    assert my_answers(demo_store, 1, "DEMO-AAAA") == {1: Answer.AGREE, 2: Answer.PASS}
    for _ in range(6):
        form.buttons[Answer.AGREE].click()
    assert "every statement" in form.status.value
    back = AgreeForm(demo_store, 1, code="DEMO-AAAA", language="en")  # back later: what they said is there
    assert "8 answered" in back.progress.value


def test_panel_adds_statements_and_draws_the_groups(polled: Store) -> None:
    panel = OpinionPanel(polled, 1)
    panel.text.value = "Meet monthly"
    panel.add.click()
    assert "Statement 16 added" in panel.status.value and "Meet monthly" in panel.listing.value
    panel.note.value = 2
    panel.add_note.click()
    assert "Door-to-door" in panel.listing.value and 2 not in [v for _l, v in panel.note.options]
    panel.find.click()
    assert "24 people placed" in panel.status.value
    assert bytes(panel.picture.value).startswith(b"\x89PNG") and panel.picture.layout.display is None
    assert "Group A (8 people)" in panel.groups.value and "What every group agrees on" in panel.groups.value
