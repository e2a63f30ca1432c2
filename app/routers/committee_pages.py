"""The committee's pages, for its members signed in by email link or code (French first, ``?lang=en``, no script):

* ``GET /comite/{slug}``: the requests awaiting votes, those waiting for the resident's answer, the proposed badges;
* ``GET/POST /comite/{slug}/demandes/{id}``: one request (what the resident wrote, the evidence, the consents, the
  votes) and the vote form;
* ``GET/POST /comite/{slug}/propositions/{id}``: one proposed badge and the vote form;
* ``GET /comite/{slug}/demandes/{id}/preuves/{evidence_id}``: an evidence file, for the committee only.

Someone not signed in is sent to the sign-in page for the committee (``audience=committee``) and comes back here;
someone signed in who is not a member gets a plain 403 page. Each route calls one function of
:mod:`app.services.recognition.committee_pages` (the evidence file: :func:`review.evidence_for`).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep
from app.errors import SavoirsError
from app.pages.committee_text import COMMITTEE_TEXT, human_day, refusal_words
from app.pages.text import TEXT, Lang, pick_lang
from app.services.recognition import committee_pages, review
from app.services.recognition.committee_pages import Ballot
from app.signin.address import local_path
from app.signin.pages import page
from app.signin.web import MaybeSignedInDep, SignedInDep, check_csrf, read_form

__all__ = ["router"]

log = logging.getLogger("savoirs.pages")
router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(max_length=64)]
Id = Annotated[str, Path(max_length=32)]
_FORM = ("choice", "comment", "lang", "csrf")


def _base(slug: str) -> str:
    return f"/comite/{quote(slug, safe='')}"


def _to_sign_in(lang: Lang, here: str) -> RedirectResponse:
    """To the sign-in page for members of a committee, and back ``here`` once signed in."""
    query = {"next": local_path(here + ("?lang=en" if lang == "en" else "")) or "", "audience": "committee"}
    if lang == "en":
        query["lang"] = "en"
    return RedirectResponse("/connexion?" + urlencode(query), status_code=status.HTTP_303_SEE_OTHER)


def _render(request: Request, template: str, lang: Lang, path: str, slug: str, *, status_code: int = 200,
            headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """``template`` with the committee's words (``c``), its list's path (``base``), this page's (``here``)."""
    return page(request, template, lang, path=path, status_code=status_code, headers=headers,
                c=COMMITTEE_TEXT[lang], base=_base(slug), here=path, day=lambda moment: human_day(moment, lang),
                **context)


def _refusal(exc: SavoirsError, lang: Lang, email: str) -> tuple[int, dict[str, str]]:
    """The status and the words of an error shown on a page (our own failures without details)."""
    if exc.is_ours and exc.status != 503:  # a 503 says why in words (nothing internal)
        log.error("committee page failed: %s", exc.code)
        return 500, {"code": exc.code, "headline": COMMITTEE_TEXT[lang]["error"], "message": TEXT[lang]["internal"]}
    headline, message = refusal_words(exc.code, exc.status, exc.message_en if lang == "en" else exc.message_fr,
                                      lang, email=email)
    return exc.status, {"code": exc.code, "headline": headline, "message": message}


def _error_page(request: Request, exc: SavoirsError, lang: Lang, path: str, slug: str, email: str) -> HTMLResponse:
    """A plain page saying why (not a member, not found, a form that expired, our failure), with the way on."""
    status_code, error = _refusal(exc, lang, email)
    again = "/connexion?" + urlencode({"next": local_path(path) or "", "audience": "committee",
                                       **({"lang": "en"} if lang == "en" else {})})
    return _render(request, "committee/error.html", lang, path, slug, status_code=status_code, error=error,
                   again_href=again, headers=exc.headers)


def _after_vote(request: Request, template: str, lang: Lang, path: str, slug: str, email: str,
                found: committee_pages.RequestPage | committee_pages.ProposalPage) -> HTMLResponse:
    """The page again after a vote: what it did, or why it was refused (with the form as it was sent)."""
    if found.refused is None:
        return _render(request, template, lang, path, slug, view=found)
    status_code, error = _refusal(found.refused, lang, email)
    return _render(request, template, lang, path, slug, status_code=status_code, view=found, error=error)


# ------------------------------------------------------------------------------------------------ the list


