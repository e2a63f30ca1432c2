"""Public HTML pages: ``/`` (what the service is), ``/conditions`` and ``/confidentialite`` (terms of use and
privacy), ``/verify`` (paste a badge address or drop its file, read a plain verdict). French first (``?lang=en``
for English), no JavaScript, strict headers.

The routes read the form, verify with :func:`app.services.verification.verify_badge` and render with
:mod:`app.pages.render`; the page at a credential's own URL is :func:`app.pages.render.credential_page`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.deps import CtxDep, SettingsDep, count_verification
from app.errors import SavoirsError
from app.pages.legal_text import LEGAL_TEXT
from app.pages.render import error_page, failure_page, render, result_page
from app.pages.text import TEXT, pick_lang
from app.services.verification import verify_badge

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _address(value: str) -> dict[str, str]:
    """What was typed in the address field: a URL (``https://`` added when only a host was typed), or text."""
    value = value.strip()
    if value.startswith(("https://", "http://")):
        return {"url": value}
    if value.startswith("{") or (value.count(".") in (2, 4) and " " not in value and "/" not in value):
        return {"text": value}  # pasted JSON, or a compact JWS/JWT
    return {"url": "https://" + value}


@router.get("/", response_class=HTMLResponse)
def home(lang: str | None = None) -> HTMLResponse:
    """What the service is, in plain words, with the way to check a badge and the API docs."""
    return render("home.html", pick_lang(lang), path="/")


@router.get("/conditions", response_class=HTMLResponse)
def terms(lang: str | None = None) -> HTMLResponse:
    """The terms of use (what backpacks link to as ``tos_uri``, unless ``TERMS_URL`` names others)."""
    chosen = pick_lang(lang)
    return render("legal.html", chosen, path="/conditions", legal=LEGAL_TEXT[chosen]["conditions"])


@router.get("/confidentialite", response_class=HTMLResponse)
def privacy(lang: str | None = None) -> HTMLResponse:
    """The privacy policy (``policy_uri``, unless ``PRIVACY_POLICY_URL`` names another)."""
    chosen = pick_lang(lang)
    return render("legal.html", chosen, path="/confidentialite", legal=LEGAL_TEXT[chosen]["privacy"])


@router.get("/verify", response_class=HTMLResponse)
def verify_form(lang: str | None = None) -> HTMLResponse:
    return render("verify.html", pick_lang(lang))


@router.post("/verify", response_class=HTMLResponse)
async def verify_submitted(request: Request, ctx: CtxDep, settings: SettingsDep) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"))
    form_values = {"url": "", "recipient": ""}
    try:
        async with request.form(max_files=1, max_fields=6) as form:
            lang = pick_lang(form.get("lang") or request.query_params.get("lang"))
            url, recipient, upload = form.get("url"), form.get("recipient"), form.get("file")
            form_values = {"url": url[:2048] if isinstance(url, str) else "",
                           "recipient": recipient[:320] if isinstance(recipient, str) else ""}
            data = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""
    except StarletteHTTPException as exc:
        too_big = exc.status_code == 413
        return error_page(lang, TEXT[lang]["too_big" if too_big else "form_unreadable"],
                          status_code=413 if too_big else 400, form=form_values)
    address = form_values["url"].strip()
    if not data and not address:
        return error_page(lang, TEXT[lang]["nothing_given"], status_code=422, form=form_values)
    source: dict[str, Any] = {"data": data} if data else _address(address)
    try:
        await run_in_threadpool(count_verification, request)  # counted in the database: off the event loop
        report = await run_in_threadpool(verify_badge, ctx, settings,
                                         recipient=form_values["recipient"].strip() or None, **source)
    except SavoirsError as exc:
        return failure_page(lang, exc, form=form_values)
    return result_page(lang, report, form=form_values, upload=data)
