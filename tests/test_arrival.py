"""Pages from the pool (lessonkit/ui/arrival.py), without a browser: a pooled kernel builds its form for nobody and
takes its visitor's link when they arrive; each page takes one visitor, the first, and keeps what was typed."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_ui_participant import all_text

from lessonkit import services
from lessonkit.resources import data_path
from lessonkit.store import Workspace
from lessonkit.ui import arrival, context
from lessonkit.ui.arrival import AWAITING_CLASS, ParticipantPage, Visitor
from lessonkit.ui.participant import ListeningForm, participant_app
from lessonkit.ui.reflect import ReflectionForm, reflect_app

Arrive = Callable[[dict[str, str]], None]


@pytest.fixture
def home(tmp_path: Path) -> str:
    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    return str(ws.home)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Arrive]]:
    """As in a kernel of Voila's pool: pages wait for their visitor; the list holds each page's arrival."""
    waiting: list[Arrive] = []
    monkeypatch.setattr(arrival, "in_pooled_kernel", lambda: True)
    monkeypatch.setattr(arrival, "on_visitor", waiting.append)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    yield waiting


def test_a_pooled_page_is_built_for_nobody_and_takes_its_visitor_on_arrival(home: str, pooled: list[Arrive]) -> None:
    page = participant_app("demo", home)
    assert isinstance(page, ParticipantPage) and AWAITING_CLASS in page._dom_classes
    form = page.form
    assert isinstance(form, ListeningForm) and form.code.value == "" and "DEMO-" not in all_text(page)
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA&session=1&lang=es&token=secret", "HTTP_ACCEPT_LANGUAGE": "fr"})
    assert page.form is form and AWAITING_CLASS not in page._dom_classes
    assert (form.code.value, form.session.value, form.language) == ("DEMO-AAAA", 1, "es")
    assert "secret" not in all_text(page)


def test_two_visitors_with_different_codes_each_see_only_their_own(home: str, pooled: list[Arrive]) -> None:
    first, second = participant_app("demo", home), reflect_app("demo", home)
    third = participant_app("demo", home)
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA"})
    pooled[1]({"QUERY_STRING": "code=DEMO-BBBB"})
    pooled[2]({"QUERY_STRING": "code=DEMO-BBBB"})
    assert isinstance(second, ParticipantPage) and isinstance(second.form, ReflectionForm)
    assert "DEMO-AAAA" in all_text(first) and "DEMO-BBBB" not in all_text(first)
    assert "DEMO-BBBB" in all_text(second) and "DEMO-AAAA" not in all_text(second)
    pooled[0]({"QUERY_STRING": "code=DEMO-BBBB"})  # a kernel serves one visitor: a second arrival changes nothing
    assert "DEMO-BBBB" not in all_text(first) and "DEMO-AAAA" not in all_text(third)


def test_what_was_typed_before_the_link_arrived_stays(home: str, pooled: list[Arrive]) -> None:
    page = participant_app("demo", home)
    form = page.form
    assert isinstance(form, ListeningForm)
    form.text.value = "typed at once"
    form.code.value = "DEMO-BBBB"
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA&lang=fr"})
    assert page.form is form and form.text.value == "typed at once"
    assert form.code.value == "DEMO-BBBB"  # the link never overwrites a code the person typed


def test_a_failing_arrival_still_shows_the_form(
    home: str, pooled: list[Arrive], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = participant_app("demo", home)

    def broken(self: ListeningForm, visitor: Visitor) -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(ListeningForm, "welcome", broken)
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA"})
    assert AWAITING_CLASS not in page._dom_classes and isinstance(page.form, ListeningForm)


def test_outside_the_pool_the_link_is_applied_before_the_form_is_shown(
    home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arrival, "in_pooled_kernel", lambda: False)
    monkeypatch.setenv("QUERY_STRING", "code=DEMO-AAAA&lang=fr")
    form = reflect_app("demo", home)
    assert isinstance(form, ReflectionForm) and form.code.value == "DEMO-AAAA" and form.language == "fr"


def test_the_visitor_reads_the_link_without_the_token() -> None:
    v = Visitor.from_request({"QUERY_STRING": "code=DEMO-AAAA&token=t&session=", "HTTP_ACCEPT_LANGUAGE": "es"})
    assert v.params == {"code": "DEMO-AAAA"} and v.get("session") is None
    assert v.language(["en", "es"]) == ("es", False)
    assert Visitor.nobody().params == {} and Visitor.nobody().language(["fr", "en"]) == ("fr", False)


def test_on_visitor_takes_the_details_voila_sends_once_over_its_websocket(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real listener against a stand-in for Voila's ``voila/query/<kernel id>`` websocket."""
    import asyncio

    from websockets.sync.server import ServerConnection, serve

    monkeypatch.setattr(context, "_listening", None)  # module state of a kernel: put back after the test
    monkeypatch.setattr(context, "_request_taken", False)
    paths: list[str] = []

    def handler(conn: ServerConnection) -> None:
        paths.append(conn.request.path if conn.request else "")
        conn.send(json.dumps({"QUERY_STRING": "code=DEMO-AAAA"}))
        conn.recv()  # until the kernel closes its end

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        for name, value in {"VOILA_KERNEL_ID": "k1", "VOILA_APP_PORT": str(port), "VOILA_SERVER_URL": "/base/"}.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("QUERY_STRING", raising=False)
        got: list[dict[str, str]] = []

        async def main() -> None:
            done = asyncio.Event()
            context.on_visitor(lambda info: (got.append(info), done.set()))
            await asyncio.wait_for(done.wait(), 10)

        # a loop of its own, in a thread as the kernel's listener is (the browser tests keep one in this thread)
        runner = threading.Thread(target=asyncio.run, args=(main(),))
        runner.start()
        runner.join(20)
        server.shutdown()
    assert paths == ["/base/voila/query/k1"] and got[0]["QUERY_STRING"] == "code=DEMO-AAAA"
