"""A real JupyterHub with deploy/jupyterhub/jupyterhub_config.py: two facilitators, each with their own JupyterLab
and workspace; a participant link served through the hub's proxy opens the form and submits a note.

JupyterHub from PyPI (the `test` extra), configurable-http-proxy from npm (installed by .ci/run under
~/.cache/lessonkit-npm), SimpleLocalProcessSpawner (no system users needed: test only) and the shared-password
authenticator. Every process and folder it starts is removed at the end.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from couch_support import npm_bin, strict
from playwright.sync_api import Page, expect
from support import free_port

from lessonkit.resources import data_path
from lessonkit.services import create_convening, load_demo
from lessonkit.store import Workspace

pytestmark = pytest.mark.hub

CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PASSWORD = "facilitators-only-" + secrets.token_hex(4)
FACILITATORS = ("ana", "ben")

TEST_CONFIG = """
c = get_config()
load_subconfig({config!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{folder}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.pid_file = "{folder}/hub.pid"
c.JupyterHub.spawner_class = "simple"  # test only: no system users, no isolation between them
c.SimpleLocalProcessSpawner.home_dir_template = "{folder}/home/{{username}}"
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.LocalProcessSpawner.interrupt_timeout = 2  # a quick shutdown at the end of the test
c.LocalProcessSpawner.term_timeout = 2
c.JupyterHub.service_check_interval = 3600  # forms routes start and stop with `lessonkit serve`: no polling
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {token!r}}})
c.JupyterHub.load_roles = [{{"name": "test-admin", "services": ["test-admin"],
    "scopes": ["admin:users", "admin:servers", "admin:server_state", "tokens"]}}]
"""


@dataclass
class Hub:
    url: str
    folder: Path
    proc: subprocess.Popen[bytes]
    admin: httpx.Client
    forms_ports: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)

    def home(self, user: str) -> Path:
        return self.folder / "home" / user

    def server_env(self, user: str) -> dict[str, str]:
        """The environment of the user's single-user server process, as the spawner gave it."""
        state = self.admin.get(f"/hub/api/users/{user}").json()["servers"][""]["state"]
        raw = Path(f"/proc/{state['pid']}/environ").read_bytes()
        return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)

    def as_user(self, user: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"token {self.tokens[user]}"}, timeout=60)


