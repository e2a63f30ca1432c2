"""How the holder's pages are put together (templates ``holder/``): their words (:mod:`app.pages.holder_text`), a
CSRF token for their forms, never indexed, never cached; a refusal in words (its headline starts the title, its
box takes the focus); a day in words."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from app.errors import SavoirsError
from app.pages.committee_text import human_day
from app.pages.holder_text import HOLDER_TEXT
from app.pages.text import TEXT, Lang
from app.services.holders.spaces import HolderKey
from app.signin.pages import ErrorView, page
from app.signin.web import MaybeSignedInDep

__all__ = ["HOLDER_COOKIE", "HolderDep", "holder_key", "holder_page", "refusal"]

#: the cookie of a space opened with a printed claim code in this browser
HOLDER_COOKIE = "savoirs_holder"

log = logging.getLogger("savoirs.pages")


def refusal(exc: SavoirsError, lang: Lang) -> tuple[int, ErrorView]:
    """The status and the words of a refusal on a page (our own failures without details; a 503 saying why, a 502
    saying which other server failed)."""
    words = HOLDER_TEXT[lang]
    if exc.is_ours and exc.status not in (502, 503):
        log.error("holder page failed: %s", exc.code)
        return 500, ErrorView(exc.code, words["error"], TEXT[lang]["internal"])
    headline = words["headlines"].get(exc.code) or words["error"]
    return exc.status, ErrorView(exc.code, headline, exc.message_en if lang == "en" else exc.message_fr)


def _day(value: date, lang: Lang) -> str:
    return human_day(datetime.combine(value, time(12), tzinfo=UTC), lang)


def holder_page(request: Request, template: str, lang: Lang, *, path: str, status_code: int = 200,
                headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """The page ``template`` in ``lang`` with these pages' words (``h``), a CSRF token (``csrf``) and ``day(date)``;
    ``path`` is where the language switch points."""
    for name, value in (("done", None), ("error", None), ("here", path)):
        context.setdefault(name, value)
    return page(request, template, lang, path=path, status_code=status_code, h=HOLDER_TEXT[lang],
                day=lambda value: _day(value, lang), headers=headers, **context)


def holder_key(request: Request, signed: MaybeSignedInDep) -> HolderKey:
    """Who asks: the address of their sign-in session, and the space opened with a code in this browser."""
    return HolderKey(address=signed.email if signed else None, code_token=request.cookies.get(HOLDER_COOKIE))


HolderDep = Annotated[HolderKey, Depends(holder_key)]
