"""The messages of the recognition process: to the resident, the committee's decision on their request (its badge,
its reason, or its question); to each member of the committee, a request or a proposal awaiting their vote."""

from __future__ import annotations

from typing import Literal

from app.mail import Email
from app.mail.render import render

__all__ = ["committee_review", "request_decided"]


def request_decided(*, to: str, language: Literal["fr", "en"], org_id: str, org_name: str, badge_name: str,
                    state: str, action_url: str, reason: str | None = None, question: str | None = None,
                    claim_code: str | None = None) -> Email:
    """Accepted (with the badge's link and the claim code, when there is one), declined (with the committee's
    reason) or more asked (with its question and the request's private link)."""
    body = render("request_decided", language, org_name=org_name, action_url=action_url, badge_name=badge_name,
                  state=state, reason=reason, question=question, claim_code=claim_code)
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose=f"request.{state}")


def committee_review(*, to: str, language: Literal["fr", "en"], org_id: str, org_name: str, member_name: str,
                     kind: Literal["request", "proposal"], badge_name: str, again: bool, action_url: str) -> Email:
    """To a member of the committee: a request for the badge ``badge_name`` (``kind`` ``request``), or the badge
    ``badge_name`` proposed (``proposal``), awaits their vote; ``again`` when it comes back after the committee
    asked for more. ``action_url`` signs them in and opens it. Nothing about the person who asked: the member reads
    it once signed in."""
    body = render(f"{kind}_review", language, org_name=org_name, action_url=action_url, member_name=member_name,
                  badge_name=badge_name, again=again)
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose=f"{kind}.review_again" if again else f"{kind}.review")
