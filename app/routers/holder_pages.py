"""The holder's pages (French first, ``?lang=en``, no script, every form with its CSRF token):

* ``GET /mon-espace``: the badges of the space, or, for someone not in one yet, the two ways in: sign in with an
  email address (``/connexion?next=/mon-espace``), or type the code printed on paper;
* ``GET/POST /recuperer``: type a claim code (``?code=`` fills it in: the QR code on paper leads here); a code
  taken opens (or joins) a space and leads to its badge;
* ``GET /mon-espace/badges/{id}``: one badge: who can see it, the name it shows, the files to take away;
  ``POST …/visibilite`` (public or private), ``POST …/nom`` (show a name, or none: the credential is issued again);
* downloads, as attachments: ``…/attestation.pdf`` (``?lang=en``), ``…/badge.png``, ``…/badge.svg``,
  ``…/credential.json``, ``…/credential.jwt``; ``GET /mon-espace/cv`` (choose) and ``/mon-espace/cv.pdf?badge=…``;
  ``GET /mon-espace/badges.zip`` (everything);
* ``GET/POST /mon-espace/effacer``: ask each organisation to erase one's data (credentials kept verifiable or
  revoked, as chosen);
* ``POST /mon-espace/quitter``: leave a space opened with a code (a signed-in address signs out at
  ``/deconnexion``).

A submit that is taken is answered by a redirect (303) to the badge's page, which says what it did (``?fait=…``);
a refused one by the page again with the refusal in words.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep
from app.errors import SavoirsError, Unauthorised
from app.pages.holder_view import HOLDER_COOKIE, HolderDep, holder_page, refusal
from app.pages.text import Lang, pick_lang
from app.services import baking
from app.services.holders import downloads, erasure, privacy, spaces
from app.services.holders.spaces import HolderKey
from app.signin.web import MaybeSignedInDep, check_failures, count_failure, submitted_form

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_SPACE = "/mon-espace"
_ATTACHMENT = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Content-Type-Options": "nosniff",
               "Cache-Control": "no-store"}


def _badge_path(award_id: str) -> str:
    return f"{_SPACE}/badges/{quote(award_id, safe='')}"


def _see_other(path: str, lang: Lang, done: str | None = None) -> RedirectResponse:
    query = [f"fait={done}"] if done else []
    if lang == "en":
        query.append("lang=en")
    return RedirectResponse(path + ("?" + "&".join(query) if query else ""), status_code=status.HTTP_303_SEE_OTHER)


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={**_ATTACHMENT, "Content-Disposition": f'attachment; filename="{filename}"'})


# ------------------------------------------------------------------------------------------------ the space


@router.get(_SPACE, response_class=HTMLResponse)
async def space_page(request: Request, ctx: CtxDep, who: HolderDep, signed: MaybeSignedInDep,
                     lang: str | None = Query(None, max_length=8)) -> HTMLResponse:
    chosen = pick_lang(lang)
    if who.empty:
        return holder_page(request, "holder/entry.html", chosen, path=_SPACE)
    try:
        view = await run_in_threadpool(downloads.space, ctx, who)
    except Unauthorised:  # a code session that ended
        return holder_page(request, "holder/entry.html", chosen, path=_SPACE)
    return holder_page(request, "holder/space.html", chosen, path=_SPACE, space=view,
                       email=signed.email if signed else None)


@router.get("/recuperer", response_class=HTMLResponse)
async def claim_page(request: Request, code: str | None = Query(None, max_length=64),
                     lang: str | None = Query(None, max_length=8)) -> HTMLResponse:
    return holder_page(request, "holder/claim.html", pick_lang(lang), path="/recuperer", typed=code or "")


@router.post("/recuperer", response_class=HTMLResponse)
async def claim(request: Request, ctx: CtxDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, ("code",))
    try:
        if refused:
            raise refused
        await run_in_threadpool(check_failures, request)
        claimed = await run_in_threadpool(spaces.claim_with_code, ctx, values["code"], who)
    except SavoirsError as exc:
        if exc.code == "claim_code_unknown":
            await run_in_threadpool(count_failure, request)
        code, error = refusal(exc, lang)
        return holder_page(request, "holder/claim.html", lang, path="/recuperer", status_code=code, error=error,
                           typed=values.get("code", "")[:64], headers=exc.headers)
    response = _see_other(_badge_path(claimed.award_id), lang, "claimed")
    if claimed.code_token:
        response.set_cookie(HOLDER_COOKIE, claimed.code_token, max_age=spaces.CODE_SESSION_HOURS * 3600, path="/",
                            secure=request.url.scheme == "https", httponly=True, samesite="lax")
    return response


@router.post(f"{_SPACE}/quitter")
async def leave(request: Request, ctx: CtxDep) -> Response:
    _, lang, refused = await submitted_form(request, ())
    if refused:
        code, error = refusal(refused, lang)
        return holder_page(request, "holder/entry.html", lang, path=_SPACE, status_code=code, error=error)
    await run_in_threadpool(spaces.end_code_session, ctx, request.cookies.get(HOLDER_COOKIE))
    response = _see_other(_SPACE, lang)
    response.delete_cookie(HOLDER_COOKIE, path="/", secure=request.url.scheme == "https", httponly=True,
                           samesite="lax")
    return response


# ------------------------------------------------------------------------------------------------ one badge


async def _badge_response(request: Request, ctx: CtxDep, who: HolderKey, award_id: str, lang: Lang, *,
                          done: str | None = None, error: SavoirsError | None = None, typed: str = "") -> Response:
    try:
        view = await run_in_threadpool(downloads.badge, ctx, who, award_id)
    except Unauthorised:
        return _see_other(_SPACE, lang)
    except SavoirsError as exc:
        code, shown = refusal(exc, lang)
        return holder_page(request, "holder/missing.html", lang, path=_SPACE, status_code=code, error=shown)
    status_code, shown_error = refusal(error, lang) if error else (200, None)
    return holder_page(request, "holder/badge.html", lang, path=_badge_path(view.award_id), status_code=status_code,
                       badge=view, done=done, error=shown_error, typed=typed, here=_badge_path(view.award_id))


@router.get(f"{_SPACE}/badges/{{award_id}}", response_class=HTMLResponse)
async def badge_page(request: Request, award_id: str, ctx: CtxDep, who: HolderDep,
                     fait: str | None = Query(None, max_length=16),
                     lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    if who.empty:  # the link of the message "you received a badge": sign in with that address, and back here
        query = {"next": _badge_path(award_id) + ("?lang=en" if chosen == "en" else "")}
        if chosen == "en":
            query["lang"] = "en"
        return RedirectResponse("/connexion?" + urlencode(query), status_code=status.HTTP_303_SEE_OTHER)
    return await _badge_response(request, ctx, who, award_id, chosen, done=fait)


@router.post(f"{_SPACE}/badges/{{award_id}}/visibilite")
async def choose_visibility(request: Request, award_id: str, ctx: CtxDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, ("choice",))
    if who.empty:
        return _see_other(_SPACE, lang)
    try:
        if refused:
            raise refused
        public = values["choice"] == "public"
        await run_in_threadpool(privacy.set_visibility, ctx, who, award_id, public)
    except SavoirsError as exc:
        return await _badge_response(request, ctx, who, award_id, lang, error=exc)
    return _see_other(_badge_path(award_id), lang, "public" if public else "private")


@router.post(f"{_SPACE}/badges/{{award_id}}/nom")
async def choose_name(request: Request, award_id: str, ctx: CtxDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, ("action", "name"))
    if who.empty:
        return _see_other(_SPACE, lang)
    show = values["action"] != "hide"
    try:
        if refused:
            raise refused
        await run_in_threadpool(privacy.set_name, ctx, who, award_id, values["name"] if show else None)
    except SavoirsError as exc:
        return await _badge_response(request, ctx, who, award_id, lang, error=exc, typed=values["name"][:200])
    return _see_other(_badge_path(award_id), lang, "name" if show else "noname")


# ------------------------------------------------------------------------------------------------ downloads


@router.get(f"{_SPACE}/badges/{{award_id}}/attestation.pdf")
async def certificate(award_id: str, ctx: CtxDep, who: HolderDep,
                      lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    content = await run_in_threadpool(downloads.certificate, ctx, who, award_id, chosen)
    name = "attestation" if chosen == "fr" else "certificate"
    return _attachment(content, "application/pdf", f"{name}-{award_id[:32]}.pdf")


@router.get(f"{_SPACE}/badges/{{award_id}}/badge.{{extension}}")
async def baked_image(award_id: str, extension: baking.Extension, ctx: CtxDep, who: HolderDep) -> Response:
    content = await run_in_threadpool(downloads.baked, ctx, who, award_id, extension)
    media = "image/png" if extension == "png" else "image/svg+xml"
    return _attachment(content, media, f"badge-{award_id[:32]}.{extension}")


@router.get(f"{_SPACE}/badges/{{award_id}}/credential.{{form}}")
async def credential_file(award_id: str, form: Literal["json", "jwt"], ctx: CtxDep, who: HolderDep) -> Response:
    if form == "json":
        content = await run_in_threadpool(downloads.credential_json, ctx, who, award_id)
        return _attachment(content, "application/ld+json", f"badge-{award_id[:32]}.json")
    content = await run_in_threadpool(downloads.credential_jwt, ctx, who, award_id)
    return _attachment(content, "application/jwt", f"badge-{award_id[:32]}.jwt")


@router.get(f"{_SPACE}/cv", response_class=HTMLResponse)
async def cv_page(request: Request, ctx: CtxDep, who: HolderDep, lang: str | None = Query(None, max_length=8)
                  ) -> Response:
    chosen = pick_lang(lang)
    if who.empty:
        return _see_other(_SPACE, chosen)
    try:
        view = await run_in_threadpool(downloads.space, ctx, who)
    except Unauthorised:
        return _see_other(_SPACE, chosen)
    return holder_page(request, "holder/cv.html", chosen, path=f"{_SPACE}/cv", space=view)


@router.get(f"{_SPACE}/cv.pdf")
async def cv_pdf(ctx: CtxDep, who: HolderDep, badge: Annotated[list[str] | None, Query()] = None,
                 lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    content = await run_in_threadpool(downloads.cv, ctx, who, badge or [], chosen)
    return _attachment(content, "application/pdf", "cv-badges.pdf" if chosen == "en" else "cv-mes-badges.pdf")


@router.get(f"{_SPACE}/badges.zip")
async def archive(ctx: CtxDep, who: HolderDep, lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    content = await run_in_threadpool(downloads.archive, ctx, who, chosen)
    return _attachment(content, "application/zip", "mes-badges.zip" if chosen == "fr" else "my-badges.zip")


# ------------------------------------------------------------------------------------------------ erasure


@router.get(f"{_SPACE}/effacer", response_class=HTMLResponse)
async def erase_page(request: Request, who: HolderDep, asked: int | None = Query(None, ge=0, le=1000),
                     lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    if who.empty:
        return _see_other(_SPACE, chosen)
    return holder_page(request, "holder/erase.html", chosen, path=f"{_SPACE}/effacer", asked=asked)


@router.post(f"{_SPACE}/effacer")
async def ask_erasure(request: Request, ctx: CtxDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, ("credentials",))
    if who.empty:
        return _see_other(_SPACE, lang)
    try:
        if refused:
            raise refused
        choice: erasure.CredentialsChoice = "revoke" if values["credentials"] == "revoke" else "keep"
        asked = await run_in_threadpool(erasure.ask, ctx, who, choice)
    except SavoirsError as exc:
        code, error = refusal(exc, lang)
        return holder_page(request, "holder/erase.html", lang, path=f"{_SPACE}/effacer", status_code=code,
                           error=error, asked=None)
    query = f"?asked={asked.organisations}" + ("&lang=en" if lang == "en" else "")
    return RedirectResponse(f"{_SPACE}/effacer{query}", status_code=status.HTTP_303_SEE_OTHER)
