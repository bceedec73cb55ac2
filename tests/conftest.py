"""Shared fixtures: both stores, a demo workspace, Chromium for the browser tests, a live participant server."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import LiveServer, free_port, run_cli  # noqa: F401  (re-exported for tests)

from lessonkit.resources import data_path
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.workspace import BaseWorkspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["memory", "tinydb"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> BaseWorkspace:
    """Every store test runs against both stores."""
    return MemoryWorkspace() if request.param == "memory" else Workspace(tmp_path / "ws")


@pytest.fixture
def disk_workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def demo_workspace(workspace: BaseWorkspace) -> BaseWorkspace:
    from lessonkit.services import load_demo

    load_demo(workspace, data_path("demo", "convening.json"))
    return workspace


@pytest.fixture
def demo_store(demo_workspace: BaseWorkspace):  # type: ignore[no-untyped-def]
    return demo_workspace.store("demo")


# --- browser -----------------------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def find_chromium() -> str | None:
    """LESSONKIT_CHROMIUM, else a system chromium / google-chrome / msedge."""
    env = os.environ.get("LESSONKIT_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("LESSONKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("LESSONKIT_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium).")
        pytest.skip("no Chromium found: install Debian's chromium or set LESSONKIT_CHROMIUM to run browser tests")
    return path


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL (tests open full links). Defined here because pytest-playwright's fallback ``base_url`` (used when
    pytest-base-url is not installed) is an instance method of a plugin object, which pytest 9 deprecates with a
    PytestRemovedIn10Warning on every run; this fixture takes its place."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium_executable: str) -> dict[str, object]:
    """pytest-playwright launches the system Chromium (Playwright cannot download one here)."""
    return {"executable_path": chromium_executable, "headless": True, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def live_demo_server() -> Iterator[LiveServer]:
    """The participant server over a fresh disk workspace holding the demo convening (one per test session)."""
    from lessonkit.services import load_demo

    home = Path(tempfile.mkdtemp(prefix="lessonkit-live-"))
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    try:
        server = LiveServer(home, "demo")
        yield server
        server.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


