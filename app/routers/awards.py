"""Awarding achievements to people and groups; revocation and suspension."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from app.deps import CtxDep, IdempotencyKey, IssueDep, ReadDep, RevokeDep
from app.http import outcome_response
from app.principal import Principal
from app.routing import StrictJSONRoute
from app.schemas.awards import AwardCreate, AwardOut, GroupCreate, GroupOut, StatusChange
from app.services import awards
from app.services.context import ServiceContext

router = APIRouter(prefix="/api/v1", tags=["awards"], route_class=StrictJSONRoute)


@router.post("/achievements/{achievement_id}/awards", status_code=status.HTTP_201_CREATED, response_model=AwardOut,
             summary="Award a published achievement to a person (email, phone, URL, DID or claim code) or a group",
             responses={409: {"description": "Idempotency-Key in use, or achievement not published"},
                        422: {"description": "Invalid body, or Idempotency-Key reused with another body"},
                        503: {"description": "Signing unavailable (no key-encryption key)"}})
def create_award(achievement_id: str, body: AwardCreate, principal: IssueDep, ctx: CtxDep,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return outcome_response(awards.issue(ctx, principal.org_id, principal.actor, achievement_id, body,
                                         idempotency_key=idempotency_key))


@router.get("/awards/{award_id}", response_model=AwardOut, summary="Read an award")
def read_award(award_id: str, principal: ReadDep, ctx: CtxDep) -> AwardOut:
    return awards.read(ctx, principal, award_id)


def _change(ctx: ServiceContext, principal: Principal, award_id: str, action: str,
            body: StatusChange | None) -> AwardOut:
    return awards.change_status(ctx, principal, award_id, action, reason=body.reason if body else None)


@router.post("/awards/{award_id}/revoke", response_model=AwardOut,
             summary="Revoke (idempotent; a group's award revokes its members' credentials too)")
def revoke_award(award_id: str, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None) -> AwardOut:
    return _change(ctx, principal, award_id, "revoke", body)


@router.post("/awards/{award_id}/suspend", response_model=AwardOut, summary="Suspend (idempotent)")
def suspend_award(award_id: str, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None) -> AwardOut:
    return _change(ctx, principal, award_id, "suspend", body)


@router.post("/awards/{award_id}/unsuspend", response_model=AwardOut, summary="Lift a suspension (idempotent)")
def unsuspend_award(award_id: str, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None
                    ) -> AwardOut:
    return _change(ctx, principal, award_id, "unsuspend", body)


@router.post("/groups", response_model=GroupOut, status_code=status.HTTP_201_CREATED, tags=["groups"],
             summary="Create a group (collective recipient) with its members")
def create_group(body: GroupCreate, principal: IssueDep, ctx: CtxDep) -> GroupOut:
    return awards.new_group(ctx, principal, body)


@router.get("/groups/{group_id}", response_model=GroupOut, tags=["groups"], summary="Read a group")
def read_group(group_id: str, principal: ReadDep, ctx: CtxDep) -> GroupOut:
    return awards.read_group(ctx, principal, group_id)
