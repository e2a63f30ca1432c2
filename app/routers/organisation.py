"""The calling organisation: its profile, API keys and signing keys (Bearer API key)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminKeyDep, CtxDep, ReadDep
from app.openapi import problems
from app.routing import StrictJSONRoute
from app.schemas.organisations import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    OrganisationOut,
    OrganisationUpdate,
    RotateKeys,
    SigningKeyOut,
)
from app.services import api_keys, keys, organisations

router = APIRouter(prefix="/api/v1", tags=["organisation"], route_class=StrictJSONRoute)


@router.get("/org", response_model=OrganisationOut, summary="The organisation that owns the calling key",
            description="Its profile and public links (did:web, JWKS, OB 3.0 and OB 2.0 issuer profiles).")
def read_own_organisation(principal: ReadDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.read(ctx, org_id=principal.org_id)


@router.patch("/org", response_model=OrganisationOut, summary="Update the calling organisation",
              description="Changes the given fields only (key with the `admin` scope); `description` and `image` "
                          "may be set to null to clear them. Credentials already issued keep what they were signed "
                          "with.")
def update_own_organisation(body: OrganisationUpdate, principal: AdminKeyDep, ctx: CtxDep) -> OrganisationOut:
    return organisations.update(ctx, body.model_dump(exclude_unset=True), actor=principal.actor,
                                org_id=principal.org_id)


@router.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated,
             summary="Create an API key (the secret is shown once)",
             description="A key of the calling organisation with the given scopes (`admin`, `issue`, `revoke`, "
                         "`read`); its full `token` is in this answer only. Only its SHA-256 is stored.")
def create_api_key(body: ApiKeyCreate, principal: AdminKeyDep, ctx: CtxDep) -> ApiKeyCreated:
    return api_keys.create(ctx, principal, body.scopes, label=body.label)


@router.get("/api-keys", response_model=list[ApiKeyOut], summary="List API keys (never their secrets)",
            description="Every key of the calling organisation, oldest first, revoked ones included.")
def list_api_keys(principal: AdminKeyDep, ctx: CtxDep) -> list[ApiKeyOut]:
    return api_keys.list_for(ctx, principal)


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyOut, summary="Revoke an API key",
             description="The organisation's last unrevoked key with the `admin` scope cannot be revoked (409 "
                         "`last_admin_key`): create another admin key first.",
             responses={404: {"description": "No such API key"},
                        409: {"description": "Already revoked, or the last admin key"}})
def revoke_api_key(key_id: str, principal: AdminKeyDep, ctx: CtxDep) -> ApiKeyOut:
    return api_keys.revoke(ctx, principal, key_id)


@router.get("/keys", response_model=list[SigningKeyOut], tags=["signing keys"],
            summary="List signing keys (active, retired, compromised)",
            description="The organisation's signing keys with their state; compromised ones have no published "
                        "verification method or JWK any more.")
def list_signing_keys(principal: ReadDep, ctx: CtxDep) -> list[SigningKeyOut]:
    return keys.list_for(ctx, principal)


@router.post("/keys/rotate", response_model=list[SigningKeyOut], status_code=status.HTTP_201_CREATED,
             tags=["signing keys"], summary="Rotate signing keys: new active keys; old ones stay published",
             description="Creates a new active key for each algorithm asked for (all three by default); the "
                         "previous ones are retired but stay published, so credentials they signed keep verifying.")
def rotate_signing_keys(principal: AdminKeyDep, ctx: CtxDep, body: RotateKeys | None = None) -> list[SigningKeyOut]:
    return keys.rotate(ctx, principal, (body or RotateKeys()).algorithms)


@router.post("/keys/{key_id}/compromise", response_model=SigningKeyOut, tags=["signing keys"],
             summary="Mark a key compromised: withdrawn from did.json and JWKS, replaced if it was active",
             description="Compromising the active Ed25519 key answers with its `job`, which re-signs every "
                         "credential it signed (ids kept); see `GET /api/v1/jobs/{id}`.", responses=problems(409))
def compromise_signing_key(key_id: str, principal: AdminKeyDep, ctx: CtxDep) -> SigningKeyOut:
    return keys.compromise(ctx, principal, key_id)
