"""The participant server process: Voila, configured in Python rather than on the command line.

``python -m lessonkit.participant_server SETTINGS.json`` (written by :mod:`lessonkit.serve`). Configuring in code
lets us set what the command line cannot express well:

- ``KernelManager.transport = "ipc"``: kernels talk over Unix sockets in a private folder, so concurrent kernel
  launches cannot race for TCP ports (the "Address already in use" hang measured in DESIGN.md).
- compression, a lessonkit template that loads nothing from outside hosts, only the widgets extension, preheated
  kernel pools sized per form, and culling of idle kernels.

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

JUPYTER_SHARE = Path(__file__).resolve().parent / "jupyter_share"

# The page loads only the widget extensions (Voila's own manager for ipywidgets 8 and the widgets themselves).
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]


def build_config(s: dict[str, Any]) -> Config:
    c = Config()
    c.Voila.ip = s["ip"]
    c.Voila.port = s["port"]
    c.Voila.open_browser = False
    c.Voila.token = s["token"]
    c.Voila.root_dir = s["root"]
    c.Voila.tornado_settings = {"compress_response": True}
    vc = c.VoilaConfiguration
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.template = "lessonkit"
    vc.extension_allowlist = EXTENSIONS
    pools: dict[str, int] = s.get("pools", {})
    if pools:
        vc.preheat_kernel = True
        vc.default_pool_size = 0
        c.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0},
            **{nb: {"pool_size": n} for nb, n in pools.items()},
        }
        c.VoilaKernelManager.fill_delay = s.get("fill_delay_s", 2.0)
    mkm = c.MappingKernelManager
    mkm.cull_interval = s.get("cull_interval_s", 30)
    mkm.cull_idle_timeout = s.get("cull_idle_s", 300)
    mkm.cull_connected = False
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = str(Path(s["ipc_dir"]) / "kernel")
    return c


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    settings = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    from voila.app import Voila

    Voila.launch_instance(argv=[settings["root"]], config=build_config(settings))


if __name__ == "__main__":
    main()
