"""Rendering the public pages: the Jinja2 environment (autoescape on), strict headers, the ``/verify`` result and
error pages, and the page a browser sees at a credential's own URL.

Errors are shown in words, never as a traceback: a caller's error (4xx) with its own status and message, our own
failure (``SavoirsError.is_ours``) as a friendly "something went wrong on our side" with status 500.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.deps import count_verification, get_context, get_settings
from app.errors import CredentialPrivate, NotFound, SavoirsError
from app.headers import PAGE_CSP, PAGE_HEADERS
from app.pages.text import TEXT, Lang, pick_lang
from app.pages.view import credential_links, result_view, safe_image, safe_link, with_uploaded_image
from app.services.ob2 import BadgePage
from app.services.publication import ServedCredential
from app.services.verification import verify_our_credential
from app.verify.report import Report

__all__ = ["CSP", "SECURITY_HEADERS", "badge_page", "credential_page", "error_page", "failure_page",
           "missing_credential_page", "render", "result_page"]

log = logging.getLogger("savoirs.pages")

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)

CSP = PAGE_CSP
SECURITY_HEADERS = PAGE_HEADERS


def render(template: str, lang: Lang, *, status_code: int = 200, path: str = "/verify",
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """A page from ``template`` in ``lang``; ``path`` is where the language switch points."""
    context.setdefault("result", None)
    context.setdefault("error", None)
    context.setdefault("form", {"url": "", "recipient": ""})
    context.setdefault("links", None)
    context.setdefault("error_title", None)
    html = _env.get_template(template).render(
        lang=lang, t=TEXT[lang], switch_href=f"{path}?lang={TEXT[lang]['other_lang_code']}",
        lang_query="?lang=en" if lang == "en" else "", **context)
    return HTMLResponse(html, status_code=status_code,
                        headers={**SECURITY_HEADERS, "Cache-Control": "no-store", **(headers or {})})


def _shown(exc: SavoirsError, lang: Lang) -> tuple[int, str]:
    """The status and the words for an error: the caller's own, or ours without details."""
    if exc.is_ours:
        log.error("verification page failed: %s", exc.code, exc_info=exc)
        return 500, TEXT[lang]["internal"]
    return exc.status, exc.message_en if lang == "en" else exc.message_fr


def error_page(lang: Lang, message: str, *, status_code: int, form: dict[str, str]) -> HTMLResponse:
    """``/verify`` again, with the form as it was sent and ``message`` saying why nothing was verified."""
    return render("verify.html", lang, status_code=status_code, error=message, form=form)


def failure_page(lang: Lang, exc: SavoirsError, *, form: dict[str, str]) -> HTMLResponse:
    """``/verify`` after a verification that could not run (unusable input, too many requests, our failure)."""
    status, message = _shown(exc, lang)
    return error_page(lang, message, status_code=status, form=form)


def result_page(lang: Lang, report: Report, *, form: dict[str, str], upload: bytes = b"") -> HTMLResponse:
    """``/verify`` with the verdict on ``report`` (and the uploaded baked PNG shown when the badge names no
    image)."""
    view = with_uploaded_image(result_view(report, lang), report, upload)
    return render("verify.html", lang, result=view, form=form)


def credential_page(request: Request, award_id: str, served: ServedCredential, lang_value: str | None
                    ) -> HTMLResponse:
    """The page a browser sees at ``/credentials/{award_id}`` (and at its OB 2.0 assertion's address): this
    credential verified, with share and download links when it is valid, the reason when it was revoked.
    Synchronous (the caller runs in the threadpool): the verifier reads our keys and status list from the database
    (never over HTTP from ourselves)."""
    lang = pick_lang(lang_value)
    path = f"/credentials/{quote(award_id, safe='')}"
    credential = served.document
    given_id = credential.get("id")
    credential_url = given_id if isinstance(given_id, str) else str(request.url)
    try:
        count_verification(request)
        report = verify_our_credential(get_context(request), get_settings(request), credential,
                                       suspended=served.suspended)
    except SavoirsError as exc:  # e.g. too many verifications from this client
        status, message = _shown(exc, lang)
        return render("credential.html", lang, status_code=status, path=path, links=None, error=message,
                      headers={"Vary": "Accept", **exc.headers})
    view = result_view(report, lang)
    view = replace(view, image=view.image or f"{path}/badge.png", revocation_reason=served.revocation_reason)
    links = credential_links(path, credential_url, award_id, view, report.issued, report.expires)
    return render("credential.html", lang, path=path, result=view, links=links, headers={"Vary": "Accept"})


def badge_page(page: BadgePage, lang_value: str | None, path: str) -> HTMLResponse:
    """What a BadgeClass's address shows a browser: the badge, what it takes, who awards it (not an award: nothing
    is verified here)."""
    lang = pick_lang(lang_value)
    document = page.document
    found = document.get("criteria")
    criteria: dict[str, Any] = found if isinstance(found, dict) else {}
    return render("badge.html", lang, path=path, headers={"Vary": "Accept"}, badge={
        "name": document.get("name"), "description": document.get("description"),
        "image": safe_image(document.get("image")), "criteria": criteria.get("narrative"),
        "criteria_url": safe_link(criteria.get("id")), "issuer": page.issuer_name,
        "issuer_url": safe_link(page.issuer_url), "json": f"{path}?format=json"})


def missing_credential_page(lang_value: str | None, exc: NotFound | None = None) -> HTMLResponse:
    """A browser asked for a credential that does not exist, or that its holder keeps private (404, in words, with
    the form that verifies a badge's file: nothing of the badge or its holder is shown)."""
    lang = pick_lang(lang_value)
    if isinstance(exc, CredentialPrivate):
        return render("verify.html", lang, status_code=404, error=exc.message_en if lang == "en" else exc.message_fr,
                      error_title=TEXT[lang]["private_title"], headers={"Vary": "Accept"})
    return render("verify.html", lang, status_code=404, error=TEXT[lang]["missing"], headers={"Vary": "Accept"})
