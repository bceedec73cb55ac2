"""The participant server process: Voila, configured in Python rather than on the command line.

``python -m lessonkit.participant_server SETTINGS.json`` (written by :mod:`lessonkit.serve`). Configuring in code
lets us set what the command line cannot express well:

- ``KernelManager.transport = "ipc"``: kernels talk over Unix sockets named after each kernel's own id, so
  concurrent kernel launches cannot race for TCP ports (the "Address already in use" hang measured in DESIGN.md).
- compression, a lessonkit template that loads nothing from outside hosts, only the widgets extension, preheated
  kernel pools sized per form, and culling of idle kernels;
- a longer wait for kernel output while rendering (nbclient's 4 s default gave pages without their form when 2 cores
  were busy);
- preheated pools filled through a few start lanes, handing out ready kernels first (:mod:`lessonkit.kernel_pool`),
  with kernels forked from one warm process where the OS allows it (:mod:`lessonkit.kernel_zygote`), so that a
  pool of 30 is ready in seconds and a refill after a burst of arrivals does not starve the people who just arrived.

A pooled kernel runs its form's notebook before anyone arrives and builds the form for nobody; the visitor's link
reaches it afterwards (:mod:`lessonkit.ui.arrival`) over Voila's ``voila/query/<kernel>`` websocket, which this server
only accepts from this laptop.

Code execution from the page: standalone Voila creates its kernel manager with an allow-list of message types
(comm messages, kernel and comm info, shutdown), so an ``execute_request`` sent on the kernel websocket is dropped.
That is why the participant server must stay a standalone Voila and never a Jupyter server extension;
tests/test_serve.py sends one over the wire to prove it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from traitlets.config import Config

from lessonkit.kernel_zygote import forking_supported

JUPYTER_SHARE = Path(__file__).resolve().parent / "jupyter_share"
TEMPLATE_DIR = JUPYTER_SHARE / "voila" / "templates" / "lessonkit"

# The page loads only the widget extensions (Voila's own manager for ipywidgets 8 and the widgets themselves).
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]


def build_config(s: dict[str, Any]) -> Config:
    c = Config()
    c.Voila.ip = s["ip"]
    c.Voila.port = s["port"]
    c.Voila.port_retries = 0  # the link names this port: never move silently to another one
    c.Voila.open_browser = False
    c.Voila.token = s["token"]
    c.Voila.base_url = s.get("base_url", "/")
    c.Voila.root_dir = s["root"]
    c.Voila.tornado_settings = {"compress_response": True}
    # traitlets leaves the application's logger at DEBUG and filters in its handler, so each debug line of the
    # kernel manager and the notebook runner (one per kernel message) was built and thrown away
    c.Voila.logging_config = {"loggers": {"ParticipantVoila": {"level": "INFO"}}}
    vc = c.VoilaConfiguration
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.template = "lessonkit"
    vc.extension_allowlist = EXTENSIONS
    vc.http_header_envs = ["Accept-Language"]  # HTTP_ACCEPT_LANGUAGE in the kernel: the form's first language
    c.VoilaExecutor.iopub_timeout = s.get("iopub_timeout_s", 60)
    pools: dict[str, int] = s.get("pools", {})
    if pools:
        vc.preheat_kernel = True
        vc.default_pool_size = 0
        c.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0},
            **{nb: {"pool_size": n} for nb, n in pools.items()},
        }
        c.VoilaKernelManager.fill_delay = s.get("fill_delay_s", 2.0)
        if forking_supported():
            c.AsyncMappingKernelManager.kernel_manager_class = "lessonkit.forked_kernels.ForkingKernelManager"
    mkm = c.MappingKernelManager
    mkm.cull_interval = s.get("cull_interval_s", 30)
    mkm.cull_idle_timeout = s.get("cull_idle_s", 300)
    mkm.cull_connected = False
    # Each kernel's socket paths derive from its own connection file (kernel-<uuid>-ipc-N in Voila's private temp
    # folder), so they are unique per kernel. Do not set KernelManager.ip: one shared prefix makes concurrent
    # launches pick the same paths (the files only exist once bound) and their messages cross.
    c.KernelManager.transport = "ipc"
    return c


def participant_voila_class() -> Any:
    """Voila whose tornado settings reach the Application when it is built, and which lists no folder.

    Voila 0.5 applies ``tornado_settings`` after building its ``tornado.web.Application``; ``compress_response``
    only takes effect at construction (that is when tornado adds its gzip transform), so without this the page
    went out uncompressed (5.0 MB on a first visit).
    """
    from voila.app import Voila
    from voila.request_info_handler import RequestInfoSocketHandler

    class LocalRequestInfoHandler(RequestInfoSocketHandler):  # type: ignore[misc]
        """Voila's hand-over of each visitor's request details to their pooled kernel, for kernels only.

        The kernels connect from this laptop; nobody on the network may listen in for a kernel's visitor (the link
        holds their join code). Voila's ``on_close`` also removed another kernel's listener when a socket closed
        that was not registered (it took the last one of the loop): here only its own."""

        def open(self, kernel_id: str) -> None:
            if self.request.remote_ip not in ("127.0.0.1", "::1"):
                self.close(code=1008)
                return
            super().open(kernel_id)

        def on_close(self) -> None:
            waiters = RequestInfoSocketHandler._waiters
            for kernel_id in [k for k, waiter in waiters.items() if waiter is self]:
                del waiters[kernel_id]

    class ParticipantVoila(Voila):  # type: ignore[misc]
        def init_settings(self) -> dict[str, Any]:
            import jinja2

            settings = super().init_settings()
            settings.update(self.tornado_settings)
            # jupyter-server's own pages: our login page first (the stock one links documentation on another host)
            server_env = settings["jinja2_env"]
            login = (TEMPLATE_DIR / "login.html").read_text(encoding="utf-8")
            server_env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"login.html": login}), server_env.loader])
            return settings

        def init_handlers(self) -> list[Any]:
            """Voila's handlers without the directory listing (``/``, ``/voila/tree``) and its contents API:
            a participant opens a form by its link and never browses the list of forms (they answer 404)."""
            from voila.tornado.contentshandler import VoilaContentsHandler
            from voila.tornado.treehandler import TornadoVoilaTreeHandler

            hidden = (TornadoVoilaTreeHandler, VoilaContentsHandler)
            handlers = [h for h in super().init_handlers() if h[1] not in hidden]
            local = LocalRequestInfoHandler
            return [(h[0], local, *h[2:]) if h[1] is RequestInfoSocketHandler else h for h in handlers]

    return ParticipantVoila


def read_settings(arg: str) -> dict[str, Any]:
    """The settings: one JSON line on stdin when ``arg`` is ``-`` (how `lessonkit serve` passes the token, never
    through a file), else the JSON file ``arg``."""
    if arg == "-":
        return dict(json.loads(sys.stdin.buffer.readline()))
    return dict(json.loads(Path(arg).read_text(encoding="utf-8")))


def stop_when_stdin_closes() -> None:
    """Stop (as on SIGTERM, so kernels are shut down) once the settings pipe closes: the process that started
    this server has gone without stopping it (killed, or its terminal closed)."""
    import os
    import signal
    import threading

    def watch() -> None:
        while sys.stdin.buffer.read(1 << 16):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    settings = read_settings(argv[0])
    if settings.get("pools"):
        from lessonkit.kernel_zygote import start_zygote  # first: it loads while this process loads Voila

        start_zygote(Path(settings["root"]))
        from lessonkit.kernel_pool import install

        install()
    app = participant_voila_class()
    if argv[0] == "-":
        stop_when_stdin_closes()
    app.launch_instance(argv=[settings["root"]], config=build_config(settings))


if __name__ == "__main__":
    main()
