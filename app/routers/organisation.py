"""The calling organisation: its profile, API keys and signing keys (Bearer API key)."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.deps import AdminKeyDep, DbDep, ReadDep, UrlsDep, VaultDep
from app.routing import StrictJSONRoute
from app.schemas.organisations import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    OrganisationOut,
    OrganisationUpdate,
    RotateKeys,
    SigningKeyOut,
    organisation_out,
    signing_key_out,
)
from app.services import api_keys, keys, organisations

router = APIRouter(prefix="/api/v1", tags=["organisation"], route_class=StrictJSONRoute)


@router.get("/org", response_model=OrganisationOut, summary="The organisation that owns the calling key")
def read_own_organisation(principal: ReadDep, db: DbDep, urls: UrlsDep) -> OrganisationOut:
    with db.sessions() as session:
        return organisation_out(organisations.get_by_id(session, principal.org_id), urls)


@router.patch("/org", response_model=OrganisationOut, summary="Update the calling organisation")
def update_own_organisation(body: OrganisationUpdate, principal: AdminKeyDep, db: DbDep,
                            urls: UrlsDep) -> OrganisationOut:
    with db.transaction() as session:
        org = organisations.get_by_id(session, principal.org_id)
        org = organisations.update_organisation(session, org, body.model_dump(exclude_unset=True),
                                                actor=principal.actor)
        return organisation_out(org, urls)


@router.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated,
             summary="Create an API key (the secret is shown once)")
def create_api_key(body: ApiKeyCreate, principal: AdminKeyDep, db: DbDep) -> ApiKeyCreated:
    with db.transaction() as session:
        row, token = api_keys.create_api_key(session, principal.org_id, body.scopes, label=body.label,
                                             actor=principal.actor)
        return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(row).model_dump(), "token": token})


@router.get("/api-keys", response_model=list[ApiKeyOut], summary="List API keys (never their secrets)")
def list_api_keys(principal: AdminKeyDep, db: DbDep) -> list[ApiKeyOut]:
    with db.sessions() as session:
        return [ApiKeyOut.model_validate(k) for k in api_keys.list_api_keys(session, principal.org_id)]


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyOut, summary="Revoke an API key")
def revoke_api_key(key_id: str, principal: AdminKeyDep, db: DbDep) -> ApiKeyOut:
    with db.transaction() as session:
        return ApiKeyOut.model_validate(
            api_keys.revoke_api_key(session, principal.org_id, key_id, actor=principal.actor))


@router.get("/keys", response_model=list[SigningKeyOut], tags=["signing keys"],
            summary="List signing keys (active, retired, compromised)")
def list_signing_keys(principal: ReadDep, db: DbDep, urls: UrlsDep) -> list[SigningKeyOut]:
    with db.sessions() as session:
        return [signing_key_out(k, urls, principal.org_slug) for k in keys.list_keys(session, principal.org_id)]


@router.post("/keys/rotate", response_model=list[SigningKeyOut], status_code=status.HTTP_201_CREATED,
             tags=["signing keys"], summary="Rotate signing keys: new active keys; old ones stay published")
def rotate_signing_keys(principal: AdminKeyDep, db: DbDep, vault: VaultDep, urls: UrlsDep,
                        body: RotateKeys | None = None) -> list[SigningKeyOut]:
    algorithms = (body or RotateKeys()).algorithms
    with db.transaction() as session:
        created = keys.rotate_keys(session, vault, principal.org_id, algorithms, actor=principal.actor)
        return [signing_key_out(k, urls, principal.org_slug) for k in created]


@router.post("/keys/{key_id}/compromise", response_model=SigningKeyOut, tags=["signing keys"],
             summary="Mark a key compromised: withdrawn from did.json and JWKS, replaced if it was active")
def compromise_signing_key(key_id: str, principal: AdminKeyDep, db: DbDep, vault: VaultDep,
                           urls: UrlsDep) -> SigningKeyOut:
    with db.transaction() as session:
        row = keys.mark_compromised(session, vault, principal.org_id, key_id, actor=principal.actor)
        return signing_key_out(row, urls, principal.org_slug)
