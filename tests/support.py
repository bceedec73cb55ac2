"""Helpers for tests (importable as `support`, since tests/ is on sys.path): live server, free ports, the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from lessonkit.store import Workspace


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A running `lessonkit serve` for one convening of a workspace on disk."""

    def __init__(self, home: Path, convening: str) -> None:
        from lessonkit.serve import ServeConfig, start

        self.home = home
        self.convening = convening
        self.cfg = ServeConfig(home=home, convening=convening, port=free_port())
        self.server = start(self.cfg, log=home / "serve.log")
        self.proc = self.server.proc

    def url(self, notebook: str = "listen.ipynb", **params: str) -> str:
        return self.cfg.page_url(notebook, **params)

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return Workspace(self.home).store(self.convening)

    def close(self) -> None:
        self.server.stop()



def run_cli(
    *args: str, home: Path | None = None, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `lessonkit` command in a subprocess (``env``: variables to add)."""
    env = {**os.environ, **(env or {})}
    if home is not None:
        env["LESSONKIT_HOME"] = str(home)
    return subprocess.run(["lessonkit", *args], capture_output=True, text=True, env=env, input=input, timeout=120)
