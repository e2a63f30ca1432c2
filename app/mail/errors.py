"""Why a message was not sent: retried (:class:`MailNotSent`) or not (:class:`MailRefused`).

Their code and English message become ``last_error`` on the message and on its job: they name the mail server's
reply code (``550 5.1.1``) or the kind of failure (``ConnectionRefusedError``), never the server's own words, which
often quote the address.
"""

from __future__ import annotations

import re

from app.errors import ServiceUnavailable
from app.jobs.errors import PermanentJobError

__all__ = ["MailNotSent", "MailRefused", "reply_code"]

_ENHANCED = re.compile(rb"\s*([245]\.\d{1,3}\.\d{1,3})(?!\S)")


class MailNotSent(ServiceUnavailable):
    """Not sent this time (server unreachable, busy, 4xx, TLS or authentication trouble): tried again later."""

    code = "mail_not_sent"
    message_en = "The message could not be sent this time; it will be tried again."
    message_fr = "Le message n'a pas pu être envoyé cette fois ; il le sera plus tard."


class MailRefused(PermanentJobError):
    """The mail server refused this message for good (5xx for the recipient or the content): never tried again."""

    code = "mail_refused"
    message_en = "The mail server refused the message for good."
    message_fr = "Le serveur de messagerie a définitivement refusé le message."


def reply_code(code: int, reply: bytes | str) -> str:
    """``550`` or ``550 5.1.1``: an SMTP reply without its text (which may quote the address)."""
    raw = reply.encode("utf-8", "replace") if isinstance(reply, str) else reply
    found = _ENHANCED.match(raw)
    return f"{code} {found.group(1).decode('ascii')}" if found else str(code)
