"""The recognition process over HTTP: residents' requests (public, no account: a private link), the committee's
members, rules, reviews and votes (organisation API key with the ``review`` scope), published evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.deps import CtxDep, require_scope
from app.errors import InvalidInput, UnsupportedMediaType
from app.http import IMAGE_HEADERS
from app.openapi import component, problems
from app.principal import Principal, Scope
from app.routing import strict_json_loads
from app.schemas.recognition import (
    CommitteeMemberIn,
    CommitteeMemberOut,
    ProposalIn,
    ProposalOut,
    ProposalReceived,
    RecognitionSettingsIn,
    RecognitionSettingsOut,
    RequestIn,
    RequestOut,
    RequestReceived,
    RequestReview,
    VoteIn,
)
from app.services.recognition import proposals, requests, review
from app.services.recognition.requests import MAX_FILES, Upload
from app.signin.web import SignedInDep, require_json

router = APIRouter(prefix="/api/v1", tags=["recognition"])
public_router = APIRouter(tags=["recognition"])

ReviewDep = Annotated[Principal, Depends(require_scope(Scope.review))]
Token = Annotated[str, Path(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Id = Annotated[str, Path(max_length=32)]
_EVIDENCE_PART = {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": f"Photos (JPEG, PNG, WebP, HEIC), PDFs or texts, at most {MAX_FILES}."}
_REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["request"], "properties": {
        "request": {"type": "string", "description": "The request as JSON (the RequestIn schema).",
                    "example": '{"achievement_id": "…", "name": "Sylvie", "email": "sylvie@exemple.fr", '
                               '"narrative": "J\'ai animé l\'atelier couture."}'},
        "evidence": _EVIDENCE_PART}},
        "example": {"request": '{"achievement_id": "F0PYm250MD1OEQjApP7W9Q", "name": "Sylvie", '
                               '"narrative": "J\'ai animé l\'atelier couture tout l\'hiver."}'}},
    "application/json": {"schema": component(RequestIn), "example": {
        "achievement_id": "F0PYm250MD1OEQjApP7W9Q", "name": "Sylvie", "email": "sylvie@exemple.fr",
        "level": "J'explore", "narrative": "J'ai animé l'atelier couture tout l'hiver.", "publish_evidence": True}}}}}
_EVIDENCE_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"text": {"type": "string", "description": "A short written proof."},
                                     "evidence": _EVIDENCE_PART}},
    "example": {"text": "Voici la photo de l'atelier du jeudi."}}}}}


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")  # the latter: a form without files


def _invalid(error: ValidationError) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()])


async def _read_request(request: Request) -> tuple[RequestIn, list[Upload]]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        raw: Any = _json(await request.body())
        files: list[Upload] = []
    elif media in _FORMS:
        async with request.form(max_files=MAX_FILES, max_fields=10) as form:
            part = form.get("request")
            if not isinstance(part, str):
                raise InvalidInput("Send the request as JSON in a form field named 'request'.",
                                   "Envoyez la demande en JSON dans un champ de formulaire nommé « request ».",
                                   code="invalid_request_form")
            raw = _json(part.encode("utf-8"))
            files = await _files(form.getlist("evidence"))
    else:
        raise UnsupportedMediaType("Send multipart/form-data (with files) or application/json.",
                                   "Envoyez multipart/form-data (avec des fichiers) ou application/json.")
    try:
        return RequestIn.model_validate(raw), files
    except ValidationError as error:
        raise _invalid(error) from None


def _voter(body: VoteIn) -> str:
    """The member an API key votes for (a vote given on paper, recorded by staff)."""
    if body.member_id is None:
        raise InvalidInput("Name the member whose vote this is (member_id).",
                           "Indiquez le membre dont c'est le vote (member_id).", code="member_required")
    return body.member_id


def _json(body: bytes) -> Any:
    try:
        return strict_json_loads(body)
    except ValueError:
        raise InvalidInput("The request is not valid JSON.", "La demande n'est pas du JSON valide.",
                           code="invalid_json") from None


async def _files(parts: list[Any]) -> list[Upload]:
    return [Upload(part.filename, part.content_type, await part.read()) for part in parts
            if isinstance(part, UploadFile)]


@router.post("/orgs/{slug}/requests", status_code=status.HTTP_201_CREATED, response_model=RequestReceived,
             openapi_extra=_REQUEST_BODY, responses=problems(404, 409, 413, 415),
             summary="A resident asks for a badge, with evidence (public; no account)")
async def create_request(slug: Annotated[str, Path(max_length=64)], request: Request, ctx: CtxDep
                         ) -> RequestReceived:
    """Ask the organisation `slug` for one of its published badges. The answer holds the request's **private link**
    (`follow_url`, shown once): the only way back to it for a resident who gave no email address. Photos are decoded
    and re-encoded without their metadata (a phone photo's GPS position never reaches the committee); a file we
    cannot read refuses the whole request and nothing is kept.

    `curl -X POST http://127.0.0.1:8000/api/v1/orgs/puchot/requests -F 'request={"achievement_id": "…",
    "name": "Sylvie", "narrative": "J’ai animé l’atelier couture."}' -F evidence=@photo.jpg`"""
    form, files = await _read_request(request)
    return await run_in_threadpool(requests.submit, ctx, slug, form, files)


@router.get("/request-links/{token}", response_model=RequestOut, responses=problems(404),
            summary="A request as its resident follows it (the private link's token)")
def follow_request(token: Token, ctx: CtxDep) -> RequestOut:
    """Where the request stands (received, more information asked, accepted, declined, withdrawn), the committee's
    question or reason, the evidence sent; once accepted, the badge's link (and its claim code when no contact was
    given)."""
    return requests.follow(ctx, token)


@router.post("/request-links/{token}/evidence", response_model=RequestOut, openapi_extra=_EVIDENCE_BODY,
             responses=problems(404, 409, 413, 415), summary="Add evidence to an open request")
async def add_request_evidence(token: Token, request: Request, ctx: CtxDep) -> RequestOut:
    """Add files or a text; a request the committee asked more of goes back to it for a new round of votes."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() not in _FORMS:
        raise UnsupportedMediaType("Send multipart/form-data.", "Envoyez multipart/form-data.")
    async with request.form(max_files=MAX_FILES, max_fields=5) as form:
        text = form.get("text")
        files = await _files(form.getlist("evidence"))
    return await run_in_threadpool(requests.add_evidence, ctx, token, files, text if isinstance(text, str) else None)


