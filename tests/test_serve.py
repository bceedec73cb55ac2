"""The participant server's safe defaults, checked over HTTP against a real `lessonkit serve` process."""

from __future__ import annotations

import json
import stat
import urllib.error
import urllib.request

from support import LiveServer

from lessonkit.serve import ServeConfig, voila_command


def get(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


def test_command_defaults_are_safe(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = ServeConfig(home=tmp_path, convening="demo", token="t0k")
    cmd = voila_command(cfg)
    assert "--Voila.ip=127.0.0.1" in cmd and "--token=t0k" in cmd
    assert "--strip_sources=True" in cmd and "--show_tracebacks=False" in cmd
    assert cmd[3].endswith("workbooks/participant")
    assert "--Voila.ip=0.0.0.0" in voila_command(ServeConfig(home=tmp_path, convening="demo", lan=True))
    assert len(ServeConfig(home=tmp_path, convening="demo").token) >= 24


def test_token_required_and_only_participant_forms_served(live_demo_server: LiveServer) -> None:
    base, token = live_demo_server.cfg.base_url(), live_demo_server.cfg.token
    status, _body = get(f"{base}/voila/render/listen.ipynb")
    assert status in (302, 403)  # to the login page, never the form
    status, body = get(live_demo_server.url("listen.ipynb"))
    assert status == 200 and "participant_app" not in body  # sources stripped
    for path in ("/voila/render/02_listening_session.ipynb", "/voila/render/..%2F02_listening_session.ipynb",
                 "/api/contents", "/api/contents/listen.ipynb", "/voila/files/../../data/demo/convening.json"):
        assert get(f"{base}{path}?token={token}")[0] in (403, 404), path


def test_server_info_for_the_setup_workbook_is_private(live_demo_server: LiveServer) -> None:
    info_path = live_demo_server.home / "serve.json"
    info = json.loads(info_path.read_text())
    assert info["url"] == live_demo_server.url() and info["convening"] == "demo"
    assert stat.S_IMODE(info_path.stat().st_mode) == 0o600
