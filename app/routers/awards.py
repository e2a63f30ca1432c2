"""Awarding achievements to people and groups; revocation and suspension."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from app import presenters
from app.deps import CtxDep, IdempotencyKey, IssueDep, ReadDep, RevokeDep
from app.http import outcome_response
from app.openapi import problems
from app.principal import Principal
from app.routing import StrictJSONRoute
from app.schemas.awards import AwardCreate, AwardOut, GroupCreate, GroupOut, StatusChange
from app.schemas.search import (
    AchievementAwardQuery,
    AwardExportQuery,
    AwardPage,
    AwardQuery,
    GroupDetailOut,
    GroupPage,
    ObjectId,
    PageQuery,
)
from app.services import awards, export, group_listing, search
from app.services.context import ServiceContext

router = APIRouter(prefix="/api/v1", tags=["awards"], route_class=StrictJSONRoute)

#: an id in the path: anything but an id this service makes is a 422 naming the parameter
IdPath = Annotated[ObjectId, Path()]


@router.post("/achievements/{achievement_id}/awards", status_code=status.HTTP_201_CREATED, response_model=AwardOut,
             summary="Award a published achievement to a person (email, phone, URL, DID or claim code) or a group",
             responses={409: {"description": "Idempotency-Key in use, or achievement not published"},
                        422: {"description": "Invalid body, or Idempotency-Key reused with another body"},
                        503: {"description": "Signing unavailable (no key-encryption key)"}})
def create_award(achievement_id: IdPath, body: AwardCreate, principal: IssueDep, ctx: CtxDep,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Sign and store one OB 3.0 credential (also served as OB 2.0), or, with `group_id`, one for the group and one
    for each member naming it. The recipient's email or phone is published only as a salted hash; without an
    identifier the answer carries a claim code, shown once. With an `Idempotency-Key`, a repeated request answers
    the first response again (`Idempotent-Replayed: true`)."""
    return outcome_response(awards.issue(ctx, principal.org_id, principal.actor, achievement_id, body,
                                         idempotency_key=idempotency_key))


_PAGE_HEADERS: dict[str, Any] = {
    "X-Total-Count": {"description": "Items matching the filters, on every page.", "schema": {"type": "integer"}},
    "Link": {"description": 'The next page, `<url>; rel="next"` (RFC 8288); absent on the last page.',
             "schema": {"type": "string"}},
}
_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key"},
    403: {"description": "The key lacks the `read` scope"},
}
_FILTER_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "The achievement or the group is not the calling organisation's"},
    422: {"description": "An unknown parameter, a limit over 200, a time without time zone, a recipient that is "
                         "neither an email nor a phone number (`invalid_recipient`), an unusable cursor "
                         "(`invalid_cursor`)"},
    503: {"description": "Searching by email or phone needs the key-encryption key (`lookup_unavailable`)"},
    **_READ_ERRORS,
}
_LIST_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"headers": _PAGE_HEADERS}, **_FILTER_ERRORS}
_SEARCH_DESCRIPTION = """
Newest first (`created_at`, then `id`, descending), the same order on every page. Filters combine: `level` (level
key), `status`, `group_id` (the group's collective credentials and its members'), `issued_after` / `issued_before`
(instants with a time zone) and `recipient`: an email address or a phone number as staff type it (`06 12 34 56 78`
finds `+33612345678`), normalised as at issue time and matched through keyed hashes (the identifier is not stored;
the access log masks it).

Pages: `limit` (default 50, at most 200) and `cursor` (from `next_cursor`); the `Link` header (`rel="next"`) holds
the next page's address and `X-Total-Count` the number of matches. Only the calling organisation's awards are seen.
"""


def _paged(request: Request, response: Response, ctx: ServiceContext, total: int, next_cursor: str | None) -> None:
    response.headers.update(presenters.page_headers(ctx.urls.base, request.url.path,
                                                    request.query_params.multi_items(), total=total,
                                                    next_cursor=next_cursor))


@router.get("/awards", response_model=AwardPage, summary="List and search the organisation's awards",
            description=_SEARCH_DESCRIPTION, responses=_LIST_RESPONSES)
def list_awards(request: Request, response: Response, query: Annotated[AwardQuery, Query()], principal: ReadDep,
                ctx: CtxDep) -> AwardPage:
    page = search.find_awards(ctx, principal, query, achievement_id=query.achievement_id, limit=query.limit,
                              cursor=query.cursor)
    _paged(request, response, ctx, page.total, page.next_cursor)
    return page


@router.get("/awards.csv", response_class=StreamingResponse, summary="Export the organisation's awards as CSV",
            description="The awards matching the filters of `GET /api/v1/awards` (without pages), newest first: "
                        "one line per award with its achievement, level, status, kind of recipient, display name, "
                        "dates and credential address; never a recipient's email or phone (not stored). UTF-8 with "
                        "a byte order mark; `separator=;` for spreadsheets set to French. A cell that starts like a "
                        "formula (`=`, `+`, `-`, `@`, tab, carriage return) starts with an apostrophe.",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "The CSV file (attachment)"}, **_FILTER_ERRORS})
