"""Achievements of the calling organisation (drafts, versions, publication) and their public documents."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response, status

from app.deps import CtxDep, IssueDep, ReadDep
from app.http import cacheable_json
from app.routing import StrictJSONRoute
from app.schemas.achievements import AchievementCreate, AchievementOut, AchievementUpdate
from app.services import achievements

router = APIRouter(prefix="/api/v1/achievements", tags=["achievements"], route_class=StrictJSONRoute)
public_router = APIRouter(tags=["publication"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AchievementOut,
             summary="Create a draft achievement (a badge class), optionally with levels")
def create_achievement(body: AchievementCreate, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    return achievements.create_draft(ctx, principal, body.model_dump())


@router.get("", response_model=list[AchievementOut], summary="List the organisation's achievements")
def list_achievements(principal: ReadDep, ctx: CtxDep,
                      state: Literal["draft", "published", "archived"] | None = None) -> list[AchievementOut]:
    return achievements.list_for(ctx, principal, state)


@router.get("/{achievement_id}", response_model=AchievementOut, summary="Read one achievement version")
def read_achievement(achievement_id: str, principal: ReadDep, ctx: CtxDep) -> AchievementOut:
    return achievements.read(ctx, principal, achievement_id)


@router.patch("/{achievement_id}", response_model=AchievementOut,
              summary="Change a draft in place, or derive a new draft version from a published achievement",
              responses={201: {"description": "A new draft version was created", "model": AchievementOut}})
def update_achievement(achievement_id: str, body: AchievementUpdate, principal: IssueDep, ctx: CtxDep,
                       response: Response) -> AchievementOut:
    out, is_new = achievements.update_draft(ctx, principal, achievement_id, body.model_dump(exclude_unset=True))
    if is_new:
        response.status_code = status.HTTP_201_CREATED
    return out


@router.post("/{achievement_id}/publish", response_model=AchievementOut,
             summary="Publish a draft: it becomes immutable and can be awarded")
def publish_achievement(achievement_id: str, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    return achievements.publish_version(ctx, principal, achievement_id)


@router.post("/{achievement_id}/archive", response_model=AchievementOut,
             summary="Archive: no new awards; existing credentials stay valid")
def archive_achievement(achievement_id: str, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    return achievements.archive_version(ctx, principal, achievement_id)


@public_router.get("/achievements/{achievement_id}", summary="Public OB 3.0 Achievement (published versions)",
                   response_class=Response, responses={200: {"content": {"application/ld+json": {}}}})
def public_achievement(achievement_id: str, request: Request, ctx: CtxDep) -> Response:
    return cacheable_json(request, achievements.public_document(ctx, achievement_id),
                          media_type="application/ld+json", max_age=3600)
