"""The authorisation server, on Authlib (the protocol: grants, PKCE, client authentication, registration, revocation),
bound to one database session and one moment; what this module adds is storage and the Open Badges 3.0 profile:

* registration (RFC 7591) is open (no initial access token); every field the profile requires must be there, every
  URL https (http on a loopback host when ``loopback_http``: tests and development) and on the host of
  ``client_uri``; ``client_secret_basic`` is the only client authentication, ``code`` the only response type;
* the authorisation code grant requires ``state`` and PKCE with ``S256``; a code lives ten minutes, is used once,
  and a code presented again revokes every token it gave;
* refresh tokens rotate: each refresh gives a new pair and spends the old one; the scope can narrow, never widen; a
  spent refresh token presented again revokes its whole family;
* tokens (access and refresh) and client secrets are random and stored as SHA-256 digests.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, JsonRequest, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, RefreshTokenGrant
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import OAuthClient, OAuthCode, OAuthToken
from app.oauth import scopes
from app.oauth.calls import OAuthAnswer, OAuthCall
from app.oauth.clients import Client, digest
from app.oauth.registration import Registration, metadata_rules

__all__ = ["ACCESS_SECONDS", "CODE_MINUTES", "REFRESH_DAYS", "OAuthServer", "digest"]

ACCESS_SECONDS = 3600
REFRESH_DAYS = 90
CODE_MINUTES = 10


# ------------------------------------------------------------------------------------------------ requests


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list, {k: list(v) for k, v in values.items()})
        self._data = {key: value[0] for key, value in values.items() if value}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, call: OAuthCall) -> None:
        super().__init__(call.method, call.url, headers=call.headers)  # case-insensitive (Authorization)
        merged = {**call.query, **call.form}
        self.payload = _Payload(merged)
        self._args = {key: value[0] for key, value in call.query.items() if value}
        self._form = {key: value[0] for key, value in call.form.items() if value}

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _JsonPayload:
    def __init__(self, data: Any) -> None:
        self.data = data


# ------------------------------------------------------------------------------------------------ models


class _Code:
    def __init__(self, row: OAuthCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope


class _Token:
    def __init__(self, row: OAuthToken) -> None:
        self.row = row

    def check_client(self, client: Client) -> bool:
        return self.row.client_id == client.row.id

    def get_scope(self) -> str:
        return self.row.scope


# ------------------------------------------------------------------------------------------------ grants


class _S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE required, ``S256`` only (no ``plain``, no default method)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge' with 'code_challenge_method=S256'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only 'code_challenge_method=S256' is accepted.")
        super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]
    server: OAuthServer

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        state = self.request.payload.data.get("state")
        if not state:
            raise InvalidRequestError("'state' is required.", redirect_uri=redirect_uri)
        if len(state) > 500:
            raise InvalidRequestError("'state' is too long (500 characters at most).", redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: Any) -> None:
        server = self.server
        data = request.payload.data
        redirect_uri = data.get("redirect_uri") or request.client.get_default_redirect_uri()
        server.session.add(OAuthCode(
            code_sha256=digest(code), client_id=request.client.row.id, holder_id=request.user,
            redirect_uri=redirect_uri, scope=request.scope or "", code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"], created_at=server.now,
            expires_at=server.now + timedelta(minutes=CODE_MINUTES)))
        server.session.flush()

    def query_authorization_code(self, code: str, client: Client) -> _Code | None:
        server = self.server
        # locked: the same code exchanged twice at once is a replay for the second, not two token pairs
        row = server.session.scalar(select(OAuthCode).where(OAuthCode.code_sha256 == digest(code))
                                    .with_for_update())
        if row is None or row.client_id != client.row.id:
            return None
        if row.used_at is not None:  # replayed: what it gave is revoked
            server.revoke_family(row.id)
            return None
        if row.expires_at <= server.now:
            return None
        return _Code(row)

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        authorization_code.row.used_at = self.server.now

    def authenticate_user(self, authorization_code: _Code) -> str:
        return authorization_code.row.holder_id


class _RefreshGrant(RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: OAuthServer

    def authenticate_refresh_token(self, refresh_token: str) -> _Token | None:
        server = self.server
        row = server.session.scalar(select(OAuthToken).where(OAuthToken.refresh_sha256 == digest(refresh_token))
                                    .with_for_update())
        if row is None:
            return None
        if row.revoked_at is not None:  # spent or revoked, presented again: its family goes
            server.revoke_family(row.code_id)
            return None
        if row.refresh_expires_at is None or row.refresh_expires_at <= server.now:
            return None
        return _Token(row)

    def authenticate_user(self, refresh_token: _Token) -> str:
        return refresh_token.row.holder_id

    def revoke_old_credential(self, refresh_token: _Token) -> None:
        refresh_token.row.revoked_at = self.server.now


class _Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic"]
    server: OAuthServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> _Token | None:
        hashed = digest(token_string)
        columns = [OAuthToken.access_sha256, OAuthToken.refresh_sha256]
        if token_type_hint == "refresh_token":  # noqa: S105 - a hint's name, not a secret
            columns.reverse()
        for column in columns:
            row = self.server.session.scalar(select(OAuthToken).where(column == hashed))
            if row is not None:
                return _Token(row)
        return None

    def revoke_token(self, token: _Token, request: Any) -> None:
        if token.row.revoked_at is None:
            token.row.revoked_at = self.server.now


# ------------------------------------------------------------------------------------------------ the server


class OAuthServer(AuthorizationServer):  # type: ignore[misc]
    """The authorisation server for one transaction: ``session`` is where it reads and writes, ``now`` the moment
    it judges expiry by."""

    def __init__(self, session: Session, now: datetime, *, loopback_http: bool = False) -> None:
        super().__init__(scopes_supported=list(scopes.ALL))
        self.session = session
        self.now = now
        self.register_token_generator("default", self._generate_token)
        self.register_grant(_CodeGrant, [_S256Only(required=True)])
        self.register_grant(_RefreshGrant)
        self.register_endpoint(_Revocation)
        self.register_endpoint(Registration(self, [metadata_rules(loopback_http)]))

    # Authlib's framework hooks ------------------------------------------------------------------------------
    def query_client(self, client_id: str) -> Client | None:
        row = self.session.get(OAuthClient, client_id[:64]) if client_id else None
        if row is None or row.revoked_at is not None:
            return None
        return Client(row)

    def create_oauth2_request(self, request: OAuthCall) -> _Request:
        return _Request(request)

    def create_json_request(self, request: OAuthCall) -> JsonRequest:
        made = JsonRequest(request.method, request.url, request.headers)
        made.payload = _JsonPayload(request.json)
        return made

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> OAuthAnswer:
        return OAuthAnswer(status, body if isinstance(body, dict) else None, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def _generate_token(self, grant_type: str, client: Client, user: str | None = None, scope: str | None = None,
                        expires_in: int | None = None, include_refresh_token: bool = True) -> dict[str, Any]:
        token: dict[str, Any] = {"token_type": "Bearer", "access_token": secrets.token_urlsafe(32),
                                 "expires_in": expires_in or ACCESS_SECONDS, "scope": scope or ""}
        if include_refresh_token:
            token["refresh_token"] = secrets.token_urlsafe(32)
        return token

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        if request.authorization_code is not None:
            code_id = request.authorization_code.row.id
        else:
            code_id = request.refresh_token.row.code_id
        refresh = token.get("refresh_token")
        self.session.add(OAuthToken(
            client_id=request.client.row.id, holder_id=request.user, code_id=code_id,
            access_sha256=digest(token["access_token"]), refresh_sha256=digest(refresh) if refresh else None,
            scope=token["scope"], issued_at=self.now,
            access_expires_at=self.now + timedelta(seconds=token["expires_in"]),
            refresh_expires_at=self.now + timedelta(days=REFRESH_DAYS) if refresh else None))
        self.session.flush()

    # ours -------------------------------------------------------------------------------------------------------
    def revoke_family(self, code_id: str) -> None:
        """Revoke every token that stems from one authorisation code."""
        self.session.execute(update(OAuthToken).where(OAuthToken.code_id == code_id, OAuthToken.revoked_at.is_(None))
                             .values(revoked_at=self.now))
