"""This laptop's addresses on the local network, for the participant link phones open (``lessonkit serve --lan``).

Never derived from the hostname: on a default Debian/Ubuntu laptop it resolves to 127.0.1.1. Instead:

1. the **default-route address**: the source address the kernel would use to reach a public address, found by
   "connecting" a UDP socket (nothing is sent; no network is needed beyond a route);
2. every **interface address** (Linux: ``socket.if_nameindex`` + the SIOCGIFADDR ioctl; elsewhere psutil when it is
   installed, as it is with IPython).

:func:`lan_addresses` combines them, best first: the default-route address (unless it belongs to a VPN or a virtual
bridge and a real interface exists), then the other real interfaces in the system's order, then VPN and virtual ones.
Loopback, link-local (169.254.x.x, what a laptop gives itself when DHCP failed) and unspecified addresses never
appear. It is a pure function, tested with invented interface lists.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Iterable

# A documentation address (TEST-NET-2): never routed on the internet, so "connecting" to it only asks the kernel
# which source address its default route would use. No packet is sent: connect() on UDP just fixes the peer.
PROBE_ADDRESS = ("198.51.100.1", 9)
SIOCGIFADDR = 0x8915  # Linux: the (first) IPv4 address of an interface

# Interfaces phones in the room cannot reach: VPN tunnels and container/VM bridges. Listed last, never first.
VIRTUAL_PREFIXES = (
    "docker", "br-", "veth", "virbr", "lxcbr", "lxdbr", "cni", "flannel", "podman", "vboxnet", "vmnet",
    "tun", "tap", "wg", "zt", "tailscale", "utun", "ppp",
)  # fmt: skip


def usable(address: str) -> bool:
    """An IPv4 address another device on the local network could open (not loopback, link-local, unspecified)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved)


def is_virtual(interface: str) -> bool:
    return interface.lower().startswith(VIRTUAL_PREFIXES)


def lan_addresses(default: str | None, interfaces: Iterable[tuple[str, str]]) -> list[str]:
    """Usable addresses, best first, without duplicates: see the module docstring for the order.

    ``default`` is the default-route address (or None: no route), ``interfaces`` the (name, address) pairs.
    """
    pairs = [(name, addr) for name, addr in interfaces if usable(addr)]
    real = [addr for name, addr in pairs if not is_virtual(name)]
    virtual = [addr for name, addr in pairs if is_virtual(name)]
    first: list[str] = []
    if default is not None and usable(default) and (default not in virtual or not real):
        first = [default]
    return list(dict.fromkeys(first + real + virtual))


def default_route_address(probe: tuple[str, int] = PROBE_ADDRESS) -> str | None:
    """The source address of the default route, or None when there is no route (no network at all)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(probe)
            return str(s.getsockname()[0])
    except OSError:
        return None


def interface_addresses() -> list[tuple[str, str]]:
    """(interface name, IPv4 address) of every interface that has one, in the system's order."""
    if sys.platform.startswith("linux"):
        return _linux_addresses()
    try:
        import psutil
    except ImportError:
        return []
    return [
        (name, a.address)
        for name, addrs in psutil.net_if_addrs().items()
        for a in addrs
        if a.family == socket.AF_INET
    ]


def _linux_addresses() -> list[tuple[str, str]]:
    import fcntl
    import struct

    found: list[tuple[str, str]] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _index, name in socket.if_nameindex():
            try:
                reply = fcntl.ioctl(s.fileno(), SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            except OSError:  # no IPv4 address on this interface
                continue
            found.append((name, socket.inet_ntoa(reply[20:24])))
    return found


def this_laptop_addresses() -> list[str]:
    """This laptop's usable local-network addresses, best first (empty: join a Wi-Fi network or a hotspot)."""
    return lan_addresses(default_route_address(), interface_addresses())
