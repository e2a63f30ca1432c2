"""The verifier's only outbound HTTP client: SSRF-safe, bounded in time and size (threat T6).

Every URL (and every redirect hop) goes through the same checks before any connection is made:

* scheme ``http`` or ``https`` only, no userinfo;
* the host is resolved once (numeric hosts in any inet_aton form - ``0x7f000001``, ``2130706433``, ``127.1`` -
  are decoded here, never handed to the resolver), and the fetch is refused if **any** address is not public
  (private, loopback, link-local incl. 169.254.169.254, CGNAT, multicast, reserved, documentation, ULA, site-local,
  IPv4-mapped/NAT64 forms of those, all of 6to4, Teredo and IPv4-compatible ``::/96``);
* the connection is then made **to the checked address**: a pinned httpcore network backend substitutes the
  address in ``connect_tcp`` and refuses any host it was not told about, while the URL, the ``Host`` header, the
  TLS SNI and the certificate check keep the real host name. There is no second DNS lookup (no rebinding).

One deadline (``FetchPolicy.timeout``) covers the whole ``get`` - resolution, connect, TLS, redirects and the body:
every socket operation is given the time left, so a slow-drip server is cut at the deadline. The body is
streamed and cut at ``max_bytes`` (``Content-Length`` is only used to refuse early). Content encodings are
refused (``Accept-Encoding: identity``), so the cap is on the bytes actually received. No cookies, no proxies
from the environment, no HTTP/2, no connection reuse.

A ``SafeFetcher`` is not thread-safe: use one per verification.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import httpcore
import httpx

__all__ = [
    "DEFAULT_POLICY",
    "USER_AGENT",
    "FetchError",
    "FetchPolicy",
    "Fetched",
    "SafeFetcher",
    "did_web_url",
]

USER_AGENT = "savoirs-verifier"
_URL_SHOWN = 200
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# --------------------------------------------------------------------------------------------------- errors

_MESSAGES: dict[str, tuple[str, str]] = {
    # reason: (English, French)
    "invalid_url": ("The address is not a valid web address.", "L'adresse n'est pas une adresse web valide."),
    "scheme_not_allowed": ("Only http and https addresses can be fetched.",
                           "Seules les adresses http et https peuvent être consultées."),
    "userinfo_not_allowed": ("Addresses containing a user name or password are refused.",
                             "Les adresses contenant un nom d'utilisateur ou un mot de passe sont refusées."),
    "address_not_allowed": ("The address points to a private or reserved network; it is not fetched.",
                            "L'adresse mène à un réseau privé ou réservé ; elle n'est pas consultée."),
    "dns_failed": ("The server name could not be found.", "Le nom du serveur est introuvable."),
    "timeout": ("The server took too long to answer.", "Le serveur a mis trop de temps à répondre."),
    "connect_failed": ("The server could not be reached.", "Le serveur est injoignable."),
    "tls_failed": ("The server's secure connection (TLS certificate) could not be verified.",
                   "La connexion sécurisée du serveur (certificat TLS) n'a pas pu être vérifiée."),
    "protocol_error": ("The server sent an invalid HTTP response.", "Le serveur a envoyé une réponse HTTP invalide."),
    "too_many_redirects": ("The server redirected too many times.", "Le serveur a redirigé trop de fois."),
    "bad_redirect": ("The server sent an invalid redirect.", "Le serveur a envoyé une redirection invalide."),
    "insecure_redirect": ("The server redirected from https to plain http.",
                          "Le serveur a redirigé de https vers http non sécurisé."),
    "http_status": ("The server answered with an error.", "Le serveur a répondu par une erreur."),
    "unexpected_content_type": ("The server sent a document of an unexpected type.",
                                "Le serveur a envoyé un document d'un type inattendu."),
    "unexpected_content_encoding": ("The server sent a compressed or encoded document, which is refused.",
                                    "Le serveur a envoyé un document compressé ou encodé, ce qui est refusé."),
    "too_large": ("The document is too large.", "Le document est trop volumineux."),
    "invalid_did": ("The did:web identifier is malformed.", "L'identifiant did:web est mal formé."),
}


class FetchError(Exception):
    """A refused or failed fetch. ``code`` is stable; ``reason`` is a stable sub-code (see ``_MESSAGES``)."""

    code: str = "fetch_failed"

    def __init__(self, reason: str, url: str, *, detail_en: str = "", detail_fr: str = "") -> None:
        en, fr = _MESSAGES.get(reason, ("The document could not be fetched.", "Le document n'a pas pu être obtenu."))
        self.reason = reason
        self.url = str(url)[:_URL_SHOWN]
        self.message_en = f"{en} {detail_en}".strip()
        self.message_fr = f"{fr} {detail_fr}".strip()
        super().__init__(f"{self.code}/{reason}: {self.message_en} ({self.url})")


# --------------------------------------------------------------------------------------------------- policy


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    allow_loopback: bool = False  # settings ALLOW_LOOPBACK_FETCH: tests/dev only
    timeout: float = 5.0  # total budget per get(): resolution, connect, TLS, redirects, whole body (seconds)
    max_bytes: int = 1024 * 1024  # body cap, enforced while streaming
    max_redirects: int = 3

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError("timeout must be > 0")
        if self.max_bytes < 0 or self.max_redirects < 0:
            raise ValueError("max_bytes and max_redirects must be >= 0")


DEFAULT_POLICY = FetchPolicy()


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    media_type: str  # lower-cased, without parameters
    content: bytes


# --------------------------------------------------------------------------------------------------- addresses

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


_NUMERIC_PART = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)\Z")


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


# --------------------------------------------------------------------------------------------------- pinned transport


def _time_left(deadline: float, exc: type[Exception], timeout: float | None) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc("fetch time budget exhausted")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """Gives every socket operation at most the time left before the fetch deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: _PinnedBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(self._backend.deadline, httpcore.ReadTimeout, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(self._backend.deadline, httpcore.WriteTimeout, timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        left = _time_left(self._backend.deadline, httpcore.ConnectTimeout, timeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to the address checked for the current hop; no name resolution happens here."""

    def __init__(self) -> None:
        self._tcp = httpcore.SyncBackend()
        self.pin: tuple[str, int, str] | None = None  # (host as in the URL, port, checked address)
        self.deadline = 0.0

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        pin = self.pin
        if pin is None or (host, port) != pin[:2]:
            raise httpcore.ConnectError(f"refusing to connect to unchecked {host}:{port}")
        left = _time_left(self.deadline, httpcore.ConnectTimeout, timeout)
        stream = self._tcp.connect_tcp(pin[2], port, timeout=left, local_address=local_address,
                                       socket_options=socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificate verification against certifi's roots (httpx's default), hostname checked; built once (~50 ms)."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over an httpcore pool that uses the pinned backend and never keeps a connection."""

    def __init__(self, backend: _PinnedBackend, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, http1=True, http2=False, trust_env=False, retries=0)
        self._pool.close()
        # httpx 0.28 takes no network_backend, so its pool is replaced (pinned version; the tests would catch it).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=1, max_keepalive_connections=0, keepalive_expiry=0,
            http1=True, http2=False, retries=0, network_backend=backend,
        )


# --------------------------------------------------------------------------------------------------- fetcher

_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class _Target:
    url: httpx.URL
    host: str  # as httpcore will pass it to connect_tcp (IDNA, IPv6 without brackets)
    port: int
    address: str


class _NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


def _caused_by_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class SafeFetcher:
    """The verifier's outbound HTTP client. ``fetched`` lists every URL requested, redirect hops included."""

    def __init__(self, policy: FetchPolicy = DEFAULT_POLICY, *, resolver: Resolver | None = None) -> None:
        self.policy = policy
        self.fetched: list[str] = []
        self._answers: dict[tuple[str, str, frozenset[str], bool], Fetched] = {}
        self._resolver: Resolver = resolver or system_resolver
        self._backend = _PinnedBackend()
        self._client = httpx.Client(
            transport=_PinnedTransport(self._backend, _tls_context()),
            trust_env=False,
            follow_redirects=False,
            cookies=CookieJar(policy=_NoCookies()),
            timeout=httpx.Timeout(policy.timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )

    # context manager -------------------------------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # checks ----------------------------------------------------------------------------------------------------
    def _check(self, url: str, deadline: float) -> _Target:
        """Parse and vet ``url``; resolve its host once and refuse it unless every address is allowed."""
        match = _SCHEME.match(url)
        if match is None:
            raise FetchError("invalid_url", url)
        if match.group(1).lower() not in _DEFAULT_PORTS:
            raise FetchError("scheme_not_allowed", url)
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            raise FetchError("invalid_url", url) from None
        if parsed.scheme not in _DEFAULT_PORTS:
            raise FetchError("scheme_not_allowed", url)
        if parsed.userinfo or "@" in host:
            raise FetchError("userinfo_not_allowed", url)
        if not host:
            raise FetchError("invalid_url", url)
        port = parsed.port or _DEFAULT_PORTS[parsed.scheme]

        addresses = self._literal_address(host, url)
        if addresses is None:
            addresses = self._resolve(host, port, url, deadline)
        for address in addresses:
            if address_forbidden(address, allow_loopback=self.policy.allow_loopback):
                raise FetchError("address_not_allowed", url)
        return _Target(url=parsed, host=host, port=port, address=str(addresses[0]))

    @staticmethod
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

    def _resolve(self, host: str, port: int, url: str, deadline: float) -> list[IPAddress]:
        """Run the resolver in a daemon thread so a black-holed DNS cannot outlast the budget."""
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["addresses"] = list(self._resolver(host, port))
            except Exception as exc:  # any resolver failure is "not found"
                outcome["error"] = exc

        worker = threading.Thread(target=work, name="savoirs-fetch-dns", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            raise FetchError("timeout", url)
        if "error" in outcome or not outcome.get("addresses"):
            raise FetchError("dns_failed", url)
        try:
            return [ipaddress.ip_address(str(a)) for a in outcome["addresses"]]  # a scope id is refused later
        except ValueError:
            raise FetchError("address_not_allowed", url) from None

    # fetch -----------------------------------------------------------------------------------------------------
    def get(self, url: str, *, accept: str, allowed_types: Collection[str], allow_gone: bool = False) -> Fetched:
        """GET ``url`` under the policy; return the final 2xx (or 410 when ``allow_gone``) response.

        A successful answer is remembered for the life of this fetcher (one verification): the same document
        asked for twice (the issuer's DID document, for the credential and for its status list) is fetched once.

        :raises FetchError: refused before connecting, failed, or answered outside the policy.
        """
        allowed = frozenset(t.strip().lower() for t in allowed_types)
        key = (url, accept, allowed, allow_gone)
        remembered = self._answers.get(key)
        if remembered is None:
            remembered = self._answers[key] = self._get(url, accept, allowed, allow_gone)
        return remembered

    def _get(self, url: str, accept: str, allowed: frozenset[str], allow_gone: bool) -> Fetched:
        deadline = time.monotonic() + self.policy.timeout
        current = url
        for hop in range(self.policy.max_redirects + 1):
            target = self._check(current, deadline)
            response = self._send(target, accept, deadline, current)
            try:
                if response.status_code in _REDIRECT_STATUSES:
                    current = self._next_hop(target, response, current, last=hop == self.policy.max_redirects)
                    continue
                return self._read(response, str(target.url), allowed, allow_gone, deadline)
            finally:
                response.close()
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_hop(self, target: _Target, response: httpx.Response, current: str, *, last: bool) -> str:
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchError("bad_redirect", current)
        try:
            nxt = target.url.join(location)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            raise FetchError("bad_redirect", location) from None
        if last:
            raise FetchError("too_many_redirects", str(nxt),
                             detail_en=f"(more than {self.policy.max_redirects})",
                             detail_fr=f"(plus de {self.policy.max_redirects})")
        if target.url.scheme == "https" and nxt.scheme == "http":
            raise FetchError("insecure_redirect", str(nxt))
        return str(nxt)

    def _send(self, target: _Target, accept: str, deadline: float, current: str) -> httpx.Response:
        self._backend.pin = (target.host, target.port, target.address)
        self._backend.deadline = deadline
        request = self._client.build_request("GET", target.url, headers={"Accept": accept})
        self.fetched.append(str(target.url))
        try:
            return self._client.send(request, stream=True)
        except Exception as exc:
            raise self._network_error(exc, current, deadline) from None

    @staticmethod
    def _network_error(exc: Exception, url: str, deadline: float) -> FetchError:
        if isinstance(exc, httpx.TimeoutException) or time.monotonic() >= deadline:
            return FetchError("timeout", url)
        if _caused_by_tls(exc):
            return FetchError("tls_failed", url)
        if isinstance(exc, httpx.ConnectError):
            return FetchError("connect_failed", url)
        if isinstance(exc, httpx.HTTPError):
            return FetchError("protocol_error", url)
        raise exc

    def _read(self, response: httpx.Response, url: str, allowed: frozenset[str], allow_gone: bool,
              deadline: float) -> Fetched:
        status = response.status_code
        gone = status == 410 and allow_gone
        if not (200 <= status < 300 or gone):
            raise FetchError("http_status", url, detail_en=f"(HTTP {status})", detail_fr=f"(HTTP {status})")
        media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type not in allowed:
            if gone:  # the verdict is "revoked" whatever the body; an unexpected body is not handed over
                return Fetched(url=url, status=status, media_type=media_type, content=b"")
            raise FetchError("unexpected_content_type", url,
                             detail_en=f"({media_type or 'none'})", detail_fr=f"({media_type or 'aucun'})")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise FetchError("unexpected_content_encoding", url)
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > cap:
            raise FetchError("too_large", url)
        body = bytearray()
        try:
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > cap:
                    raise FetchError("too_large", url)
                if time.monotonic() >= deadline:
                    raise FetchError("timeout", url)
        except FetchError:
            raise
        except Exception as exc:
            raise self._network_error(exc, url, deadline) from None
        return Fetched(url=url, status=status, media_type=media_type, content=bytes(body))


# --------------------------------------------------------------------------------------------------- did:web

_DID_SEGMENT = re.compile(r"(?:[A-Za-z0-9._\-]|%[0-9A-Fa-f]{2})+\Z")
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}\Z)(?:{_LABEL}\.)*{_LABEL}\Z")
_HOST_PORT = re.compile(r"(?P<host>\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?\Z")


def did_web_url(did: str, *, allow_loopback: bool) -> str:
    """The URL of a did:web DID document (did:web spec §3.2.1 "Read").

    ``did:web:example.org`` → ``https://example.org/.well-known/did.json``;
    ``did:web:example.org%3A8443:org:a`` → ``https://example.org:8443/org/a/did.json``. With ``allow_loopback``
    and a loopback host (localhost, 127.0.0.1, [::1] percent-encoded as ``%5B%3A%3A1%5D``) the scheme is http.
    The URL still has to go through ``SafeFetcher.get``, which vets the address.

    :raises FetchError: reason ``invalid_did`` (not did:web, bad characters, empty or dot segments, userinfo,
        query or fragment, bad host or port).
    """
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise FetchError("invalid_did", str(did))
    segments = did[len("did:web:"):].split(":")
    if not all(_DID_SEGMENT.match(s) for s in segments):
        raise FetchError("invalid_did", did)
    authority = unquote(segments[0]).lower()
    if "@" in authority:
        raise FetchError("invalid_did", did)
    match = _HOST_PORT.match(authority)
    if match is None:
        raise FetchError("invalid_did", did)
    host, port = match.group("host"), match.group("port")
    if host.startswith("["):
        try:
            ip: IPAddress | None = ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise FetchError("invalid_did", did) from None
    elif _DOMAIN.match(host):
        try:
            ip = ipaddress.IPv4Address(host)
        except ValueError:
            ip = None
    else:
        raise FetchError("invalid_did", did)
    if port is not None and not 0 < int(port) < 65536:
        raise FetchError("invalid_did", did)
    path = segments[1:]
    for segment in path:
        decoded = unquote(segment)
        if decoded in (".", "..") or any(c in decoded for c in "/\\?#") or not decoded.isprintable():
            raise FetchError("invalid_did", did)
    loopback = host == "localhost" or (ip is not None and ip.is_loopback)
    scheme = "http" if allow_loopback and loopback else "https"
    netloc = host if port is None else f"{host}:{int(port)}"
    suffix = "/".join([*path, "did.json"]) if path else ".well-known/did.json"
    return f"{scheme}://{netloc}/{suffix}"
