"""Service administration: organisations (Bearer ADMIN_TOKEN)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminDep, DbDep, UrlsDep, VaultDep
from app.routing import StrictJSONRoute
from app.schemas.organisations import (
    ApiKeyCreated,
    ApiKeyOut,
    OrganisationCreate,
    OrganisationCreated,
    OrganisationOut,
    OrganisationUpdate,
    organisation_out,
)
from app.services import organisations

router = APIRouter(prefix="/api/v1/orgs", tags=["administration"], route_class=StrictJSONRoute)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrganisationCreated,
             summary="Create an organisation (issuer) with its signing keys and a first admin API key",
             responses={409: {"description": "Slug already taken"}, 503: {"description": "No key-encryption key"}})
def create_organisation(body: OrganisationCreate, actor: AdminDep, db: DbDep, vault: VaultDep,
                        urls: UrlsDep) -> OrganisationCreated:
    with db.transaction() as session:
        created = organisations.create_organisation(session, vault, body.model_dump(), actor=actor)
        key = ApiKeyCreated.model_validate(
            {**ApiKeyOut.model_validate(created.api_key).model_dump(), "token": created.api_key_token})
        return OrganisationCreated(organisation=organisation_out(created.organisation, urls), api_key=key)


@router.get("", response_model=list[OrganisationOut], summary="List organisations")
def list_organisations(_: AdminDep, db: DbDep, urls: UrlsDep) -> list[OrganisationOut]:
    with db.sessions() as session:
        return [organisation_out(o, urls) for o in organisations.list_organisations(session)]


@router.get("/{slug}", response_model=OrganisationOut, summary="Read an organisation")
def read_organisation(slug: str, _: AdminDep, db: DbDep, urls: UrlsDep) -> OrganisationOut:
    with db.sessions() as session:
        return organisation_out(organisations.get_by_slug(session, slug), urls)


@router.patch("/{slug}", response_model=OrganisationOut, summary="Update an organisation")
def update_organisation(slug: str, body: OrganisationUpdate, actor: AdminDep, db: DbDep,
                        urls: UrlsDep) -> OrganisationOut:
    with db.transaction() as session:
        org = organisations.get_by_slug(session, slug)
        org = organisations.update_organisation(session, org, body.model_dump(exclude_unset=True), actor=actor)
        return organisation_out(org, urls)
