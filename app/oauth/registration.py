"""RFC 7591 dynamic registration under the Open Badges 3.0 profile (Authlib's endpoint, our rules): open (no
initial access token); every field the profile requires present; every URL https (http on a loopback host when
``loopback_http``: tests and development) and on the host of ``client_uri``; ``client_secret_basic`` only, the
``code`` response type, the API's own scopes. The client secret is stored as its SHA-256 digest."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc7591 import ClientMetadataClaims, ClientRegistrationEndpoint
from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError, InvalidRedirectURIError

from app.models import OAuthClient
from app.oauth import scopes
from app.oauth.clients import Client, digest

if TYPE_CHECKING:
    from app.oauth.server import OAuthServer

__all__ = ["Registration", "metadata_rules"]

_METADATA = ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id", "software_version",
             "redirect_uris", "scope")
_URL_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_MAX = {"client_name": 200, "software_id": 200, "software_version": 100, "scope": 1000}


class _Metadata(ClientMetadataClaims):  # type: ignore[misc]
    """RFC 7591 metadata under the Open Badges 3.0 profile."""

    loopback_http = False

    def validate(self, now: Any = None, leeway: int = 0) -> None:
        for name in _METADATA:
            value = self.get(name)
            if not value:
                raise InvalidClientMetadataError(f"'{name}' is required.")
            if name == "redirect_uris":
                if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                    raise InvalidRedirectURIError("'redirect_uris' must be a list of URLs.")
            elif not isinstance(value, str):
                raise InvalidClientMetadataError(f"'{name}' must be a string.")
            elif len(value) > _MAX.get(name, 2000):
                raise InvalidClientMetadataError(f"'{name}' is too long.")
        if len(self["redirect_uris"]) > 10:
            raise InvalidRedirectURIError("At most 10 redirect URIs.")
        for name in ("grant_types", "response_types"):
            if name in self and not (isinstance(self[name], list) and all(isinstance(v, str) for v in self[name])):
                raise InvalidClientMetadataError(f"'{name}' must be a list of strings.")
        super().validate(now, leeway)
        host = self._host("client_uri", self["client_uri"])
        for name in _URL_FIELDS:
            if self._host(name, self[name]) != host:
                raise InvalidClientMetadataError(f"'{name}' must be on the host of 'client_uri' ({host}).")
        for uri in self["redirect_uris"]:
            if self._host("redirect_uris", uri) != host:
                raise InvalidRedirectURIError(f"Every redirect URI must be on the host of 'client_uri' ({host}).")

    def _host(self, name: str, url: str) -> str:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        loopback = self.loopback_http and parts.scheme == "http" and parts.hostname in _LOOPBACK
        if not (https or loopback) or not parts.hostname or parts.fragment:
            error = InvalidRedirectURIError if name == "redirect_uris" else InvalidClientMetadataError
            raise error(f"'{name}' must be an https URL without a fragment.")
        return parts.netloc.lower()


class _LoopbackMetadata(_Metadata):
    loopback_http = True


class Registration(ClientRegistrationEndpoint):  # type: ignore[misc]
    server: OAuthServer

    def authenticate_token(self, request: Any) -> bool:
        return True  # open registration (the profile has no initial access token); the router rate-limits it

    def get_server_metadata(self) -> dict[str, Any]:
        return {"scopes_supported": list(scopes.ALL), "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"]}

    def generate_client_info(self, request: Any) -> dict[str, Any]:
        return {"client_id": secrets.token_urlsafe(24), "client_secret": secrets.token_urlsafe(32),
                "client_id_issued_at": int(self.server.now.timestamp()), "client_secret_expires_at": 0}

    def save_client(self, client_info: dict[str, Any], client_metadata: dict[str, Any], request: Any) -> Client:
        row = OAuthClient(
            id=client_info["client_id"], secret_sha256=digest(client_info["client_secret"]),
            redirect_uris=list(client_metadata["redirect_uris"]), registered=dict(client_metadata),
            created_at=self.server.now,
            **{name: client_metadata[name] for name in _METADATA if name != "redirect_uris"})
        self.server.session.add(row)
        self.server.session.flush()
        return Client(row)


def metadata_rules(loopback_http: bool) -> type[ClientMetadataClaims]:
    """The metadata rules, with http accepted on loopback hosts or not."""
    return _LoopbackMetadata if loopback_http else _Metadata
