"""Public credential documents: OB 3.0 JSON-LD or VC-JWT by content negotiation, and signed status lists."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from app.deps import CtxDep
from app.errors import NotFound
from app.http import (
    NOT_MODIFIED,
    REVALIDATE,
    STATUS_LIST,
    baked_response,
    document_response,
    held_versions,
    not_acceptable,
)
from app.negotiation import negotiate
from app.pages.render import credential_page, missing_credential_page
from app.services import baking, publication

router = APIRouter(tags=["credentials"])

JSON_TYPES = ["application/ld+json", "application/vc+ld+json", "application/vc", "application/json"]
OFFERED = [*JSON_TYPES, "application/jwt"]
HTML = "text/html"  # a browser: the verification page for this credential (JSON wins ties: ``*/*`` is JSON)


@router.get("/credentials/{award_id}", summary="An issued OB 3.0 credential (JSON-LD with proof, or VC-JWT)",
            response_class=Response,
            responses={200: {"content": {t: {} for t in [*OFFERED, HTML]}}, **NOT_MODIFIED,
                       406: {"description": "Unsupported Accept"}})
def read_credential(award_id: str, request: Request, ctx: CtxDep,
                    format: Literal["json", "jwt"] | None = Query(None, description="Override the Accept header"),
                    alg: Literal["RS256", "ES256"] = Query("RS256", description="VC-JWT signature algorithm"),
                    kid: Literal["did", "jwk"] = Query("jwk", description="VC-JWT key id: the key's DID URL "
                                                       "(did:web:…#key) or the URL of its single JWK"),
                    lang: str | None = Query(None, max_length=8, description="Language of the HTML page: fr or en")
                    ) -> Response:
    """An issued credential, by content negotiation: OB 3.0 JSON-LD with its Data Integrity proof
    (`application/ld+json`, the default), a VC-JWT (`application/jwt`, or `?format=jwt`; `?alg=ES256`, `?kid=did`),
    or the verification page for a browser (`text/html`, French, `?lang=en`).

    `curl http://127.0.0.1:8000/credentials/$ID`"""
    media = {"json": "application/ld+json", "jwt": "application/jwt"}.get(format or "") or negotiate(
        request.headers.get("accept"), [*OFFERED, HTML])
    if media is None:
        raise not_acceptable()
    if media == HTML:
        try:
            served = publication.served_credential(ctx, award_id)
        except NotFound as exc:  # no such badge, or a private one
            return missing_credential_page(lang, exc)
        # the page verifies the credential: it reads the issuer's keys and status list
        return credential_page(request, award_id, served, lang)
    held = held_versions(request)
    if media == "application/jwt":
        return document_response(publication.serve_credential_token(ctx, award_id, alg, kid, held),
                                 media_type=media, cache_control=REVALIDATE, vary=True)
    return document_response(publication.serve_credential(ctx, award_id, media, held), media_type=media,
                             cache_control=REVALIDATE, vary=True)


@router.get("/credentials/{award_id}/badge.{extension}", summary="The badge image with the OB 3.0 credential baked in",
            response_class=Response, responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
def baked_credential(award_id: str, extension: baking.Extension, ctx: CtxDep) -> Response:
    """The badge image with the OB 3.0 credential baked in (PNG `iTXt` chunk or SVG `<openbadges:credential>`): what a
    holder downloads and drops in a backpack or on a verification page."""
    return baked_response(baking.credential_image(ctx, award_id, extension), extension,
                          f"badge-{award_id}.{extension}")


@router.get("/status/{list_id}", summary="A signed BitstringStatusListCredential (revocation or suspension)",
            response_class=Response, responses={200: {"content": {"application/vc+ld+json": {}}}, **NOT_MODIFIED})
def read_status_list(list_id: str, request: Request, ctx: CtxDep) -> Response:
    """A signed `BitstringStatusListCredential` (W3C Bitstring Status List): the revocation list of an organisation,
    or its suspension list. Verifiers read the bit at a credential's `statusListIndex`. Its `ETag` names its
    version: `If-None-Match` answers 304 before any signing."""
    served = publication.serve_status_list(ctx, list_id, held_versions(request))
    return document_response(served, media_type="application/vc+ld+json", cache_control=STATUS_LIST)
