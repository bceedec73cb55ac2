"""`lessonkit serve --base-url/--public-url` behind a proxy route, and the JupyterHub configuration that uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.errors import ServeError
from lessonkit.participant_server import build_config
from lessonkit.serve import ServeConfig, base_path, settings


@pytest.mark.parametrize(
    ("given", "path"),
    [("/", "/"), ("", "/"), ("services/forms-ana", "/services/forms-ana/"), ("//services//x/", "/services/x/")],
)
def test_base_paths_are_normalised(given: str, path: str) -> None:
    assert base_path(given) == path


@pytest.mark.parametrize("bad", ["/services/../user/ana/", "/a b/", "/x?y=1"])
def test_unusable_base_paths_are_refused(bad: str) -> None:
    with pytest.raises(ServeError, match="not a usable base URL"):
        base_path(bad)


def test_the_link_uses_the_public_address_and_prefix(tmp_path: Path) -> None:
    cfg = ServeConfig(home=tmp_path, convening="demo", port=9101, token="t", base_path="/services/forms-ana/",
                      public_url="https://hub.example.org/")
    assert cfg.page_url() == "https://hub.example.org/services/forms-ana/voila/render/listen.ipynb?token=t"
    c = build_config(settings(cfg))
    assert c.Voila.base_url == "/services/forms-ana/" and c.Voila.ip == "127.0.0.1" and c.Voila.port == 9101
    plain = ServeConfig(home=tmp_path, convening="demo", port=8866, token="t")
    assert plain.page_url() == "http://127.0.0.1:8866/voila/render/listen.ipynb?token=t"
    assert build_config(settings(plain)).Voila.base_url == "/"


def test_the_hub_configuration_gives_each_facilitator_a_route_and_a_workspace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from types import SimpleNamespace

    from traitlets.config import PyFileConfigLoader

    monkeypatch.setenv("LESSONKIT_FACILITATORS", "ana, ben")
    monkeypatch.setenv("LESSONKIT_FORMS_PORT_BASE", "9100")
    config = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    outer = tmp_path / "jupyterhub_config.py"  # as TLJH does: its own settings first, then ours
    outer.write_text(
        f"c = get_config()\nc.Authenticator.allowed_users = {{'admin-person'}}\nload_subconfig({str(config)!r})\n"
    )
    c = PyFileConfigLoader(outer.name, str(tmp_path)).load_config()
    assert c.Authenticator.allowed_users == {"admin-person", "ana", "ben"}
    services = {s["name"]: s["url"] for s in _value(c.JupyterHub.services, [])}
    assert services == {"forms-ana": "http://127.0.0.1:9101", "forms-ben": "http://127.0.0.1:9102"}
    env = _value(c.Spawner.environment, {})
    ana = SimpleNamespace(user=SimpleNamespace(name="ana"))
    stranger = SimpleNamespace(user=SimpleNamespace(name="zed"))
    assert env["LESSONKIT_HOME"] == "~/lessonkit"
    assert env["LESSONKIT_BASE_URL"](ana) == "/services/forms-ana/" and env["LESSONKIT_SERVE_PORT"](ana) == "9101"
    assert env["LESSONKIT_BASE_URL"](stranger) == "" and env["LESSONKIT_SERVE_PORT"](stranger) == ""



def _value(config_value: object, initial: object) -> object:
    """A configured value as the trait would get it (lists and dicts extended from ``initial``)."""
    from traitlets.config import LazyConfigValue

    return config_value.get_value(initial) if isinstance(config_value, LazyConfigValue) else config_value
