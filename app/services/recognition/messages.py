"""The messages of the recognition process, in the resident's language: the committee's decision on a request (its
badge, its reason, or its question)."""

from __future__ import annotations

from typing import Literal

from app.mail import Email
from app.mail.render import render

__all__ = ["request_decided"]


def request_decided(*, to: str, language: Literal["fr", "en"], org_id: str, org_name: str, badge_name: str,
                    state: str, action_url: str, reason: str | None = None, question: str | None = None,
                    claim_code: str | None = None) -> Email:
    """Accepted (with the badge's link and the claim code, when there is one), declined (with the committee's
    reason) or more asked (with its question and the request's private link)."""
    body = render("request_decided", language, org_name=org_name, action_url=action_url, badge_name=badge_name,
                  state=state, reason=reason, question=question, claim_code=claim_code)
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose=f"request.{state}")
