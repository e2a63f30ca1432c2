"""The Open Badges 3.0 API for partner backpacks, under ``/ims/ob/v3p0``: the service description (no
authentication), client registration (RFC 7591, open, rate-limited), the token and revocation endpoints (HTTP Basic
client authentication), and a holder's credentials and profile (a bearer token the holder granted, with the scope of
each operation). The consent page (``/authorize``) is in :mod:`app.routers.oauth_pages`.

Errors of the resource endpoints are ``Imsx_StatusInfo`` bodies; those of the OAuth endpoints are RFC 6749
``{error, error_description}`` bodies.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app import strict_json
from app.config import Settings
from app.deps import CtxDep, SettingsDep
from app.errors import PayloadTooLarge, TooManyRequests
from app.oauth import scopes
from app.oauth_http import NO_STORE, oauth_call, oauth_response
from app.openapi import api_errors
from app.services.ob3_api import credentials, discovery, oauth, profile
from app.services.ob3_api.oauth import Grant
from app.signin.web import client

__all__ = ["router"]

router = APIRouter(prefix=discovery.API_PATH, tags=["Open Badges 3.0 API (backpacks)"])
_FORM_MAX = 16 * 1024
_REGISTRATION_MAX = 32 * 1024
_CREDENTIAL_MAX = 2 * 1024 * 1024


async def _body(request: Request, limit: int) -> bytes:
    body = await request.body()
    if len(body) > limit:
        raise PayloadTooLarge()
    return body


# ------------------------------------------------------------------------------------------------ discovery, OAuth


@router.get("/discovery", summary="Service description document (profiled OpenAPI 3.0)",
            response_class=JSONResponse)
def service_description(settings: SettingsDep) -> JSONResponse:
    """Where a backpack registers, authorises and gets tokens, and the four scopes. No authentication.

    `curl http://127.0.0.1:8000/ims/ob/v3p0/discovery`"""
    return JSONResponse(discovery.description(settings))


@router.post("/register", status_code=201, summary="Register a client (RFC 7591 dynamic registration)",
             response_class=JSONResponse, responses=api_errors("oauth", 400, 413, 429))
async def register(request: Request, ctx: CtxDep, settings: SettingsDep) -> Response:
    """Open registration (no initial access token): `client_name`, `client_uri`, `logo_uri`, `tos_uri`,
    `policy_uri`, `software_id`, `software_version`, `redirect_uris` and `scope` are required; every URL https and
    on the host of `client_uri`. The answer (201) holds `client_id` and `client_secret` (HTTP Basic at the token
    endpoint). Rate-limited per address (`OAUTH_REGISTRATION_LIMIT` per hour)."""
    wait = await run_in_threadpool(request.app.state.registration_limiter.over, client(request), ctx.clock.now())
    if wait is not None:
        raise TooManyRequests("Too many registrations from this address: try again in an hour.",
                              "Trop d'enregistrements depuis cette adresse : réessayez dans une heure.",
                              headers={"Retry-After": str(wait)})
    body = await _body(request, _REGISTRATION_MAX)
    try:
        metadata = strict_json.loads(body) if body else None
    except ValueError:  # not JSON, duplicate keys, nested too deep
        metadata = None
    if not isinstance(metadata, dict) or not metadata:
        return JSONResponse({"error": "invalid_client_metadata",
                             "error_description": "The body must be a JSON object of client metadata."},
                            status_code=400, headers=NO_STORE)
    answer = await run_in_threadpool(oauth.register, ctx, oauth_call(request, settings, json_body=metadata),
                                     loopback_http=settings.allow_loopback_fetch)
    return oauth_response(answer)


@router.post("/token", summary="Token endpoint (authorization_code, refresh_token)", response_class=JSONResponse,
             responses=api_errors("oauth", 400, 401, 413))
async def token(request: Request, ctx: CtxDep, settings: SettingsDep) -> Response:
    """A form (`application/x-www-form-urlencoded`) with HTTP Basic client authentication: `grant_type=
    authorization_code` with `code`, `redirect_uri` and `code_verifier`, or `grant_type=refresh_token` with
    `refresh_token` (and a `scope` no wider than granted). Access tokens last an hour; refresh tokens rotate."""
    form = await _body(request, _FORM_MAX)
    return oauth_response(await run_in_threadpool(oauth.token, ctx, oauth_call(request, settings, form=form)))


@router.post("/revoke", summary="Revoke a token (RFC 7009)", response_class=JSONResponse,
             responses=api_errors("oauth", 400, 401, 413))
async def revoke(request: Request, ctx: CtxDep, settings: SettingsDep) -> Response:
    """A form with `token` (and `token_type_hint`), HTTP Basic client authentication; 200 whether or not the token
    was known."""
    form = await _body(request, _FORM_MAX)
    return oauth_response(await run_in_threadpool(oauth.revoke, ctx, oauth_call(request, settings, form=form)))


# ------------------------------------------------------------------------------------------------ resources


def _granted(scope: str) -> Any:
    def dependency(ctx: CtxDep, authorization: Annotated[str | None, Header()] = None) -> Grant:
        return oauth.bearer(ctx, authorization, scope)

    return Depends(dependency)


def _link(settings: Settings, path: str, query: dict[str, str]) -> str:
    return f"{settings.public_base_url}{discovery.API_PATH}{path}?{urlencode(query)}"


def _paging_headers(settings: Settings, found: credentials.Page, since: str | None) -> dict[str, str]:
    def at(offset: int) -> str:
        query = {"limit": str(found.limit), "offset": str(offset)}
        if since:
            query["since"] = since
        return _link(settings, "/credentials", query)

    last = max(0, (found.total - 1) // found.limit * found.limit)
    links = [f'<{at(0)}>; rel="first"', f'<{at(last)}>; rel="last"']
    if found.offset + found.limit < found.total:
        links.insert(0, f'<{at(found.offset + found.limit)}>; rel="next"')
    if found.offset > 0:
        links.append(f'<{at(max(0, found.offset - found.limit))}>; rel="prev"')
    return {"X-Total-Count": str(found.total), "Link": ", ".join(links)}


@router.get("/credentials", summary="The holder's credentials (getCredentials)", response_class=JSONResponse,
            responses=api_errors("imsx", 400, 401, 403))
def get_credentials(ctx: CtxDep, settings: SettingsDep,
                    grant: Annotated[Grant, _granted(scopes.CREDENTIAL_READ)],
                    limit: int = Query(20, ge=1, le=credentials.MAX_LIMIT),
                    offset: int = Query(0, ge=0, le=1_000_000),
                    since: str | None = Query(None, max_length=40)) -> JSONResponse:
    """The badges of the holder's space: issued here (JSON-LD with their proof) and received (as they came: objects
    in `credential`, compact JWS in `compactJwsString`), newest first. `X-Total-Count` and `Link` (`next`, `last`,
    `first`, `prev`) page them. Scope `…/credential.readonly`."""
    found = credentials.page(ctx, grant, limit=limit, offset=offset, since=since)
    return JSONResponse({"credential": found.credential, "compactJwsString": found.compact_jws},
                        headers={**_paging_headers(settings, found, since), **NO_STORE})


@router.post("/credentials", summary="Add or replace a credential in the holder's space (upsertCredential)",
             status_code=201, response_class=JSONResponse,
             responses={200: {"description": "Replaced"}, 304: {"description": "An older copy: nothing changed"},
                        **api_errors("imsx", 400, 401, 403, 413, 415, 422, 503)})
async def upsert_credential(request: Request, ctx: CtxDep, settings: SettingsDep,
                            grant: Annotated[Grant, _granted(scopes.CREDENTIAL_UPSERT)]) -> Response:
    """A credential as JSON (`application/json`, `application/ld+json`, `application/vc+ld+json`) or a compact JWS
    (`text/plain`). Verified by this server's verifier first: one whose proof fails is refused (400). 201 created,
    200 replaced (same issuer id and credential id, newer `validFrom`), 304 when an older copy is sent. Scope
    `…/credential.upsert`."""
    body = await _body(request, _CREDENTIAL_MAX)
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    done = await run_in_threadpool(credentials.upsert, ctx, settings, grant, body, media_type)
    if done.status == 304:
        return Response(status_code=304, headers=NO_STORE)
    if done.compact_jws is not None:
        return Response(done.compact_jws, status_code=done.status, media_type="text/plain", headers=NO_STORE)
    return JSONResponse(done.document, status_code=done.status, headers=NO_STORE)


@router.get("/profile", summary="The holder's profile (getProfile)", response_class=JSONResponse,
            responses=api_errors("imsx", 401, 403, 404))
def get_profile(ctx: CtxDep, grant: Annotated[Grant, _granted(scopes.PROFILE_READ)]) -> JSONResponse:
    """The profile a backpack last put in the holder's space (404 while none was). Scope `…/profile.readonly`."""
    return JSONResponse(profile.read(ctx, grant), headers=NO_STORE)


@router.put("/profile", summary="Replace the holder's profile (putProfile)", response_class=JSONResponse,
            responses=api_errors("imsx", 400, 401, 403, 413))
async def put_profile(request: Request, ctx: CtxDep,
                      grant: Annotated[Grant, _granted(scopes.PROFILE_UPDATE)]) -> JSONResponse:
    """A whole OB 3.0 Profile (JSON, by its schema), replacing the one before. Scope `…/profile.update`."""
    body = await _body(request, _FORM_MAX * 4)
    return JSONResponse(await run_in_threadpool(profile.replace, ctx, grant, body), headers=NO_STORE)
