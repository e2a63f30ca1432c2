"""How the residents' pages are put together (templates ``follow*.html`` and ``recognition/``): their words
(:mod:`app.pages.recognition_text`), a CSRF token for their forms (:func:`app.signin.pages.page`), never indexed,
never cached, no referrer; a refused form's errors in words, in the page's order, each tied to its field, with a
summary first that takes the focus and a title starting with « Erreur : »."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.errors import SavoirsError
from app.pages.recognition_text import RECOGNITION_TEXT
from app.pages.text import Lang
from app.services.recognition.forms import Refusal
from app.signin.pages import page

__all__ = ["FOLLOW_FIELDS", "PROPOSAL_FIELDS", "REQUEST_FIELDS", "ErrorItem", "FormErrors", "form_errors",
           "message_page", "resident_page"]

#: each form's fields in the order its page shows them (the errors' summary follows it)
REQUEST_FIELDS = ("level", "kind", "group_name", "members", "name", "contact", "email", "phone", "narrative",
                  "evidence", "text_evidence", "publish_evidence", "publish_name")
PROPOSAL_FIELDS = ("name", "description", "criteria", "levels", "proposers", "email")
FOLLOW_FIELDS = ("evidence", "text")
#: where a group of radio buttons is reached from the summary: its first button
_ANCHORS = {"level": "level-1", "kind": "kind-individual", "contact": "contact-email"}


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One line of the summary: ``anchor`` is the id of the field it links to ("" for the whole form)."""

    field: str
    anchor: str
    label: str
    message: str


@dataclass(frozen=True, slots=True)
class FormErrors:
    headline: str
    items: tuple[ErrorItem, ...]

    def on(self, field: str) -> str:
        """What is wrong with ``field`` ("" when nothing), shown next to it."""
        return " ".join(item.message for item in self.items if item.field == field and item.anchor)


def _number(value: Any, lang: Lang) -> str:
    if not isinstance(value, int):
        return str(value)
    return f"{value:,}".replace(",", "\u202f" if lang == "fr" else ",")


def _message(refusal: Refusal, lang: Lang) -> str:
    words = RECOGNITION_TEXT[lang]
    if refusal.code == "required":
        return str(words["required"].get(refusal.field, words["required"][""]))
    if refusal.code:
        params = {"max": "", "count": "", "line": "", **refusal.params}
        return str(words["codes"][refusal.code]).format(**{k: _number(v, lang) for k, v in params.items()})
    said = refusal.message_en if lang == "en" else refusal.message_fr
    return str(words["file"]).format(file=refusal.params["file"], message=said) if refusal.params.get("file") else said


def form_errors(refused: tuple[Refusal, ...], lang: Lang, order: tuple[str, ...],
                stopped: SavoirsError | None = None) -> FormErrors | None:
    """The errors of a refused form (None when nothing was refused), in the order of the page's fields ``order``;
    a refusal of the whole form (``stopped``: an expired form, too many submits) names the summary."""
    if not refused:
        return None
    words = RECOGNITION_TEXT[lang]
    rank = {name: index for index, name in enumerate(order)}
    items = tuple(ErrorItem(r.field, _ANCHORS.get(r.field, r.field) if r.field in rank else "",
                            str(words["labels"].get(r.field, "")) if r.field in rank else "", _message(r, lang))
                  for r in sorted(refused, key=lambda r: rank.get(r.field, -1)))
    if stopped is not None:
        headline = str(words["headlines"].get(stopped.code, words["error"]))
    else:
        headline = words["errors_one"] if len(items) == 1 else str(words["errors_many"]).format(n=len(items))
    return FormErrors(headline, items)


def resident_page(request: Request, template: str, lang: Lang, *, path: str, status_code: int = 200,
                  headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """The page ``template`` in ``lang`` with these pages' words (``r``) and a CSRF token (``csrf``); ``path`` is
    where the language switch points."""
    for name, value in (("errors", None), ("done", None), ("files_dropped", False), ("here", path)):
        context.setdefault(name, value)
    return page(request, template, lang, path=path, status_code=status_code, r=RECOGNITION_TEXT[lang],
                headers={"X-Robots-Tag": "noindex", **(headers or {})}, **context)


def message_page(request: Request, lang: Lang, *, path: str, title: str, message: str, status_code: int,
                 back: str | None = None, headers: dict[str, str] | None = None) -> HTMLResponse:
    """A page that only says something: nothing found, requests closed, a refused withdrawal (``back``: the page to
    go back to). Anything but a 200 is an error: it takes the focus and the title says so."""
    return resident_page(request, "recognition/message.html", lang, path=path, status_code=status_code,
                         headers=headers, title=title, message=message, back=back, failed=status_code >= 400)
