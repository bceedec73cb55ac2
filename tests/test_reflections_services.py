"""After-action reflections and signals through the services, on both stores: consent when written, the disclosure
layer when read, withdrawal, bundles, the clone's open questions, signals drawn from reflections, the network view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit import services
from lessonkit.domain.levels import Sensitivity
from lessonkit.errors import ConsentError, NotFoundError, ValidationError
from lessonkit.export.bundle import bundle_bytes, import_bundle, read_bundle
from lessonkit.export.bundle_clone import clone_convening
from lessonkit.export.bundle_share import share_bundle
from lessonkit.resources import data_path
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.export_log import TABLE as EXPORTS
from lessonkit.services.library import get_module
from lessonkit.services.library_io import import_library_json
from lessonkit.services.reflections import list_reflections, submit_reflection
from lessonkit.services.signals import add_signal, list_signals, review_signal, signal_from_reflection
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

SOL, KIRI, FALCON, JO = "DEMO-AAAA", "DEMO-BBBB", "DEMO-CCCC", "DEMO-DDDD"


@pytest.fixture
def ws(demo_workspace: BaseWorkspace) -> BaseWorkspace:
    import_library_json(demo_workspace.library(), data_path("demo", "library.json"))
    return demo_workspace


@pytest.fixture
def store(ws: BaseWorkspace) -> Store:
    return ws.store("demo")


def seed(store: Store, library: Store | None = None) -> None:
    """Sol (network), Kiri (public, named), an anonymous public one, and Sol's convening-level one."""
    submit_reflection(store, "We meet in pairs now", "Landlords", "How do we fund travel?\n- Who keeps the list?",
                      [{"module": "demo-kitchen-forum", "went": "success", "how": "Forty came, Kiri Moana cooked"}],
                      "network", SOL, library=library)
    submit_reflection(store, "Less fear", "", "How do we fund travel?", ["demo-phone-tree"], "public", KIRI)
    submit_reflection(store, "", "Police", "Is it legal?", [], "public", None, source="paper")
    submit_reflection(store, "Private", "", "A private question?", [], "convening", SOL)


def test_a_reflection_is_saved_with_its_author_and_the_level_their_consent_allows(ws: BaseWorkspace) -> None:
    store = ws.store("demo")
    r = submit_reflection(store, changed="Pairs", join_code=SOL, library=ws.library(),
                          tactics=[{"module": "demo-kitchen-forum", "went": "mixed"}])
    assert r.id == 1 and r.author_id == 1 and r.sensitivity is Sensitivity.CONVENING and r.source == "form"
    falcon = submit_reflection(store, stubborn="Fear", join_code=FALCON)
    assert falcon.sensitivity is Sensitivity.RESTRICTED  # stricter than convening: Falcon's consent
    anonymous = submit_reflection(store, questions="Why?", sensitivity="public", source="paper")
    assert anonymous.anonymous and anonymous.sensitivity is Sensitivity.PUBLIC
    assert [x.id for x in list_reflections(store)] == [1, 2, 3]


def test_what_consent_or_the_library_refuses_leaves_nothing_behind(ws: BaseWorkspace) -> None:
    store = ws.store("demo")
    with pytest.raises(ConsentError):
        submit_reflection(store, changed="x", join_code=JO)
    with pytest.raises(ValidationError, match="up to 'network' only"):
        submit_reflection(store, changed="x", sensitivity="public", join_code=SOL)
    with pytest.raises(NotFoundError, match="no module 'demo-kitchen-forun'.*demo-kitchen-forum"):
        submit_reflection(store, changed="x", tactics=["demo-kitchen-forun"], library=ws.library())
    with pytest.raises(NotFoundError, match="join code"):
        submit_reflection(store, changed="x", join_code="ZZZZ-ZZZZ")
    assert store.all("reflections") == []


def test_the_disclosure_layer_shows_reflections_by_level_credits_and_redacts(store: Store) -> None:
    seed(store)
    public = Disclosure.open(store, "public", Purpose.REPORT).reflections()
    kiri = services.participant_by_code(store, KIRI).pseudonym  # named inside the convening, not outside
    assert [(s.reflection.id, s.author) for s in public.shown] == [(2, kiri), (3, "a participant")]
    assert public.withheld == 2 and public.questions_withheld == 2
    network = Disclosure.open(store, "network", Purpose.REPORT)
    found = network.reflections()
    assert [s.reflection.id for s in found.shown] == [1, 2, 3]
    sol = found.shown[0]
    assert sol.author != "Sol" and sol.level is Sensitivity.NETWORK
    assert "Kiri" not in sol.reflection.tactics[0].how  # names redacted outside the convening
    assert network.tally.included == 3 and network.tally.withheld == 1
    board = Disclosure.open(store, "convening", Purpose.BOARD).reflections()
    assert "Kiri Moana cooked" in board.shown[0].reflection.tactics[0].how  # the board inside does not redact
    assert [s.reflection.id for s in Disclosure.open(store, "network").reflections([2, 4]).shown] == [2]


def test_withdrawal_removes_a_persons_reflections(store: Store) -> None:
    seed(store)
    result = withdraw_participant(store, SOL)
    assert result.counts()["reflections"] == 2
    assert "pairs" not in json.dumps(store.all("reflections")) and len(store.all("reflections")) == 2


