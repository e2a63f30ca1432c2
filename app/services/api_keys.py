"""API keys ``prefix.secret``: creation, authentication (constant time), revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from app import presenters
from app.errors import Conflict, NotFound
from app.models import ApiKey, Organisation
from app.principal import Principal, Scope
from app.schemas.organisations import ApiKeyCreated, ApiKeyOut

if TYPE_CHECKING:
    from app.services.context import ServiceContext
from app.services import audit

__all__ = ["Principal", "Scope", "authenticate", "authenticate_token", "create", "create_api_key", "create_for_slug",
           "list_api_keys", "list_for", "revoke", "revoke_api_key"]

_DUMMY_HASH = hashlib.sha256(b"savoirs-dummy").hexdigest()


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_api_key(
    session: Session, org_id: str, scopes: list[Scope], *, label: str | None, actor: str
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the full ``prefix.secret`` (shown once, never stored)."""
    prefix = "sk" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    row = ApiKey(org_id=org_id, prefix=prefix, secret_sha256=_sha256(secret),
                 scopes=sorted({s.value for s in scopes}), label=label)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="api_key.create", target_type="api_key", target_id=row.id,
                 org_id=org_id, details={"prefix": prefix, "scopes": row.scopes})
    return row, f"{prefix}.{secret}"


#: a key's fields and its organisation's slug, by prefix: one statement built once
_KEY_BY_PREFIX = (select(ApiKey.id, ApiKey.org_id, ApiKey.prefix, ApiKey.secret_sha256, ApiKey.scopes,
                         ApiKey.revoked_at, Organisation.slug)
                  .join(Organisation, Organisation.id == ApiKey.org_id).where(ApiKey.prefix == bindparam("prefix")))


def authenticate(connection: Connection, token: str) -> Principal | None:
    """Return the principal for a valid, unrevoked key, or None. Timing does not reveal which part failed."""
    prefix, _, secret = token.partition(".")
    row = None
    if prefix and secret and len(token) <= 200:
        row = connection.execute(_KEY_BY_PREFIX, {"prefix": prefix}).first()
    expected = row.secret_sha256 if row is not None else _DUMMY_HASH
    matches = hmac.compare_digest(expected, _sha256(secret))
    if row is None or not matches or row.revoked_at is not None:
        return None
    return Principal(row.org_id, row.slug, row.id, row.prefix, frozenset(Scope(s) for s in row.scopes))


def list_api_keys(session: Session, org_id: str) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at)))


def revoke_api_key(session: Session, org_id: str, key_id: str, *, now: datetime, actor: str) -> ApiKey:
    """Revoke a key of the organisation, unless it is its last unrevoked ``admin`` key (409 ``last_admin_key``):
    without one, nobody of the organisation could manage its keys any more."""
    # one revocation at a time per organisation (the row lock; SQLite writers are serialised), so two concurrent
    # revocations of its last two admin keys cannot both succeed
    session.scalar(select(Organisation.id).where(Organisation.id == org_id).with_for_update())
    row = session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.org_id == org_id))
    if row is None:
        raise NotFound("No such API key.", "Clé d'API introuvable.")
    if row.revoked_at is not None:
        raise Conflict("This API key is already revoked.", "Cette clé d'API est déjà révoquée.")
    if Scope.admin.value in row.scopes and not _other_admin_keys(session, org_id, row.id):
        raise Conflict(
            "This is the organisation's last API key with the 'admin' scope: revoking it would leave nobody able to "
            "manage its keys. Create another admin key first (POST /api/v1/api-keys), then revoke this one.",
            "C'est la dernière clé d'API de l'organisation avec le droit « admin » : la révoquer ne laisserait plus "
            "personne gérer ses clés. Créez d'abord une autre clé admin (POST /api/v1/api-keys), puis révoquez "
            "celle-ci.", code="last_admin_key")
    row.revoked_at = now
    audit.record(session, actor=actor, action="api_key.revoke", target_type="api_key", target_id=row.id,
                 org_id=org_id, details={"prefix": row.prefix})
    return row


def _other_admin_keys(session: Session, org_id: str, key_id: str) -> bool:
    scopes = session.scalars(select(ApiKey.scopes).where(ApiKey.org_id == org_id, ApiKey.id != key_id,
                                                         ApiKey.revoked_at.is_(None)))
    return any(Scope.admin.value in s for s in scopes)


# ------------------------------------------------------------------------------------------------ use cases


def authenticate_token(ctx: ServiceContext, token: str) -> Principal | None:
    """The principal of an API key, read in one round trip (no transaction): a revocation counts at the next
    request."""
    return ctx.db.read(lambda connection: authenticate(connection, token))


def create(ctx: ServiceContext, principal: Principal, scopes: list[Scope], *, label: str | None) -> ApiKeyCreated:
    with ctx.db.transaction() as session:
        row, token = create_api_key(session, principal.org_id, scopes, label=label, actor=principal.actor)
        return presenters.api_key_created(row, token)


def create_for_slug(ctx: ServiceContext, slug: str, scopes: list[Scope], *, label: str | None, actor: str
                    ) -> ApiKeyCreated:
    """A new key for the organisation ``slug``, made by the service administrator (the admin token or the command
    line): the way back in for an organisation that lost its keys.

    :raises NotFound: no such organisation.
    """
    with ctx.db.transaction() as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
        if org_id is None:
            raise NotFound("No such organisation.", "Organisation introuvable.")
        row, token = create_api_key(session, org_id, scopes, label=label, actor=actor)
        return presenters.api_key_created(row, token)


def list_for(ctx: ServiceContext, principal: Principal) -> list[ApiKeyOut]:
    with ctx.db.sessions() as session:
        return [presenters.api_key_out(k) for k in list_api_keys(session, principal.org_id)]


def revoke(ctx: ServiceContext, principal: Principal, key_id: str) -> ApiKeyOut:
    with ctx.db.transaction() as session:
        return presenters.api_key_out(revoke_api_key(session, principal.org_id, key_id, now=ctx.clock.now(),
                                                     actor=principal.actor))
