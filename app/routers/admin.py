"""Service administration: organisations and their API keys (Bearer ADMIN_TOKEN)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminDep, CtxDep
from app.routing import StrictJSONRoute
from app.schemas.organisations import (
    ApiKeyCreate,
    ApiKeyCreated,
    OrganisationCreate,
    OrganisationCreated,
    OrganisationOut,
    OrganisationUpdate,
)
from app.services import api_keys, organisations

router = APIRouter(prefix="/api/v1/orgs", tags=["administration"], route_class=StrictJSONRoute)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrganisationCreated,
             summary="Create an organisation (issuer) with its signing keys and a first admin API key",
             description="Creates its Ed25519, RSA-2048 and P-256 signing keys and records this server's "
                         "`PUBLIC_BASE_URL`, under which its did:web and every credential id are published. The "
                         "answer holds its first API key (scope `admin`), whose secret `token` is shown this once.",
             responses={409: {"description": "Slug already taken"}, 503: {"description": "No key-encryption key"}})
def create_organisation(body: OrganisationCreate, actor: AdminDep, ctx: CtxDep) -> OrganisationCreated:
    return organisations.create(ctx, body.model_dump(), actor=actor)


@router.get("", response_model=list[OrganisationOut], summary="List organisations",
            description="Every organisation of this service, by slug, with its public links.")
def list_organisations(_: AdminDep, ctx: CtxDep) -> list[OrganisationOut]:
    return organisations.list_all(ctx)


@router.get("/{slug}", response_model=OrganisationOut, summary="Read an organisation",
            description="One organisation by its slug, with its public links (did:web, JWKS, profiles).")
def read_organisation(slug: str, _: AdminDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.read(ctx, slug=slug)


@router.patch("/{slug}", response_model=OrganisationOut, summary="Update an organisation",
              description="Changes the given fields only; `description` and `image` may be set to null to clear "
                          "them. Credentials already issued keep what they were signed with.")
def update_organisation(slug: str, body: OrganisationUpdate, actor: AdminDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.update(ctx, body.model_dump(exclude_unset=True), actor=actor, slug=slug)


@router.post("/{slug}/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated,
             summary="Create an API key for an organisation (the secret is shown once)",
             description="The way back in for an organisation that lost its admin keys; also "
                         "`savoirs org key create --org SLUG`.",
             responses={404: {"description": "No such organisation"}})
def create_organisation_api_key(slug: str, body: ApiKeyCreate, actor: AdminDep, ctx: CtxDep) -> ApiKeyCreated:
    return api_keys.create_for_slug(ctx, slug, body.scopes, label=body.label, actor=actor)
