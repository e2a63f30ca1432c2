"""The sign-in message: the link, the code in large type, how long they work, and what to do if the person did not
ask. French, or English when the person chose English. Templates: ``app/templates/mail/signin.<lang>.txt`` in the
mail layout (:mod:`app.mail.render`); sent by :func:`app.mail.send_later`, never here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.config import Settings
from app.mail import Email, Language, send_later
from app.mail.render import render
from app.signin.text import human_moment

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["PURPOSE", "link_url", "queue_message", "signin_email"]

PURPOSE = "signin"


def link_url(base: str, token: str, language: Language) -> str:
    """The link of the message (the token in the query string, which the access log masks)."""
    return f"{base}/connexion/lien?token={token}" + ("&lang=en" if language == "en" else "")


def signin_email(*, to: str, language: Language, link: str, code: str, minutes: int, expires_at: datetime) -> Email:
    """The message with ``link`` and ``code`` (shown ``123 456``), valid ``minutes`` (until ``expires_at``)."""
    body = render("signin", language, org_name=None, action_url=link, code=f"{code[:3]} {code[3:]}",
                  minutes=minutes, until=human_moment(expires_at, language))
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=None,
                 purpose=PURPOSE)


def queue_message(session: Session, ctx: ServiceContext, settings: Settings, *, address: str, token: str, code: str,
                  lang: str, expires_at: datetime) -> str:
    """Record the message and queue its sending in ``session``'s transaction; its id."""
    language: Language = "en" if lang == "en" else "fr"
    email = signin_email(to=address, language=language, link=link_url(ctx.urls.base, token, language), code=code,
                         minutes=settings.signin_link_minutes, expires_at=expires_at)
    return send_later(ctx, session, email, now=ctx.clock.now())
