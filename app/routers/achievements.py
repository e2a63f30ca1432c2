"""Achievements of the calling organisation (drafts, versions, publication) and their public documents."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, status

from app.deps import CtxDep, IssueDep, ReadDep
from app.errors import NotFound
from app.http import NOT_MODIFIED, PROFILE, document_response, held_versions
from app.negotiation import negotiate
from app.openapi import problems
from app.pages.endorsement_view import achievement_html, missing_achievement
from app.routing import StrictJSONRoute
from app.schemas.achievements import AchievementCreate, AchievementOut, AchievementUpdate
from app.schemas.search import AchievementQuery
from app.services import achievements, endorsement_pages, publication, search

router = APIRouter(prefix="/api/v1/achievements", tags=["achievements"], route_class=StrictJSONRoute)
public_router = APIRouter(tags=["publication"])
LD_JSON = "application/ld+json"
HTML = "text/html"  # a browser: the badge's page (JSON wins ties: ``*/*`` is JSON)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AchievementOut,
             summary="Create a draft achievement (a badge class), optionally with levels")
def create_achievement(body: AchievementCreate, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    """Create a badge as a draft: name, description, criteria (Markdown narrative and/or URL), tags, alignments (ESCO,
    RNCP…) and up to ten levels, ordered from lowest to highest (e.g. Je soutiens, J'explore, J'agis). A draft can
    be changed freely; publish it to award it."""
    return achievements.create_draft(ctx, principal, body.model_dump())


@router.get("", response_model=list[AchievementOut], summary="List the organisation's achievements",
            description="Every version, oldest first; `state` keeps one state, `q` the names containing it "
                        "(ignoring case, accents and the kind of apostrophe).")
def list_achievements(query: Annotated[AchievementQuery, Query()], principal: ReadDep, ctx: CtxDep
                      ) -> list[AchievementOut]:
    return search.find_achievements(ctx, principal, query)


@router.get("/{achievement_id}", response_model=AchievementOut, summary="Read one achievement version")
def read_achievement(achievement_id: str, principal: ReadDep, ctx: CtxDep) -> AchievementOut:
    """One achievement version of the organisation, with its levels and state (`draft`, `published`, `archived`)."""
    return achievements.read(ctx, principal, achievement_id)


@router.patch("/{achievement_id}", response_model=AchievementOut,
              summary="Change a draft in place, or derive a new draft version from a published achievement",
              responses={**problems(409),
                         201: {"description": "A new draft version was created", "model": AchievementOut}})
def update_achievement(achievement_id: str, body: AchievementUpdate, principal: IssueDep, ctx: CtxDep,
                       response: Response) -> AchievementOut:
    """Change an achievement. A draft changes in place (200); a published version is never changed: the change creates
    a new draft version (201), published later, so credentials already issued keep pointing at what they were
    awarded for."""
    out, is_new = achievements.update_draft(ctx, principal, achievement_id, body.model_dump(exclude_unset=True))
    if is_new:
        response.status_code = status.HTTP_201_CREATED
    return out


@router.post("/{achievement_id}/publish", response_model=AchievementOut,
             summary="Publish a draft: it becomes immutable and can be awarded", responses=problems(409))
def publish_achievement(achievement_id: str, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    """Publish a draft: it can then be awarded, and its public OB 3.0 Achievement and OB 2.0 BadgeClass are served.
    Publishing a new version archives the previous one."""
    return achievements.publish_version(ctx, principal, achievement_id)


@router.post("/{achievement_id}/archive", response_model=AchievementOut,
             summary="Archive: no new awards; existing credentials stay valid", responses=problems(409))
def archive_achievement(achievement_id: str, principal: IssueDep, ctx: CtxDep) -> AchievementOut:
    """Archive a published version: it cannot be awarded any more; credentials already issued stay valid and
    verifiable."""
    return achievements.archive_version(ctx, principal, achievement_id)


@public_router.get("/achievements/{achievement_id}", summary="Public OB 3.0 Achievement (published versions)",
                   response_class=Response,
                   responses={200: {"content": {LD_JSON: {}, HTML: {}}}, **NOT_MODIFIED})
def public_achievement(achievement_id: str, request: Request, ctx: CtxDep,
                       lang: str | None = Query(None, max_length=8, description="Language of the HTML page: fr or en"),
                       format: Literal["json"] | None = Query(None, description="Override the Accept header")
                       ) -> Response:
    """A published achievement version as an Open Badges 3.0 `Achievement` (JSON-LD): what credentials embed and point
    to. A browser (`text/html` preferred; JSON wins ties such as `*/*`, and any other `Accept`) gets the badge's
    page instead: its description, criteria and levels, its organisation, and who endorses each of them (French,
    `?lang=en`)."""
    if format is None and negotiate(request.headers.get("accept"), [LD_JSON, "application/json", HTML]) == HTML:
        path = f"/achievements/{quote(achievement_id, safe='')}"
        try:
            found = endorsement_pages.achievement_page(ctx, achievement_id)
        except NotFound:
            return missing_achievement(lang, path)
        return achievement_html(found, lang, path)
    return document_response(publication.serve_achievement(ctx, achievement_id, held_versions(request)),
                             media_type=LD_JSON, cache_control=PROFILE, vary=True)
