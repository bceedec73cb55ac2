"""The participant's listening form, without a browser: set values, click, read the store."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import ipywidgets as widgets
import pytest

from lessonkit import services
from lessonkit.resources import data_path
from lessonkit.store import Workspace
from lessonkit.ui.participant import ListeningForm, participant_app

DEMO_NAMES = ["Sol", "Kiri Moana", "Falcon", "Observer Jo"]


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def all_text(widget: widgets.Widget) -> str:
    """Everything the form could show: values, labels, placeholders and option labels."""
    parts = []
    for w in walk(widget):
        for attr in ("value", "description", "placeholder", "tooltip"):
            value = getattr(w, attr, None)
            if isinstance(value, str):
                parts.append(value)
        parts.extend(str(label) for label in getattr(w, "_options_labels", ()))
    return "\n".join(parts)


def note_count(store) -> int:  # type: ignore[no-untyped-def]
    return len(services.list_notes(store))


def test_submit_saves_confirms_and_clears_text_and_tags(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, code="DEMO-AAAA")
    assert form.session.value == 1  # the only open session is preselected
    form.category.value = "risk"
    form.text.value = "Our meeting room <b>was</b> raided."
    form.tags.value = "space, Security"
    form.sensitivity.value = "network"
    form.submit.click()

    note = services.list_notes(demo_store)[-1]
    assert note.text == "Our meeting room <b>was</b> raided."
    assert note.tags == ("space", "security")
    assert note.category.value == "risk" and note.sensitivity.value == "network"
    author = services.participant_by_code(demo_store, "DEMO-AAAA")
    assert note.author_id == author.id
    assert "saved" in form.status.value and "&lt;b&gt;was&lt;/b&gt;" in form.status.value
    assert "<b>was" not in form.status.value
    assert (form.text.value, form.tags.value) == ("", "")
    assert (form.code.value, form.session.value, form.category.value) == ("DEMO-AAAA", 1, "risk")


def test_invalid_input_keeps_everything_typed(demo_store) -> None:  # type: ignore[no-untyped-def]
    before = note_count(demo_store)
    form = ListeningForm(demo_store, code="DEMO-AAAA")
    form.category.value = "question"
    form.text.value = "   "
    form.tags.value = "youth, outreach"
    form.submit.click()
    assert "Your note" in form.status.value and "empty" in form.status.value
    assert 'role="alert"' in form.status.value
    assert (form.text.value, form.tags.value, form.category.value) == ("   ", "youth, outreach", "question")

    form.text.value = "x" * 5000
    form.submit.click()
    assert "limit" in form.status.value and form.text.value == "x" * 5000
    assert note_count(demo_store) == before


def test_unknown_code_is_an_inline_message_and_nothing_saved(demo_store) -> None:  # type: ignore[no-untyped-def]
    before = note_count(demo_store)
    form = ListeningForm(demo_store)
    form.code.value = "WXYZ-9999"
    assert "not found" in form.code_hint.value
    form.text.value = "A note that must survive."
    form.submit.click()
    assert "not found" in form.status.value
    assert form.text.value == "A note that must survive."
    assert note_count(demo_store) == before


def test_missing_code_asks_for_it(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store)
    form.text.value = "Who am I?"
    form.submit.click()
    assert "Join code" in form.status.value and form.text.value == "Who am I?"
    assert note_count(demo_store) == 6


def test_do_not_record_is_refused_with_a_clear_message(demo_store) -> None:  # type: ignore[no-untyped-def]
    before = note_count(demo_store)
    form = ListeningForm(demo_store, code="DEMO-DDDD")
    assert "not to be recorded" in form.code_hint.value
    form.text.value = "Please do not keep this."
    form.submit.click()
    assert "not to be recorded" in form.status.value and "nothing was saved" in form.status.value
    assert note_count(demo_store) == before


def test_anonymous_only_where_the_session_allows_it(demo_store) -> None:  # type: ignore[no-untyped-def]
    closed_to_anonymous = services.add_session(demo_store, "Names only", ["Say who you are"])
    form = ListeningForm(demo_store)
    assert form.session.value is None  # two open sessions: the person chooses
    form.session.value = 1
    assert form.anonymous.layout.display is None
    form.anonymous.value = True
    assert form.code.disabled
    form.text.value = "Said without a name."
    form.submit.click()
    note = services.list_notes(demo_store)[-1]
    assert (note.text, note.author_id, note.sensitivity.value) == ("Said without a name.", None, "convening")

    form.session.value = closed_to_anonymous.id
    assert form.anonymous.layout.display == "none" and form.anonymous.value is False
    assert "Say who you are" in form.prompts.value


def test_sensitivity_options_follow_consent(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store)
    assert [v for _l, v in form.sensitivity.options] == ["public", "network", "convening", "restricted"]
    assert form.sensitivity.value == "convening"
    form.code.value = "DEMO-BBBB"  # consent: public
    form.sensitivity.value = "public"
    form.code.value = "demo aaaa"  # consent: network (typed loosely)
    assert [v for _l, v in form.sensitivity.options] == ["network", "convening", "restricted"]
    assert form.sensitivity.value == "convening"
    form.code.value = "DEMO-CCCC"  # consent: restricted
    assert [v for _l, v in form.sensitivity.options] == ["restricted"]
    assert form.sensitivity.value == "restricted"
    form.anonymous.value = True
    assert len(form.sensitivity.options) == 4


def test_form_never_lists_participants_or_other_notes(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, code="DEMO-BBBB")
    form.text.value = "mine"
    form.submit.click()
    shown = all_text(form)
    for name in DEMO_NAMES:
        assert name not in shown
    for note in services.list_notes(demo_store):
        if note.text != "mine":
            assert note.text not in shown


def test_session_from_the_link_and_no_open_session(demo_store) -> None:  # type: ignore[no-untyped-def]
    services.add_session(demo_store, "Second", ["?"], allow_anonymous=True)
    assert ListeningForm(demo_store, session_id="1").session.value == 1
    assert ListeningForm(demo_store, session_id="2").session.value is None  # closed: not offered
    for s in services.list_sessions(demo_store):
        services.set_session_open(demo_store, s.id, False)
    form = ListeningForm(demo_store)
    assert "No session is open" in form.status.value
    assert form.submit.disabled


def test_participant_app_reads_the_link(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    monkeypatch.setenv("QUERY_STRING", "code=DEMO-AAAA&session=1")
    form = participant_app("demo", home=str(ws.home))
    assert isinstance(form, ListeningForm)
    assert form.code.value == "DEMO-AAAA" and form.session.value == 1
    assert "Riverbend Exchange" in form.header.value
    broken = participant_app("no-such-convening", home=str(ws.home))
    assert "could not be opened" in broken.value


def test_labels_for_the_browser_tests(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store)
    labels = [form.code, form.anonymous, form.session, form.category, form.text, form.tags, form.sensitivity]
    assert [w.description for w in labels] == [
        "Join code", "Contribute anonymously", "Session", "Category", "Your note", "Tags", "Who may see it",
    ]
    assert form.submit.description == "Submit"


def test_participant_module_does_not_load_pandas() -> None:
    code = "import sys, lessonkit.ui.participant; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("typed", ["DEMO-AAA", ""])
def test_partial_code_gives_no_alarm(demo_store, typed: str) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store)
    form.code.value = typed
    assert form.code_hint.value == ""
