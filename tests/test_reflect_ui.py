"""The reflection form (participants) and the reflections and signals panels (facilitators), without a browser:
set values, click, read the store."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from lessonkit.i18n import _, using_language
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.services.library import get_module
from lessonkit.services.library_io import import_library_json
from lessonkit.services.reflections import list_reflections, submit_reflection
from lessonkit.store import MemoryWorkspace
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.phone import PHONE_CLASS
from lessonkit.ui.reflect import ReflectionForm
from lessonkit.ui.reflection_list import ReflectionsPanel
from lessonkit.ui.signal_editor import SignalsPanel


@pytest.fixture
def ws() -> BaseWorkspace:
    ws = MemoryWorkspace()
    load_demo(ws, data_path("demo", "convening.json"))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    return ws


def form(ws: BaseWorkspace, **kw: object) -> ReflectionForm:
    return ReflectionForm(ws.store("demo"), ws.library(), title="Riverbend", **kw)  # type: ignore[arg-type]


def test_the_form_is_built_like_every_participant_form(ws: BaseWorkspace) -> None:
    f = form(ws, languages=["en", "es"], language="es")
    assert f.children[0] is f.picker and PHONE_CLASS in f._dom_classes and "lk-lang-es" in f._dom_classes
    assert f.language == "es" and f.written_in.value == "es"
    modules = [slug for _title, slug in f.rows[0].module.options]
    assert modules[0] == "" and "demo-kitchen-forum" in modules and "demo-lobby-sit-in" not in modules  # retired


def test_a_participant_reflects_and_the_form_clears(ws: BaseWorkspace) -> None:
    f = form(ws, code="DEMO-AAAA")
    assert "recognised" in f.code_hint.value
    assert [v for _label, v in f.sensitivity.options] == ["network", "convening", "restricted"]
    assert f.sensitivity.value == "convening"
    f.changed.value = "We meet in <b>pairs</b>"
    f.questions.value = "How do we fund travel?"
    row = f.rows[0]
    row.module.value, row.went.value, row.how.value = "demo-kitchen-forum", "success", "Forty came"
    assert row.measured.layout.display == "none"
    row.outcome.value = "turnout-shift"
    assert row.measured.layout.display is None
    row.value.value, row.unit.value, row.baseline.value = "40", "people", "12"
    f.add_tactic.click()
    f.rows[1].module.value, f.rows[1].went.value = "demo-phone-tree", "failure"
    f.sensitivity.value = "network"
    f.submit.click()
    assert "your reflection was saved" in f.status.value and "<b>" not in f.status.value
    (saved,) = list_reflections(ws.store("demo"))
    assert saved.author_id == 1 and saved.sensitivity.value == "network" and saved.language == "en"
    assert [(t.module, t.went.value if t.went else None) for t in saved.tactics] == [
        ("demo-kitchen-forum", "success"), ("demo-phone-tree", "failure")]
    assert saved.tactics[0].value == 40 and saved.tactics[0].baseline == 12 and saved.tactics[1].outcome is None
    assert f.changed.value == "" and len(f.rows) == 1 and f.rows[0].module.value == ""


def test_a_mistake_keeps_everything_typed(ws: BaseWorkspace) -> None:
    f = form(ws)
    f.changed.value = "Something"
    f.submit.click()
    assert "Reflect anonymously" in f.status.value and f.changed.value == "Something"
    f.code.value = "DEMO-AAAA"
    f.rows[0].how.value = "went well"
    f.submit.click()
    assert "choose the tactic you tried" in f.status.value
    f.rows[0].module.value = "demo-kitchen-forum"
    f.rows[0].outcome.value = "policy-win"
    f.rows[0].value.value = "lots"
    f.submit.click()
    assert "Tactic 1, Value" in f.status.value and "not a number" in f.status.value
    assert f.rows[0].value.value == "lots" and f.rows[0].how.value == "went well" and f.changed.value == "Something"
    assert list_reflections(ws.store("demo")) == []


def test_consent_rules_the_form(ws: BaseWorkspace) -> None:
    f = form(ws, code="DEMO-DDDD")
    assert "not to be recorded" in f.code_hint.value
    f.changed.value = "x"
    f.submit.click()
    assert "not to be recorded" in f.status.value and list_reflections(ws.store("demo")) == []
    falcon = form(ws, code="DEMO-CCCC")
    assert [v for _label, v in falcon.sensitivity.options] == ["restricted"]
    anonymous = form(ws)
    anonymous.anonymous.value = True
    assert anonymous.code.disabled and len(anonymous.sensitivity.options) == 4
    anonymous.questions.value = "Anyone?"
    anonymous.sensitivity.value = "public"
    anonymous.submit.click()
    assert list_reflections(ws.store("demo"))[0].anonymous


def test_switching_language_keeps_what_was_typed(ws: BaseWorkspace) -> None:
    f = form(ws, languages=["en", "fr"], language="en")
    f.changed.value = "typed"
    f.rows[0].module.value = "demo-kitchen-forum"
    f.add_tactic.click()
    f.set_language("fr")
    assert f.changed.value == "typed" and f.rows[0].module.value == "demo-kitchen-forum" and len(f.rows) == 2
    assert "lk-lang-fr" in f._dom_classes and f.written_in.value == "fr"


def test_without_a_library_the_form_asks_only_the_three_questions(ws: BaseWorkspace) -> None:
    f = ReflectionForm(ws.store("demo"), None)
    assert f.tactics.layout.display == "none" and f.add_tactic.layout.display == "none"


def test_reflect_app_opens_the_convening_of_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit.store import Workspace
    from lessonkit.ui.reflect import reflect_app

    home = tmp_path / "ws"
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    monkeypatch.setenv("QUERY_STRING", "code=DEMO-AAAA&lang=es")
    app = reflect_app("demo", str(home))
    assert isinstance(app, ReflectionForm) and app.language == "es" and app.code.value == "DEMO-AAAA"
    assert app.tactics.layout.display == "none"  # an empty library: no tactics to offer
    broken = reflect_app("nope", str(home))
    with using_language("es"):  # the link's language, even before any form exists
        said = _("This page is not ready: the convening could not be opened. Please tell the facilitator.")
    assert html.escape(said, quote=False) in broken.value or said in broken.value


def test_the_reflections_panel_lists_by_level(ws: BaseWorkspace) -> None:
    store = ws.store("demo")
    submit_reflection(store, "Pairs", tactics=[{"module": "demo-kitchen-forum", "went": "mixed", "how": "ok"}],
                      sensitivity="network", join_code="DEMO-AAAA")
    submit_reflection(store, "<script>x</script>", sensitivity="restricted")
    panel = ReflectionsPanel(store, "demo", Path("/nonexistent"), ws.library(), "convening")
    assert "Kitchen forum — Mixed: some of it worked — ok" in panel.listing.value
    assert "1 reflection is not shown" in panel.listing.value and "not running" in panel.link.value
    panel.level.value = "restricted"
    assert "&lt;script&gt;" in panel.listing.value and "<script>" not in panel.listing.value


def test_the_signals_panel_adds_draws_from_reflections_and_reviews(ws: BaseWorkspace) -> None:
    store, library = ws.store("demo"), ws.library()
    submit_reflection(store, "Pairs", tactics=[{"module": "demo-kitchen-forum", "how": "Forty households came",
                                                "outcome": "turnout-shift", "value": 40}],
                      sensitivity="network", join_code="DEMO-AAAA")
    panel = SignalsPanel(library, store, "demo-kitchen-forum")
    assert "Households involved" in panel.listing.value and len(panel.reflection.options) == 2
    panel.what.value, panel.value.value, panel.period.value = "Tenants", "many", "2025"
    panel.add.click()
    assert "Value" in panel.status.value and panel.what.value == "Tenants"  # named, kept
    panel.value.value = "12"
    panel.factors.value = "shared meals\nkitchens"
    panel.add.click()
    assert "Added signal 2" in panel.status.value
    assert get_module(library, "demo-kitchen-forum").signals[1].factors == ("shared meals", "kitchens")
    panel.reflection.value = 1
    panel.add.click()
    drawn = get_module(library, "demo-kitchen-forum").signals[2]
    assert drawn.origin == "reflection" and drawn.what == "Forty households came" and drawn.value == 40
    panel.number.value = 3
    panel.reviewer.value, panel.review_org.value, panel.result.value = "Bo", "Valley", "success"
    panel.review.click()
    assert "now success" in panel.status.value
    panel.number.value = 1
    panel.reviewer.value = ""
    panel.review.click()
    assert "Reviewer" in panel.status.value
