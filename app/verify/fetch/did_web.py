"""The URL of a did:web DID document (did:web spec §3.2.1 "Read"); fetching it is the fetcher's job."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

from app.verify.fetch.addresses import IPAddress
from app.verify.fetch.failures import FetchError

__all__ = ["did_web_url"]

_DID_SEGMENT = re.compile(r"(?:[A-Za-z0-9._\-]|%[0-9A-Fa-f]{2})+\Z")
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}\Z)(?:{_LABEL}\.)*{_LABEL}\Z")
_HOST_PORT = re.compile(r"(?P<host>\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?\Z")


def did_web_url(did: str, *, allow_loopback: bool) -> str:
    """The URL of a did:web DID document.

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
