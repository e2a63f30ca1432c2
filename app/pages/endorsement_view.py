"""How the endorsement pages are put together (templates ``endorsement/``): their words
(:mod:`app.pages.endorsement_text`), a CSRF token for the private links' forms (:func:`app.signin.pages.page`),
never indexed, never cached, no referrer; a refusal in words (its headline starts the title, its box takes the
focus); what a submit did (the page it leads to says it first, and the title too); and a badge's public page, for a
browser at the badge's own address.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.errors import SavoirsError
from app.pages.committee_text import human_day
from app.pages.endorsement_text import ENDORSEMENT_TEXT
from app.pages.render import render
from app.pages.text import TEXT, Lang, pick_lang
from app.pages.view import safe_link
from app.services.endorsement_pages import AchievementPage
from app.signin.pages import ErrorView, page

__all__ = ["achievement_html", "done_words", "endorsement_page", "error_view", "message_page", "missing_achievement"]

log = logging.getLogger("savoirs.pages")

#: what a submit did (``?fait=…``), said only when the endorsement is where that submit leaves it
_DONE = {"merci": ("accepted",), "refus": ("declined",), "retrait": ("revoked",), "oui": ("requested", "accepted"),
         "non": ("declined",)}


def done_words(fait: str | None, state: str, lang: Lang) -> str | None:
    """The sentence of a submit that was taken (``fait``), or None (nothing done, or not that)."""
    if fait is None or state not in _DONE.get(fait, ()):
        return None
    return str(ENDORSEMENT_TEXT[lang]["done"][fait])


def error_view(exc: SavoirsError, lang: Lang) -> tuple[int, ErrorView]:
    """The status and the words of a refusal on a page (our own failures without details, a 503 saying why)."""
    words = ENDORSEMENT_TEXT[lang]
    if exc.is_ours and exc.status != 503:
        log.error("endorsement page failed: %s", exc.code)
        return 500, ErrorView(exc.code, words["error"], TEXT[lang]["internal"])
    headline = words["headlines"].get(exc.code) or (words["headlines"]["not_found"] if exc.status == 404
                                                    else words["error"])
    return exc.status, ErrorView(exc.code, headline, exc.message_en if lang == "en" else exc.message_fr)


def endorsement_page(request: Request, template: str, lang: Lang, *, path: str, status_code: int = 200,
                     headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """The page ``template`` in ``lang`` with these pages' words (``e``), a CSRF token (``csrf``), the day of a
    moment in words (``day``), ``link(value)``: an address safe to link to, or None, and ``other(language)``: the
    ``lang`` attribute of a text written in another language than the page's. ``path`` is where the language
    switch points, and ``here`` where the forms post."""
    for name, value in (("done", None), ("error", None), ("here", path)):
        context.setdefault(name, value)
    return page(request, template, lang, path=path, status_code=status_code, e=ENDORSEMENT_TEXT[lang],
                day=lambda moment: human_day(moment, lang), other=lambda language: _other(language, lang),
                link=safe_link, headers={"X-Robots-Tag": "noindex", **(headers or {})}, **context)


def message_page(request: Request, exc: SavoirsError, lang: Lang, *, path: str) -> HTMLResponse:
    """A page that only says why nothing can be shown: no such link, our failure."""
    status_code, error = error_view(exc, lang)
    if status_code == 404:
        error = ErrorView(error.code, ENDORSEMENT_TEXT[lang]["missing_title"], ENDORSEMENT_TEXT[lang]["missing"])
    return endorsement_page(request, "endorsement/message.html", lang, path=path, status_code=status_code,
                            error=error, headers=exc.headers)


def _other(language: str, lang: Lang) -> str:
    return language if language and language != lang else ""


def achievement_html(found: AchievementPage, lang_value: str | None, path: str) -> HTMLResponse:
    """What a badge's address shows a browser: the badge, its organisation, and who endorses each of them."""
    lang = pick_lang(lang_value)
    return render("achievement.html", lang, path=path, headers={"Vary": "Accept"}, badge=found,
                  e=ENDORSEMENT_TEXT[lang], day=lambda moment: human_day(moment, lang),
                  other=lambda language: _other(language, lang), org_url=safe_link(found.org_url),
                  criteria_url=safe_link(found.criteria_url), json_href=f"{path}?format=json")


def missing_achievement(lang_value: str | None, path: str, kind: str = "achievement") -> HTMLResponse:
    """A browser asked for a badge that is not published, or (``kind``) an award or an organisation that is not
    there (404, in words)."""
    lang = pick_lang(lang_value)
    words = ENDORSEMENT_TEXT[lang]
    if kind == "organisation":
        words = {**words, "badge_missing": words["org_missing"]}
    return render("endorsement/missing.html", lang, status_code=404, path=path, headers={"Vary": "Accept"},
                  e=words)
