"""The convening set-up screen, without a browser: participants, sessions, participant link and QR code."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from lessonkit import services
from lessonkit.resources import data_path
from lessonkit.serve import ServeConfig, write_info
from lessonkit.store import Workspace
from lessonkit.ui.setup import ConveningSetup, consent_summary, convening_setup


@pytest.fixture
def setup(demo_store, tmp_path: Path) -> ConveningSetup:  # type: ignore[no-untyped-def]
    return ConveningSetup(demo_store, "demo", home=tmp_path)


@pytest.fixture
def listening_port() -> Iterator[int]:
    """Something listening on a free local port, standing in for the participant server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_shows_the_convening_and_its_participants(setup: ConveningSetup) -> None:
    assert "Riverbend Exchange (demo)" in setup.header.value and "Mar 10, 2026" in setup.header.value  # per locale
    assert "English, Español" in setup.header.value and "العربية" in setup.header.value  # each named in itself
    table = setup.people.table.value
    for text in ("Kiri Moana", "Bright Otter", "DEMO-BBBB", "named", "up to public", "do not record"):
        assert text in table


def test_add_participant_shows_the_new_join_code(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    form = setup.people
    form.name.value = "River"
    form.organization.value = "Delta Collective (invented)"
    form.attribution.value = "named"
    form.share_up_to.value = "network"
    form.review_date.value = date(2026, 12, 1)
    form.add.click()

    person = services.list_participants(demo_store)[-1]
    assert person.name == "River" and person.organization == "Delta Collective (invented)"
    consent = person.consent
    assert (consent.record, consent.attribution.value, consent.share_up_to.value) == (True, "named", "network")
    assert person.pseudonym and len(person.pseudonym.split()) == 2  # none chosen: a word pair was made up
    assert person.pseudonym in form.status.value and person.pseudonym in form.table.value
    assert consent.review_date == date(2026, 12, 1)
    assert person.join_code in form.status.value and "River is registered" in form.status.value
    assert person.join_code in form.table.value
    assert (form.name.value, form.organization.value) == ("", "")
    assert form.share_up_to.value == "network"  # consent choices stay for the next person


def test_add_participant_errors_keep_the_form(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    form = setup.people
    before = len(services.list_participants(demo_store))
    form.organization.value = "Somewhere"
    form.add.click()
    assert "Name (as you know them)" in form.status.value and 'role="alert"' in form.status.value
    assert form.organization.value == "Somewhere"
    form.name.value = "sol"
    form.add.click()
    assert "already registered" in form.status.value and form.name.value == "sol"
    assert len(services.list_participants(demo_store)) == before


def test_participant_text_is_escaped(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    form = setup.people
    form.name.value = "<script>alert(1)</script>"
    form.organization.value = "<img src=x onerror=alert(1)>"
    form.add.click()
    page = form.table.value + form.status.value
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_do_not_record_consent_is_stored(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    setup.people.name.value = "Quiet"
    setup.people.record.value = False
    setup.people.add.click()
    person = services.list_participants(demo_store)[-1]
    assert person.consent.record is False
    assert consent_summary(person.consent) == "do not record"


def test_add_open_and_close_a_session(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    panel = setup.sessions
    panel.title.value = "Listening: what we fear"
    panel.prompts.value = "What keeps you up at night?\n\n  What would help?  \n"
    panel.allow_anonymous.value = True
    panel.add.click()
    session = services.list_sessions(demo_store)[-1]
    assert session.title == "Listening: what we fear"
    assert session.prompts == ("What keeps you up at night?", "What would help?")
    assert session.allow_anonymous and not session.is_open
    assert panel.choice.value == session.id and "closed" in panel.status.value
    assert "Listening: what we fear" in panel.table.value

    panel.open_session.click()
    assert services.get_session(demo_store, session.id).is_open
    assert "is open" in panel.status.value
    panel.close_session.click()
    assert not services.get_session(demo_store, session.id).is_open


def test_add_session_without_title_is_refused(demo_store, setup: ConveningSetup) -> None:  # type: ignore[no-untyped-def]
    before = len(services.list_sessions(demo_store))
    setup.sessions.prompts.value = "A prompt"
    setup.sessions.add.click()
    assert "Session title" in setup.sessions.status.value
    assert setup.sessions.prompts.value == "A prompt"
    assert len(services.list_sessions(demo_store)) == before


def test_link_says_how_to_start_the_server(setup: ConveningSetup) -> None:
    assert "lessonkit serve --convening demo" in setup.link.value
    assert "<svg" not in setup.link.value


def test_link_and_qr_code_when_the_server_runs(
    setup: ConveningSetup, tmp_path: Path, listening_port: int
) -> None:
    cfg = ServeConfig(home=tmp_path, convening="demo", port=listening_port, token="tok123")
    write_info(cfg, pid=1)
    setup.check_link.click()
    assert "<svg" in setup.link.value and 'width="260"' in setup.link.value
    assert f"http://127.0.0.1:{listening_port}/voila/render/listen.ipynb?token=tok123" in setup.link.value

    setup.people.name.value = "Linked"
    setup.people.add.click()
    code = services.list_participants(setup.store)[-1].join_code
    assert f"token=tok123&amp;code={code}" in setup.people.status.value


def test_link_for_another_convening_or_a_stopped_server(setup: ConveningSetup, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        write_info(ServeConfig(home=tmp_path, convening="other", port=port), pid=1)
        setup.show_link()
        assert "running for the convening &#x27;other&#x27;" in setup.link.value
    setup.show_link()
    assert "has stopped" in setup.link.value


def test_convening_setup_opens_the_workspace(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    screen = convening_setup("demo", home=str(ws.home))
    assert screen.home == ws.home and "DEMO-AAAA" in screen.people.table.value
