"""The participant server's safe defaults, checked over HTTP against a real `lessonkit serve` process."""

from __future__ import annotations

import json
import re
import stat
import urllib.error
import urllib.request

from support import LiveServer

from lessonkit.participant_server import build_config
from lessonkit.serve import ServeConfig, pools, settings


def get(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def test_configuration_defaults_are_safe(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = ServeConfig(home=tmp_path, convening="demo", token="t0k")
    c = build_config(settings(cfg))
    assert c.Voila.ip == "127.0.0.1" and c.Voila.token == "t0k"
    assert c.Voila.root_dir.endswith("workbooks/participant")
    assert c.VoilaConfiguration.strip_sources is True and c.VoilaConfiguration.show_tracebacks is False
    assert c.KernelManager.transport == "ipc"  # no TCP port races between kernel launches
    assert "ip" not in c.KernelManager  # each kernel's socket paths come from its own connection file
    assert c.Voila.tornado_settings == {"compress_response": True}
    assert c.Voila.port_retries == 0  # the printed link names the port: Voila must not move to another one
    assert "preheat_kernel" not in c.VoilaConfiguration  # cold kernels unless --expect
    lan = build_config(settings(ServeConfig(home=tmp_path, convening="demo", lan=True)))
    assert lan.Voila.ip == "0.0.0.0"
    assert len(ServeConfig(home=tmp_path, convening="demo").token) >= 24


def test_expect_sizes_the_pool_of_the_form_in_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = ServeConfig(home=tmp_path, convening="demo", expect=30)
    sizes = pools(cfg)
    assert sizes["listen.ipynb"] == 30 and all(n == 1 for nb, n in sizes.items() if nb != "listen.ipynb")
    c = build_config(settings(cfg))
    assert c.VoilaConfiguration.preheat_kernel is True
    assert c.VoilaKernelManager.kernel_pools_config["listen.ipynb"] == {"pool_size": 30}


def test_token_required_and_only_participant_forms_served(live_demo_server: LiveServer) -> None:
    base, token = live_demo_server.cfg.base_url(), live_demo_server.cfg.token
    status, _body = get(f"{base}/voila/render/listen.ipynb")
    assert status in (302, 403)  # to the login page, never the form
    status, body = get(live_demo_server.url("listen.ipynb"))
    assert status == 200 and "participant_app" not in body  # sources stripped
    for path in ("/voila/render/02_listening_session.ipynb", "/voila/render/..%2F02_listening_session.ipynb",
                 "/api/contents", "/api/contents/listen.ipynb", "/voila/files/../../data/demo/convening.json"):
        assert get(f"{base}{path}?token={token}")[0] in (403, 404), path


OTHER_HOST = re.compile(r"https?://(?!127\.0\.0\.1[:/])[^\s\"'<>)]+")


def test_no_list_of_forms_and_no_page_names_another_host(live_demo_server: LiveServer) -> None:
    """Reproduction: /voila/tree answered 200, listed the forms and linked Font Awesome on a CDN."""
    base, token = live_demo_server.cfg.base_url(), live_demo_server.cfg.token
    for path in ("/", "/voila/tree", "/voila/tree/", "/voila/api/contents", "/voila/api/contents/listen.ipynb",
                 "/voila/render/not-a-form.ipynb"):
        status, body = get(f"{base}{path}?token={token}")
        assert status == 404, path
        assert "listen.ipynb" not in body and OTHER_HOST.findall(body) == [], (path, OTHER_HOST.findall(body))
    status, body = get(f"{base}/login")  # where a link without its token leads
    assert status == 200 and "This link needs its access code" in body and 'name="password"' in body
    assert OTHER_HOST.findall(body) == [], OTHER_HOST.findall(body)


def test_server_info_for_the_setup_workbook_is_private(live_demo_server: LiveServer) -> None:
    info_path = live_demo_server.home / "serve.json"
    info = json.loads(info_path.read_text())
    assert info["url"] == live_demo_server.url() and info["convening"] == "demo"
    assert stat.S_IMODE(info_path.stat().st_mode) == 0o600


def kernel_message(msg_type: str, content: dict) -> str:  # type: ignore[type-arg]
    import datetime
    import uuid

    header = {"msg_id": uuid.uuid4().hex, "username": "participant", "session": uuid.uuid4().hex,
              "msg_type": msg_type, "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()}
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})


def test_execute_requests_from_the_page_are_refused(live_demo_server: LiveServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A participant who opens the kernel websocket of their own page cannot run code on the facilitator's laptop."""
    import re
    import time

    from websockets.sync.client import connect

    status, body = get(live_demo_server.url("listen.ipynb"))
    assert status == 200
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', body).group(1)  # type: ignore[union-attr]
    base = live_demo_server.cfg.base_url().replace("http", "ws")
    marker = tmp_path / "pwned"
    code = f"open({str(marker)!r}, 'w').write('x')"
    replies = []
    with connect(f"{base}/api/kernels/{kernel_id}/channels?token={live_demo_server.cfg.token}") as ws:
        ws.send(kernel_message("execute_request", {"code": code, "silent": False, "store_history": False,
                                                   "user_expressions": {}, "allow_stdin": False}))
        ws.send(kernel_message("kernel_info_request", {}))  # allowed: proves the socket itself works
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                msg = json.loads(ws.recv(timeout=1))
            except TimeoutError:
                continue
            replies.append(msg["header"]["msg_type"])
            if "kernel_info_reply" in replies:
                break
    time.sleep(1)
    assert "kernel_info_reply" in replies
    assert "execute_reply" not in replies and not marker.exists()
