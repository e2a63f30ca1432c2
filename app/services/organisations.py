"""Organisations (tenants): creation with their first keys, update, listing, publication data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import presenters
from app.badges.issuer import IssuerInfo
from app.errors import Conflict, Misconfigured, NotFound
from app.models import ApiKey, Award, Organisation
from app.principal import Scope
from app.schemas.organisations import OrganisationCreated, OrganisationOut
from app.services import api_keys, audit, keys
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["NewOrganisation", "check_public_base", "create", "create_organisation", "get_by_id", "get_by_slug",
           "issuer_info", "list_all", "list_organisations", "read", "ready_to_issue", "update", "update_organisation"]


@dataclass(frozen=True, slots=True)
class NewOrganisation:
    organisation: Organisation
    api_key: ApiKey
    api_key_token: str


def create_organisation(session: Session, vault: keys.KeyVault, fields: dict[str, Any], *, actor: str,
                        public_base_url: str | None = None) -> NewOrganisation:
    """Create an organisation, its three signing keys and a first admin API key, in the caller's transaction.

    :param public_base_url: the ``PUBLIC_BASE_URL`` its identifiers are published under (``ctx.urls.base``);
        without it, the first issuance records it (see :func:`check_public_base`).
    """
    vault.require_kek()
    if session.scalar(select(Organisation.id).where(Organisation.slug == fields["slug"])) is not None:
        raise _slug_taken(fields["slug"])
    org = Organisation(**fields, public_base_url=public_base_url)
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
    """The issuing organisations (the persons who endorse, hosted as organisations of kind ``person``, are not)."""
    return list(session.scalars(select(Organisation).where(Organisation.kind == "organisation")
                                .order_by(Organisation.slug)))


def update_organisation(session: Session, org: Organisation, changes: dict[str, Any], *, actor: str
                        ) -> Organisation:
    for name, value in changes.items():
        setattr(org, name, value)
    audit.record(session, actor=actor, action="organisation.update", target_type="organisation",
                 target_id=org.id, org_id=org.id, details={"fields": sorted(changes)})
    session.flush()
    return org


def check_public_base(session: Session, org: Organisation, urls: PublicUrls) -> None:
    """Refuse to sign for ``org`` under another ``PUBLIC_BASE_URL`` than the one its identifiers were published
    under: its did:web, credential and status list URLs would name a place that does not serve them, and nothing
    signed here would ever verify.

    That base is the one recorded when the organisation was created; for an organisation created before it was
    recorded, the base of one of its credentials' ids (the issuer's did:web does not say http or https), or,
    when it has none yet, this server's own value; either is then recorded, in the caller's transaction.

    :raises Misconfigured: the bases differ (503: an operator must fix the setting; nothing is signed).
    """
    published = org.public_base_url or _base_of_a_credential(session, org.id)
    if org.public_base_url is None:
        org.public_base_url = published or urls.base
    if published is not None and published != urls.base:
        raise _base_mismatch(org.slug, published, urls.base)


def _base_of_a_credential(session: Session, org_id: str) -> str | None:
    row = session.execute(select(Award.id, Award.credential).where(Award.org_id == org_id).limit(1)).first()
    if row is None:
        return None
    credential_id = str(row.credential.get("id", ""))
    base, found, award_id = credential_id.rpartition("/credentials/")
    return base if found and award_id == row.id else None


def _base_mismatch(slug: str, published: str, configured: str) -> Misconfigured:
    return Misconfigured(
        f"PUBLIC_BASE_URL is {configured} here, but the identifiers of organisation '{slug}' were published under "
        f"{published}: badges signed here would never verify. Set PUBLIC_BASE_URL={published} in this server's (or "
        "this command's) environment, as the server that publishes them has it. Nothing was issued.",
        f"PUBLIC_BASE_URL vaut {configured} ici, mais les identifiants de l'organisation « {slug} » ont été publiés "
        f"sous {published} : les badges signés ici ne seraient jamais vérifiables. Réglez "
        f"PUBLIC_BASE_URL={published} dans l'environnement de ce serveur (ou de cette commande), comme sur le "
        "serveur qui les publie. Rien n'a été décerné.",
        code="public_base_url_mismatch", extra={"published_base_url": published, "configured_base_url": configured})


def issuer_info(org: Organisation) -> IssuerInfo:
    return IssuerInfo(slug=org.slug, name=org.name, url=org.url, email=org.email,
                      description=org.description, image=org.image, language=org.language, kind=org.kind)


# ------------------------------------------------------------------------------------------------ use cases


def create(ctx: ServiceContext, fields: dict[str, Any], *, actor: str) -> OrganisationCreated:
    """Create an organisation with its keys and first admin API key (shown once)."""
    with ctx.db.transaction() as session:
        created = create_organisation(session, ctx.vault, fields, actor=actor, public_base_url=ctx.urls.base)
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


def ready_to_issue(ctx: ServiceContext, slug: str) -> str:
    """The id of the organisation ``slug``, once this process can sign for it: a key-encryption key, and the
    ``PUBLIC_BASE_URL`` its identifiers were published under (checked before anything is signed).

    :raises NotFound: no such organisation.
    :raises SigningUnavailable: no key-encryption key.
    :raises Misconfigured: another ``PUBLIC_BASE_URL`` (see :func:`check_public_base`).
    """
    ctx.vault.require_kek()
    with ctx.db.transaction() as session:
        org = get_by_slug(session, slug)
        check_public_base(session, org, ctx.urls)
        return org.id


def update(ctx: ServiceContext, changes: dict[str, Any], *, actor: str, slug: str | None = None,
           org_id: str | None = None) -> OrganisationOut:
    with ctx.db.transaction() as session:
        org = update_organisation(session, _find(session, slug, org_id), changes, actor=actor)
        return presenters.organisation_out(org, ctx.urls)

