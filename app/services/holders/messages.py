"""The message that tells a person, at the address a badge was issued to, that it is theirs: its link opens their
holder space (they sign in with a code sent to that address, which claims it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.mail import Email, Language, send_later
from app.mail.render import render
from app.models import Achievement, Award, Organisation

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["award_received", "tell_the_recipients"]


def award_received(*, to: str, language: Language, org_id: str, org_name: str, badge_name: str,
                   action_url: str) -> Email:
    body = render("award_received", language, org_name=org_name, action_url=action_url, badge_name=badge_name)
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose="award.received")


def tell_the_recipients(ctx: ServiceContext, session: Session, given: Iterable[tuple[Award, str]], *,
                        now: datetime) -> None:
    """Queue, in the caller's transaction, one message per award given to an email address: (award, address)."""
    for award, address in given:
        org = session.get_one(Organisation, award.org_id)
        badge = session.get_one(Achievement, award.achievement_id)
        language: Language = "en" if org.language == "en" else "fr"
        send_later(ctx, session, award_received(
            to=address, language=language, org_id=org.id, org_name=org.name, badge_name=badge.name,
            action_url=f"{ctx.urls.holder_space()}/badges/{award.id}"), now=now)