def _wait(predicate, timeout_s: float, what: str, proc: subprocess.Popen[bytes] | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process stopped")
        try:
            if predicate():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(what)


def _signal_group(pid: int, sig: signal.Signals, folder: Path | None = None) -> None:
    """Signal a process group this test started (by its leader's pid), if it is still there.

    With ``folder``: only when the process still works in that folder (a pid reused by someone else's process is
    left alone).
    """
    try:
        if folder is not None and not os.readlink(f"/proc/{pid}/cwd").startswith(str(folder)):
            return
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        pass


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    chp = npm_bin("configurable-http-proxy")
    if chp is None:
        message = "configurable-http-proxy is not installed under ~/.cache/lessonkit-npm (see .ci/run)"
        if strict():
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="lessonkit-hub-"))
    port, token, forms_base = free_port(), secrets.token_hex(24), free_port()
    (folder / "test_config.py").write_text(
        TEST_CONFIG.format(
            config=str(CONFIG), port=port, hub_port=free_port(), proxy_api_port=free_port(), chp=str(chp),
            folder=folder, python=sys.executable, password=PASSWORD, token=token,
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LESSONKIT_", "JUPYTERHUB_", "QUERY_STRING"))}
    env.update(
        LESSONKIT_FACILITATORS=",".join(FACILITATORS),
        LESSONKIT_FORMS_PORT_BASE=str(forms_base),
        LESSONKIT_PUBLIC_URL=f"http://127.0.0.1:{port}",
        PATH=f"{chp.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    log = open(folder / "hub.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(folder / "test_config.py")],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    admin = httpx.Client(base_url=url, headers={"Authorization": f"token {token}"}, timeout=60)
    server_pids: list[int] = []
    try:
        _wait(lambda: admin.get("/hub/api/").status_code == 200, 90, "the hub to answer", proc)
        ports = {name: forms_base + i for i, name in enumerate(FACILITATORS, start=1)}
        yield Hub(url, folder, proc, admin, ports)
    finally:
        server_pids = []
        for user in FACILITATORS:
            try:
                server_pids.append(_pid_or_zero(admin, user))
            except (httpx.HTTPError, ValueError):
                pass
        admin.close()
        for pid in server_pids:  # the single-user servers run in their own sessions: stop them first, quickly
            if pid:
                _signal_group(pid, signal.SIGTERM, folder)
        proc.terminate()  # the hub then stops the proxy it started (and any server still running)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()
        proxy_pid = folder / "jupyterhub-proxy.pid"
        for pid in [p for p in server_pids if p] + ([int(proxy_pid.read_text())] if proxy_pid.exists() else []):
            _signal_group(pid, signal.SIGKILL, folder)
        shutil.rmtree(folder, ignore_errors=True)


def _pid_or_zero(admin: httpx.Client, user: str) -> int:
    servers = admin.get(f"/hub/api/users/{user}").json().get("servers") or {}
    return int((servers.get("") or {}).get("state", {}).get("pid") or 0)


@pytest.fixture(scope="module")
def facilitators(hub: Hub) -> Hub:
    """Each facilitator's workspace holds their own convening; both servers started, each with a token."""
    load_demo(Workspace(hub.home("ana") / "lessonkit"), data_path("demo", "convening.json"))
    create_convening(Workspace(hub.home("ben") / "lessonkit"), "ben-meeting", "Ben's meeting")
    for user in FACILITATORS:
        assert hub.admin.post(f"/hub/api/users/{user}/server").status_code in (201, 202)
    for user in FACILITATORS:
        ready = lambda u=user: hub.admin.get(f"/hub/api/users/{u}").json()["servers"][""]["ready"]  # noqa: E731
        _wait(ready, 120, f"{user}'s server")
        hub.tokens[user] = hub.admin.post(f"/hub/api/users/{user}/tokens", json={"note": "test"}).json()["token"]
    return hub


def test_the_login_takes_the_facilitators_password(hub: Hub) -> None:
    with httpx.Client(base_url=hub.url, timeout=30) as client:
        page = client.get("/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        wrong = client.post("/hub/login", data={"username": "ana", "password": "nope", "_xsrf": xsrf})
        assert wrong.status_code == 403
        ok = client.post("/hub/login", data={"username": "ana", "password": PASSWORD, "_xsrf": xsrf})
        assert ok.status_code == 302
        stranger = client.post("/hub/login", data={"username": "mallory", "password": PASSWORD, "_xsrf": xsrf})
        assert stranger.status_code == 403  # only the facilitators listed in the configuration


def test_each_facilitator_sees_only_their_own_workspace(facilitators: Hub) -> None:
    hub = facilitators
    for user, convening, other in (("ana", "demo.json", "ben"), ("ben", "ben-meeting.json", "ana")):
        env = hub.server_env(user)
        assert env["LESSONKIT_HOME"] == "~/lessonkit" and env["HOME"] == str(hub.home(user))
        assert env["LESSONKIT_BASE_URL"] == f"/services/forms-{user}/"
        assert env["LESSONKIT_SERVE_PORT"] == str(hub.forms_ports[user])
        with hub.as_user(user) as client:
            listing = client.get(f"/user/{user}/api/contents/lessonkit/convenings")
            assert listing.status_code == 200
            names = [item["name"] for item in listing.json()["content"]]
            assert [n for n in names if n.endswith(".json")] == [convening]
            assert client.get(f"/user/{other}/api/contents/lessonkit/convenings").status_code == 403
            assert client.get(f"/user/{user}/lab").status_code == 200


@pytest.fixture(scope="module")
def participant_link(facilitators: Hub) -> Iterator[str]:
    """Ana runs `lessonkit serve` with her server's environment, as she would in her JupyterLab terminal."""
    hub = facilitators
    theirs = hub.server_env("ana")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LESSONKIT_", "JUPYTERHUB_", "QUERY_STRING"))}
    env.update({k: v for k, v in theirs.items() if k.startswith("LESSONKIT_") or k == "HOME"})
    token = secrets.token_urlsafe(24)
    proc = subprocess.Popen(
        ["lessonkit", "serve", "--convening", "demo", "--no-qr", "--token", token],
        cwd=hub.home("ana"), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        expected = f"{hub.url}/services/forms-ana/voila/render/listen.ipynb?token={token}"
        seen = b""
        deadline = time.monotonic() + 120
        while expected.encode() not in seen and time.monotonic() < deadline and proc.poll() is None:
            seen += proc.stdout.readline()  # type: ignore[union-attr]
        assert expected.encode() in seen, seen.decode(errors="replace")
        yield expected
    finally:
        proc.send_signal(signal.SIGTERM)  # lessonkit serve stops its participant server and removes its files
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
        assert not (hub.home("ana") / "lessonkit" / "serve.json").exists()


def test_the_route_keeps_voilas_protections(participant_link: str, facilitators: Hub) -> None:
    from test_serve import kernel_message
    from websockets.sync.client import connect

    no_token = participant_link.split("?")[0]
    with httpx.Client(timeout=60) as client:
        assert client.get(no_token).status_code in (302, 403)  # never the form without the token
        page = client.get(participant_link)
        assert page.status_code == 200 and "participant_app" not in page.text
        api = participant_link.split("/voila/")[0] + "/api/contents?token=" + participant_link.split("token=")[1]
        assert client.get(api).status_code in (403, 404)
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page.text).group(1)  # type: ignore[union-attr]
    base = participant_link.split("/voila/")[0].replace("http", "ws")
    marker = facilitators.home("ana") / "pwned"
    replies = []
    with connect(f"{base}/api/kernels/{kernel}/channels?token={participant_link.split('token=')[1]}") as ws:
        code = f"open({str(marker)!r}, 'w').write('x')"
        ws.send(kernel_message("execute_request", {"code": code, "silent": False, "store_history": False,
                                                   "user_expressions": {}, "allow_stdin": False}))
        ws.send(kernel_message("kernel_info_request", {}))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "kernel_info_reply" not in replies:
            try:
                replies.append(json.loads(ws.recv(timeout=1))["header"]["msg_type"])
            except TimeoutError:
                continue
    assert "kernel_info_reply" in replies and "execute_reply" not in replies and not marker.exists()


@pytest.mark.browser
def test_a_participant_submits_a_note_through_the_hub(page: Page, participant_link: str, facilitators: Hub) -> None:
    page.goto(participant_link + "&code=DEMO-BBBB")
    note = page.get_by_label("Your note")
    expect(note).to_be_visible(timeout=90_000)
    note.fill("Through the hub: a shared van for the march")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="your note was saved")).to_be_visible(timeout=30_000)
    store = Workspace(facilitators.home("ana") / "lessonkit").store("demo")
    assert [n["text"] for n in store.all("notes") if n["text"].startswith("Through the hub")] == [
        "Through the hub: a shared van for the march"
    ]
