"""The calls a client of the Open Badges 3.0 API makes to a backpack, each through a
:class:`~app.verify.fetch.SafeFetcher` (the backpack's addresses come from a document on the Internet: they are
checked like any untrusted URL, and every answer is bounded in time and size).

What a backpack says back is read strictly; its own error words never reach the holder (they are logged, cut).
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from app import strict_json
from app.backpacks.description import ServiceDescription, read_description
from app.backpacks.errors import BackpackRefused, BackpackUnreachable, RegistrationUnknown
from app.verify.fetch import FetchError, SafeFetcher

__all__ = ["Authorisation", "Registration", "Tokens", "authorisation", "discover", "exchange_code", "push",
           "refresh", "register"]

log = logging.getLogger("savoirs.backpacks")
#: the longest an access token is taken to last, whatever the backpack says (a year)
_LONGEST = 365 * 24 * 3600
_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Registration:
    client_id: str
    client_secret: str


@dataclass(frozen=True, slots=True)
class Authorisation:
    """Where to send the holder, and what stays with us until they come back."""

    url: str
    state: str
    code_verifier: str


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    #: seconds, as the backpack said (None: it did not say)
    expires_in: int | None


def _json(content: bytes) -> Any:
    try:
        return strict_json.loads(content)
    except ValueError:
        raise BackpackUnreachable() from None


def discover(fetcher: SafeFetcher, url: str, *, loopback_http: bool) -> ServiceDescription:
    """Fetch and read a backpack's service description document.

    :raises BackpackUnreachable: not fetched, or not a service description."""
    try:
        fetched = fetcher.get(url, accept=_JSON, allowed_types=(_JSON, "application/openapi+json"))
    except FetchError as exc:
        log.info("backpack discovery failed at %s: %s", url[:200], exc.reason)
        raise BackpackUnreachable() from None
    return read_description(_json(fetched.content), fetched.url, loopback_http=loopback_http)


def _post_json(fetcher: SafeFetcher, url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    try:
        answer = fetcher.post(url, json.dumps(body, ensure_ascii=False).encode("utf-8"), content_type=_JSON,
                              accept=_JSON, headers=headers)
    except FetchError as exc:
        log.info("backpack call failed at %s: %s", url[:200], exc.reason)
        raise BackpackUnreachable() from None
    return answer.status, answer.content


def register(fetcher: SafeFetcher, service: ServiceDescription, metadata: dict[str, Any]) -> Registration:
    """Dynamic client registration (RFC 7591) with ``metadata``.

    :raises BackpackRefused: the backpack did not register us. :raises BackpackUnreachable: …"""
    status, content = _post_json(fetcher, service.registration_url, metadata)
    if status not in (200, 201):
        log.info("backpack %s refused registration (HTTP %s): %.300r", service.name, status, content)
        raise BackpackUnreachable() if status >= 500 else BackpackRefused()
    body = _json(content)
    client_id, secret = (body.get("client_id"), body.get("client_secret")) if isinstance(body, dict) else (None, None)
    if not (isinstance(client_id, str) and 0 < len(client_id) <= 255 and isinstance(secret, str) and secret):
        raise BackpackUnreachable()  # a client id we could not store whole is not taken
    return Registration(client_id, secret)


def authorisation(service: ServiceDescription, client_id: str, *, redirect_uri: str, scope: str) -> Authorisation:
    """A fresh authorisation request: its URL (code flow, PKCE S256, a random ``state``) and its secrets."""
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                       "scope": scope, "state": state, "code_challenge": create_s256_code_challenge(verifier),
                       "code_challenge_method": "S256"})
    joiner = "&" if "?" in service.authorization_url else "?"
    return Authorisation(service.authorization_url + joiner + query, state, verifier)


def _basic(registration: Registration) -> dict[str, str]:
    """HTTP Basic client authentication, each part form-encoded first (RFC 6749 §2.3.1)."""
    pair = f"{quote(registration.client_id, safe='')}:{quote(registration.client_secret, safe='')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")}


def _token(fetcher: SafeFetcher, service: ServiceDescription, registration: Registration,
           form: dict[str, str]) -> Tokens:
    try:
        answer = fetcher.post(service.token_url, urlencode(form).encode("ascii"),
                              content_type="application/x-www-form-urlencoded", accept=_JSON,
                              headers=_basic(registration))
    except FetchError as exc:
        log.info("backpack token request failed at %s: %s", service.token_url[:200], exc.reason)
        raise BackpackUnreachable() from None
    if answer.status != 200:
        log.info("backpack %s refused a token (HTTP %s): %.300r", service.name, answer.status, answer.content)
        if answer.status >= 500:
            raise BackpackUnreachable()  # for now: nothing to forget
        if answer.status == 401 or b"invalid_client" in answer.content:
            raise RegistrationUnknown()
        raise BackpackRefused()  # invalid_grant and the like: the holder is asked again
    body = _json(answer.content)
    access = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(access, str) or not access or str(body.get("token_type", "")).lower() != "bearer":
        raise BackpackUnreachable()
    refresh_token = body.get("refresh_token")
    expires = body.get("expires_in")
    return Tokens(access, refresh_token if isinstance(refresh_token, str) and refresh_token else None,
                  min(expires, _LONGEST) if isinstance(expires, int) and not isinstance(expires, bool) and expires > 0
                  else None)


def exchange_code(fetcher: SafeFetcher, service: ServiceDescription, registration: Registration, *, code: str,
                  code_verifier: str, redirect_uri: str) -> Tokens:
    """The authorisation code for tokens. :raises BackpackRefused: … :raises BackpackUnreachable: …"""
    return _token(fetcher, service, registration, {"grant_type": "authorization_code", "code": code,
                                                   "redirect_uri": redirect_uri, "code_verifier": code_verifier})


def refresh(fetcher: SafeFetcher, service: ServiceDescription, registration: Registration, *,
            refresh_token: str, scope: str) -> Tokens:
    """New tokens for a refresh token. :raises BackpackRefused: … :raises BackpackUnreachable: …"""
    return _token(fetcher, service, registration, {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                                   "scope": scope})


def push(fetcher: SafeFetcher, service: ServiceDescription, access_token: str, credential: dict[str, Any]) -> int:
    """``POST {api}/credentials``: the backpack's status, 200, 201 or 304 when it took (or already had) it; 401
    when the token no longer holds (the caller refreshes or asks the holder again).

    :raises BackpackRefused: any other answer. :raises BackpackUnreachable: …"""
    status, content = _post_json(fetcher, f"{service.api_base}/credentials", credential,
                                 {"Authorization": f"Bearer {access_token}"})
    if status in (200, 201, 304, 401):
        return status
    log.info("backpack %s refused a credential (HTTP %s): %.300r", service.name, status, content)
    raise BackpackUnreachable() if status >= 500 else BackpackRefused()
