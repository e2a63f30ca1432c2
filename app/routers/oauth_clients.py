"""The applications (backpacks) registered with the Open Badges 3.0 API, for the administrator (Bearer
ADMIN_TOKEN): list them with what they said of themselves, revoke one (its tokens stop at once)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.deps import AdminDep, CtxDep
from app.services.ob3_api import clients

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/oauth-clients", tags=["administration"])


class OAuthClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    holders: int


def _out(view: clients.ClientView) -> OAuthClientOut:
    return OAuthClientOut.model_validate(view)


@router.get("", response_model=list[OAuthClientOut], summary="List the applications registered for the OB 3.0 API",
            description="Every client that registered (anyone may), newest first, with the number of holders it "
                        "holds live tokens for.\n\n`curl -H \"Authorization: Bearer $ADMIN_TOKEN\" "
                        "http://127.0.0.1:8000/api/v1/oauth-clients`")
def list_clients(_: AdminDep, ctx: CtxDep) -> list[OAuthClientOut]:
    return [_out(view) for view in clients.list_clients(ctx)]


@router.post("/{client_id}/revoke", response_model=OAuthClientOut, summary="Revoke an application",
             description="Its access and refresh tokens stop working at once, and it can no longer ask holders "
                         "(its registration is refused from then on).",
             responses={404: {"description": "No such client"}})
def revoke_client(client_id: str, actor: AdminDep, ctx: CtxDep) -> OAuthClientOut:
    return _out(clients.revoke_client(ctx, client_id, actor=actor))