def test_withdrawn_reflections_are_gone_from_every_file_on_disk(disk_workspace: Workspace) -> None:
    services.load_demo(disk_workspace, data_path("demo", "convening.json"))
    store = disk_workspace.store("demo")
    submit_reflection(store, "A very particular sentence", join_code=SOL)

    def holding() -> list[Path]:
        files = [p for p in Path(disk_workspace.home).rglob("*") if p.is_file()]
        return [p for p in files if b"very particular sentence" in p.read_bytes()]

    assert holding()
    withdraw_participant(store, SOL)
    assert holding() == []


def test_a_bundle_carries_reflections_and_brings_them_back(ws: BaseWorkspace, tmp_path: Path) -> None:
    store = ws.store("demo")
    seed(store)
    path = tmp_path / "demo.zip"
    path.write_bytes(bundle_bytes(store, "demo"))
    assert len(read_bundle(path)["reflections"]) == 4  # type: ignore[index]
    import_bundle(ws, path, as_slug="copy")
    assert list_reflections(ws.store("copy")) == list_reflections(store)


def test_a_shared_bundle_holds_only_the_reflections_the_level_allows(ws: BaseWorkspace, tmp_path: Path) -> None:
    seed(ws.store("demo"))
    path, scope = share_bundle(ws, "demo", tmp_path / "shared.zip", "public")
    docs = read_bundle(path)["reflections"]  # type: ignore[index]
    assert [d["id"] for d in docs] == [2, 3] and all(d["author_id"] is None for d in docs)
    import_bundle(ws, path, as_slug="elsewhere")
    assert [r.source for r in list_reflections(ws.store("elsewhere"))] == ["bundle", "bundle"]


def test_the_clone_carries_the_open_questions_consent_lets_travel(ws: BaseWorkspace) -> None:
    seed(ws.store("demo"))
    made = clone_convening(ws, "demo", "next")
    first = services.list_sessions(ws.store("next"))[0]
    old = services.list_sessions(ws.store("demo"))[0]
    assert first.prompts[: len(old.prompts)] == old.prompts
    carried = first.prompts[len(old.prompts) :]
    assert carried == ("How do we fund travel?", "Who keeps the list?", "Is it legal?")
    assert made.questions == 3 and made.questions_withheld == 1
    assert "A private question?" not in json.dumps(ws.store("next").all("sessions"))
    assert ws.store("next").all("reflections") == []  # never the people's words themselves


def test_a_clone_without_sessions_gets_one_for_the_questions(ws: BaseWorkspace) -> None:
    services.create_convening(ws, "bare", "Bare", languages="en")
    submit_reflection(ws.store("bare"), questions="What now?", sensitivity="network")
    made = clone_convening(ws, "bare", "bare-next")
    (session,) = services.list_sessions(ws.store("bare-next"))
    assert session.title == "Open questions from last time" and session.prompts == ("What now?",)
    assert not session.is_open and made.sessions == 1


def test_signals_are_added_reviewed_and_listed(ws: BaseWorkspace) -> None:
    library = ws.library()
    module, number = add_signal(library, "demo-phone-tree", {"what": "Evictions delayed", "value": 9,
                                                             "outcome": "harm-avoided", "organisation": "Org A"})
    assert number == 1 and module.signals[0].outcome.value == "harm-avoided"
    with pytest.raises(ValidationError, match="already recorded"):
        add_signal(library, "demo-phone-tree", {"what": "Evictions delayed", "value": 9})
    with pytest.raises(ValidationError) as found:
        add_signal(library, "demo-phone-tree", {"what": "x", "reviews": [
            {"reviewer": "B", "organisation": "B", "date": "2025-01-01", "result": "success"}]})
    assert found.value.field == "reviews"  # only peer review sets the result
    with pytest.raises(NotFoundError, match="Did you mean"):
        add_signal(library, "demo-phone-tre", {"what": "x"})
    reviewed = review_signal(library, "demo-phone-tree", 1, "Bo", "Org B", "success", on="2025-02-01")
    assert reviewed.signals[0].result is not None and reviewed.signals[0].reviews[0].date.isoformat() == "2025-02-01"
    assert get_module(library, "demo-phone-tree").updated is not None
    rows = list_signals(library, "demo-phone-tree")
    assert [(r.number, r.signal.what) for r in rows] == [(1, "Evictions delayed")]
    assert len(list_signals(library)) == 4 + 1  # the sample's own and the new one


def test_a_signal_is_drawn_from_a_reflection_only_as_far_as_consent_lets_it_travel(ws: BaseWorkspace) -> None:
    store, library = ws.store("demo"), ws.library()
    seed(store, library)
    module, n = signal_from_reflection(store, library, 1, "demo-kitchen-forum", {"value": 40, "unit": "people"})
    signal = module.signals[n - 1]
    assert signal.origin == "reflection" and signal.what.startswith("Forty came") and "Kiri" not in signal.what
    assert signal.value == 40 and signal.reported_by not in ("Sol", "") and signal.result is None
    (line,) = store.all(EXPORTS)
    assert line["what"] == "signal" and line["level"] == "network" and line["included"] == 1
    with pytest.raises(ConsentError, match="Reflection 4 may not go into the library"):
        signal_from_reflection(store, library, 4, "demo-kitchen-forum")  # convening-level words
    with pytest.raises(NotFoundError, match="no reflection 99"):
        signal_from_reflection(store, library, 99, "demo-kitchen-forum")
