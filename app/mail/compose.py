"""The MIME message of a stored email: ``multipart/alternative`` (text, then HTML) in UTF-8, quoted-printable.

Headers: ``From`` (``MAIL_FROM``), ``To``, ``Subject``, ``Date`` (when the message was written), a ``Message-ID``
derived from the message's id (the same on every attempt, so a message delivered twice can be recognised),
``Content-Language`` and ``Auto-Submitted: auto-generated`` (no automatic replies, RFC 3834).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from app.mail.message import Email

__all__ = ["compose", "message_id"]


def message_id(email_id: str, sender_address: str) -> str:
    """``<id@domain of the sender>``: unique (ids are 128-bit random), stable across attempts."""
    return f"<{email_id}@{sender_address.rpartition('@')[2]}>"


def compose(email_id: str, email: Email, *, sender: str, sender_address: str, written_at: datetime) -> EmailMessage:
    """The message ``email`` as sent (or written to the outbox) by ``sender`` (``Name <address>``)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(written_at)
    message["Message-ID"] = message_id(email_id, sender_address)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # Exchange's own way of saying it
    # quoted-printable: readable, and 7-bit clean for servers without 8BITMIME
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if email.html is not None:
        message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = email.language  # after the parts: setting them clears the Content-* headers
    return message
