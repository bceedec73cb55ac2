"""Listening use cases on both stores: consent obeyed, moderation, paper cards all-or-nothing."""

from __future__ import annotations

import io

import pytest

from lessonkit import services
from lessonkit.domain.levels import Moderation, Sensitivity
from lessonkit.errors import AlreadyExistsError, ConsentError, NotFoundError, SessionClosedError, ValidationError


def test_submit_with_join_code_and_consent(demo_store) -> None:  # type: ignore[no-untyped-def]
    note = services.submit_note(demo_store, 1, "need", "Clean water", "water", "network", join_code="demo-aaaa")
    assert note.author_id == 1 and note.sensitivity is Sensitivity.NETWORK
    with pytest.raises(ValidationError, match="network"):
        services.submit_note(demo_store, 1, "need", "Wider", "", "public", join_code="DEMO-AAAA")
    with pytest.raises(ConsentError):
        services.submit_note(demo_store, 1, "need", "Not recorded", "", "restricted", join_code="DEMO-DDDD")
    with pytest.raises(NotFoundError, match="join code"):
        services.submit_note(demo_store, 1, "need", "Who?", "", "restricted", join_code="NOPE-NOPE")
    with pytest.raises(SessionClosedError):
        services.submit_note(demo_store, 2, "question", "Closed", "", "restricted", join_code="DEMO-AAAA")
    assert len(services.list_notes(demo_store)) == 7  # 6 from the demo + 1


def test_anonymous_only_where_allowed(demo_store) -> None:  # type: ignore[no-untyped-def]
    note = services.submit_note(demo_store, 1, "risk", "Anonymous worry", "", "restricted")
    assert note.anonymous
    services.set_session_open(demo_store, 2, True)
    with pytest.raises(SessionClosedError, match="join code"):
        services.submit_note(demo_store, 2, "risk", "x", "", "restricted")


def test_paper_cards_may_be_typed_in_after_the_session_closed(demo_store) -> None:  # type: ignore[no-untyped-def]
    note = services.submit_note(demo_store, 2, "question", "From a card", "", "convening",
                                join_code="DEMO-BBBB", source="paper")
    assert note.source == "paper"
    with pytest.raises(ConsentError):
        services.submit_note(demo_store, 2, "question", "x", "", "restricted", join_code="DEMO-DDDD", source="paper")


def test_participants_get_unique_codes_and_names(workspace) -> None:  # type: ignore[no-untyped-def]
    services.create_convening(workspace, "c1", "Convening")
    store = workspace.store("c1")
    a = services.add_participant(store, "Ana", consent={"share_up_to": "public"})
    b = services.add_participant(store, "Ben")
    assert a.join_code != b.join_code
    assert services.participant_by_code(store, a.join_code.lower()).name == "Ana"
    with pytest.raises(AlreadyExistsError):
        services.add_participant(store, "ana")
    with pytest.raises(ValidationError) as err:
        services.add_participant(store, "Cy", consent={"share_up_to": "everyone"})
    assert err.value.field == "consent.share_up_to"
    assert [p.name for p in services.list_participants(store)] == ["Ana", "Ben"]


def test_moderation(demo_store) -> None:  # type: ignore[no-untyped-def]
    a = services.submit_note(demo_store, 1, "need", "Meeting space", "", "convening", join_code="DEMO-BBBB")
    b = services.submit_note(demo_store, 1, "need", "A space to meet", "", "convening", join_code="DEMO-AAAA")
    merged = services.merge_notes(demo_store, b.id, a.id)
    assert merged.moderation is Moderation.MERGED and merged.merged_into == a.id
    with pytest.raises(ValidationError):
        services.merge_notes(demo_store, a.id, a.id)
    hidden = services.hide_note(demo_store, a.id)
    assert hidden.moderation is Moderation.HIDDEN
    assert a.id not in [n.id for n in services.list_notes(demo_store, include_hidden=False)]
    assert services.hide_note(demo_store, a.id, hidden=False).moderation is Moderation.VISIBLE
    assert services.raise_sensitivity(demo_store, a.id, "restricted").sensitivity is Sensitivity.RESTRICTED
    with pytest.raises(ValidationError, match="only raise"):
        services.raise_sensitivity(demo_store, a.id, "public")


CSV_OK = "session,category,text,tags,sensitivity,join_code\n1,need,Card one,a,convening,DEMO-AAAA\n" \
         "Listening: what our communities need,risk,Card two,,restricted,\n"


def test_import_paper_cards(demo_store) -> None:  # type: ignore[no-untyped-def]
    added = services.import_notes_csv(demo_store, io.StringIO(CSV_OK))
    assert [n.text for n in added] == ["Card one", "Card two"]
    assert all(n.source == "paper" for n in added)


def test_import_is_all_or_nothing(demo_store) -> None:  # type: ignore[no-untyped-def]
    before = len(services.list_notes(demo_store))
    bad = CSV_OK + "1,gossip,Card three,,convening,\n"
    with pytest.raises(ValidationError, match="row 4.*category.*Nothing was imported"):
        services.import_notes_csv(demo_store, io.StringIO(bad))
    with pytest.raises(ValidationError, match="row 2.*Nothing was imported"):
        services.import_notes_csv(demo_store, io.StringIO("session,category,text,join_code\n1,need,x,DEMO-DDDD\n"))
    with pytest.raises(ValidationError, match="column"):
        services.import_notes_csv(demo_store, io.StringIO("a,b\n1,2\n"))
    assert len(services.list_notes(demo_store)) == before


def test_demo_load_is_all_or_nothing(workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seed = tmp_path / "seed.json"
    seed.write_text('{"convening": {"slug": "x1", "title": "X"}, "participants": [{"name": ""}]}')
    with pytest.raises(ValidationError):
        services.load_demo(workspace, seed)
    assert workspace.slugs() == []


def test_withdrawn_consent_hides_a_persons_notes_everywhere(demo_store) -> None:  # type: ignore[no-untyped-def]
    services.submit_note(demo_store, 1, "need", "Mine", "", "network", join_code="DEMO-AAAA")
    sol = services.participant_by_code(demo_store, "DEMO-AAAA")
    assert any(n.author_id == sol.id for n in services.list_notes(demo_store))
    services.set_consent(demo_store, sol.id, {"record": False})  # type: ignore[arg-type]
    assert not any(n.author_id == sol.id for n in services.list_notes(demo_store))
    assert any(n.author_id == sol.id for n in services.list_notes(demo_store, respect_consent=False))


def test_an_unexpected_fault_in_an_import_is_not_dressed_up_as_a_bad_row(  # type: ignore[no-untyped-def]
    demo_store, monkeypatch
) -> None:
    from lessonkit.services import notes as notes_service

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug, not a bad row")

    monkeypatch.setattr(notes_service, "_checked", broken)
    before = len(services.list_notes(demo_store))
    with pytest.raises(RuntimeError, match="a bug"):
        services.import_notes_csv(demo_store, io.StringIO("session,category,text\n1,need,hello\n"))
    assert len(services.list_notes(demo_store)) == before
