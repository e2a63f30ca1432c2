"""The endorsement pages of the private links (French first, ``?lang=en``, no script, every form with its CSRF
token):

* ``GET /recommander/{token}``: the endorser's link: what they are asked to vouch for, who asks and why, and, by
  state, the way to answer: sign in with the address asked (``/connexion?next=…``), then their words
  (``POST``: :func:`endorsement_pages.give`); or the endorsement as published and the way to take it back;
* ``GET/POST /recommander/{token}/refuser``: « Je préfère ne pas recommander », after « Êtes-vous sûr(e) ? » (the
  link is enough: no sign-in);
* ``GET/POST /recommander/{token}/retirer``: take the endorsement back, signed in, after « Êtes-vous sûr(e) ? »;
* ``GET/POST /accord/{token}``: the award's holder agrees (or not) that their award be endorsed.

A submit that is taken is answered by a redirect (303) to the link's page, which says what it did (``?fait=…``);
a refused one by the page again with the refusal in words (the endorser's words kept; read again in the threadpool,
as every use case is run). Someone not signed in who
must be is sent to the sign-in page, and back here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.deps import CtxDep
from app.errors import BadRequest, PayloadTooLarge, SavoirsError
from app.pages.endorsement_text import ENDORSEMENT_TEXT
from app.pages.endorsement_view import done_words, endorsement_page, error_view, message_page
from app.pages.text import Lang, pick_lang
from app.services.context import ServiceContext
from app.services.endorsement_pages import LinkPage, endorser_page, give, holder_page
from app.services.endorsements import answering, asking
from app.signin.address import local_path
from app.signin.service import SignedIn
from app.signin.web import MaybeSignedInDep, check_csrf

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_WORDS = ("csrf", "lang", "comment")
_BUTTON = ("csrf", "lang")
_CONSENT = ("csrf", "lang", "choice")


def _link_path(token: str) -> str:
    return f"/recommander/{quote(token, safe='')}"


def _consent_path(token: str) -> str:
    return f"/accord/{quote(token, safe='')}"


def _sign_in_href(lang: Lang, here: str) -> str:
    """The sign-in page, and back ``here`` once signed in."""
    query = {"next": local_path(here + ("?lang=en" if lang == "en" else "")) or ""}
    if lang == "en":
        query["lang"] = "en"
    return "/connexion?" + urlencode(query)


def _to_sign_in(lang: Lang, here: str) -> RedirectResponse:
    return RedirectResponse(_sign_in_href(lang, here), status_code=status.HTTP_303_SEE_OTHER)


def _see_other(path: str, lang: Lang, done: str) -> RedirectResponse:
    query = f"fait={done}" + ("&lang=en" if lang == "en" else "")
    return RedirectResponse(f"{path}?{query}", status_code=status.HTTP_303_SEE_OTHER)


async def _read(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The text fields ``names`` of a small urlencoded form (missing ones empty; each cut at 20,000 characters: the
    endorser's words are checked whole, then refused with their count)."""
    try:
        async with request.form(max_files=0, max_fields=len(names) + 4) as form:
            values = {name: form.get(name) for name in names}
    except StarletteHTTPException as exc:
        if exc.status_code == 413:
            raise PayloadTooLarge() from None
        raise BadRequest("The form could not be read. Open the page again and retry.",
                         "Le formulaire n'a pas pu être lu. Rouvrez la page et recommencez.",
                         code="form_unreadable") from None
    return {name: value[:20_000] if isinstance(value, str) else "" for name, value in values.items()}


async def _submitted(request: Request, names: tuple[str, ...]) -> tuple[dict[str, str], Lang, SavoirsError | None]:
    """A submitted form, its language, and its refusal before anything is done: unreadable, or its CSRF token."""
    lang = pick_lang(request.query_params.get("lang"))
    try:
        values = await _read(request, names)
    except SavoirsError as exc:
        return dict.fromkeys(names, ""), lang, exc
    lang = pick_lang(values["lang"] or lang)
    try:
        check_csrf(request, values["csrf"])
    except SavoirsError as exc:
        return values, lang, exc
    return values, lang, None


# ------------------------------------------------------------------------------------------------ the endorser


