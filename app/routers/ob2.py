"""Open Badges 2.0 public documents: hosted and signed Assertions, BadgeClasses, RevocationLists, Endorsements.

All are served on the issuer's origin (``PUBLIC_BASE_URL``) so that hosted verification scope holds.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from app.deps import CtxDep
from app.errors import NotFound
from app.http import (
    NOT_MODIFIED,
    PROFILE,
    REVALIDATE,
    baked_response,
    document_response,
    held_versions,
    not_acceptable,
)
from app.negotiation import negotiate
from app.pages.render import badge_page, credential_page, missing_credential_page
from app.services import baking, ob2, publication

router = APIRouter(tags=["open badges 2.0"])

LD_JSON = "application/ld+json"
JSON_TYPES = [LD_JSON, "application/json"]
HTML = "text/html"
_REVOKED_EXAMPLE = {"id": "https://badges.example.org/ob2/assertions/x", "revoked": True,
                    "revocationReason": "Attribué par erreur"}
_ENDORSEMENT_REVOKED_EXAMPLE = {"@context": "https://w3id.org/openbadges/v2",
                                "id": "https://badges.example.org/ob2/endorsements/x", "revoked": True}


def _json_media(request: Request) -> str:
    media = negotiate(request.headers.get("accept"), JSON_TYPES)
    if media is None:
        raise not_acceptable()
    return media


def _media(request: Request) -> str:
    """JSON for software, the page for a browser (``text/html`` preferred; JSON wins ties such as ``*/*``)."""
    media = negotiate(request.headers.get("accept"), [*JSON_TYPES, HTML])
    if media is None:
        raise not_acceptable()
    return media


@router.get("/ob2/assertions/{award_id}.jws", summary="Signed OB 2.0 Assertion (compact JWS, RS256)",
            response_class=Response,
            responses={200: {"content": {"text/plain": {"example": "eyJhbGciOiJSUzI1NiJ9…"}}}, **NOT_MODIFIED})
def signed_assertion(award_id: str, request: Request, ctx: CtxDep) -> Response:
    """The award as a signed OB 2.0 Assertion: a compact JWS (RS256) by the organisation's active RSA key, verifiable
    with its Issuer profile."""
    return document_response(ob2.serve_signed(ctx, award_id, held_versions(request)), media_type="text/plain",
                             cache_control=REVALIDATE)


@router.get("/ob2/assertions/{award_id}/badge.{extension}", summary="Badge image with the OB 2.0 assertion baked in",
            response_class=Response, responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}},
                                                410: {"description": "Revoked: no hosted assertion to bake"}})
def baked_assertion(award_id: str, extension: baking.Extension, ctx: CtxDep,
                    signed: bool = Query(False, description="Bake the signed JWS instead of the hosted assertion")
                    ) -> Response:
    """A badge image (PNG or SVG) with the OB 2.0 assertion baked in: the hosted URL, or the signed JWS with
    `?signed=true`."""
    return baked_response(baking.assertion_image(ctx, award_id, extension, signed=signed), extension,
                          f"badge-ob2-{award_id}.{extension}")


@router.get("/ob2/assertions/{award_id}", summary="Hosted OB 2.0 Assertion (410 Gone once revoked or suspended)",
            response_class=Response,
            responses={200: {"content": {LD_JSON: {}, "application/json": {}}}, **NOT_MODIFIED,
                       410: {"description": "Revoked or suspended",
                             "content": {LD_JSON: {"example": _REVOKED_EXAMPLE}}}})
def hosted_assertion(award_id: str, request: Request, ctx: CtxDep,
                     lang: str | None = Query(None, max_length=8, description="Language of the HTML page: fr or en")
                     ) -> Response:
    """The award as a hosted OB 2.0 Assertion (JSON-LD), or its page for a browser (`text/html`). Once revoked or
    suspended: 410 Gone with `revoked: true` and the reason, as OB 2.0 verifiers expect."""
    media = _media(request)
    if media == HTML:  # a person opened the assertion's address: the badge's page (JSON wins ties)
        try:
            served = publication.served_credential(ctx, award_id)
        except NotFound as exc:  # no such badge, or a private one
            return missing_credential_page(lang, exc)
        return credential_page(request, award_id, served, lang)
    return document_response(ob2.serve_hosted(ctx, award_id, media, held_versions(request)), media_type=media,
                             cache_control=REVALIDATE, vary=True)


@router.get("/ob2/badges/{achievement_id}", summary="OB 2.0 BadgeClass of a published achievement version",
            response_class=Response,
            responses={200: {"content": {LD_JSON: {}, "application/json": {}}}, **NOT_MODIFIED})
def badge_class(achievement_id: str, request: Request, ctx: CtxDep,
                lang: str | None = Query(None, max_length=8, description="Language of the HTML page: fr or en"),
                format: Literal["json"] | None = Query(None, description="Override the Accept header")
                ) -> Response:
    """The OB 2.0 BadgeClass of a published achievement version, with the OB 2.0 Endorsements that stand
    (`endorsement`), or a page describing the badge for a browser (`text/html`). Cached five minutes: an endorsement
    taken back leaves caches within that time."""
    media = LD_JSON if format == "json" else _media(request)
    if media == HTML:
        return badge_page(ob2.badge_page(ctx, achievement_id), lang, f"/ob2/badges/{quote(achievement_id, safe='')}")
    return document_response(ob2.serve_badge_class(ctx, achievement_id, media, held_versions(request)),
                             media_type=media, cache_control=PROFILE, vary=True)


@router.get("/ob2/issuers/{slug}/revocations", summary="OB 2.0 RevocationList of an organisation",
            response_class=Response,
            responses={200: {"content": {LD_JSON: {}, "application/json": {}}}, **NOT_MODIFIED})
def revocation_list(slug: str, request: Request, ctx: CtxDep) -> Response:
    """The organisation's OB 2.0 RevocationList: every revoked or suspended assertion (hosted and signed ids) with its
    reason."""
    media = _json_media(request)
    return document_response(ob2.serve_revocations(ctx, slug, media, held_versions(request)), media_type=media,
                             cache_control=REVALIDATE, vary=True)


@router.get("/ob2/endorsements/{endorsement_id}",
            summary="OB 2.0 Endorsement (hosted; 410 Gone once its endorser takes it back)", response_class=Response,
            responses={200: {"content": {LD_JSON: {}, "application/json": {}}}, **NOT_MODIFIED,
                       410: {"description": "Revoked by its endorser",
                             "content": {LD_JSON: {"example": _ENDORSEMENT_REVOKED_EXAMPLE}}}})
def endorsement(endorsement_id: str, request: Request, ctx: CtxDep) -> Response:
    """An accepted endorsement as an OB 2.0 `Endorsement` with hosted verification: its `claim` is the endorsed
    BadgeClass, hosted Assertion or Issuer (by its OB 2.0 id) with the endorser's words (`endorsementComment`), its
    `issuer` the endorser's OB 2.0 Issuer. The BadgeClass, Issuer and hosted Assertion it endorses name this URL in
    their `endorsement`. Once revoked by its endorser: 410 Gone with `revoked: true`."""
    media = _json_media(request)
    return document_response(ob2.serve_endorsement(ctx, endorsement_id, media, held_versions(request)),
                             media_type=media, cache_control=REVALIDATE, vary=True)
