"""The participant link with --lan: this laptop's real addresses, best first, never a loopback one (no network
needed: the default-route address and the interface list are injected)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonkit import lan
from lessonkit.cli import main
from lessonkit.cli.serve_run import print_links
from lessonkit.errors import ServeError
from lessonkit.lan import lan_addresses, usable
from lessonkit.serve import ServeConfig, write_info
from lessonkit.ui.link import link_html

LAPTOP = [("lo", "127.0.0.1"), ("wlp2s0", "192.168.1.20"), ("enp0s31f6", "10.0.0.7"), ("docker0", "172.17.0.1")]


def test_default_route_first_then_every_other_real_interface_then_virtual_ones() -> None:
    assert lan_addresses("10.0.0.7", LAPTOP) == ["10.0.0.7", "192.168.1.20", "172.17.0.1"]
    assert lan_addresses("192.168.1.20", LAPTOP) == ["192.168.1.20", "10.0.0.7", "172.17.0.1"]


def test_never_loopback_link_local_or_unspecified() -> None:
    hostname_mapping = [("lo", "127.0.0.1"), ("lo", "127.0.1.1"), ("eth0", "169.254.3.4"), ("x", "0.0.0.0")]
    assert lan_addresses("127.0.1.1", hostname_mapping) == []
    assert lan_addresses(None, [("lo", "127.0.0.1")]) == []
    assert [a for a in ("127.0.1.1", "169.254.1.1", "0.0.0.0", "224.0.0.1", "nonsense") if usable(a)] == []
    assert usable("192.0.2.2") and usable("10.42.0.1")


def test_no_default_route_an_offline_hotspot_still_gives_its_address() -> None:
    assert lan_addresses(None, [("lo", "127.0.0.1"), ("wlan0", "10.42.0.1")]) == ["10.42.0.1"]


def test_a_vpn_default_route_is_not_the_first_link() -> None:
    interfaces = [("wlan0", "192.168.1.20"), ("wg0", "10.8.0.2")]
    assert lan_addresses("10.8.0.2", interfaces) == ["192.168.1.20", "10.8.0.2"]
    assert lan_addresses("10.8.0.2", [("wg0", "10.8.0.2")]) == ["10.8.0.2"]  # better than nothing


def test_default_route_address_unknown_to_the_interface_list_still_comes_first() -> None:
    assert lan_addresses("192.0.2.2", []) == ["192.0.2.2"]


def fake_network(monkeypatch: pytest.MonkeyPatch, default: str | None, interfaces: list[tuple[str, str]]) -> None:
    monkeypatch.setattr(lan, "default_route_address", lambda *_a: default)
    monkeypatch.setattr(lan, "interface_addresses", lambda: interfaces)


def test_lan_link_ignores_the_hostname_that_maps_to_127_0_1_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Reproduction: on a Debian/Ubuntu laptop the hostname resolves to 127.0.1.1; the link must not use it."""
    monkeypatch.setattr(socket, "getaddrinfo", lambda *_a, **_k: [(socket.AF_INET, 0, 0, "", ("127.0.1.1", 0))])
    fake_network(monkeypatch, "192.0.2.2", [("lo", "127.0.0.1"), ("eth0", "192.0.2.2")])
    cfg = ServeConfig(home=tmp_path, convening="demo", lan=True, port=8866, token="t")
    assert cfg.page_url() == "http://192.0.2.2:8866/voila/render/listen.ipynb?token=t"
    assert cfg.bind_ip == "0.0.0.0"


def test_several_addresses_every_link_printed_qr_for_the_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_network(monkeypatch, "10.0.0.7", LAPTOP)
    cfg = ServeConfig(home=tmp_path, convening="demo", lan=True, port=8866, token="t")
    assert cfg.hosts() == ["10.0.0.7", "192.168.1.20", "172.17.0.1"]
    qr_of: list[str] = []
    monkeypatch.setattr("lessonkit.cli.serve_run.terminal_qr", lambda text: qr_of.append(text) or "[QR]\n")
    print_links(cfg, qr=True, lab_url=None)
    text = capsys.readouterr().out
    assert qr_of == ["http://10.0.0.7:8866/voila/render/listen.ipynb?token=t"]
    for host in ("10.0.0.7", "192.168.1.20", "172.17.0.1"):
        assert f"http://{host}:8866/voila/render/listen.ipynb?token=t" in text
    assert "127.0." not in text
    assert text.index("[QR]") < text.index("http://10.0.0.7") < text.index("http://192.168.1.20")


def test_no_usable_address_one_clear_line_and_nothing_started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_network(monkeypatch, None, [("lo", "127.0.0.1")])
    with pytest.raises(ServeError, match="join a Wi-Fi network"):
        ServeConfig(home=tmp_path, convening="demo", lan=True).hosts()
    from lessonkit.resources import data_path
    from lessonkit.services import load_demo
    from lessonkit.store import Workspace

    load_demo(Workspace(tmp_path), data_path("demo", "convening.json"))
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "serve", "--lan", "--port", "1"])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip() and not ln.startswith("Starting")]
    assert lines == [
        "Error: This laptop has no address on a local network, so phones could not open the link: join a "
        "Wi-Fi network (or turn on a hotspot and join it), then start again."
    ], result.output
    assert "127.0.0.1" not in result.output and not (tmp_path / "serve.json").exists()


def test_setup_workbook_link_panel_shows_every_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_network(monkeypatch, "192.168.1.20", LAPTOP)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        cfg = ServeConfig(home=tmp_path, convening="demo", lan=True, port=s.getsockname()[1], token="t")
        write_info(cfg, pid=1)
        html = link_html(tmp_path, "demo")
    first, *others = cfg.page_urls()
    assert first.startswith("http://192.168.1.20:") and len(others) == 2
    assert html.count("<svg") == 1 and html.index("<svg") < html.index(first)
    for url in others:
        assert url in html
    assert "127.0." not in html
