"""JupyterHub configuration for a network's facilitators (see README.md beside this file).

Each facilitator logs in to their own JupyterLab, with lessonkit installed and their own workspace (``~/lessonkit``,
through ``LESSONKIT_HOME``). When they run ``lessonkit serve --convening SLUG`` in a terminal there, the participant
forms listen on 127.0.0.1 at the facilitator's own port, under the prefix ``/services/forms-NAME/``, and the hub's
proxy publishes that route to participants: ``https://HUB/services/forms-NAME/voila/render/listen.ipynb?token=…``.

Why a JupyterHub **service** route and not jupyter-server-proxy: a jupyter-server-proxy route lives inside the
facilitator's single-user server (``/user/NAME/proxy/PORT/``), so every participant request would pass through the
facilitator's authenticated server and need a hub login. An external service route is a plain proxy entry: the hub
adds no login to it, the facilitator's server is never involved, and the participant server stays what it is on a
laptop: a standalone Voila that requires its token and drops ``execute_request`` messages.

Use it as it is with plain JupyterHub (``jupyterhub -f jupyterhub_config.py``), or with The Littlest JupyterHub by
copying it to ``/opt/tljh/config/jupyterhub_config.d/lessonkit.py`` (TLJH keeps its own authenticator and spawner;
this file only adds the facilitators, their environment and their routes). Settings come from the environment of
the hub process, or edit the defaults below.
"""

from __future__ import annotations

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by JupyterHub when it loads this file)

# --- settings --------------------------------------------------------------------------------------------------
# The facilitators, in order. Each one's participant server uses port FORMS_PORT_BASE + their position (1, 2, …):
# add new facilitators at the END so nobody's port changes, then restart the hub.
FACILITATORS = [n.strip() for n in os.environ.get("LESSONKIT_FACILITATORS", "ana,ben").split(",") if n.strip()]
FORMS_PORT_BASE = int(os.environ.get("LESSONKIT_FORMS_PORT_BASE", "9100"))
# The address participants type or scan (the hub's public address), e.g. https://hub.example.org
PUBLIC_URL = os.environ.get("LESSONKIT_PUBLIC_URL", "")
# Each facilitator's workspace, in their own home folder (lessonkit expands the ~ with the facilitator's HOME).
WORKSPACE = os.environ.get("LESSONKIT_HUB_WORKSPACE", "~/lessonkit")

FORMS_PORTS = {name: FORMS_PORT_BASE + i for i, name in enumerate(FACILITATORS, start=1)}


def forms_service(name: str) -> str:
    return f"forms-{name}"


# Lists below are extended (traitlets' update/extend), never replaced, so what another config file set (TLJH's
# allowed users, other services) stays.

# --- who may log in ------------------------------------------------------------------------------------------
c.Authenticator.allowed_users.update(FACILITATORS)

# --- each facilitator's own JupyterLab and workspace ------------------------------------------------------------
c.Spawner.default_url = "/lab"


def _port(spawner) -> str:  # type: ignore[no-untyped-def]
    port = FORMS_PORTS.get(spawner.user.name)
    return str(port) if port else ""  # an empty value leaves `lessonkit serve` on its default


def _base_url(spawner) -> str:  # type: ignore[no-untyped-def]
    name = spawner.user.name
    return f"/services/{forms_service(name)}/" if name in FORMS_PORTS else ""


c.Spawner.environment.update(
    {
        "LESSONKIT_HOME": WORKSPACE,
        "LESSONKIT_SERVE_PORT": _port,
        "LESSONKIT_BASE_URL": _base_url,
        "LESSONKIT_PUBLIC_URL": PUBLIC_URL,
    }
)

# --- the participants' routes: one external service per facilitator --------------------------------------------
# The hub adds /services/forms-NAME/ → http://127.0.0.1:PORT to its proxy. No hub login guards it: the Voila token
# in the participant link does, exactly as on a laptop.
c.JupyterHub.services.extend(
    {"name": forms_service(name), "url": f"http://127.0.0.1:{port}", "display": False}
    for name, port in FORMS_PORTS.items()
)

# Kernels of forms left open on phones are culled by the participant server itself (lessonkit serve); idle
# facilitator servers can be culled by jupyterhub-idle-culler (see README.md).
