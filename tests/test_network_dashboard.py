"""The network view across convenings (through the disclosure layer), its charts, the tactic flow drawing, the
dashboard workbook panel and the reflections report; on both stores where a store is involved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from lessonkit import services
from lessonkit.domain.signals import ResultClass
from lessonkit.export.dashboard_plots import dashboard_pdf, recurring_chart, signals_chart, tactic_results_chart
from lessonkit.export.flow_plot import dominant, flow_chart
from lessonkit.export.report_reflections import reflections_report
from lessonkit.resources import data_path
from lessonkit.services.export_log import TABLE as EXPORTS
from lessonkit.services.library import add_module
from lessonkit.services.library_io import import_library_json
from lessonkit.services.network import (
    FROM_REFLECTION,
    FROM_SIGNAL,
    describe,
    flow_choices,
    network_view,
    register_risks,
    signals_over_time,
    tactic_flow,
)
from lessonkit.services.reflections import submit_reflection
from lessonkit.services.risks import add_risk
from lessonkit.store import MemoryWorkspace
from lessonkit.store.workspace import BaseWorkspace


def seeded(ws: BaseWorkspace) -> BaseWorkspace:
    """The demo convening and a second one; a need (#housing) and a risk category recur in both."""
    import_library_json(ws.library(), data_path("demo", "library.json"))
    demo = ws.store("demo")
    submit_reflection(demo, "Pairs", tactics=[{"module": "demo-kitchen-forum", "went": "success"}],
                      sensitivity="network", join_code="DEMO-AAAA")
    submit_reflection(demo, "Inside only", tactics=[{"module": "demo-phone-tree", "went": "failure"}],
                      sensitivity="convening", join_code="DEMO-AAAA")
    services.create_convening(ws, "second", "Second exchange", start="2027-01-10", languages="en")
    second = ws.store("second")
    services.add_session(second, "Listening", ["What do you need?"], allow_anonymous=True)
    services.submit_note(second, 1, "need", "Rooms to meet", ["housing"], "network")
    services.submit_note(second, 1, "need", "Secret need", ["secret"], "restricted")
    submit_reflection(second, "Tried it", tactics=[{"module": "demo-kitchen-forum", "went": "mixed"}],
                      sensitivity="public")
    for store in (demo, second):
        add_risk(store, "Arrests", "legal", 3, 4, sensitivity="network")
    add_risk(second, "Raid", "physical-safety", 2, 5, sensitivity="restricted")
    return ws


@pytest.fixture
def ws(demo_workspace: BaseWorkspace) -> BaseWorkspace:
    """Seeded on both stores (for what reads the stores)."""
    return seeded(demo_workspace)


@pytest.fixture
def mem() -> BaseWorkspace:
    """Seeded in memory only (for drawings and what works on the view alone)."""
    ws = MemoryWorkspace()
    services.load_demo(ws, data_path("demo", "convening.json"))
    return seeded(ws)


def test_the_view_groups_needs_risks_and_trials_across_convenings_at_network(ws: BaseWorkspace) -> None:
    view = network_view(ws)
    assert [c.slug for c in view.convenings] == ["demo", "second"]  # by start date
    housing = next(r for r in view.needs if r.key == "#housing")
    assert housing.recurs and len(housing.convenings) == 2 and view.needs[0] == housing
    assert all(r.key != "#secret" for r in view.themes)  # a restricted note counts nowhere at network
    legal = next(r for r in view.risks if r.key == "legal")
    assert legal.recurs and all(r.key != "physical-safety" for r in view.risks)
    said = [(t.module, t.result) for t in view.trials if t.source == FROM_REFLECTION]
    assert said == [("demo-kitchen-forum", ResultClass.SUCCESS), ("demo-kitchen-forum", ResultClass.MIXED)]
    assert sum(1 for t in view.trials if t.source == FROM_SIGNAL) == 4
    assert describe(view)["needs"] >= 1 and view.withheld >= 2 and len(view.scopes) == 2


def test_at_public_the_view_holds_less(mem: BaseWorkspace) -> None:
    view = network_view(mem, "public")
    assert [t.result for t in view.trials if t.source == FROM_REFLECTION] == [ResultClass.MIXED]
    assert all(r.key != "legal" for r in view.risks)


def test_register_risks_reads_the_register_through_the_rule(ws: BaseWorkspace) -> None:
    from lessonkit.services.consent import change_consent
    from lessonkit.services.disclosure import Disclosure

    store = ws.store("second")
    services.add_participant(store, "Sol", consent={"share_up_to": "public"})
    code = next(p.join_code for p in services.list_participants(store) if p.name == "Sol")
    add_risk(store, "Smears", "reputational", 2, 2, join_code=code, sensitivity="public")
    change_consent(store, code, {"share_up_to": "convening"}, by="Sol")  # raised it, then narrowed their consent
    assert [r.category for r in register_risks(Disclosure.open(store, "network"))] == ["legal"]
    inside = [r.category for r in register_risks(Disclosure.open(store, "restricted"))]
    assert inside == ["legal", "physical-safety", "reputational"]


def test_signals_over_time_and_their_chart(mem: BaseWorkspace) -> None:
    timed, untimed = signals_over_time(mem.library())
    assert [t.when.isoformat() for t in timed] == ["2024-05-16", "2024-05-16", "2025-02-14", "2025-06-15"]
    assert untimed == 0
    fig = signals_chart(timed, 2)
    assert isinstance(fig, Figure) and "2 signals have no period" in fig.get_suptitle()


def test_the_flow_of_a_tactic_has_its_lineage_places_and_results(mem: BaseWorkspace) -> None:
    view = network_view(mem)
    flow = tactic_flow(mem.library(), "demo-kitchen-forum", view.trials)
    columns = {n.slug: n.column for n in flow.nodes}
    assert columns == {"demo-kitchen-forum": 0, "demo-phone-tree": 1, "demo-listen-first": 1}
    forum = next(n for n in flow.nodes if n.slug == "demo-kitchen-forum")
    assert forum.results["success"] == 2 and forum.results["mixed"] == 1  # two reflections, one reviewed signal
    assert "Second exchange" in forum.places and "demo-south" in forum.places
    assert {(e.parent, e.child, e.mode) for e in flow.edges} == {
        ("demo-kitchen-forum", "demo-phone-tree", "emulation"),
        ("demo-kitchen-forum", "demo-listen-first", "inspiration"),
    }
    assert dominant(forum.results) == "success" and dominant({"": 3}) == ""
    fig = flow_chart(flow)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("Kitchen forum" in t for t in texts) and any("emulation" in t for t in texts)
    assert ("Kitchen forum", "demo-kitchen-forum") in flow_choices(mem.library())


def test_a_parent_outside_the_library_is_drawn_dashed(mem: BaseWorkspace) -> None:
    add_module(mem.library(), {"slug": "child", "title": "Child", "type": "tactic",
                              "lineage": [{"parent": "elsewhere", "mode": "copying"}]})
    flow = tactic_flow(mem.library(), "child")
    assert [(n.slug, n.column, n.in_library) for n in flow.nodes] == [("child", 0, True), ("elsewhere", -1, False)]
    patches = flow_chart(flow).axes[0].patches
    assert "--" in {p.get_linestyle() for p in patches} or (0, (3.7, 1.6)) in {p.get_linestyle() for p in patches}


def test_charts_print_into_one_pdf(tmp_path: Path) -> None:
    figures = [recurring_chart([], "Needs"), recurring_chart([], "Risks")]
    path = dashboard_pdf(figures, tmp_path / "out" / "dash.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["dash.pdf"]  # no temporary file left


def test_the_tactic_chart_stacks_results_per_module(mem: BaseWorkspace) -> None:
    fig = tactic_results_chart(network_view(mem), {"demo-kitchen-forum": "Kitchen forum"})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "Kitchen forum"  # tried most: on top
    assert sum(len(c.patches) for c in fig.axes[0].containers) == 4 * len(labels)


def test_the_dashboard_panel_draws_saves_and_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The panel's wiring; drawing PNGs and PDFs is tested above (stubbed here: each costs seconds on 2 cores)."""
    from lessonkit.ui import dashboard

    drawn: list[Figure] = []
    printed: list[tuple[int, Path]] = []
    monkeypatch.setattr(dashboard, "png", lambda fig: drawn.append(fig) or b"\x89PNG")

    def fake_pdf(figures: list[Figure], path: Path) -> Path:
        printed.append((len(figures), path))
        return path

    monkeypatch.setattr(dashboard, "dashboard_pdf", fake_pdf)
    ws = MemoryWorkspace()
    services.load_demo(ws, data_path("demo", "convening.json"))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    board = dashboard.NetworkDashboard(ws, "network", "demo-mock-award")
    assert len(drawn) == 6 and board.module.value == "demo-mock-award" and "1 convening" in board.summary.value
    board.out.value = str(tmp_path / "print.pdf")
    board.save.click()
    assert printed == [(6, tmp_path / "print.pdf")] and "6 pages" in board.status.value
    (line,) = ws.store("demo").all(EXPORTS)
    assert line["what"] == "network dashboard" and line["level"] == "network"
    board.level.value = "public"
    assert len(drawn) == 12


def test_the_reflections_report_follows_the_level(ws: BaseWorkspace) -> None:
    store = ws.store("second")
    submit_reflection(store, questions="How do we pay?\nWho decides?", sensitivity="public")
    public = reflections_report(store=store, level="public", library=ws.library())
    assert "Kitchen forum" in public.overview.plain() and "Who decides?" in public.questions.plain()
    assert public.cover.cover.withheld == 0 and "Tried it" in public.reflections.plain()
    demo = reflections_report(store=ws.store("demo"), level="public", library=ws.library())
    assert demo.cover.cover.withheld == 2 and "Pairs" not in demo.reflections.plain()
