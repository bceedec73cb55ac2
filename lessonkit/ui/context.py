"""Where a notebook finds its convening: parameters, environment, and (under Voila) the page's query string."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from urllib.parse import parse_qs

from lessonkit.services.convenings import convening_slug, open_convening
from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace

log = logging.getLogger(__name__)
_request_taken = False
_listening: threading.Event | None = None  # set once the listener of :func:`on_visitor` has the request


def in_pooled_kernel() -> bool:
    """Whether this kernel was started for Voila's preheated pool (before its visitor arrived)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False" and "VOILA_KERNEL_ID" in os.environ


def _query_url() -> str:
    """Where Voila hands this kernel its visitor's request details (the ``voila/query/<kernel id>`` websocket)."""
    server_url = os.environ.get("VOILA_SERVER_URL", "/")
    return "{proto}://{ip}:{port}{base}voila/query/{kernel}".format(
        proto=os.environ.get("VOILA_WS_PROTOCOL", "ws"),
        ip=os.environ.get("VOILA_APP_IP", "127.0.0.1").replace("0.0.0.0", "127.0.0.1"),
        port=os.environ.get("VOILA_APP_PORT", "8866"),
        base=os.environ.get("VOILA_WS_BASE_URL", server_url),
        kernel=os.environ["VOILA_KERNEL_ID"],
    )


def on_visitor(callback: Callable[[dict[str, str]], None], timeout_s: float = 5.0) -> None:
    """In a pooled kernel, call ``callback(request details)`` on the kernel's event loop once the visitor arrives.

    Connects to Voila's query websocket now (so Voila has somewhere to send the details as soon as it hands this
    kernel out) and waits for the one message in a background thread that sleeps in ``recv`` (no polling, no
    keepalive pings). The details are also put into ``os.environ`` as Voila's own ``wait_for_request`` does, so
    :func:`request_params` keeps working. When the websocket cannot be opened, or closes before any message, the
    callback gets what the environment holds (no link parameters) so the page still becomes usable.
    """
    global _listening, _request_taken
    from tornado.ioloop import IOLoop
    from websockets.sync.client import connect

    loop = IOLoop.current()
    got = threading.Event()
    _listening = got

    def deliver(info: dict[str, str]) -> None:
        os.environ.update(info)
        got.set()
        loop.add_callback(callback, dict(os.environ))

    try:
        ws = connect(_query_url(), open_timeout=timeout_s, ping_interval=None, close_timeout=1)
    except (OSError, TimeoutError, ValueError) as exc:  # websockets' handshake errors are OSError/ValueError too
        log.warning("no request details from Voila (%s): the page is shown without them", exc)
        _request_taken = True
        deliver({})
        return

    def listen() -> None:
        info: dict[str, str] = {}
        try:
            with ws:  # closed on the way out
                info = {str(k): str(v) for k, v in json.loads(ws.recv()).items()}
        except Exception as exc:  # closed, or not JSON: the page is still shown, without the link's parameters
            log.warning("no request details from Voila (%s): the page is shown without them", exc)
        deliver(info)

    _request_taken = True
    threading.Thread(target=listen, name="lessonkit-visitor", daemon=True).start()


def wait_for_request(timeout_s: float = 5.0) -> None:
    """In a preheated Voila kernel, wait for the visitor's request and take its details into ``os.environ``.

    A preheated kernel runs the notebook before anyone arrives; Voila hands it the visitor's request (query string
    and all) over the ``voila/query/<kernel id>`` websocket. This mirrors ``voila.utils.wait_for_request`` without
    importing voila into every participant kernel (that import alone costs about 44 MB per kernel). Outside a
    preheated kernel, and on any second call, it returns at once.

    It blocks the notebook until the visitor arrives, so a page built after it waits on its kernel: participant
    forms use :func:`lessonkit.ui.arrival.participant_page` instead. When :func:`on_visitor` already listens, this
    waits for that listener (Voila's query handler takes one connection per kernel).
    """
    global _request_taken
    if _listening is not None:
        _listening.wait()
        return
    if _request_taken or not in_pooled_kernel():
        return
    from websockets.sync.client import connect

    try:
        with connect(_query_url(), open_timeout=timeout_s, ping_interval=None) as ws:
            info = json.loads(ws.recv())
    except (OSError, TimeoutError, ValueError) as exc:
        log.warning("no request details from Voila (%s): the page is shown without them", exc)
        return
    _request_taken = True
    os.environ.update({str(k): str(v) for k, v in info.items()})


def request_params() -> dict[str, str]:
    """Query-string parameters of the visitor's page (Voila sets QUERY_STRING); {} outside Voila.

    In a preheated kernel this first waits for the visitor to arrive, so call it before reading anything else that
    should be fresh for them.
    """
    wait_for_request()
    raw = os.environ.get("QUERY_STRING", "")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=False).items() if v}


def resolve_workspace(home: str | None = None) -> Workspace:
    return Workspace(home or None)


def open_store(convening: str | None = None, home: str | None = None) -> Store:
    """The convening's store, opened the one way every front end opens it (``services.open_convening``)."""
    return open_convening(convening, home)


def open_context(convening: str | None = None, home: str | None = None) -> tuple[Store, str, Workspace]:
    """(the convening's store, its short name, the workspace), for screens that also need the name or folder."""
    ws = resolve_workspace(home)
    slug = convening_slug(ws, convening)
    return open_convening(slug, ws), slug, ws
