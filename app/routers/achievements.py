"""Achievements of the calling organisation (drafts, versions, publication) and their public documents."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response, status

from app.badges.ob3 import achievement_document, level_id
from app.deps import DbDep, IssueDep, ReadDep, UrlsDep
from app.http import cacheable_json
from app.models import Achievement
from app.routing import StrictJSONRoute
from app.schemas.achievements import AchievementCreate, AchievementOut, AchievementUpdate
from app.services import achievements
from app.urls import PublicUrls

router = APIRouter(prefix="/api/v1/achievements", tags=["achievements"], route_class=StrictJSONRoute)
public_router = APIRouter(tags=["publication"])


def achievement_out(row: Achievement, urls: PublicUrls) -> AchievementOut:
    url = urls.achievement(row.id)
    return AchievementOut.model_validate({
        "id": row.id, "lineage_id": row.lineage_id, "version": row.version, "state": row.state,
        "name": row.name, "description": row.description,
        "criteria": {"narrative": row.criteria_narrative, "url": row.criteria_url},
        "achievementType": row.achievement_type, "image": achievements.image_url(row, urls), "tags": row.tags,
        "alignments": row.alignments, "language": row.language,
        "levels": [{**lvl, "id": level_id(url, lvl["key"])} for lvl in row.levels],
        "url": url, "created_at": row.created_at, "published_at": row.published_at,
    })


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AchievementOut,
             summary="Create a draft achievement (a badge class), optionally with levels")
def create_achievement(body: AchievementCreate, principal: IssueDep, db: DbDep, urls: UrlsDep) -> AchievementOut:
    with db.transaction() as session:
        row = achievements.create(session, principal.org_id, body.model_dump(), actor=principal.actor)
        return achievement_out(row, urls)


@router.get("", response_model=list[AchievementOut], summary="List the organisation's achievements")
def list_achievements(principal: ReadDep, db: DbDep, urls: UrlsDep,
                      state: Literal["draft", "published", "archived"] | None = None) -> list[AchievementOut]:
    with db.sessions() as session:
        return [achievement_out(r, urls) for r in achievements.list_owned(session, principal.org_id, state)]


@router.get("/{achievement_id}", response_model=AchievementOut, summary="Read one achievement version")
def read_achievement(achievement_id: str, principal: ReadDep, db: DbDep, urls: UrlsDep) -> AchievementOut:
    with db.sessions() as session:
        return achievement_out(achievements.get_owned(session, principal.org_id, achievement_id), urls)


@router.patch("/{achievement_id}", response_model=AchievementOut,
              summary="Change a draft in place, or derive a new draft version from a published achievement",
              responses={201: {"description": "A new draft version was created", "model": AchievementOut}})
def update_achievement(achievement_id: str, body: AchievementUpdate, principal: IssueDep, db: DbDep,
                       urls: UrlsDep, response: Response) -> AchievementOut:
    with db.transaction() as session:
        row, is_new = achievements.update(session, principal.org_id, achievement_id,
                                          body.model_dump(exclude_unset=True), actor=principal.actor)
        if is_new:
            response.status_code = status.HTTP_201_CREATED
        return achievement_out(row, urls)


@router.post("/{achievement_id}/publish", response_model=AchievementOut,
             summary="Publish a draft: it becomes immutable and can be awarded")
def publish_achievement(achievement_id: str, principal: IssueDep, db: DbDep, urls: UrlsDep) -> AchievementOut:
    with db.transaction() as session:
        return achievement_out(achievements.publish(session, principal.org_id, achievement_id,
                                                    actor=principal.actor), urls)


@router.post("/{achievement_id}/archive", response_model=AchievementOut,
             summary="Archive: no new awards; existing credentials stay valid")
def archive_achievement(achievement_id: str, principal: IssueDep, db: DbDep, urls: UrlsDep) -> AchievementOut:
    with db.transaction() as session:
        return achievement_out(achievements.archive(session, principal.org_id, achievement_id,
                                                    actor=principal.actor), urls)


@public_router.get("/achievements/{achievement_id}", summary="Public OB 3.0 Achievement (published versions)",
                   response_class=Response, responses={200: {"content": {"application/ld+json": {}}}})
def public_achievement(achievement_id: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    with db.sessions() as session:
        row = achievements.get_public(session, achievement_id)
        document = achievement_document(achievements.to_doc(row, urls), with_context=True)
    return cacheable_json(request, document, media_type="application/ld+json", max_age=3600)
