"""Claim codes, the organisation's side: the papers to hand out, and a new code for a lost paper."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.deps import CtxDep, IssueDep
from app.openapi import problems
from app.routing import StrictJSONRoute
from app.schemas.holders import ClaimSheetsRequest, NewClaimCodeOut
from app.schemas.search import ObjectId
from app.services.holders import claim_codes

router = APIRouter(prefix="/api/v1", tags=["awards"], route_class=StrictJSONRoute)


@router.post("/claim-sheets", response_class=Response, summary="The papers that hand out claim codes (PDF)",
             responses={200: {"content": {"application/pdf": {}}}, 404: {"description": "A code is not yours"}})
def print_claim_sheets(body: ClaimSheetsRequest, principal: IssueDep, ctx: CtxDep) -> Response:
    """One A4 page per code, in French (or English): the badge, its level, the name you recorded (so that the right
    paper reaches the right person), the code in large print and a QR code to the claim page filled in with it.
    `curl -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json'
    -d '{"codes":["1A2B-3C4D-5E6F-7A8B"]}' -o codes.pdf .../api/v1/claim-sheets`"""
    content = claim_codes.sheets(ctx, principal.org_id, body.codes, body.language)
    return Response(content, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="codes-badges.pdf"', "Cache-Control": "no-store"})


@router.post("/awards/{award_id}/claim-code", response_model=NewClaimCodeOut, responses=problems(409),
             summary="A new claim code for an award (the paper was lost)")
def new_claim_code(award_id: ObjectId, principal: IssueDep, ctx: CtxDep) -> NewClaimCodeOut:
    """The award's previous code stops working; a badge already claimed stays in its holder's space, which the new
    code opens. 409 `award_erased` once its holder's data was erased."""
    return NewClaimCodeOut.model_validate(claim_codes.replace_code(ctx, principal.org_id, award_id, principal.actor))