def _endorser(request: Request, lang: Lang, path: str, found: LinkPage, who: SignedIn | None, *,
              status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return endorsement_page(request, "endorsement/endorse.html", lang, path=path, status_code=status_code,
                            headers=headers, found=found, view=found.view, endorsed=found.endorsed,
                            who_email=who.email if who else "", sign_in_href=_sign_in_href(lang, path), **context)


def _endorser_refused(request: Request, ctx: ServiceContext, exc: SavoirsError, lang: Lang, token: str,
                      who: SignedIn | None, typed: str = "") -> HTMLResponse:
    """The link's page again, saying why the submit was refused, with the words as they were typed."""
    path = _link_path(token)
    try:
        found = endorser_page(ctx, token, who.email if who else None)
    except SavoirsError as missing:
        return message_page(request, missing, lang, path=path)
    status_code, error = error_view(exc, lang)
    return _endorser(request, lang, path, found, who, status_code=status_code, headers=exc.headers, error=error,
                     typed=typed)


@router.get("/recommander/{token}", response_class=HTMLResponse)
def endorser_link(token: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep, lang: str | None = None,
                  fait: str | None = None) -> HTMLResponse:
    """The endorser's private link: what they vouch for, who asks, and the way to answer."""
    language, path = pick_lang(lang), _link_path(token)
    try:
        found = endorser_page(ctx, token, who.email if who else None)
    except SavoirsError as exc:
        return message_page(request, exc, language, path=path)
    return _endorser(request, language, path, found, who, done=done_words(fait, found.view.state, language),
                     typed="")


@router.post("/recommander/{token}", response_class=HTMLResponse, response_model=None)
async def endorse(token: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep) -> Response:
    """The endorser's words: signed and published (then the thanks), or the page again saying why not."""
    path = _link_path(token)
    if who is None:  # never signed in, or the session ended while the page was open
        return _to_sign_in(pick_lang(request.query_params.get("lang")), path)
    values, lang, stop = await _submitted(request, _WORDS)
    try:
        if stop is not None:
            raise stop
        await run_in_threadpool(give, ctx, token, who.email, values["comment"])
    except SavoirsError as exc:
        return await run_in_threadpool(_endorser_refused, request, ctx, exc, lang, token, who, values["comment"])
    return _see_other(path, lang, "merci")


def _sure(request: Request, ctx: ServiceContext, token: str, lang: Lang, kind: str, who: SignedIn | None, *,
          exc: SavoirsError | None = None) -> HTMLResponse:
    """« Êtes-vous sûr(e) ? » before declining (``kind`` ``refuser``) or taking back (``retirer``), and one button;
    with the refusal of a first press (``exc``)."""
    path = _link_path(token)
    try:
        found = endorser_page(ctx, token, who.email if who else None)
    except SavoirsError as missing:
        return message_page(request, missing, lang, path=f"{path}/{kind}")
    status_code, error = error_view(exc, lang) if exc is not None else (200, None)
    return endorsement_page(request, "endorsement/sure.html", lang, path=f"{path}/{kind}", status_code=status_code,
                            headers=exc.headers if exc else None, kind=kind, view=found.view, found=found,
                            back=path, error=error, who_email=who.email if who else "",
                            sign_in_href=_sign_in_href(lang, f"{path}/{kind}"))


@router.get("/recommander/{token}/refuser", response_class=HTMLResponse)
def decline_form(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    return _sure(request, ctx, token, pick_lang(lang), "refuser", None)


@router.post("/recommander/{token}/refuser", response_class=HTMLResponse, response_model=None)
async def decline(token: str, request: Request, ctx: CtxDep) -> Response:
    """Declining needs the link only."""
    _, lang, stop = await _submitted(request, _BUTTON)
    try:
        if stop is not None:
            raise stop
        await run_in_threadpool(answering.decline_by_link, ctx, token)
    except SavoirsError as exc:
        return await run_in_threadpool(_sure, request, ctx, token, lang, "refuser", None, exc=exc)
    return _see_other(_link_path(token), lang, "refus")


@router.get("/recommander/{token}/retirer", response_class=HTMLResponse, response_model=None)
def revoke_form(token: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep, lang: str | None = None
                ) -> Response:
    language = pick_lang(lang)
    if who is None:
        return _to_sign_in(language, f"{_link_path(token)}/retirer")
    return _sure(request, ctx, token, language, "retirer", who)


@router.post("/recommander/{token}/retirer", response_class=HTMLResponse, response_model=None)
async def revoke(token: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep) -> Response:
    """Taking back needs the same proof as giving: signed in with the endorser's address."""
    if who is None:
        return _to_sign_in(pick_lang(request.query_params.get("lang")), f"{_link_path(token)}/retirer")
    _, lang, stop = await _submitted(request, _BUTTON)
    try:
        if stop is not None:
            raise stop
        await run_in_threadpool(answering.revoke_by_link, ctx, token, who.email)
    except SavoirsError as exc:
        return await run_in_threadpool(_sure, request, ctx, token, lang, "retirer", who, exc=exc)
    return _see_other(_link_path(token), lang, "retrait")


# ------------------------------------------------------------------------------------------------ the award's holder


def _holder(request: Request, ctx: ServiceContext, token: str, lang: Lang, *, done: str | None = None,
            exc: SavoirsError | None = None) -> HTMLResponse:
    path = _consent_path(token)
    try:
        found = holder_page(ctx, token)
    except SavoirsError as missing:
        return message_page(request, missing, lang, path=path)
    status_code, error = error_view(exc, lang) if exc is not None else (200, None)
    return endorsement_page(request, "endorsement/consent.html", lang, path=path, status_code=status_code,
                            headers=exc.headers if exc else None, found=found, view=found.view,
                            endorsed=found.endorsed, error=error,
                            done=done_words(done, found.view.state, lang) if done else None)


@router.get("/accord/{token}", response_class=HTMLResponse)
def holder_link(token: str, request: Request, ctx: CtxDep, lang: str | None = None, fait: str | None = None
                ) -> HTMLResponse:
    """The award's holder's link: who would endorse their award, and two buttons."""
    return _holder(request, ctx, token, pick_lang(lang), done=fait if fait in ("oui", "non") else None)


@router.post("/accord/{token}", response_class=HTMLResponse, response_model=None)
async def consent(token: str, request: Request, ctx: CtxDep) -> Response:
    values, lang, stop = await _submitted(request, _CONSENT)
    try:
        if stop is not None:
            raise stop
        if values["choice"] not in ("oui", "non"):
            words = ENDORSEMENT_TEXT
            raise BadRequest(words["en"]["choice_required"], words["fr"]["choice_required"], code="choice_required")
        await run_in_threadpool(asking.consent, ctx, token, values["choice"] == "oui")
    except SavoirsError as exc:
        return await run_in_threadpool(_holder, request, ctx, token, lang, exc=exc)
    return _see_other(_consent_path(token), lang, values["choice"])
