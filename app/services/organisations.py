"""Organisations (tenants): creation with their first keys, update, listing, publication data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import presenters
from app.badges.issuer import IssuerInfo
from app.errors import Conflict, NotFound
from app.models import ApiKey, Organisation
from app.principal import Scope
from app.schemas.organisations import OrganisationCreated, OrganisationOut
from app.services import api_keys, audit, keys

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["NewOrganisation", "create", "create_organisation", "get_by_id", "get_by_slug", "issuer_info",
           "list_all", "list_organisations", "read", "update", "update_organisation"]


@dataclass(frozen=True, slots=True)
class NewOrganisation:
    organisation: Organisation
    api_key: ApiKey
    api_key_token: str


def create_organisation(session: Session, vault: keys.KeyVault, fields: dict[str, Any], *, actor: str
                        ) -> NewOrganisation:
    """Create an organisation, its three signing keys and a first admin API key, in the caller's transaction."""
    vault.require_kek()
    if session.scalar(select(Organisation.id).where(Organisation.slug == fields["slug"])) is not None:
        raise _slug_taken(fields["slug"])
    org = Organisation(**fields)
    session.add(org)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent creation with the same slug
        raise _slug_taken(fields["slug"]) from exc
    keys.create_key_set(session, vault, org.id)
    key, token = api_keys.create_api_key(session, org.id, [Scope.admin], label="first key", actor=actor)
    audit.record(session, actor=actor, action="organisation.create", target_type="organisation",
                 target_id=org.id, org_id=org.id, details={"slug": org.slug})
    session.flush()
    return NewOrganisation(org, key, token)


def _slug_taken(slug: str) -> Conflict:
    return Conflict(f"The slug '{slug}' is already used by another organisation.",
                    f"L'identifiant « {slug} » est déjà utilisé par une autre organisation.", code="slug_taken")


def get_by_slug(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound("No such organisation.", "Organisation introuvable.")
    return org


def get_by_id(session: Session, org_id: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound("No such organisation.", "Organisation introuvable.")
    return org


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.slug)))


def update_organisation(session: Session, org: Organisation, changes: dict[str, Any], *, actor: str
                        ) -> Organisation:
    for name, value in changes.items():
        setattr(org, name, value)
    audit.record(session, actor=actor, action="organisation.update", target_type="organisation",
                 target_id=org.id, org_id=org.id, details={"fields": sorted(changes)})
    session.flush()
    return org


def issuer_info(org: Organisation) -> IssuerInfo:
    return IssuerInfo(slug=org.slug, name=org.name, url=org.url, email=org.email,
                      description=org.description, image=org.image, language=org.language)


# ------------------------------------------------------------------------------------------------ use cases


def create(ctx: ServiceContext, fields: dict[str, Any], *, actor: str) -> OrganisationCreated:
    """Create an organisation with its keys and first admin API key (shown once)."""
    with ctx.db.transaction() as session:
        created = create_organisation(session, ctx.vault, fields, actor=actor)
        return OrganisationCreated(organisation=presenters.organisation_out(created.organisation, ctx.urls),
                                   api_key=presenters.api_key_created(created.api_key, created.api_key_token))


def list_all(ctx: ServiceContext) -> list[OrganisationOut]:
    with ctx.db.sessions() as session:
        return [presenters.organisation_out(o, ctx.urls) for o in list_organisations(session)]


def _find(session: Session, slug: str | None, org_id: str | None) -> Organisation:
    return get_by_slug(session, slug) if slug is not None else get_by_id(session, org_id or "")


def read(ctx: ServiceContext, *, slug: str | None = None, org_id: str | None = None) -> OrganisationOut:
    """One organisation, by slug (the administrator) or id (its own API key)."""
    with ctx.db.sessions() as session:
        return presenters.organisation_out(_find(session, slug, org_id), ctx.urls)


def update(ctx: ServiceContext, changes: dict[str, Any], *, actor: str, slug: str | None = None,
           org_id: str | None = None) -> OrganisationOut:
    with ctx.db.transaction() as session:
        org = update_organisation(session, _find(session, slug, org_id), changes, actor=actor)
        return presenters.organisation_out(org, ctx.urls)

