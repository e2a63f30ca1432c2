"""The sign-in pages (templates under ``templates/signin/``): French first, ``?lang=en`` for English, no script,
the public pages' strict headers, never cached. Every form carries the CSRF token; an error after a submit takes the
focus (``autofocus`` on a ``role=alert`` box, no script needed) and the page title says it first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.errors import SavoirsError
from app.headers import PAGE_HEADERS
from app.pages.text import TEXT, Lang
from app.signin.text import SIGNIN_TEXT, human_moment
from app.signin.web import csrf_token, set_csrf_cookie

__all__ = ["ErrorView", "error_view", "human_moment", "page"]

log = logging.getLogger("savoirs.signin")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)

#: the short words a page title starts with after a refused submit
_HEADLINES: dict[Lang, dict[str, str]] = {
    "fr": {"signin_code_refused": "Code refusé", "signin_code_malformed": "Code incomplet",
           "signin_too_many_attempts": "Trop d'essais", "signin_too_many_failures": "Trop d'essais",
           "signin_too_many_requests": "Trop de demandes", "invalid_email": "Adresse e-mail invalide",
           "signin_link_refused": "Lien plus valable", "csrf_failed": "Formulaire expiré",
           "signin_unavailable": "Connexion indisponible", "payload_too_large": "Formulaire trop long"},
    "en": {"signin_code_refused": "Code refused", "signin_code_malformed": "Incomplete code",
           "signin_too_many_attempts": "Too many attempts", "signin_too_many_failures": "Too many attempts",
           "signin_too_many_requests": "Too many requests", "invalid_email": "Invalid email address",
           "signin_link_refused": "Link no longer valid", "csrf_failed": "Form expired",
           "signin_unavailable": "Signing in unavailable", "payload_too_large": "Form too long"},
}

@dataclass(frozen=True, slots=True)
class ErrorView:
    """A refused submit, in words: ``headline`` starts the page title."""

    code: str
    headline: str
    message: str


def error_view(exc: SavoirsError, lang: Lang) -> tuple[int, ErrorView]:
    """The status and the words of an error on a page: the caller's own, or ours without details."""
    if exc.is_ours and exc.status != 503:  # 503 says why in words (nothing internal)
        log.error("sign-in page failed: %s", exc.code)
        return 500, ErrorView(code=exc.code, headline=SIGNIN_TEXT[lang]["error_title"],
                              message=TEXT[lang]["internal"])
    headline = _HEADLINES[lang].get(exc.code, SIGNIN_TEXT[lang]["error_title"])
    return exc.status, ErrorView(code=exc.code, headline=headline,
                                 message=exc.message_en if lang == "en" else exc.message_fr)


def page(request: Request, template: str, lang: Lang, *, path: str, status_code: int = 200,
         keep: dict[str, str] | None = None, headers: dict[str, str] | None = None,
         **context: Any) -> HTMLResponse:
    """The page ``template`` in ``lang``, with a CSRF token for its forms (``csrf``; the cookie set when new).

    :param path: where the language switch points, with the query parameters in ``keep``.
    """
    token, new = csrf_token(request)
    other = TEXT[lang]["other_lang_code"]
    context.setdefault("error", None)
    html = _env.get_template(template).render(
        lang=lang, t=TEXT[lang], s=SIGNIN_TEXT[lang], csrf=token,
        switch_href=f"{path}?{urlencode({**(keep or {}), 'lang': other})}",
        lang_query="?lang=en" if lang == "en" else "", **context)
    response = HTMLResponse(html, status_code=status_code,
                            headers={**PAGE_HEADERS, "Cache-Control": "no-store", **(headers or {})})
    if new:
        set_csrf_cookie(response, request, token)
    return response
