"""Sending later: the message is stored and its job queued in the caller's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.jobs.kinds import SEND_EMAIL
from app.models import OutgoingEmail

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from app.mail.message import Email
    from app.services.context import ServiceContext

__all__ = ["QUEUED", "send_later"]

QUEUED = "queued"


def send_later(ctx: ServiceContext, session: Session, email: Email, *, now: datetime) -> str:
    """Store ``email`` and queue the job that sends it, in ``session``'s transaction: the message exists, and is
    sent, if and only if that transaction commits. Nothing is sent here, nothing waits for a mail server.

    Call it inside a use case's transaction, as jobs are enqueued::

        with ctx.db.transaction() as session:
            ...
            email_id = send_later(ctx, session, request_received(...), now=now)

    The job's parameters hold the message's id only (procrastinate's table and logs show them), never the address.
    The job runs in ``savoirs serve`` on SQLite and in ``savoirs worker`` on PostgreSQL, is retried on temporary
    failures, and leaves the outcome on the ``emails`` row (``state``, ``attempts``, ``sent_at``, ``last_error``).

    :returns: the message's id (``emails.id``).
    """
    row = OutgoingEmail(org_id=email.org_id, to_address=email.to, language=email.language, purpose=email.purpose,
                        subject=email.subject, text_body=email.text, html_body=email.html, state=QUEUED, attempts=0,
                        created_at=now)
    session.add(row)
    session.flush()
    ctx.jobs.enqueue(session, SEND_EMAIL, org_id=email.org_id, params={"email_id": row.id}, now=now)
    return row.id
