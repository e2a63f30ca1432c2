"""The endorsement pages of the private links (French first, ``?lang=en``, no script, every form with its CSRF
token):

* ``GET /recommander/{token}``: the endorser's link: what they are asked to vouch for, who asks and why, and, by
  state, the way to answer: sign in with the address asked (``/connexion?next=…``), then their words
  (``POST``: :func:`endorsement_pages.give`); or the endorsement as published and the way to take it back;
* ``GET/POST /recommander/{token}/refuser``: « Je préfère ne pas recommander », after « Êtes-vous sûr(e) ? » (the
  link is enough: no sign-in);
* ``GET/POST /recommander/{token}/retirer``: take the endorsement back, signed in, after « Êtes-vous sûr(e) ? »;
* ``GET/POST /accord/{token}``: the award's holder agrees (or not) that their award be endorsed;
* ``GET/POST /achievements/{id}/recommander``, ``/credentials/{id}/recommander``, ``/orgs/{slug}/recommander``: a
  visitor offers to endorse a published badge, an award or an organisation: signed in (``/connexion?next=…``), their
  name as it will be published and their words (``POST``: :func:`endorsement_pages.offer`); then
  ``GET /recommander/{token}/envoyee``: the thanks, and the offer's private link in full, to keep.

A submit that is taken is answered by a redirect (303) to the link's page, which says what it did (``?fait=…``);
a refused one by the page again with the refusal in words (the endorser's words kept; read again in the threadpool,
as every use case is run). Someone not signed in who
must be is sent to the sign-in page, and back here.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep
from app.errors import BadRequest, SavoirsError
from app.pages.endorsement_text import ENDORSEMENT_TEXT
from app.pages.endorsement_view import done_words, endorsement_page, error_view, message_page, missing_achievement
from app.pages.text import Lang, pick_lang
from app.services.context import ServiceContext
from app.services.endorsement_pages import (
    LinkPage,
    endorser_page,
    give,
    holder_page,
    offer,
    offer_page,
    offer_sent,
)
from app.services.endorsements import answering, asking
from app.signin.address import local_path
from app.signin.service import SignedIn
from app.signin.web import MaybeSignedInDep, submitted_form

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
#: the fields of each form, beside its ``csrf`` and ``lang`` (the endorser's words are read whole, up to 20,000
#: characters, then refused with their count)
_WORDS = ("comment",)
_BUTTON: tuple[str, ...] = ()
_CONSENT = ("choice",)
_OFFER = ("name", "comment")
#: what a visitor may offer to endorse, and where its public page is
Kind = Literal["organisation", "achievement", "award"]
_PUBLIC: dict[Kind, str] = {"organisation": "/orgs", "achievement": "/achievements", "award": "/credentials"}


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
    values, lang, stop = await submitted_form(request, _WORDS, limit=20_000)
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
    _, lang, stop = await submitted_form(request, _BUTTON)
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
    _, lang, stop = await submitted_form(request, _BUTTON)
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
    values, lang, stop = await submitted_form(request, _CONSENT)
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


# ------------------------------------------------------------------------------------------------ a visitor's offer


def _offer_path(kind: Kind, given: str) -> str:
    return f"{_PUBLIC[kind]}/{quote(given, safe='')}/recommander"


def _offer_form(request: Request, ctx: ServiceContext, kind: Kind, given: str, lang: Lang, who: SignedIn | None,
                *, exc: SavoirsError | None = None, name: str = "", typed: str = "") -> HTMLResponse:
    """What the visitor would endorse, and the way to sign in or the form; with the refusal of a submit (``exc``)
    and what they typed (``name``, ``typed``). Nothing public there: the missing page (404)."""
    path = _offer_path(kind, given)
    try:
        found = offer_page(ctx, kind, given)
    except SavoirsError as missing:
        if missing.status == 404:
            return missing_achievement(lang, path, kind)
        return message_page(request, missing, lang, path=path)  # no longer endorsable (a revoked award), our failure
    status_code, error = error_view(exc, lang) if exc is not None else (200, None)
    return endorsement_page(request, "endorsement/offer.html", lang, path=path, status_code=status_code,
                            headers=exc.headers if exc else None, found=found, endorsed=found.endorsed, error=error,
                            who_email=who.email if who else "", sign_in_href=_sign_in_href(lang, path),
                            typed_name=name, typed=typed)


async def _offer_sent(request: Request, ctx: ServiceContext, kind: Kind, given: str, who: SignedIn | None
                      ) -> Response:
    """The visitor's offer: taken (then the thanks, on the offer's private link), or the form again saying why not."""
    if who is None:  # never signed in, or the session ended while the page was open
        return _to_sign_in(pick_lang(request.query_params.get("lang")), _offer_path(kind, given))
    values, lang, stop = await submitted_form(request, _OFFER, limit=20_000)
    try:
        if stop is not None:
            raise stop
        sent = await run_in_threadpool(offer, ctx, who.email, kind, given, values["name"], values["comment"], lang)
    except SavoirsError as exc:
        return await run_in_threadpool(_offer_form, request, ctx, kind, given, lang, who, exc=exc,
                                       name=values["name"], typed=values["comment"])
    thanks = urlsplit(sent.link).path + "/envoyee" + ("?lang=en" if lang == "en" else "")
    return RedirectResponse(thanks, status_code=status.HTTP_303_SEE_OTHER)


@router.get("/achievements/{achievement_id}/recommander", response_class=HTMLResponse)
def offer_badge_form(achievement_id: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep,
                     lang: str | None = None) -> HTMLResponse:
    """A published badge's visitor offers to endorse it."""
    return _offer_form(request, ctx, "achievement", achievement_id, pick_lang(lang), who)