@router.post("/request-links/{token}/withdraw", response_model=RequestOut, responses=problems(404, 409),
             summary="Withdraw a request (its evidence is deleted at once)")
def withdraw_request(token: Token, ctx: CtxDep) -> RequestOut:
    """The resident changes their mind: the request is closed, its evidence and the contact given are deleted at
    once (the committee no longer sees them)."""
    return requests.withdraw(ctx, token)


@public_router.get("/preuves/{evidence_id}", response_class=Response, responses=problems(404),
                   summary="Evidence a resident agreed to publish in their badge")
def published_evidence(evidence_id: Id, ctx: CtxDep) -> Response:
    """A file of an accepted request whose resident agreed to publish their evidence: served as an attachment under
    a sandboxing content security policy."""
    found = requests.published_evidence(ctx, evidence_id)
    return Response(found.data, media_type=found.media_type, headers={
        **IMAGE_HEADERS, "Content-Security-Policy": "sandbox; default-src 'none'",
        "Content-Disposition": f'attachment; filename="{found.filename}"', "Cache-Control": "public, max-age=3600"})


@router.get("/committee/members", response_model=list[CommitteeMemberOut], summary="The committee's members")
def list_committee(principal: ReviewDep, ctx: CtxDep) -> list[CommitteeMemberOut]:
    """The active members, by name: who reviews requests and proposals, and whose address may sign in."""
    return review.list_members(ctx, principal.org_id)


@router.post("/committee/members", status_code=status.HTTP_201_CREATED, response_model=CommitteeMemberOut,
             responses=problems(409), summary="Name a member of the committee")
def add_committee_member(body: CommitteeMemberIn, principal: ReviewDep, ctx: CtxDep) -> CommitteeMemberOut:
    """Members review requests and proposals; they sign in with this address (a link or a code by email)."""
    return review.add_member(ctx, principal.org_id, principal.actor, body)


