"""The residents' pages, without an account (French first, ``?lang=en``, no script, every form with its CSRF token):

* ``GET/POST /demander/{slug}/{achievement_id}``: ask for a published badge, with evidence;
* ``GET /suivi/{token}``: where the request stands (its private link); ``…/envoyee``: the link in full, right after
  sending; ``POST …/preuves``: add evidence (the answer to the committee's question); ``GET/POST …/retirer``:
  withdraw, after « Êtes-vous sûr(e) ? »;
* ``GET/POST /proposer/{slug}``: propose a new badge; ``GET /proposition/{token}`` (``…/envoyee``),
  ``GET/POST …/modifier``, ``GET/POST …/retirer``.

A submit that is taken is answered by a redirect (303) to the updated page, so that reloading sends nothing twice; a
refused one by the form again as typed (files must be chosen again) with its errors. Each route calls one function of
:mod:`app.services.recognition.forms` (or reads a request or proposal as the API does). Forms that store something
count against the client and the organisation (:class:`ResidentLimits`); the new request and proposal forms carry a
trap field, ``site_web``, that people never see: filled, nothing is stored.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.deps import CtxDep, get_context
from app.errors import SavoirsError
from app.pages.follow import FOLLOW_FIELDS, PROPOSAL_FIELDS, REQUEST_FIELDS, form_errors, message_page, resident_page
from app.pages.recognition_text import RECOGNITION_TEXT, files_too_large, form_unreadable, too_many_submits, trap_filled
from app.pages.text import TEXT, Lang, pick_lang
from app.ratelimit import SharedWindow, Window
from app.services.context import ServiceContext
from app.services.recognition import forms, proposals, requests
from app.services.recognition.forms import Attempt, TypedProposal, TypedRequest, read_typed
from app.services.recognition.requests import MAX_FILES, Upload
from app.signin.web import check_csrf, client

__all__ = ["ResidentLimits", "router"]

log = logging.getLogger("savoirs.pages")
router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(max_length=64)]
_LOCK = threading.Lock()
_REQUEST = ("csrf", "lang", "site_web", *(f.name for f in fields(TypedRequest)))
_PROPOSAL = ("csrf", "lang", "site_web", *(f.name for f in fields(TypedProposal)))
_BUTTON = ("csrf", "lang")


@dataclass(frozen=True, slots=True)
class ResidentLimits:
    """Forms sent from one client (a social centre's computers share one address: generous), and requests and
    proposals stored for one organisation, in an hour; on the service's clock."""

    client: Window
    org: Window

    @classmethod
    def shared(cls, ctx: ServiceContext) -> ResidentLimits:
        return cls(client=SharedWindow(ctx.db, "resident-forms", 30, timedelta(hours=1)),
                   org=SharedWindow(ctx.db, "organisation-forms", 200, timedelta(hours=1)))


def _limits(request: Request) -> ResidentLimits:
    state = request.app.state
    with _LOCK:
        found = getattr(state, "resident_limits", None)
        if found is None:
            found = state.resident_limits = ResidentLimits.shared(get_context(request))
    return found


async def _read(request: Request, names: tuple[str, ...]) -> tuple[dict[str, str], list[Upload]]:
    """The text fields ``names`` of a form (missing ones empty) and its evidence files (empty parts left out)."""
    try:
        async with request.form(max_files=2 * MAX_FILES, max_fields=len(names) + 8) as form:
            values = {name: value[:20_000] if isinstance(value := form.get(name), str) else "" for name in names}
            files = [Upload(part.filename, part.content_type, await part.read()) for part in form.getlist("evidence")
                     if isinstance(part, UploadFile)]
    except StarletteHTTPException as exc:
        raise files_too_large() if exc.status_code == 413 else form_unreadable() from None
    return values, [f for f in files if f.data]


async def _submitted(request: Request, ctx: ServiceContext, names: tuple[str, ...], *, org: str | None = None,
                     counted: bool = True) -> tuple[dict[str, str], list[Upload], Lang, SavoirsError | None]:
    """A submitted form, its language and the page's own refusal, decided before its fields are read: unreadable,
    the CSRF token, the limits (a ``counted`` submit counts), the trap field."""
    lang = pick_lang(request.query_params.get("lang"))
    try:
        values, files = await _read(request, names)
    except SavoirsError as exc:
        return {}, [], lang, exc
    lang = pick_lang(values["lang"] or lang)
    try:
        check_csrf(request, values["csrf"])
    except SavoirsError as exc:
        return values, files, lang, exc
    if not counted:
        return values, files, lang, None
    wait = await run_in_threadpool(_count_submit, _limits(request), client(request), org, ctx.clock.now())
    if wait is not None:
        return values, files, lang, too_many_submits(wait)
    return values, files, lang, trap_filled() if values.get("site_web") else None


def _count_submit(limits: ResidentLimits, who: str, org: str | None, now: datetime) -> int | None:
    """One more form from ``who``: the seconds to wait when this client or organisation has sent too many (counted
    in the database: off the event loop)."""
    wait = limits.client.retry_after(who, now) or (limits.org.retry_after(org, now) if org else None)
    if wait is None:
        limits.client.hit(who, now)
    return wait


def _see_other(path: str, lang: Lang, query: str = "") -> RedirectResponse:
    parts = [part for part in (query, "lang=en" if lang == "en" else "") if part]
    return RedirectResponse(path + ("?" + "&".join(parts) if parts else ""), status_code=status.HTTP_303_SEE_OTHER)


def _refused(attempt: Attempt) -> dict[str, Any]:
    """The status and headers of a refused form's page."""
    stopped = attempt.stopped
    return {"status_code": stopped.status if stopped else 422, "headers": stopped.headers if stopped else None}


def _unavailable(request: Request, exc: SavoirsError, lang: Lang, path: str, back: str | None = None
                 ) -> HTMLResponse:
    """The page saying why a page cannot be shown (nothing there, requests closed, our failure), in words."""
    words = RECOGNITION_TEXT[lang]
    if exc.is_ours:
        log.error("resident page failed: %s", exc.code)
        return message_page(request, lang, path=path, title=words["error"], message=TEXT[lang]["internal"],
                            status_code=500)
    if exc.status == 404:
        return message_page(request, lang, path=path, title=words["missing_title"], message=words["missing"],
                            status_code=404)
    title = words["closed_title"] if exc.code == "requests_closed" else \
        words["headlines"].get(exc.code, words["error"])
    return message_page(request, lang, path=path, title=title, message=exc.message_en if lang == "en" else
                        exc.message_fr, status_code=exc.status, back=back, headers=exc.headers)


def _closed(request: Request, lang: Lang, path: str, org_name: str) -> HTMLResponse:
    words = RECOGNITION_TEXT[lang]
    return message_page(request, lang, path=path, title=words["closed_title"],
                        message=words["closed"].format(org=org_name), status_code=200)


# ------------------------------------------------------------------------------------------------ asking for a badge


def _ask_path(slug: str, achievement_id: str) -> str:
    return f"/demander/{quote(slug, safe='')}/{quote(achievement_id, safe='')}"


@router.get("/demander/{slug}/{achievement_id}", response_class=HTMLResponse)
def ask(slug: Slug, achievement_id: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """The request form of a published badge: its levels, who asks, what they did, evidence, consents."""
    language, path = pick_lang(lang), _ask_path(slug, achievement_id)
    try:
        badge = forms.request_form(ctx, slug, achievement_id)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    if not badge.open:
        return _closed(request, language, path, badge.org_name)
    return resident_page(request, "recognition/ask.html", language, path=path, badge=badge, typed=TypedRequest())


@router.post("/demander/{slug}/{achievement_id}", response_class=HTMLResponse, response_model=None)
async def ask_sent(slug: Slug, achievement_id: str, request: Request, ctx: CtxDep) -> Response:
    path = _ask_path(slug, achievement_id)
    values, files, lang, stop = await _submitted(request, ctx, _REQUEST, org=slug)
    typed = read_typed(TypedRequest, values)
    try:
        attempt = await run_in_threadpool(forms.send_request, ctx, slug, achievement_id, typed, files, lang,
                                          stop=stop)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, path)
    if attempt.token is not None:
        await run_in_threadpool(_limits(request).org.hit, slug, ctx.clock.now())
        return _see_other(f"/suivi/{attempt.token}/envoyee", lang)
    return resident_page(request, "recognition/ask.html", lang, path=path, badge=attempt.badge, typed=typed,
                         errors=form_errors(attempt.refused, lang, REQUEST_FIELDS, attempt.stopped),
                         files_dropped=bool(files), **_refused(attempt))


# ------------------------------------------------------------------------------------------------ a request's page


def _follow_path(token: str) -> str:
    return f"/suivi/{quote(token, safe='')}"


@router.get("/suivi/{token}/envoyee", response_class=HTMLResponse)
def request_sent(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """Right after sending: the private link in full, to keep (and to print)."""
    language, path = pick_lang(lang), f"{_follow_path(token)}/envoyee"
    try:
        found = forms.sent(ctx, "request", token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    return resident_page(request, "recognition/sent.html", language, path=path, sent=found, kind="request",
                         follow=_follow_path(token))


@router.get("/suivi/{token}", response_class=HTMLResponse)
def follow_request(token: str, request: Request, ctx: CtxDep, lang: str | None = None, fait: str | None = None
                   ) -> HTMLResponse:
    """The resident's private link: where the request stands, and, while it is open, its two forms."""
    language, path = pick_lang(lang), _follow_path(token)
    try:
        found = requests.follow(ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    done = fait if fait == "preuve" or (fait == "retrait" and found.state == "withdrawn") else None
    return resident_page(request, "follow.html", language, path=path, req=found, here=path, text="",
                         done=RECOGNITION_TEXT[language]["done"][done] if done else None)


@router.post("/suivi/{token}/preuves", response_class=HTMLResponse, response_model=None)
async def add_evidence(token: str, request: Request, ctx: CtxDep) -> Response:
    path = _follow_path(token)
    values, files, lang, stop = await _submitted(request, ctx, ("csrf", "lang", "text"))
    try:
        attempt = await run_in_threadpool(forms.add_evidence, ctx, token, files, values.get("text", ""), stop=stop)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, path)
    if attempt.done:
        return _see_other(path, lang, "fait=preuve")
    return resident_page(request, "follow.html", lang, path=path, req=attempt.request, here=path,
                         text=attempt.text, files_dropped=bool(files),
                         errors=form_errors(attempt.refused, lang, FOLLOW_FIELDS, attempt.stopped),
                         **_refused(attempt))


@router.get("/suivi/{token}/retirer", response_class=HTMLResponse)
def withdraw_request_form(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """« Êtes-vous sûr(e) ? » and one button."""
    language, path = pick_lang(lang), _follow_path(token)
    try:
        found = requests.follow(ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    return resident_page(request, "recognition/withdraw.html", language, path=f"{path}/retirer", kind="request",
                         name=found.achievement_name, open=found.state in ("received", "more_info"), back=path)


@router.post("/suivi/{token}/retirer", response_class=HTMLResponse, response_model=None)
async def withdraw_request(token: str, request: Request, ctx: CtxDep) -> Response:
    path = _follow_path(token)
    _, _, lang, stop = await _submitted(request, ctx, _BUTTON, counted=False)
    try:
        if stop is not None:
            raise stop
        await run_in_threadpool(requests.withdraw, ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, f"{path}/retirer", back=path)
    return _see_other(path, lang, "fait=retrait")


# ------------------------------------------------------------------------------------------------ proposing a badge


@router.get("/proposer/{slug}", response_class=HTMLResponse)
def propose(slug: Slug, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """The form to propose a new badge to the organisation's committee."""
    language, path = pick_lang(lang), f"/proposer/{quote(slug, safe='')}"
    try:
        org_name, open_now = forms.proposal_form(ctx, slug)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    if not open_now:
        return _closed(request, language, path, org_name)
    return resident_page(request, "recognition/propose.html", language, path=path, org_name=org_name,
                         typed=TypedProposal(), action=path, revising=None)


@router.post("/proposer/{slug}", response_class=HTMLResponse, response_model=None)
async def propose_sent(slug: Slug, request: Request, ctx: CtxDep) -> Response:
    path = f"/proposer/{quote(slug, safe='')}"
    values, _, lang, stop = await _submitted(request, ctx, _PROPOSAL, org=slug)
    typed = read_typed(TypedProposal, values)
    try:
        attempt = await run_in_threadpool(forms.send_proposal, ctx, slug, typed, lang, stop=stop)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, path)
    if attempt.token is not None:
        await run_in_threadpool(_limits(request).org.hit, slug, ctx.clock.now())
        return _see_other(f"/proposition/{attempt.token}/envoyee", lang)
    return resident_page(request, "recognition/propose.html", lang, path=path, org_name=attempt.org_name,
                         typed=typed, action=path, revising=None,
                         errors=form_errors(attempt.refused, lang, PROPOSAL_FIELDS, attempt.stopped),
                         **_refused(attempt))


def _proposal_path(token: str) -> str:
    return f"/proposition/{quote(token, safe='')}"


@router.get("/proposition/{token}/envoyee", response_class=HTMLResponse)
def proposal_sent(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    language, path = pick_lang(lang), f"{_proposal_path(token)}/envoyee"
    try:
        found = forms.sent(ctx, "proposal", token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    return resident_page(request, "recognition/sent.html", language, path=path, sent=found, kind="proposal",
                         follow=_proposal_path(token))


@router.get("/proposition/{token}", response_class=HTMLResponse)
def follow_proposal(token: str, request: Request, ctx: CtxDep, lang: str | None = None, fait: str | None = None
                    ) -> HTMLResponse:
    """A proposal's private link: where it stands, the committee's question or reason, the badge once adopted."""
    language, path = pick_lang(lang), _proposal_path(token)
    try:
        found = proposals.follow(ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    done = {"modif": "modif", "retrait": "retrait_proposition"}.get(fait or "")
    if done == "retrait_proposition" and found.state != "withdrawn":
        done = None
    return resident_page(request, "recognition/proposal.html", language, path=path, proposal=found, here=path,
                         done=RECOGNITION_TEXT[language]["done"][done] if done else None)


@router.get("/proposition/{token}/modifier", response_class=HTMLResponse)
def revise_form(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    """The proposal's form, filled with the proposal as it stands."""
    language, path = pick_lang(lang), f"{_proposal_path(token)}/modifier"
    try:
        attempt = forms.revise_proposal(ctx, token, None, language)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    return resident_page(request, "recognition/propose.html", language, path=path, org_name="", typed=attempt.typed,
                         action=path, revising=attempt.proposal, back=_proposal_path(token))


@router.post("/proposition/{token}/modifier", response_class=HTMLResponse, response_model=None)
async def revise(token: str, request: Request, ctx: CtxDep) -> Response:
    path = f"{_proposal_path(token)}/modifier"
    values, _, lang, stop = await _submitted(request, ctx, _PROPOSAL)
    typed = read_typed(TypedProposal, values)
    try:
        attempt = await run_in_threadpool(forms.revise_proposal, ctx, token, typed, lang, stop=stop)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, path)
    if attempt.done:
        return _see_other(_proposal_path(token), lang, "fait=modif")
    return resident_page(request, "recognition/propose.html", lang, path=path, org_name="", typed=typed,
                         action=path, revising=attempt.proposal, back=_proposal_path(token),
                         errors=form_errors(attempt.refused, lang, PROPOSAL_FIELDS, attempt.stopped),
                         **_refused(attempt))


@router.get("/proposition/{token}/retirer", response_class=HTMLResponse)
def withdraw_proposal_form(token: str, request: Request, ctx: CtxDep, lang: str | None = None) -> HTMLResponse:
    language, path = pick_lang(lang), _proposal_path(token)
    try:
        found = proposals.follow(ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, language, path)
    return resident_page(request, "recognition/withdraw.html", language, path=f"{path}/retirer", kind="proposal",
                         name=found.name, open=found.state in ("received", "more_info"), back=path)


@router.post("/proposition/{token}/retirer", response_class=HTMLResponse, response_model=None)
async def withdraw_proposal(token: str, request: Request, ctx: CtxDep) -> Response:
    path = _proposal_path(token)
    _, _, lang, stop = await _submitted(request, ctx, _BUTTON, counted=False)
    try:
        if stop is not None:
            raise stop
        await run_in_threadpool(proposals.withdraw, ctx, token)
    except SavoirsError as exc:
        return _unavailable(request, exc, lang, f"{path}/retirer", back=path)
    return _see_other(path, lang, "fait=retrait")
