"""Public credential documents: OB 3.0 JSON-LD or VC-JWT by content negotiation, and signed status lists."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from app.deps import DbDep, UrlsDep, VaultDep
from app.errors import NotFound, SavoirsError
from app.http import cacheable_json
from app.negotiation import negotiate
from app.routers.images import IMAGE_HEADERS
from app.routers.pages import credential_page, missing_credential_page
from app.services import awards, baking, publication

router = APIRouter(tags=["credentials"])

JSON_TYPES = ["application/ld+json", "application/vc+ld+json", "application/vc", "application/json"]
OFFERED = [*JSON_TYPES, "application/jwt"]
HTML = "text/html"  # a browser: the verification page for this credential (JSON wins ties: ``*/*`` is JSON)


class NotAcceptable(SavoirsError):
    status = 406
    code = "not_acceptable"
    message_en = "Available formats: application/ld+json, application/vc+ld+json, application/json, application/jwt."
    message_fr = ("Formats disponibles : application/ld+json, application/vc+ld+json, application/json, "
                  "application/jwt.")


@router.get("/credentials/{award_id}", summary="An issued OB 3.0 credential (JSON-LD with proof, or VC-JWT)",
            response_class=Response,
            responses={200: {"content": {t: {} for t in [*OFFERED, HTML]}},
                       406: {"description": "Unsupported Accept"}})
def read_credential(award_id: str, request: Request, db: DbDep, vault: VaultDep, urls: UrlsDep,
                    format: Literal["json", "jwt"] | None = Query(None, description="Override the Accept header"),  # noqa: A002
                    alg: Literal["RS256", "ES256"] = Query("RS256", description="VC-JWT signature algorithm"),
                    lang: str | None = Query(None, max_length=8, description="Language of the HTML page: fr or en")
                    ) -> Response:
    media = {"json": "application/ld+json", "jwt": "application/jwt"}.get(format or "") or negotiate(
        request.headers.get("accept"), [*OFFERED, HTML])
    if media is None:
        raise NotAcceptable()
    if media == HTML:
        try:
            with db.sessions() as session:
                award = awards.get_public(session, award_id)
                credential, suspended = award.credential, award.status == "suspended"
        except NotFound:
            return missing_credential_page(lang)
        # outside the session: verifying fetches the issuer's keys and status list over HTTP
        return credential_page(request, award_id, credential, lang, suspended=suspended)
    with db.sessions() as session:
        award = awards.get_public(session, award_id)
        if media == "application/jwt":
            token = publication.credential_jwt(session, vault, urls, award, alg)
            return Response(token, media_type="application/jwt",
                            headers={"Cache-Control": "no-cache", "Vary": "Accept",
                                     "Access-Control-Allow-Origin": "*"})
        credential = award.credential
    response = cacheable_json(request, credential, media_type=media, max_age=300)
    response.headers["Vary"] = "Accept"
    return response


_BAKED = {"png": "image/png", "svg": "image/svg+xml"}


def baked_response(content: bytes, extension: baking.Extension, filename: str) -> Response:
    """A baked badge image, safe to open (strict CSP, no sniffing) and named for download."""
    return Response(content, media_type=_BAKED[extension], headers={
        **IMAGE_HEADERS, "Cache-Control": "no-cache", "Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/credentials/{award_id}/badge.{extension}", summary="The badge image with the OB 3.0 credential baked in",
            response_class=Response, responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
def baked_credential(award_id: str, extension: baking.Extension, db: DbDep) -> Response:
    with db.sessions() as session:
        content = baking.baked_credential(session, awards.get_public(session, award_id), extension)
    return baked_response(content, extension, f"badge-{award_id}.{extension}")


@router.get("/status/{list_id}", summary="A signed BitstringStatusListCredential (revocation or suspension)",
            response_class=Response, responses={200: {"content": {"application/vc+ld+json": {}}}})
def read_status_list(list_id: str, request: Request, db: DbDep, vault: VaultDep, urls: UrlsDep) -> Response:
    with db.sessions() as session:
        document, _ = publication.signed_status_list(session, vault, urls, request.app.state.status_cache, list_id)
    response = cacheable_json(request, document, media_type="application/vc+ld+json", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
