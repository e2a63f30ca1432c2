"""Which addresses a fetch may reach: the URL and host checks made before any connection (threat T6).

Scheme ``http`` or ``https`` only, no userinfo. The host is resolved once (numeric hosts in any inet_aton form -
``0x7f000001``, ``2130706433``, ``127.1`` - are decoded here, never handed to the resolver), and the URL is refused
if **any** address is not public (private, loopback, link-local incl. 169.254.169.254, CGNAT, multicast, reserved,
documentation, ULA, site-local, IPv4-mapped/NAT64 forms of those, all of 6to4, Teredo and IPv4-compatible
``::/96``). The result, a :class:`Target`, names the one address the transport may connect to.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from app.verify.fetch.failures import FetchError

__all__ = ["DEFAULT_PORTS", "IPAddress", "Resolver", "Target", "address_forbidden", "check_url", "numeric_ipv4",
           "system_resolver"]

#: every address a host name resolves to, as text (``socket.getaddrinfo`` by default; tests give a table)
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}

_BLOCKED_V4 = tuple(ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
))
_BLOCKED_V6 = tuple(ipaddress.IPv6Network(n) for n in (
    "::/96",  # unspecified, loopback, IPv4-compatible
    "::ffff:0:0:0/96",  # IPv4-translated
    "64:ff9b:1::/48",  # local-use NAT64
    "100::/64",  # discard
    "2001::/23",  # IETF protocol assignments, incl. Teredo 2001::/32
    "2001:db8::/32", "3fff::/20",  # documentation
    "2002::/16",  # 6to4 (deprecated, RFC 7526): all of it
    "5f00::/16",  # SRv6 SIDs
    "fc00::/7",  # unique local, incl. fd00:ec2::254 (cloud metadata)
    "fe80::/10", "fec0::/10",  # link-local, site-local
    "ff00::/8",  # multicast
))
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")
_NUMERIC_PART = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)\Z")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def _v4_forbidden(ip: ipaddress.IPv4Address) -> bool:
    return (any(ip in net for net in _BLOCKED_V4) or not ip.is_global or ip.is_private or ip.is_loopback
            or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def address_forbidden(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """True if a fetch must not connect to ``ip``. ``allow_loopback`` admits 127.0.0.0/8 and ::1 only."""
    if isinstance(ip, ipaddress.IPv4Address):
        if allow_loopback and ip in _LOOPBACK_V4:
            return False
        return _v4_forbidden(ip)
    if ip.scope_id:
        return True
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d reaches a.b.c.d; mapped loopback is never admitted
        return _v4_forbidden(ip.ipv4_mapped)
    if ip in _NAT64:
        return _v4_forbidden(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if allow_loopback and ip == _LOOPBACK_V6:
        return False
    return (any(ip in net for net in _BLOCKED_V6) or not ip.is_global or ip.is_private or ip.is_loopback
            or ip.is_link_local or ip.is_site_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Decode a host written as an IPv4 number in any inet_aton/WHATWG form, or None if it is a name.

    ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, ``127.0.0.1.`` all give 127.0.0.1. A host whose last
    label is numeric but which is not a valid number (``08.1``, ``1.2.3.4.5``, ``256.1.1.1``) raises ValueError.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]
    if not parts or not _NUMERIC_PART.match(parts[-1]):
        return None
    if len(parts) > 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        raise ValueError(f"invalid numeric host {host!r}")
    values = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            values.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part[0] == "0":
            values.append(int(part, 8))  # ValueError on 8 or 9
        else:
            values.append(int(part, 10))
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise ValueError(f"invalid numeric host {host!r}")
    number = last
    for i, v in enumerate(head):
        number += v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (socket.getaddrinfo), in order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL and the one address the transport may connect to for it."""

    url: httpx.URL
    host: str  # as httpcore will pass it to connect_tcp (IDNA, IPv6 without brackets)
    port: int
    address: str


def check_url(url: str, *, allow_loopback: bool, resolver: Resolver, deadline: float) -> Target:
    """Parse and vet ``url``; resolve its host once (before ``deadline``, a ``time.monotonic()`` value) and refuse
    it unless every address is allowed.

    :raises FetchError: ``invalid_url``, ``scheme_not_allowed``, ``userinfo_not_allowed``, ``address_not_allowed``,
        ``dns_failed`` or ``timeout``.
    """
    match = _SCHEME.match(url)
    if match is None:
        raise FetchError("invalid_url", url)
    if match.group(1).lower() not in DEFAULT_PORTS:
        raise FetchError("scheme_not_allowed", url)
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
        raise FetchError("invalid_url", url) from None
    if parsed.scheme not in DEFAULT_PORTS:
        raise FetchError("scheme_not_allowed", url)
    if parsed.userinfo or "@" in host:
        raise FetchError("userinfo_not_allowed", url)
    if not host:
        raise FetchError("invalid_url", url)
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]

    addresses = _literal_address(host, url)
    if addresses is None:
        addresses = _resolve(resolver, host, port, url, deadline)
    for address in addresses:
        if address_forbidden(address, allow_loopback=allow_loopback):
            raise FetchError("address_not_allowed", url)
    return Target(url=parsed, host=host, port=port, address=str(addresses[0]))


def _literal_address(host: str, url: str) -> list[IPAddress] | None:
    if ":" in host:  # IPv6 literal (httpx strips the brackets)
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            raise FetchError("invalid_url", url) from None
    try:
        v4 = numeric_ipv4(host)
    except ValueError:
        raise FetchError("invalid_url", url) from None
    return None if v4 is None else [v4]


def _resolve(resolver: Resolver, host: str, port: int, url: str, deadline: float) -> list[IPAddress]:
    """Run the resolver in a daemon thread so a black-holed DNS cannot outlast the budget."""
    addresses: list[str] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            addresses.extend(str(a) for a in resolver(host, port))
        except Exception as exc:  # any resolver failure is "not found"
            failed.append(exc)

    worker = threading.Thread(target=work, name="savoirs-fetch-dns", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise FetchError("timeout", url)
    if failed or not addresses:
        raise FetchError("dns_failed", url)
    try:
        return [ipaddress.ip_address(a) for a in addresses]  # a scope id is refused later
    except ValueError:
        raise FetchError("address_not_allowed", url) from None
