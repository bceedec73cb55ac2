"""Where a notebook finds its convening: parameters, environment, and (under Voila) the page's query string."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from lessonkit.store.base import Store
from lessonkit.store.workspace import Workspace


def request_params() -> dict[str, str]:
    """Query-string parameters of the page that started this kernel (Voila sets QUERY_STRING); {} otherwise."""
    raw = os.environ.get("QUERY_STRING", "")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=False).items() if v}


def resolve_workspace(home: str | None = None) -> Workspace:
    return Workspace(home or None)


def resolve_convening(convening: str | None = None) -> str:
    """An explicit slug, else LESSONKIT_CONVENING (set by `lessonkit serve`), else 'demo'."""
    return convening or os.environ.get("LESSONKIT_CONVENING") or "demo"


def open_store(convening: str | None = None, home: str | None = None) -> Store:
    return resolve_workspace(home).store(resolve_convening(convening))
