"""The ``send_email`` job: load the stored message, hand it to the transport, record the outcome on its row.

A run counts an attempt, sends outside any transaction (no database connection waits for a mail server), then
marks the message ``sent``. A failed run leaves ``last_error`` on the message; the message becomes ``failed`` when
its job is not retried any more (refused for good at once, anything else after the last retry). Once sent or
failed, its bodies are emptied: they may hold a sign-in link. A message already sent is never sent again by a
later run; a worker that dies after the server accepted the message but before the row says so sends it once more
on the next run (with the same ``Message-ID``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.jobs.records import describe
from app.mail.compose import compose
from app.mail.message import Email
from app.mail.queueing import QUEUED
from app.models import Job, OutgoingEmail

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from app.services.context import ServiceContext

__all__ = ["FAILED", "QUEUED", "SENT", "record_failure", "run"]

log = logging.getLogger("savoirs.mail")

SENT, FAILED = "sent", "failed"


@dataclass(frozen=True, slots=True)
class _Stored:
    id: str
    email: Email
    written_at: datetime


def _never() -> bool:
    return False


def _email_id(job: Job) -> str:
    return str(job.params["email_id"])


def _take(ctx: ServiceContext, job_id: str) -> _Stored | None:
    """The message to send, with one more attempt counted; None when there is nothing to send."""
    with ctx.db.transaction() as session:
        job = session.get(Job, job_id)
        row = session.get(OutgoingEmail, _email_id(job)) if job is not None else None
        if row is None or row.state != QUEUED:
            return None
        row.attempts += 1
        email = Email(to=row.to_address, subject=row.subject, text=row.text_body, html=row.html_body,
                      language="en" if row.language == "en" else "fr", org_id=row.org_id, purpose=row.purpose)
        return _Stored(row.id, email, row.created_at)


def run(ctx: ServiceContext, job_id: str, *, should_stop: Callable[[], bool] = _never) -> bool:
    """Send the message of job ``job_id``; true once it is sent (or there was nothing left to send).

    :raises MailRefused: refused for good (the job is not retried).
    :raises MailNotSent: not sent this time (the job is retried).
    """
    stored = _take(ctx, job_id)
    if stored is None:
        log.info("job %s: its email was sent already, failed for good or deleted", job_id)
        return True
    mailer = ctx.mailer
    message = compose(stored.id, stored.email, sender=mailer.sender, sender_address=mailer.sender_address,
                      written_at=stored.written_at)
    mailer.transport.send(message, sender=mailer.sender_address, recipient=stored.email.to, email_id=stored.id)
    with ctx.db.transaction() as session:
        row = session.get(OutgoingEmail, stored.id)
        if row is not None:
            row.state, row.sent_at, row.last_error = SENT, ctx.clock.now(), None
            _forget_bodies(row)
    log.info("email %s (%s) sent", stored.id, stored.email.purpose)
    return True


def record_failure(session: Session, job: Job, error: BaseException, final: bool) -> None:
    """A failed run of ``job`` (:data:`app.jobs.records.FailureRecorder`): the message keeps why, and becomes
    ``failed`` when the job will not be retried."""
    row = session.get(OutgoingEmail, _email_id(job))
    if row is None or row.state != QUEUED:
        return
    row.last_error = describe(error)
    if final:
        row.state = FAILED
        _forget_bodies(row)
        log.error("email %s (%s) failed for good after %d attempt(s): %s", row.id, row.purpose, row.attempts,
                  row.last_error)
    else:
        log.warning("email %s (%s) not sent (attempt %d), it will be tried again: %s", row.id, row.purpose,
                    row.attempts, row.last_error)


def _forget_bodies(row: OutgoingEmail) -> None:
    row.text_body, row.html_body = "", None