@router.get("/comite/{slug}", response_class=HTMLResponse, response_model=None)
def committee(slug: Slug, request: Request, ctx: CtxDep, who: MaybeSignedInDep, lang: str | None = None) -> Response:
    """What awaits the committee's votes, and what awaits the residents' answers."""
    language, path = pick_lang(lang), _base(slug)
    if who is None:
        return _to_sign_in(language, path)
    try:
        found = committee_pages.overview(ctx, slug, who.email)
    except SavoirsError as exc:
        return _error_page(request, exc, language, path, slug, who.email)
    return _render(request, "committee/list.html", language, path, slug, view=found)


# ------------------------------------------------------------------------------------------------ a request


@router.get("/comite/{slug}/demandes/{request_id}", response_class=HTMLResponse, response_model=None)
def request_page(slug: Slug, request_id: Id, request: Request, ctx: CtxDep, who: MaybeSignedInDep,
                 lang: str | None = None) -> Response:
    language, path = pick_lang(lang), f"{_base(slug)}/demandes/{quote(request_id, safe='')}"
    if who is None:
        return _to_sign_in(language, path)
    try:
        found = committee_pages.request_page(ctx, slug, who.email, request_id)
    except SavoirsError as exc:
        return _error_page(request, exc, language, path, slug, who.email)
    return _render(request, "committee/request.html", language, path, slug, view=found)


@router.post("/comite/{slug}/demandes/{request_id}", response_class=HTMLResponse, response_model=None)
async def vote_on_request(slug: Slug, request_id: Id, request: Request, ctx: CtxDep, who: MaybeSignedInDep
                          ) -> Response:
    """The vote form: one choice of three, a comment (required to decline or ask for more), the CSRF token."""
    language, path = pick_lang(request.query_params.get("lang")), f"{_base(slug)}/demandes/{quote(request_id, safe='')}"
    if who is None:  # the session ended while the page was open
        return _to_sign_in(language, path)
    try:
        form = await read_form(request, _FORM)
        language = pick_lang(form["lang"] or language)
        check_csrf(request, form["csrf"])
        found = await run_in_threadpool(committee_pages.vote_on_request, ctx, slug, who.email, request_id,
                                        Ballot(form["choice"], form["comment"]))
    except SavoirsError as exc:
        return _error_page(request, exc, language, path, slug, who.email)
    return _after_vote(request, "committee/request.html", language, path, slug, who.email, found)


@router.get("/comite/{slug}/demandes/{request_id}/preuves/{evidence_id}", response_class=Response)
def evidence_file(slug: Slug, request_id: Id, evidence_id: Id, who: SignedInDep, ctx: CtxDep) -> Response:
    """A request's file, for its committee only: a photo shown (as stored, without metadata), a PDF or a text as an
    attachment; never cached, under a sandboxing policy."""
    found = review.evidence_for(ctx, slug, who.email, request_id, evidence_id)
    disposition = "inline" if found.media_type.startswith("image/") else "attachment"
    return Response(found.data, media_type=found.media_type, headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store", "Content-Disposition": f'{disposition}; filename="{found.filename}"',
        "Referrer-Policy": "no-referrer"})


# ------------------------------------------------------------------------------------------------ a proposal


@router.get("/comite/{slug}/propositions/{proposal_id}", response_class=HTMLResponse, response_model=None)
def proposal_page(slug: Slug, proposal_id: Id, request: Request, ctx: CtxDep, who: MaybeSignedInDep,
                  lang: str | None = None) -> Response:
    language, path = pick_lang(lang), f"{_base(slug)}/propositions/{quote(proposal_id, safe='')}"
    if who is None:
        return _to_sign_in(language, path)
    try:
        found = committee_pages.proposal_page(ctx, slug, who.email, proposal_id)
    except SavoirsError as exc:
        return _error_page(request, exc, language, path, slug, who.email)
    return _render(request, "committee/proposal.html", language, path, slug, view=found)


@router.post("/comite/{slug}/propositions/{proposal_id}", response_class=HTMLResponse, response_model=None)
async def vote_on_proposal(slug: Slug, proposal_id: Id, request: Request, ctx: CtxDep, who: MaybeSignedInDep
                           ) -> Response:
    language = pick_lang(request.query_params.get("lang"))
    path = f"{_base(slug)}/propositions/{quote(proposal_id, safe='')}"
    if who is None:
        return _to_sign_in(language, path)
    try:
        form = await read_form(request, _FORM)
        language = pick_lang(form["lang"] or language)
        check_csrf(request, form["csrf"])
        found = await run_in_threadpool(committee_pages.vote_on_proposal, ctx, slug, who.email, proposal_id,
                                        Ballot(form["choice"], form["comment"]))
    except SavoirsError as exc:
        return _error_page(request, exc, language, path, slug, who.email)
    return _after_vote(request, "committee/proposal.html", language, path, slug, who.email, found)
