"""The organisation's side of erasure and access (GDPR): holders' erasure requests, carried out; one resident's
data exported or erased."""

from __future__ import annotations

from fastapi import APIRouter

from app.deps import CtxDep, ReadDep, RevokeDep
from app.routing import StrictJSONRoute
from app.schemas.holders import ErasedOut, ErasureRequestOut, ResidentErase, ResidentExport
from app.schemas.search import ObjectId
from app.services.holders import erasure

router = APIRouter(prefix="/api/v1", tags=["erasure"], route_class=StrictJSONRoute)


@router.get("/erasure-requests", response_model=list[ErasureRequestOut],
            summary="Holders' requests to erase their data (open ones first)")
def list_erasure_requests(principal: ReadDep, ctx: CtxDep) -> list[ErasureRequestOut]:
    """What holders asked from their space (`/mon-espace/effacer`): one request per organisation whose badges they
    hold, with their choice for the credentials already handed out."""
    return [ErasureRequestOut.model_validate(v) for v in erasure.list_requests(ctx, principal.org_id)]


@router.post("/erasure-requests/{request_id}/carry-out", response_model=ErasedOut,
             summary="Carry out a holder's erasure request")
def carry_out(request_id: ObjectId, principal: RevokeDep, ctx: CtxDep) -> ErasedOut:
    """Erase the holder's personal data from this organisation's awards, requests and messages; their credentials
    are revoked or stay verifiable, as they chose. Status-list bits, counts and the audit trail stay, without
    personal data. `curl -X POST -H "Authorization: Bearer $KEY" .../api/v1/erasure-requests/$ID/carry-out`"""
    return ErasedOut.model_validate(erasure.carry_out(ctx, principal.org_id, request_id, principal.actor))


@router.post("/residents/export", summary="Everything held about one resident (right of access)")
def export_resident(body: ResidentExport, principal: ReadDep, ctx: CtxDep) -> dict[str, object]:
    """The awards issued to the resident's email address (and those named), with their signed credentials, and
    their requests (the evidence files listed, not included)."""
    return erasure.export_resident(ctx, principal.org_id, email=body.email, award_ids=body.award_ids)


@router.post("/residents/erase", response_model=ErasedOut, summary="Erase one resident's personal data")
def erase_resident(body: ResidentErase, principal: RevokeDep, ctx: CtxDep) -> ErasedOut:
    """As a holder's request would, for the awards issued to the resident's email address and those named."""
    return ErasedOut.model_validate(erasure.erase_resident(ctx, principal.org_id, principal.actor, email=body.email,
                                                           award_ids=body.award_ids, credentials=body.credentials))
