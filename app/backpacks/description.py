"""A backpack's service description document (``GET {base}/ims/ob/v3p0/discovery``, OB 3.0 §6.3), read into the
few addresses a client needs; anything else in it is ignored, anything missing makes it unusable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.backpacks.errors import BackpackAddressInvalid, BackpackUnreachable

__all__ = ["DISCOVERY_PATH", "ServiceDescription", "discovery_url", "read_description"]

DISCOVERY_PATH = "/ims/ob/v3p0/discovery"
_MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class ServiceDescription:
    """What a client needs of a backpack: its name, where the API lives, where to register, authorise, get tokens."""

    discovery_url: str
    name: str
    api_base: str
    registration_url: str
    authorization_url: str
    token_url: str


def _loopback(host: str | None) -> bool:
    return host in ("127.0.0.1", "localhost", "::1")


def _web_address(value: object, *, loopback_http: bool) -> str | None:
    """``value`` as an absolute https URL (or http on loopback when allowed) with no credentials, else None."""
    if not isinstance(value, str) or not value or len(value) > _MAX_URL or value != value.strip():
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return None
    secure = parts.scheme == "https" or (parts.scheme == "http" and loopback_http and _loopback(parts.hostname))
    if not secure or not parts.hostname or parts.username is not None or parts.password is not None:
        return None
    if not all(c.isalnum() or c in ".-:" for c in parts.hostname):  # no spaces, quotes or brackets in a host
        return None
    return value


def discovery_url(typed: str, *, loopback_http: bool = False) -> str:
    """The discovery address for what a holder typed: the backpack's site (``https://sac.example``) or the
    discovery document itself. ``https://`` is added when no scheme is typed.

    :raises BackpackAddressInvalid: not a web address."""
    text = typed.strip()
    if "://" not in text:
        text = "https://" + text
    address = _web_address(text, loopback_http=loopback_http)
    if address is None:
        raise BackpackAddressInvalid()
    parts = urlsplit(address)
    path = parts.path.rstrip("/")
    if not path.endswith(DISCOVERY_PATH):
        path += DISCOVERY_PATH
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _at(document: Any, *keys: str) -> Any:
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def read_description(document: Any, url: str, *, loopback_http: bool = False) -> ServiceDescription:
    """The addresses of a service description document fetched from ``url``.

    :raises BackpackUnreachable: not a service description of the Open Badges 3.0 API (an address missing or not
        https)."""
    scheme = _at(document, "components", "securitySchemes", "OAuth2ACG")
    flow = _at(scheme, "flows", "authorizationCode")
    servers = _at(document, "servers")
    server = servers[0] if isinstance(servers, list) and servers else None
    found = {name: _web_address(value, loopback_http=loopback_http) for name, value in (
        ("api_base", _at(server, "url")), ("registration_url", _at(scheme, "x-imssf-registrationUrl")),
        ("authorization_url", _at(flow, "authorizationUrl")), ("token_url", _at(flow, "tokenUrl")))}
    if None in found.values():
        raise BackpackUnreachable()
    title = _at(document, "info", "title")
    name = title.strip()[:200] if isinstance(title, str) and title.strip() else str(urlsplit(url).hostname)
    return ServiceDescription(discovery_url=url, name=name, api_base=str(found["api_base"]).rstrip("/"),
                              registration_url=str(found["registration_url"]),
                              authorization_url=str(found["authorization_url"]), token_url=str(found["token_url"]))