def export_awards(query: Annotated[AwardExportQuery, Query()], principal: ReadDep, ctx: CtxDep) -> StreamingResponse:
    result = export.export_awards(ctx, principal, query, achievement_id=query.achievement_id,
                                  separator=query.separator)
    return StreamingResponse(result.chunks, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{result.filename}"', "Cache-Control": "no-store"})


@router.get("/achievements/{achievement_id}/awards", response_model=AwardPage,
            summary="List and search the awards of one achievement version",
            description=_SEARCH_DESCRIPTION, responses=_LIST_RESPONSES)
def list_achievement_awards(achievement_id: IdPath, request: Request, response: Response,
                            query: Annotated[AchievementAwardQuery, Query()], principal: ReadDep,
                            ctx: CtxDep) -> AwardPage:
    page = search.find_awards(ctx, principal, query, achievement_id=achievement_id, limit=query.limit,
                              cursor=query.cursor)
    _paged(request, response, ctx, page.total, page.next_cursor)
    return page


@router.get("/awards/{award_id}", response_model=AwardOut, summary="Read an award")
def read_award(award_id: IdPath, principal: ReadDep, ctx: CtxDep) -> AwardOut:
    """One award of the calling organisation: status, level, dates, display name and every address it is published
    at (OB 3.0 and 2.0, baked images). Another organisation's award is 404."""
    return awards.read(ctx, principal, award_id)


def _change(ctx: ServiceContext, principal: Principal, award_id: str, action: str,
            body: StatusChange | None) -> AwardOut:
    return awards.change_status(ctx, principal, award_id, action, reason=body.reason if body else None)


@router.post("/awards/{award_id}/revoke", response_model=AwardOut,
             summary="Revoke (idempotent; a group's award revokes its members' credentials too)",
             responses=problems(409))
def revoke_award(award_id: IdPath, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None) -> AwardOut:
    """Revoke for good, in OB 3.0 (status list) and 2.0 (410, RevocationList) at once, with an optional reason shown
    to verifiers. Revoking again changes nothing."""
    return _change(ctx, principal, award_id, "revoke", body)


@router.post("/awards/{award_id}/suspend", response_model=AwardOut, summary="Suspend (idempotent)",
             responses=problems(409))
def suspend_award(award_id: IdPath, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None) -> AwardOut:
    """Suspend until `…/unsuspend`. A notice says when other OB 3.0 verifiers cannot see it (status model
    `revocation_only`)."""
    return _change(ctx, principal, award_id, "suspend", body)


@router.post("/awards/{award_id}/unsuspend", response_model=AwardOut, summary="Lift a suspension (idempotent)",
             responses=problems(409))
def unsuspend_award(award_id: IdPath, principal: RevokeDep, ctx: CtxDep, body: StatusChange | None = None
                    ) -> AwardOut:
    """Lift a suspension: the credential is valid again everywhere. Lifting it again changes nothing."""
    return _change(ctx, principal, award_id, "unsuspend", body)


@router.post("/groups", response_model=GroupOut, status_code=status.HTTP_201_CREATED, tags=["groups"],
             summary="Create a group (collective recipient) with its members")
def create_group(body: GroupCreate, principal: IssueDep, ctx: CtxDep) -> GroupOut:
    """A collective recipient (a workshop, a team) with 1 to 500 members, each with an identifier or none and an
    optional display name; award it with `group_id` on `POST …/awards`."""
    return awards.new_group(ctx, principal, body)


@router.get("/groups", response_model=GroupPage, tags=["groups"], summary="List the organisation's groups",
            description="Newest first, with their member counts; pages as for `GET /api/v1/awards` (`limit`, "
                        "`cursor`, `Link`, `X-Total-Count`).",
            responses={200: {"headers": _PAGE_HEADERS},
                       422: {"description": "An unknown parameter, a limit over 200, an unusable cursor"},
                       **_READ_ERRORS})
def list_groups(request: Request, response: Response, query: Annotated[PageQuery, Query()], principal: ReadDep,
                ctx: CtxDep) -> GroupPage:
    page = group_listing.list_groups(ctx, principal, query)
    _paged(request, response, ctx, page.total, page.next_cursor)
    return page


@router.get("/groups/{group_id}", response_model=GroupDetailOut, tags=["groups"],
            summary="Read a group with its members and their credentials",
            description="The group's collective credentials (`award_ids`, newest first) and its members: display "
                        "name, kind of recipient (never the identifier) and the ids of the credentials each one "
                        "received with the group.",
            responses={404: {"description": "Not a group of the calling organisation"}, **_READ_ERRORS})
def read_group(group_id: IdPath, principal: ReadDep, ctx: CtxDep) -> GroupDetailOut:
    return group_listing.group_detail(ctx, principal, group_id)
