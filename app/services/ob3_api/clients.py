"""The applications (backpacks) registered with the authorisation server, for the administrator: who they say they
are, when they came, how many holders allowed them; revoking one ends its tokens and its registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from app.errors import NotFound
from app.models import OAuthClient, OAuthToken
from app.services import audit
from app.services.context import ServiceContext

__all__ = ["ClientView", "list_clients", "revoke_client"]


@dataclass(frozen=True, slots=True)
class ClientView:
    client_id: str
    client_name: str
    client_uri: str
    logo_uri: str
    tos_uri: str
    policy_uri: str
    software_id: str
    software_version: str
    redirect_uris: list[str]
    scope: str
    created_at: datetime
    revoked_at: datetime | None
    #: holders with a token of this client that is neither revoked nor past its refresh
    holders: int


def _view(row: OAuthClient, holders: int) -> ClientView:
    return ClientView(row.id, row.client_name, row.client_uri, row.logo_uri, row.tos_uri, row.policy_uri,
                      row.software_id, row.software_version, list(row.redirect_uris), row.scope, row.created_at,
                      row.revoked_at, holders)


def list_clients(ctx: ServiceContext) -> list[ClientView]:
    """Every registered client, newest first, with the number of holders it holds live tokens for."""
    with ctx.db.sessions() as session:
        now = ctx.clock.now()
        counts = dict(session.execute(
            select(OAuthToken.client_id, func.count(func.distinct(OAuthToken.holder_id)))
            .where(OAuthToken.revoked_at.is_(None), OAuthToken.refresh_expires_at > now)
            .group_by(OAuthToken.client_id)).all())
        rows = session.scalars(select(OAuthClient).order_by(OAuthClient.created_at.desc(), OAuthClient.id)).all()
        return [_view(row, counts.get(row.id, 0)) for row in rows]


def revoke_client(ctx: ServiceContext, client_id: str, *, actor: str) -> ClientView:
    """Revoke a client: its tokens stop working, it can no longer ask holders. Revoking it again changes nothing.

    :raises NotFound: ``oauth_client_not_found``."""
    with ctx.db.transaction() as session:
        row = session.get(OAuthClient, client_id[:64])
        if row is None:
            raise NotFound("No such client.", "Aucune application de ce nom.", code="oauth_client_not_found")
        now = ctx.clock.now()
        if row.revoked_at is None:
            row.revoked_at = now
            session.execute(update(OAuthToken).where(OAuthToken.client_id == row.id, OAuthToken.revoked_at.is_(None))
                            .values(revoked_at=now))
            audit.record(session, actor=actor, action="oauth_client.revoked", target_type="oauth_client",
                         target_id=row.id, org_id=None)
        return _view(row, 0)
