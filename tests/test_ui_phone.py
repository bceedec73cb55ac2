"""Every participant form carries the phone-first layout (the browser test measures it at 360 x 640)."""

from __future__ import annotations

from pathlib import Path

from lessonkit.participant_server import TEMPLATE_DIR
from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round
from lessonkit.store import Workspace
from lessonkit.ui.mou_amend import AmendmentForm
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.phone import PHONE_CLASS
from lessonkit.ui.scoring import ScoringForm


def test_the_three_participant_forms_are_marked_phone_first(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    load_demo(ws, data_path("demo", "convening.json"))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    store = ws.store("demo")
    rubric = load_rubric()
    forms = [
        ListeningForm(store, code="DEMO-AAAA"),
        AmendmentForm(store, code="DEMO-AAAA"),
        ScoringForm(store, rubric, open_round(store, ws.library(), "demo-kitchen-forum", "Here", rubric)),
    ]
    for form in forms:
        assert PHONE_CLASS in form._dom_classes, type(form).__name__
        assert form.layout.width == "100%"


def test_the_participant_page_carries_the_phone_layout() -> None:
    css = (TEMPLATE_DIR / "phone.css").read_text(encoding="utf-8")
    page = (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    assert '{% include "phone.css" %}' in page
    assert f".{PHONE_CLASS} .widget-inline-hbox" in css and "min-height: 44px" in css
