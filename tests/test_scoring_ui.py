"""Scoring widgets without a browser: the participant form, round set-up, results and ranking."""

from __future__ import annotations

import pytest

from lessonkit.resources import data_path
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, round_ratings, set_round_open
from lessonkit.store.workspace import Workspace
from lessonkit.ui.scoring import ScoringForm, scoring_app
from lessonkit.ui.scoring_report import RankingView, example_profiles, rank_view, scoring_results
from lessonkit.ui.scoring_setup import ScoringRoundSetup

RUBRIC = load_rubric()


@pytest.fixture
def ws(disk_workspace: Workspace) -> Workspace:
    from lessonkit.services import load_demo

    load_demo(disk_workspace, data_path("demo", "convening.json"))
    import_library_json(disk_workspace.library(), data_path("demo", "library.json"))
    return disk_workspace


def rate_all(form: ScoringForm, value: int = 2) -> None:
    for radio in form.ratings.values():
        radio.value = value


def test_participant_form_shows_levels_and_saves(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = open_round(ws.store("demo"), ws.library(), "demo-kitchen-forum", "Our <b>town</b>", RUBRIC)
    monkeypatch.setenv("QUERY_STRING", f"code=DEMO-BBBB&round={rnd.id}")
    form = scoring_app("demo", str(ws.home))
    assert isinstance(form, ScoringForm) and form.code.value == "DEMO-BBBB"
    assert "Our &lt;b&gt;town&lt;/b&gt;" in form.header.value
    civic = form.ratings["civic_space"]
    assert len(civic.options) == 5 and civic.options[0][0].startswith("0 — Closed")
    form.submit.click()
    assert "Please rate" in form.status.value and round_ratings(ws.store("demo"), rnd.id) == []
    rate_all(form, 3)
    form.ratings["legal_risk"].value = None
    form.submit.click()
    assert "Legal risk for participants" in form.status.value
    assert form.ratings["civic_space"].value == 3  # choices kept after the error
    form.ratings["legal_risk"].value = 1
    form.submit.click()
    assert "ratings were saved" in form.status.value
    saved = round_ratings(ws.store("demo"), rnd.id)
    assert len(saved) == 1 and saved[0].ratings["legal_risk"] == 1


def test_participant_form_errors_keep_input(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ws.store("demo")
    rnd = open_round(store, ws.library(), "demo-kitchen-forum", "Here", RUBRIC)
    monkeypatch.setenv("QUERY_STRING", "")
    form = scoring_app("demo", str(ws.home))
    rate_all(form)
    form.submit.click()
    assert "Join code" in form.status.value
    form.code.value = "NOPE-NOPE"
    form.submit.click()
    assert "not found" in form.status.value and form.code.value == "NOPE-NOPE"
    form.code.value = "DEMO-DDDD"  # consent: record = false
    form.submit.click()
    assert "consent" in form.status.value and round_ratings(store, rnd.id) == []
    set_round_open(store, rnd.id, False)
    form.code.value = "DEMO-AAAA"
    form.submit.click()
    assert "closed" in form.status.value and form.ratings["resources"].value == 2
    assert "No scoring round is open" in scoring_app("demo", str(ws.home)).status.value


def test_setup_opens_rounds_and_results_show_the_spread(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ws.store("demo")
    setup = ScoringRoundSetup(store, ws.library())
    assert {v for _, v in setup.module.options} == {"demo-banner-relay", "demo-kitchen-forum", "demo-mock-award"}
    setup.open_button.click()
    assert "Target context" in setup.status.value  # no name given: nothing opened
    setup.include_all.value = True
    assert "demo-phone-tree" in {v for _, v in setup.module.options}
    setup.module.value, setup.target.value = "demo-banner-relay", "Our city"
    setup.open_button.click()
    assert "score.ipynb?round=1" in setup.status.value

    results = scoring_results(convening="demo", home=str(ws.home))
    assert "Nobody has rated" in results.report.value
    for code, civic in (("DEMO-AAAA", 4), ("DEMO-BBBB", 1), ("DEMO-CCCC", 3)):
        monkeypatch.setenv("QUERY_STRING", f"code={code}")
        form = scoring_app("demo", str(ws.home))
        rate_all(form)
        form.ratings["civic_space"].value = civic
        form.submit.click()
    results.refresh_button.click()
    assert "3 assessors" in results.report.value and "contested" in results.report.value
    assert bytes(results.chart.value).startswith(b"\x89PNG")
    results.save.click()
    assert "Our city" in results.status.value
    ranking = rank_view("Our city", "demo", str(ws.home))
    assert isinstance(ranking, RankingView) and ranking.target.value == "saved:Our city"
    assert bytes(ranking.chart.value).startswith(b"\x89PNG") and "<ol>" in ranking.rows.value
    setup.toggle.click()
    assert "closed" in setup.status.value


def test_ranking_view_with_example_profiles(ws: Workspace) -> None:
    view = RankingView(ws.library(), RUBRIC, example_profiles(RUBRIC), "capital-under-pressure")
    assert "3 modules ranked" in view.summary.value and "Kitchen forum" in view.rows.value  # endorsed only
    view.endorsed_only.value = False
    assert "5 modules ranked" in view.summary.value and "Eviction phone tree" in view.rows.value
