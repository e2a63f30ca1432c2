"""The message to an endorser: an organisation asks them to vouch for it, one of its badges or one award, with the
private link to answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from app.mail import Email
from app.mail.render import render

__all__ = ["endorsement_request"]

_WORDS = {"fr": {"organisation": "l’organisation", "achievement": "le badge", "award": "le badge décerné"},
          "en": {"organisation": "the organisation", "achievement": "the badge", "award": "the awarded badge"}}


def _date(moment: datetime, language: str) -> str:
    return f"{moment:%d/%m/%Y}" if language == "fr" else f"{moment:%Y-%m-%d}"


def endorsement_request(*, to: str, language: Literal["fr", "en"], org_id: str, org_name: str, endorser_name: str,
                        person: bool, subject_kind: str, subject_name: str, message: str | None, expires: datetime,
                        action_url: str) -> Email:
    body = render("endorsement_request", language, org_name=org_name, action_url=action_url,
                  endorser_name=endorser_name, person=person, subject_words=_WORDS[language][subject_kind],
                  subject_name=subject_name, message=message, expires=_date(expires, language))
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose="endorsement.request")
