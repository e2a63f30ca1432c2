"""Sending a badge from the holder's space to their backpack elsewhere (OB 3.0 API, client side):

* ``POST /mon-espace/badges/{id}/sac``: to a backpack already connected (``connection``), or to the one at the
  ``address`` typed; answered by a page with the link to the backpack's authorisation page (a link, not a
  redirect: browsers hold a submit's redirects to the page's ``form-action 'self'``, and the holder sees where she
  goes), or, when the backpack took the badge at once, by a redirect to the badge's page (``?fait=sent``);
* ``GET /mon-espace/sac/retour``: where the backpack sends the holder back (``state``, ``code`` or ``error``); the
  badge is sent, then the badge's page says so.

A refusal (the address is not a backpack's, the backpack is unreachable or says no, the holder said no there)
is a page that says it in words, with the form again.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep, SettingsDep
from app.errors import SavoirsError
from app.pages.holder_view import HolderDep, holder_page, refusal
from app.pages.text import Lang, pick_lang
from app.services.holders import backpacks
from app.signin.web import submitted_form

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_SPACE = "/mon-espace"


def _badge_path(award_id: str) -> str:
    return f"{_SPACE}/badges/{quote(award_id, safe='')}"


def _to_badge(award_id: str, lang: Lang) -> RedirectResponse:
    query = "?fait=sent" + ("&lang=en" if lang == "en" else "")
    return RedirectResponse(_badge_path(award_id) + query, status_code=status.HTTP_303_SEE_OTHER)


def _refused(request: Request, exc: SavoirsError, lang: Lang, award_id: str | None, typed: str = "") -> Response:
    code, error = refusal(exc, lang)
    badge_path = _badge_path(award_id) if award_id else _SPACE
    return holder_page(request, "holder/backpack.html", lang, path=badge_path, status_code=code, error=error,
                       badge_path=badge_path, send_to=f"{badge_path}/sac" if award_id else None, backpacks=(),
                       typed_address=typed, headers=exc.headers)


@router.post(f"{_SPACE}/badges/{{award_id}}/sac")
async def send(request: Request, award_id: str, ctx: CtxDep, settings: SettingsDep, who: HolderDep) -> Response:
    values, lang, refused = await submitted_form(request, ("address", "connection"), limit=4000)
    if who.empty:
        return RedirectResponse(_SPACE, status_code=status.HTTP_303_SEE_OTHER)
    typed = values["address"][:2000]
    try:
        if refused:
            raise refused
        done = await run_in_threadpool(backpacks.send, ctx, settings, who, award_id, address=typed,
                                       connection_id=values["connection"] or None)
    except SavoirsError as exc:
        return _refused(request, exc, lang, award_id, typed)
    if isinstance(done, backpacks.Authorise):  # a link, not a redirect: the page's form-action is 'self'
        badge_path = _badge_path(award_id)
        return holder_page(request, "holder/backpack_go.html", lang, path=badge_path, badge_path=badge_path,
                           url=done.url, name=done.backpack)
    return _to_badge(done.award_id, lang)


@router.get(backpacks.CALLBACK_PATH)
async def come_back(request: Request, ctx: CtxDep, settings: SettingsDep, who: HolderDep,
                    state: str = Query("", max_length=200), code: str | None = Query(None, max_length=2000),
                    error: str | None = Query(None, max_length=200),
                    lang: str | None = Query(None, max_length=8)) -> Response:
    chosen = pick_lang(lang)
    if who.empty:
        return RedirectResponse(_SPACE, status_code=status.HTTP_303_SEE_OTHER)
    try:
        sent = await run_in_threadpool(backpacks.come_back, ctx, settings, who, state=state, code=code, error=error)
    except SavoirsError as exc:
        return _refused(request, exc, chosen, exc.extra.get("award_id"))
    return _to_badge(sent.award_id, chosen)
