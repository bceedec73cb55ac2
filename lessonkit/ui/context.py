"""Where a notebook finds its convening: parameters, environment, and (under Voila) the page's query string."""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import parse_qs

from lessonkit.services.convenings import convening_slug, open_convening
from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace

log = logging.getLogger(__name__)
_request_taken = False


def wait_for_request(timeout_s: float = 5.0) -> None:
    """In a preheated Voila kernel, wait for the visitor's request and take its details into ``os.environ``.

    A preheated kernel runs the notebook before anyone arrives; Voila hands it the visitor's request (query string
    and all) over the ``voila/query/<kernel id>`` websocket. This mirrors ``voila.utils.wait_for_request`` without
    importing voila into every participant kernel (that import alone costs about 44 MB per kernel). Outside a
    preheated kernel, and on any second call, it returns at once.
    """
    global _request_taken
    if _request_taken or os.environ.get("VOILA_PREHEAT", "False") == "False" or "VOILA_KERNEL_ID" not in os.environ:
        return
    from websockets.sync.client import connect

    server_url = os.environ.get("VOILA_SERVER_URL", "/")
    url = "{proto}://{ip}:{port}{base}voila/query/{kernel}".format(
        proto=os.environ.get("VOILA_WS_PROTOCOL", "ws"),
        ip=os.environ.get("VOILA_APP_IP", "127.0.0.1").replace("0.0.0.0", "127.0.0.1"),
        port=os.environ.get("VOILA_APP_PORT", "8866"),
        base=os.environ.get("VOILA_WS_BASE_URL", server_url),
        kernel=os.environ["VOILA_KERNEL_ID"],
    )
    try:
        with connect(url, open_timeout=timeout_s) as ws:
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
