"""Signing in by email link or code: the pages (``/connexion``, ``/connexion/code``, ``/connexion/lien``, ``/moi``,
``/deconnexion``, ``/deconnexion/partout``; French first, ``?lang=en``) and their JSON equivalents under
``/api/v1/signin`` for integrators. Each route reads its input, calls one function of :mod:`app.signin.service` and
presents the result; the message goes after the answer (``deliver``), so every address gets the same answer in the
same time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from app.deps import AdminDep, CtxDep, SettingsDep
from app.errors import SavoirsError
from app.openapi import problems
from app.pages.text import Lang, pick_lang
from app.routing import StrictJSONRoute
from app.signin import service
from app.signin.address import local_path
from app.signin.audiences import audience_named
from app.signin.errors import link_refused
from app.signin.pages import error_view, human_moment, page
from app.signin.schemas import (
    ChallengeAccepted,
    ChallengeRequest,
    CodeRedemption,
    LinkRedemption,
    SessionOut,
    SessionRevocation,
    SessionsRevoked,
)
from app.signin.web import (
    MaybeSignedInDep,
    SignedInDep,
    check_csrf,
    check_failures,
    check_requests,
    clear_session_cookie,
    count_failure,
    read_form,
    require_json,
    session_cookie,
    set_session_cookie,
    wants_html,
)

__all__ = ["router"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/signin", tags=["sign-in"], route_class=StrictJSONRoute)
router = APIRouter()
CookieToken = Annotated[str | None, Depends(session_cookie)]
#: a refused code or link counts against the client (wrong codes sprayed over many addresses)
_FAILURES = frozenset({"signin_code_refused", "signin_too_many_attempts", "signin_link_refused"})
Render = Callable[..., HTMLResponse]


def _again(lang: Lang, next_path: str | None, audience: str | None) -> str:
    query = {k: v for k, v in (("next", local_path(next_path)), ("audience", audience_named(audience).name),
                               ("lang", "en" if lang == "en" else None)) if v}
    return "/connexion" + (f"?{urlencode(query)}" if query else "")


async def _refused(request: Request, exc: SavoirsError, lang: Lang, render: Render) -> HTMLResponse:
    """A page again, with the error saying why; a client that is not a browser gets the problem for a CSRF
    failure."""
    if exc.code == "csrf_failed" and not wants_html(request):
        raise exc
    if exc.code in _FAILURES:
        await run_in_threadpool(count_failure, request)  # counted in the database: off the event loop
    status_code, error = error_view(exc, lang)
    return render(status_code=status_code, error=error, headers=exc.headers)


def _signed_in(request: Request, settings: SettingsDep, opened: service.NewSession) -> RedirectResponse:
    target = opened.next_path
    if target == "/moi" and opened.lang == "en":
        target += "?lang=en"
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    set_session_cookie(response, request, settings, opened)
    return response


# ------------------------------------------------------------------------------------------------ pages


@pages.get("/connexion", response_class=HTMLResponse)
def start(request: Request, lang: str | None = None, next: str | None = None,
          audience: str | None = None) -> HTMLResponse:
    """One field: the email address."""
    language = pick_lang(lang)
    keep = {k: v for k, v in (("next", local_path(next)), ("audience", audience and audience_named(audience).name))
            if v}
    return page(request, "signin/start.html", language, path="/connexion", keep=keep, email="",
                next=local_path(next), audience=audience_named(audience).name)


@pages.post("/connexion", response_class=HTMLResponse)
async def start_submitted(request: Request, ctx: CtxDep, settings: SettingsDep) -> HTMLResponse:
    form = {"email": "", "next": "", "audience": "", "lang": "", "csrf": ""}
    lang = pick_lang(request.query_params.get("lang"))
    try:
        form = await read_form(request, tuple(form))
        lang = pick_lang(form["lang"] or request.query_params.get("lang"))
        check_csrf(request, form["csrf"])
        await run_in_threadpool(check_requests, request)
        requested = await run_in_threadpool(
            service.request_challenge, ctx, settings, email=form["email"], audience=audience_named(form["audience"]),
            next_path=form["next"], lang=lang)
    except SavoirsError as exc:
        return await _refused(request, exc, lang, lambda **more: page(
            request, "signin/start.html", lang, path="/connexion", email=form["email"][:254],
            next=local_path(form["next"]), audience=audience_named(form["audience"]).name, **more))
    response = page(request, "signin/code.html", lang, path="/connexion/code", sent=True,
                    address=requested.address, minutes=requested.minutes, next=local_path(form["next"]),
                    audience=audience_named(form["audience"]).name,
                    again_href=_again(lang, form["next"], form["audience"]))
    response.background = BackgroundTask(requested.deliver)
    return response


@pages.get("/connexion/code", response_class=HTMLResponse)
def code_form(request: Request, lang: str | None = None) -> HTMLResponse:
    """The code form on its own (the address is asked again)."""
    language = pick_lang(lang)
    return page(request, "signin/code.html", language, path="/connexion/code", sent=False, address=None,
                minutes=0, next=None, audience="", again_href=_again(language, None, None))


@pages.post("/connexion/code", response_class=HTMLResponse, response_model=None)
async def code_submitted(request: Request, ctx: CtxDep, settings: SettingsDep) -> Response:
    form = {"email": "", "code": "", "next": "", "audience": "", "lang": "", "csrf": ""}
    lang = pick_lang(request.query_params.get("lang"))
    try:
        form = await read_form(request, tuple(form))
        lang = pick_lang(form["lang"] or request.query_params.get("lang"))
        check_csrf(request, form["csrf"])
        await run_in_threadpool(check_failures, request)
        opened = await run_in_threadpool(service.redeem_code, ctx, settings, email=form["email"], code=form["code"])
    except SavoirsError as exc:
        return await _refused(request, exc, lang, lambda **more: page(
            request, "signin/code.html", lang, path="/connexion/code", sent=False,
            address=form["email"][:254] or None, minutes=0, next=local_path(form["next"]),
            audience=audience_named(form["audience"]).name, again_href=_again(lang, form["next"], form["audience"]),
            **more))
    return _signed_in(request, settings, opened)


@pages.get("/connexion/lien", response_class=HTMLResponse)
def link_opened(request: Request, ctx: CtxDep, token: str = "", lang: str | None = None) -> HTMLResponse:
    """The link of the message: one button, which signs in. Opening it (a person, or a mail scanner checking
    links) changes nothing."""
    language = pick_lang(lang)
    valid = bool(token) and len(token) <= 100 and service.check_link(ctx, token)
    status_code, error = (200, None) if valid else error_view(link_refused(), language)
    return page(request, "signin/link.html", language, path="/connexion/lien", keep={"token": token[:100]},
                status_code=status_code, valid=valid, token=token[:100], error=error)


@pages.post("/connexion/lien", response_class=HTMLResponse, response_model=None)
async def link_confirmed(request: Request, ctx: CtxDep, settings: SettingsDep) -> Response:
    form = {"token": "", "lang": "", "csrf": ""}
    lang = pick_lang(request.query_params.get("lang"))
    try:
        form = await read_form(request, tuple(form))
        lang = pick_lang(form["lang"] or request.query_params.get("lang"))
        check_csrf(request, form["csrf"])
        await run_in_threadpool(check_failures, request)
        opened = await run_in_threadpool(service.redeem_link, ctx, settings, token=form["token"])
    except SavoirsError as exc:
        valid = exc.code == "csrf_failed"  # the link may still work: the button again, with a fresh token
        return await _refused(request, exc, lang, lambda **more: page(
            request, "signin/link.html", lang, path="/connexion/lien", keep={"token": form["token"][:100]},
            valid=valid, token=form["token"][:100], **more))
    return _signed_in(request, settings, opened)


@pages.get("/moi", response_class=HTMLResponse)
def me(request: Request, who: SignedInDep, lang: str | None = None) -> HTMLResponse:
    """Who is signed in, until when, and the way out."""
    language = pick_lang(lang)
    return page(request, "signin/signed_in.html", language, path="/moi", who=who,
                until=human_moment(who.expires_at, language))


@pages.get("/deconnexion")
def sign_out_form(lang: str | None = None) -> RedirectResponse:
    return RedirectResponse("/moi?lang=en" if pick_lang(lang) == "en" else "/moi", status_code=303)


@pages.post("/deconnexion", response_class=HTMLResponse)
async def signed_out(request: Request, ctx: CtxDep, token: CookieToken, who: MaybeSignedInDep) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"))
    try:
        form = await read_form(request, ("lang", "csrf"))
        lang = pick_lang(form["lang"] or request.query_params.get("lang"))
        check_csrf(request, form["csrf"])
        await run_in_threadpool(service.sign_out, ctx, token)
    except SavoirsError as exc:
        if who is None:
            return await _refused(request, exc, lang, lambda **more: page(
                request, "signin/start.html", lang, path="/connexion", email="", next=None, audience="anyone",
                **more))
        return await _refused(request, exc, lang, lambda **more: page(
            request, "signin/signed_in.html", lang, path="/moi", who=who,
            until=human_moment(who.expires_at, lang), **more))
    response = page(request, "signin/signed_out.html", lang, path="/connexion", count=None)
    clear_session_cookie(response, request)
    return response


@pages.get("/deconnexion/partout", response_class=HTMLResponse)
def everywhere_form(request: Request, who: SignedInDep, lang: str | None = None) -> HTMLResponse:
    return page(request, "signin/everywhere.html", pick_lang(lang), path="/deconnexion/partout", who=who)


@pages.post("/deconnexion/partout", response_class=HTMLResponse)
async def signed_out_everywhere(request: Request, ctx: CtxDep, who: SignedInDep) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"))
    try:
        form = await read_form(request, ("lang", "csrf"))
        lang = pick_lang(form["lang"] or request.query_params.get("lang"))
        check_csrf(request, form["csrf"])
        count = await run_in_threadpool(service.sign_out_everywhere, ctx, who)
    except SavoirsError as exc:
        return await _refused(request, exc, lang, lambda **more: page(
            request, "signin/everywhere.html", lang, path="/deconnexion/partout", who=who, **more))
    response = page(request, "signin/signed_out.html", lang, path="/connexion", count=count)
    clear_session_cookie(response, request)
    return response


# ------------------------------------------------------------------------------------------------ JSON API

_SAME_ANSWER = ("If this address can sign in here, a message with a link and a 6-digit code was sent to it.",
                "Si cette adresse peut se connecter ici, un message avec un lien et un code à 6 chiffres lui a été "
                "envoyé.")


@api.post("/challenges", status_code=status.HTTP_202_ACCEPTED, response_model=ChallengeAccepted,
          dependencies=[Depends(require_json)], responses=problems(429, 503),
          summary="Send a sign-in link and code to an email address",
          description="Always the same answer, whether or not the address may sign in (`audience` decides, after "
                      "the answer): nobody learns who has an account. The message holds a link "
                      "(`/connexion/lien?token=…`) and a 6-digit code, valid `SIGNIN_LINK_MINUTES`, once; a new "
                      "request replaces the previous ones. 429 (`Retry-After`) beyond 5 requests an hour for one "
                      "address, or 30 in 15 minutes from one client.")
def request_challenge(body: ChallengeRequest, request: Request, ctx: CtxDep, settings: SettingsDep,
                      background: BackgroundTasks) -> ChallengeAccepted:
    check_requests(request)
    requested = service.request_challenge(ctx, settings, email=body.email, audience=audience_named(body.audience),
                                          next_path=body.next, lang=body.lang)
    background.add_task(requested.deliver)
    return ChallengeAccepted(message_en=_SAME_ANSWER[0], message_fr=_SAME_ANSWER[1],
                             expires_in_minutes=requested.minutes)


def _session_out(opened: service.NewSession) -> SessionOut:
    who = opened.signed_in
    return SessionOut(email=who.email, session_id=who.session_id, expires_at=who.expires_at, next=opened.next_path)


@api.post("/code", response_model=SessionOut, dependencies=[Depends(require_json)], responses=problems(400, 429, 503),
          summary="Sign in with the 6-digit code",
          description="Opens a session (cookie `savoirs_session`, `HttpOnly`, `SameSite=Lax`) for the address of "
                      "the latest request. A wrong, expired or used code, or no request at all, answer alike (400 "
                      "`signin_code_refused`); the fifth wrong code kills the request (429 "
                      "`signin_too_many_attempts`).")
def redeem_code(body: CodeRedemption, request: Request, response: Response, ctx: CtxDep,
                settings: SettingsDep) -> SessionOut:
    check_failures(request)
    try:
        opened = service.redeem_code(ctx, settings, email=body.email, code=body.code)
    except SavoirsError as exc:
        if exc.code in _FAILURES:
            count_failure(request)
        raise
    set_session_cookie(response, request, settings, opened)
    return _session_out(opened)


@api.post("/link", response_model=SessionOut, dependencies=[Depends(require_json)], responses=problems(400, 429),
          summary="Sign in with the link's token",
          description="What the button of the link's page does: opens a session (cookie `savoirs_session`) once. "
                      "A used, expired, replaced or unknown token answers 400 `signin_link_refused`.")
def redeem_link(body: LinkRedemption, request: Request, response: Response, ctx: CtxDep,
                settings: SettingsDep) -> SessionOut:
    check_failures(request)
    try:
        opened = service.redeem_link(ctx, settings, token=body.token)
    except SavoirsError as exc:
        if exc.code in _FAILURES:
            count_failure(request)
        raise
    set_session_cookie(response, request, settings, opened)
    return _session_out(opened)


@api.get("/session", response_model=SessionOut, summary="The signed-in address",
         description="The address the session cookie proves, the session's id and end; 401 `signin_required` "
                     "without an open session.")
def read_session(who: SignedInDep) -> SessionOut:
    return SessionOut(email=who.email, session_id=who.session_id, expires_at=who.expires_at)


@api.post("/signout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
          summary="Sign out", description="Closes the session of the cookie (if any) and clears the cookie.")
def sign_out(request: Request, ctx: CtxDep, token: CookieToken) -> Response:
    service.sign_out(ctx, token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, request)
    return response


@api.post("/signout-everywhere", response_model=SessionsRevoked, summary="Sign out on every device",
          description="Closes every open session of the signed-in address, this one included.")
def sign_out_everywhere(request: Request, response: Response, ctx: CtxDep, who: SignedInDep) -> SessionsRevoked:
    revoked = service.sign_out_everywhere(ctx, who)
    clear_session_cookie(response, request)
    return SessionsRevoked(revoked=revoked)


@api.post("/revocations", response_model=SessionsRevoked, tags=["administration"], dependencies=[Depends(require_json)],
          summary="Close every session of an address (administrator)",
          description="For the service administrator (`ADMIN_TOKEN`): every open session of the address ends at "
                      "once (a lost phone, a person who left a committee). Recorded in the audit trail.")
def revoke_sessions(body: SessionRevocation, ctx: CtxDep, admin: AdminDep) -> SessionsRevoked:
    return SessionsRevoked(revoked=service.revoke_sessions(ctx, body.email, actor=admin))


router.include_router(pages)
router.include_router(api)
