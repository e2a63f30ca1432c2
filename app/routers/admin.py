"""Service administration: organisations (Bearer ADMIN_TOKEN)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminDep, CtxDep
from app.routing import StrictJSONRoute
from app.schemas.organisations import OrganisationCreate, OrganisationCreated, OrganisationOut, OrganisationUpdate
from app.services import organisations

router = APIRouter(prefix="/api/v1/orgs", tags=["administration"], route_class=StrictJSONRoute)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrganisationCreated,
             summary="Create an organisation (issuer) with its signing keys and a first admin API key",
             responses={409: {"description": "Slug already taken"}, 503: {"description": "No key-encryption key"}})
def create_organisation(body: OrganisationCreate, actor: AdminDep, ctx: CtxDep) -> OrganisationCreated:
    return organisations.create(ctx, body.model_dump(), actor=actor)


@router.get("", response_model=list[OrganisationOut], summary="List organisations")
def list_organisations(_: AdminDep, ctx: CtxDep) -> list[OrganisationOut]:
    return organisations.list_all(ctx)


@router.get("/{slug}", response_model=OrganisationOut, summary="Read an organisation")
def read_organisation(slug: str, _: AdminDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.read(ctx, slug=slug)


@router.patch("/{slug}", response_model=OrganisationOut, summary="Update an organisation")
def update_organisation(slug: str, body: OrganisationUpdate, actor: AdminDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.update(ctx, body.model_dump(exclude_unset=True), actor=actor, slug=slug)
