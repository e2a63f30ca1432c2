"""Endorsements over HTTP: an organisation asks (API key), the holder of an award consents (their link), the
endorser answers (an organisation's API key, or the private link once signed in), anyone fetches an issued
EndorsementCredential."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict

from app.deps import CtxDep, require_scope
from app.http import NOT_MODIFIED, REVALIDATE, document_response, held_versions
from app.openapi import problems
from app.principal import Principal, Scope
from app.schemas.endorsements import (
    EndorsementAsk,
    EndorsementAsked,
    EndorsementDecided,
    EndorsementGive,
    EndorsementOffer,
    EndorsementOffered,
    EndorsementOut,
    EndorsementView,
)
from app.services.endorsements import answering, asking, offering
from app.services.endorsements.documents import serve_endorsement
from app.signin.web import SignedInDep, require_json

router = APIRouter(prefix="/api/v1", tags=["endorsements"])
public_router = APIRouter(tags=["endorsements"])

IssueDep = Annotated[Principal, Depends(require_scope(Scope.issue))]
ReadDep = Annotated[Principal, Depends(require_scope(Scope.read))]
RevokeDep = Annotated[Principal, Depends(require_scope(Scope.revoke))]
Token = Annotated[str, Path(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Id = Annotated[str, Path(max_length=32)]
_SIGNED_IN = ("Needs the endorser's sign-in (`/api/v1/signin/…`, the `savoirs_session` cookie) with the address "
              "the endorsement was asked of (a person's, or the endorsing organisation's contact address); the body "
              "must be JSON.")
_STATES = "^(consent|requested|offered|accepted|declined|expired|revoked)$"


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"consent": True}]})
    consent: bool


# ------------------------------------------------------------------------------------------------ the organisation asks


@router.post("/endorsements", status_code=status.HTTP_201_CREATED, response_model=EndorsementAsked,
             responses=problems(401, 403, 404, 409, 422, 503), summary="Ask for an endorsement",
             description="Ask another organisation of this service, or a person (name and address), to endorse your "
                         "organisation, one of your published achievements, or one award. Returns the private link "
                         "to send (shown once): to the endorser, or, for an award, first to its holder, whose consent "
                         "is needed (state `consent`). Needs the `issue` scope.")
def ask(body: EndorsementAsk, principal: IssueDep, ctx: CtxDep) -> EndorsementAsked:
    return asking.ask(ctx, principal, body)


@router.get("/endorsements", response_model=list[EndorsementOut], responses=problems(401, 403),
            summary="Endorsements you asked for", description="Newest first. Needs the `read` scope.")
def list_asked(principal: ReadDep, ctx: CtxDep,
               state: Annotated[str | None, Query(pattern=_STATES)] = None) -> list[EndorsementOut]:
    return asking.list_asked(ctx, principal, state)


@router.get("/endorsements/incoming", response_model=list[EndorsementView], responses=problems(401, 403),
            summary="Endorsements asked of your organisation",
            description="Requests to your organisation as an endorser, and what it gave. Needs the `read` scope.")
def incoming(principal: ReadDep, ctx: CtxDep) -> list[EndorsementView]:
    return answering.incoming(ctx, principal)


@router.get("/endorsements/incoming/{endorsement_id}", response_model=EndorsementView,
            responses=problems(401, 403, 404), summary="One endorsement asked of your organisation",
            description="What was asked of your organisation and what it answered. Needs the `read` scope.")
def incoming_one(endorsement_id: Id, principal: ReadDep, ctx: CtxDep) -> EndorsementView:
    return answering.given_by(ctx, principal, endorsement_id)


@router.post("/endorsements/incoming/{endorsement_id}/accept", response_model=EndorsementView,
             responses=problems(401, 403, 404, 409, 422, 503),
             summary="Give the endorsement asked of your organisation",
             description="Signs the EndorsementCredential with your organisation's key and publishes it with what it "
                         "endorses. Needs the `issue` scope.")
def accept(endorsement_id: Id, body: EndorsementGive, principal: IssueDep, ctx: CtxDep) -> EndorsementView:
    return answering.accept_as_organisation(ctx, principal, endorsement_id, body.comment)


@router.post("/endorsements/incoming/{endorsement_id}/decline", response_model=EndorsementView,
             responses=problems(401, 403, 404, 409), summary="Decline an endorsement asked of your organisation",
             description="Needs the `issue` scope.")
def decline(endorsement_id: Id, principal: IssueDep, ctx: CtxDep) -> EndorsementView:
    return answering.decline_as_organisation(ctx, principal, endorsement_id)


@router.post("/endorsements/incoming/{endorsement_id}/revoke", response_model=EndorsementView,
             responses=problems(401, 403, 404, 409), summary="Take back an endorsement your organisation gave",
             description="Sets its bit in your revocation list; it leaves the published documents. Needs the "
                         "`revoke` scope.")
def revoke(endorsement_id: Id, principal: RevokeDep, ctx: CtxDep) -> EndorsementView:
    return answering.revoke_as_organisation(ctx, principal, endorsement_id)


@router.post("/endorsements/{endorsement_id}/accept", response_model=EndorsementDecided,
             responses=problems(401, 403, 404, 409, 503), summary="Accept an endorsement offered to you",
             description="An offer (state `offered`) about your organisation or one of your badges is signed by its "
                         "endorser's key and published at once; about an award, the answer holds the link to give "
                         "its holder (state `consent`): it is published when they agree. Needs the `issue` scope.")
def accept_offer(endorsement_id: Id, principal: IssueDep, ctx: CtxDep) -> EndorsementDecided:
    return offering.decide_offer(ctx, principal, endorsement_id, True)


@router.post("/endorsements/{endorsement_id}/decline", response_model=EndorsementDecided,
             responses=problems(401, 403, 404, 409), summary="Decline an endorsement offered to you",
             description="Nothing is published. Needs the `issue` scope.")
def decline_offer(endorsement_id: Id, principal: IssueDep, ctx: CtxDep) -> EndorsementDecided:
    return offering.decide_offer(ctx, principal, endorsement_id, False)


@router.post("/endorsement-offers", status_code=status.HTTP_201_CREATED, response_model=EndorsementOffered,
             responses=problems(401, 404, 409, 415, 422, 503), summary="Offer an endorsement (signed in)",
             description="Anyone, signed in with their email address, offers to endorse an organisation (by slug), a "
                         "published badge or an award. The organisation decides (for an award, its holder too) "
                         "before anything is shown. The answer holds your private link (shown once). " + _SIGNED_IN)
def offer(body: EndorsementOffer, who: SignedInDep, request: Request, ctx: CtxDep) -> EndorsementOffered:
    require_json(request)
    return offering.offer(ctx, who.email, body)


@router.get("/endorsements/{endorsement_id}", response_model=EndorsementOut, responses=problems(401, 403, 404),
            summary="An endorsement you asked for", description="Needs the `read` scope.")
def read_asked(endorsement_id: Id, principal: ReadDep, ctx: CtxDep) -> EndorsementOut:
    return asking.read_asked(ctx, principal, endorsement_id)


# ------------------------------------------------------------------------------------------------ the holder consents


@router.get("/endorsement-consents/{token}", response_model=EndorsementView, responses=problems(404),
            summary="What the holder of an award is asked to agree to",
            description="No account: the consent link the organisation gave the holder. Shows the award, who asks "
                        "and who would endorse it.")
def consent_view(token: Token, ctx: CtxDep) -> EndorsementView:
    return asking.consent_view(ctx, token)


@router.post("/endorsement-consents/{token}", response_model=EndorsementView, responses=problems(404, 409, 415),
             summary="The holder agrees (or not) that their award be endorsed",
             description="With consent, the endorser may answer; without, the request is declined. JSON body.")
def consent(token: Token, body: ConsentIn, request: Request, ctx: CtxDep) -> EndorsementView:
    require_json(request)
    return asking.consent(ctx, token, body.consent)


# ------------------------------------------------------------------------------------------------ the endorser's link


@router.get("/endorsement-links/{token}", response_model=EndorsementView, responses=problems(404),
            summary="What the endorser is asked to vouch for", description="No account: the private link.")
def link_view(token: Token, ctx: CtxDep) -> EndorsementView:
    return answering.link_view(ctx, token)


@router.post("/endorsement-links/{token}/accept", response_model=EndorsementView,
             responses=problems(401, 403, 404, 409, 415, 422, 503), summary="The endorser gives the endorsement",
             description="Signs the EndorsementCredential (a person endorser's key and did:web are created the first "
                         "time) and publishes it. " + _SIGNED_IN)
def accept_by_link(token: Token, body: EndorsementGive, who: SignedInDep, request: Request, ctx: CtxDep
                   ) -> EndorsementView:
    require_json(request)
    return answering.accept_by_link(ctx, token, who.email, body.comment)


@router.post("/endorsement-links/{token}/decline", response_model=EndorsementView,
             responses=problems(404, 409, 415), summary="The endorser declines",
             description="The private link is enough; JSON body (may be empty `{}`).")
def decline_by_link(token: Token, request: Request, ctx: CtxDep) -> EndorsementView:
    require_json(request)
    return answering.decline_by_link(ctx, token)


@router.post("/endorsement-links/{token}/revoke", response_model=EndorsementView,
             responses=problems(401, 403, 404, 409, 415), summary="The endorser takes their endorsement back",
             description=_SIGNED_IN)
def revoke_by_link(token: Token, who: SignedInDep, request: Request, ctx: CtxDep) -> EndorsementView:
    require_json(request)
    return answering.revoke_by_link(ctx, token, who.email)


# ------------------------------------------------------------------------------------------------ public


@public_router.get("/endorsements/{endorsement_id}", response_class=Response,
                   summary="An issued EndorsementCredential (JSON-LD with its proof)",
                   description="Public, cacheable (ETag). Still served once revoked: its endorser's status list "
                               "says so.",
                   responses={200: {"content": {"application/ld+json": {}}}, **NOT_MODIFIED, **problems(404)})
def endorsement_document(endorsement_id: Id, request: Request, ctx: CtxDep) -> Response:
    return document_response(serve_endorsement(ctx, endorsement_id, held_versions(request)),
                             media_type="application/ld+json", cache_control=REVALIDATE)