@router.post("/achievements/{achievement_id}/recommander", response_class=HTMLResponse, response_model=None)
async def offer_badge(achievement_id: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep) -> Response:
    return await _offer_sent(request, ctx, "achievement", achievement_id, who)


@router.get("/credentials/{award_id}/recommander", response_class=HTMLResponse)
def offer_award_form(award_id: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep, lang: str | None = None
                     ) -> HTMLResponse:
    """An award's visitor offers to endorse it (published once its holder agrees too)."""
    return _offer_form(request, ctx, "award", award_id, pick_lang(lang), who)


@router.post("/credentials/{award_id}/recommander", response_class=HTMLResponse, response_model=None)
async def offer_award(award_id: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep) -> Response:
    return await _offer_sent(request, ctx, "award", award_id, who)


@router.get("/orgs/{slug}/recommander", response_class=HTMLResponse)
def offer_organisation_form(slug: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep,
                            lang: str | None = None) -> HTMLResponse:
    """An organisation's visitor offers to endorse it."""
    return _offer_form(request, ctx, "organisation", slug, pick_lang(lang), who)


@router.post("/orgs/{slug}/recommander", response_class=HTMLResponse, response_model=None)
async def offer_organisation(slug: str, request: Request, ctx: CtxDep, who: MaybeSignedInDep) -> Response:
    return await _offer_sent(request, ctx, "organisation", slug, who)


@router.get("/recommander/{token}/envoyee", response_class=HTMLResponse)
def offer_thanks(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """Right after an offer: the thanks, and its private link in full, to keep (the link is enough to see it)."""
    language, path = pick_lang(lang), f"{_link_path(token)}/envoyee"
    try:
        sent = offer_sent(ctx, token)
    except SavoirsError as exc:
        return message_page(request, exc, language, path=path)
    return endorsement_page(request, "endorsement/offered.html", language, path=path, sent=sent, view=sent.view,
                            endorsed=sent.endorsed, follow=_link_path(token),
                            done=ENDORSEMENT_TEXT[language]["offer_thanks"].format(org=sent.view.asked_by))
