"""FastAPI dependencies: application services from ``app.state`` and authentication."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.clock import Clock
from app.config import Settings
from app.errors import Forbidden, TooManyRequests, Unauthorised
from app.principal import Principal, Scope
from app.ratelimit import SharedWindow
from app.services import api_keys
from app.services.context import ServiceContext

__all__ = ["AdminDep", "AdminKeyDep", "ClockDep", "CtxDep", "IdempotencyKey", "IssueDep", "ReadDep", "RevokeDep",
           "SettingsDep", "count_verification", "require_scope"]

bearer = HTTPBearer(auto_error=False, description="An organisation API key `prefix.secret`, or the ADMIN_TOKEN.")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_context(request: Request) -> ServiceContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def get_clock(request: Request) -> Clock:
    return get_context(request).clock


SettingsDep = Annotated[Settings, Depends(get_settings)]
CtxDep = Annotated[ServiceContext, Depends(get_context)]
ClockDep = Annotated[Clock, Depends(get_clock)]
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _now(request: Request) -> datetime:
    return get_context(request).clock.now()


def count_verification(request: Request) -> None:
    """Anti-automation for the public verifier (each verification may fetch several URLs): 429 beyond
    ``VERIFY_RATE_LIMIT`` per client and minute, counted by every worker together."""
    limiter: SharedWindow = request.app.state.verify_limiter
    wait = limiter.over(_client(request), _now(request))
    if wait is not None:
        raise TooManyRequests("Too many verifications from this address: wait a minute and try again.",
                              "Trop de vérifications depuis cette adresse : attendez une minute et réessayez.",
                              headers={"Retry-After": str(wait)})


def _fail(request: Request) -> Unauthorised | TooManyRequests:
    """A wrong key: 429 once its client failed too often (the guessing slowed), else 401 and one more failure.
    A valid key is never refused for its client's failures: the throttle slows guessing, it locks nobody out."""
    limiter: SharedWindow = request.app.state.auth_limiter
    wait = limiter.retry_after(_client(request), _now(request))
    if wait is not None:
        return TooManyRequests(headers={"Retry-After": str(wait)})
    limiter.hit(_client(request), _now(request))
    return Unauthorised(headers={"WWW-Authenticate": "Bearer"})


def get_principal(request: Request, credentials: CredentialsDep, ctx: CtxDep) -> Principal:
    """Authenticate an organisation API key (401 when missing or wrong, 429 for a wrong one after repeated
    failures from its client)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _fail(request)
    principal = api_keys.authenticate_token(ctx, credentials.credentials)
    if principal is None:
        raise _fail(request)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_scope(scope: Scope) -> Callable[[Principal], Principal]:
    """A dependency that lets through keys holding ``scope`` (``admin`` holds every scope)."""

    def dependency(principal: PrincipalDep) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This key lacks the '{scope.value}' scope.",
                            f"Cette clé n'a pas la permission « {scope.value} ».", code="missing_scope")
        return principal

    return dependency


def require_admin_token(request: Request, credentials: CredentialsDep, settings: SettingsDep) -> str:
    """Authenticate the service administrator (``ADMIN_TOKEN``)."""
    expected = settings.admin_token.get_secret_value() if settings.admin_token else None
    given = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else ""
    digest = hashlib.sha256(given.encode()).digest()
    ok = expected is not None and hmac.compare_digest(hashlib.sha256(expected.encode()).digest(), digest)
    if not ok:
        raise _fail(request)
    return "admin"


AdminDep = Annotated[str, Depends(require_admin_token)]
ReadDep = Annotated[Principal, Depends(require_scope(Scope.read))]
AdminKeyDep = Annotated[Principal, Depends(require_scope(Scope.admin))]
IssueDep = Annotated[Principal, Depends(require_scope(Scope.issue))]
RevokeDep = Annotated[Principal, Depends(require_scope(Scope.revoke))]

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                              description="Replays the first response for the same body.")]