@router.delete("/committee/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               responses=problems(404), summary="A member leaves the committee")
def remove_committee_member(member_id: Id, principal: ReviewDep, ctx: CtxDep) -> Response:
    """The member no longer votes; the votes they gave stay in the requests' history and the audit log."""
    review.remove_member(ctx, principal.org_id, principal.actor, member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/committee/settings", response_model=RecognitionSettingsOut, summary="The committee's rules")
def read_committee_settings(principal: ReviewDep, ctx: CtxDep) -> RecognitionSettingsOut:
    """Whether the form is open, the rule that decides, how long evidence is kept, and how many members vote."""
    return review.read_settings(ctx, principal.org_id)


@router.patch("/committee/settings", response_model=RecognitionSettingsOut, summary="Change the committee's rules")
def update_committee_settings(body: RecognitionSettingsIn, principal: ReviewDep, ctx: CtxDep
                              ) -> RecognitionSettingsOut:
    """Open or close the request form, choose the rule (`count` of `acceptances`, or `majority` of the active
    members) and how long the evidence of declined or withdrawn requests is kept."""
    return review.update_settings(ctx, principal.org_id, principal.actor, body)


@router.get("/requests", response_model=list[RequestReview], summary="Requests to review")
def list_requests(principal: ReviewDep, ctx: CtxDep,
                  state: Annotated[str | None, Query(pattern="^(received|more_info|accepted|declined|withdrawn)$")]
                  = None) -> list[RequestReview]:
    """Oldest first; by default those awaiting votes (`received`)."""
    return review.list_requests(ctx, principal.org_id, state)


@router.get("/requests/{request_id}", response_model=RequestReview, responses=problems(404),
            summary="A request with its evidence and votes")
def read_request(request_id: Id, principal: ReviewDep, ctx: CtxDep) -> RequestReview:
    """What the resident wrote, the evidence files (metadata; each file at its own URL), every vote so far and how
    many votes of one choice decide."""
    return review.review(ctx, principal.org_id, request_id)


@router.get("/requests/{request_id}/evidence/{evidence_id}", response_class=Response, responses=problems(404),
            summary="One evidence file of a request (for the committee)")
def read_request_evidence(request_id: Id, evidence_id: Id, principal: ReviewDep, ctx: CtxDep) -> Response:
    """The file as stored (photos re-encoded without metadata), as an attachment under a sandboxing policy."""
    return _evidence_response(review.evidence_file(ctx, principal.org_id, request_id, evidence_id))


def _evidence_response(found: review.EvidenceFile) -> Response:
    """A request's file for the committee: never cached, an attachment under a sandboxing policy."""
    return Response(found.data, media_type=found.media_type, headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store", "Content-Disposition": f'attachment; filename="{found.filename}"'})


@router.post("/requests/{request_id}/votes", response_model=RequestReview, responses=problems(403, 404, 409),
             summary="Record a member's vote (accept, decline, ask for more)")
def vote_on_request(request_id: Id, body: VoteIn, principal: ReviewDep, ctx: CtxDep) -> RequestReview:
    """With an API key, `member_id` names the member whose vote this is. The vote that reaches the organisation's
    rule decides: acceptance issues the badge (with the evidence the resident agreed to publish), a decline gives
    the comments as the reason, "more" asks the resident and opens a new round."""
    return review.vote(ctx, principal.org_id, principal.actor, _voter(body), request_id, body)


@router.post("/orgs/{slug}/proposals", status_code=status.HTTP_201_CREATED, response_model=ProposalReceived,
             responses=problems(404, 409), summary="Members of the community propose a new badge (public)")
def create_proposal(slug: Annotated[str, Path(max_length=64)], body: ProposalIn, ctx: CtxDep) -> ProposalReceived:
    """The committee discusses and votes on it; adopted, it becomes a draft badge crediting its proposers. The answer
    holds the proposal's private link (shown once)."""
    return proposals.propose(ctx, slug, body)


@router.get("/proposal-links/{token}", response_model=ProposalOut, responses=problems(404),
            summary="A proposal as its proposers follow it")
def follow_proposal(token: Token, ctx: CtxDep) -> ProposalOut:
    """Where the proposal stands, the committee's question or reason, and the draft badge once adopted."""
    return proposals.follow(ctx, token)


@router.put("/proposal-links/{token}", response_model=ProposalOut, responses=problems(404, 409),
            summary="Change an open proposal (answers the committee's question: a new round)")
def revise_proposal(token: Token, body: ProposalIn, ctx: CtxDep) -> ProposalOut:
    """The whole proposal again, changed as the proposers wish; after a question of the committee, votes start
    again."""
    return proposals.revise(ctx, token, body)


@router.post("/proposal-links/{token}/withdraw", response_model=ProposalOut, responses=problems(404, 409),
             summary="Withdraw a proposal")
def withdraw_proposal(token: Token, ctx: CtxDep) -> ProposalOut:
    """The proposers change their mind: the proposal is closed and their contact deleted."""
    return proposals.withdraw(ctx, token)


@router.get("/proposals", response_model=list[ProposalOut], summary="Proposals to review")
def list_proposals(principal: ReviewDep, ctx: CtxDep,
                   state: Annotated[str | None, Query(pattern="^(received|more_info|adopted|declined|withdrawn)$")]
                   = None) -> list[ProposalOut]:
    """Oldest first; by default those awaiting votes (`received`), each with its votes so far."""
    return proposals.list_proposals(ctx, principal.org_id, state)


@router.get("/proposals/{proposal_id}", response_model=ProposalOut, responses=problems(404),
            summary="A proposal with its votes")
def read_proposal(proposal_id: Id, principal: ReviewDep, ctx: CtxDep) -> ProposalOut:
    """The proposal as the committee reviews it, with every vote and how many votes of one choice decide."""
    return proposals.read(ctx, principal.org_id, proposal_id)


@router.post("/proposals/{proposal_id}/votes", response_model=ProposalOut, responses=problems(404, 409),
             summary="Record a member's vote on a proposal (adopt, decline, ask for more)")
def vote_on_proposal(proposal_id: Id, body: VoteIn, principal: ReviewDep, ctx: CtxDep) -> ProposalOut:
    """`accept` adopts: the vote reaching the rule creates a draft badge (name, description crediting the
    proposers, criteria, levels) for staff to complete and publish."""
    return proposals.vote(ctx, principal.org_id, principal.actor, _voter(body), proposal_id, body)


Slug = Annotated[str, Path(max_length=64)]
_SIGNED_IN = "For a member of the committee signed in (the session cookie of `/connexion`)."


@router.get("/orgs/{slug}/committee/requests", response_model=list[RequestReview], responses=problems(401, 403),
            summary="Requests to review, for a signed-in member of the committee",
            description="As `GET /api/v1/requests`. " + _SIGNED_IN)
def member_requests(slug: Slug, who: SignedInDep, ctx: CtxDep,
                    state: Annotated[str | None, Query(pattern="^(received|more_info|accepted|declined|withdrawn)$")]
                    = None) -> list[RequestReview]:
    return review.requests_for(ctx, slug, who.email, state)


@router.get("/orgs/{slug}/committee/requests/{request_id}", response_model=RequestReview,
            responses=problems(401, 403, 404), summary="A request to review, for a signed-in member",
            description="As `GET /api/v1/requests/{request_id}`. " + _SIGNED_IN)
def member_request(slug: Slug, request_id: Id, who: SignedInDep, ctx: CtxDep) -> RequestReview:
    return review.review_for(ctx, slug, who.email, request_id)


@router.get("/orgs/{slug}/committee/requests/{request_id}/evidence/{evidence_id}", response_class=Response,
            responses=problems(401, 403, 404), summary="An evidence file, for a signed-in member",
            description="As `GET /api/v1/requests/{request_id}/evidence/{evidence_id}`. " + _SIGNED_IN)
def member_evidence(slug: Slug, request_id: Id, evidence_id: Id, who: SignedInDep, ctx: CtxDep) -> Response:
    return _evidence_response(review.evidence_for(ctx, slug, who.email, request_id, evidence_id))


@router.post("/orgs/{slug}/committee/requests/{request_id}/votes", response_model=RequestReview,
             responses=problems(401, 403, 404, 409, 415), summary="A signed-in member votes on a request",
             description="The member's own vote (`member_id` is not read); the body must be JSON (a form from another "
                         "site is refused). " + _SIGNED_IN)
def member_vote(slug: Slug, request_id: Id, body: VoteIn, who: SignedInDep, ctx: CtxDep, request: Request
                ) -> RequestReview:
    require_json(request)
    return review.vote_as(ctx, slug, who.email, request_id, body)
