"""The consent page of the Open Badges 3.0 API (``/ims/ob/v3p0/authorize``): an application (a backpack) asks a
holder to let it into their space.

``GET`` checks the request (the application, its redirect URI, ``state``, PKCE S256, the scopes): a request whose
application or redirect URI cannot be trusted is refused on this page; any other refusal goes back to the
application (``error=…&state=…``). A visitor not in a space is sent to sign in first, then back here. ``POST`` (the
page's form, with its CSRF token) carries the holder's answer: a code, or ``access_denied``, sent back to the
application (302).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep, SettingsDep
from app.errors import SavoirsError, Unauthorised
from app.headers import page_csp_with_form_target
from app.oauth.calls import OAuthAnswer, OAuthCall
from app.oauth_http import NO_STORE, oauth_call, oauth_response
from app.pages.holder_view import HolderDep, holder_page, refusal
from app.pages.text import Lang, pick_lang
from app.services.ob3_api import discovery, oauth
from app.signin.web import sign_in_location, submitted_form

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_PATH = f"{discovery.API_PATH}/authorize"
_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
           "code_challenge_method", "decision")


def _refused_page(request: Request, lang: Lang, exc: SavoirsError) -> HTMLResponse:
    code, error = refusal(exc, lang)
    return holder_page(request, "oauth/refused.html", lang, path="/mon-espace", status_code=code, error=error,
                       headers=NO_STORE)


@router.get(_PATH, response_class=HTMLResponse)
async def consent_page(request: Request, ctx: CtxDep, settings: SettingsDep, who: HolderDep,
                       lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    try:
        found = await run_in_threadpool(oauth.consent, ctx, oauth_call(request, settings), who,
                                        loopback_http=settings.allow_loopback_fetch)
    except Unauthorised:
        return RedirectResponse(sign_in_location(request), status_code=303)
    except SavoirsError as exc:
        return _refused_page(request, chosen, exc)
    if isinstance(found, OAuthAnswer):
        return oauth_response(found)
    csp = page_csp_with_form_target(found.fields["redirect_uri"])  # "Autoriser" leads back to the application
    return holder_page(request, "oauth/consent.html", chosen, path=_PATH, consent=found,
                       headers={**NO_STORE, "Content-Security-Policy": csp})


@router.post(_PATH, response_class=HTMLResponse)
async def decide(request: Request, ctx: CtxDep, settings: SettingsDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, _FIELDS, limit=2000)
    if refused:
        return _refused_page(request, lang, refused)
    form = {name: [values[name]] for name in _FIELDS[:-1] if values[name]}
    call = OAuthCall("POST", settings.public_base_url + _PATH, request.headers, {}, form)
    try:
        answer = await run_in_threadpool(oauth.decide, ctx, call, who, allow=values["decision"] == "allow",
                                         loopback_http=settings.allow_loopback_fetch)
    except Unauthorised:
        return RedirectResponse("/connexion", status_code=303)
    except SavoirsError as exc:
        return _refused_page(request, lang, exc)
    return oauth_response(answer)
