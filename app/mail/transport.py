"""Where messages go, chosen once from the settings: an SMTP server (``SMTP_URL``) or the outbox directory.

``smtp://user:password@host:port`` (port 587 by default; STARTTLS when the server offers it, and credentials only
over TLS unless the host is loopback), ``smtps://…`` (port 465, TLS from the start). User and password are
percent-decoded. Unset: :class:`OutboxTransport` under ``VAR_DIR/outbox``.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

from app.mail.outbox import OutboxTransport
from app.mail.smtp import SmtpTransport

if TYPE_CHECKING:
    from email.message import EmailMessage

    from app.config import Settings

__all__ = ["Mailer", "Transport", "transport_from_url"]

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class Transport(Protocol):
    def send(self, message: EmailMessage, *, sender: str, recipient: str, email_id: str) -> None:
        """Hand ``message`` over for ``recipient``.

        :raises MailRefused: refused for good (never retried).
        :raises MailNotSent: not sent this time (retried).
        """


@dataclass(frozen=True, slots=True)
class Mailer:
    """The transport and the sender of every message (``ServiceContext.mailer``)."""

    transport: Transport
    #: the ``From`` header (``MAIL_FROM``, e.g. ``savoirs <ne-pas-repondre@example.org>``)
    sender: str
    #: its address: the envelope sender, and the domain of every ``Message-ID``
    sender_address: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer:
        """:raises ValueError: ``SMTP_URL`` or ``MAIL_FROM`` is unusable (the message never quotes them)."""
        _, address = parseaddr(settings.mail_from)
        if "@" not in address or not address.rpartition("@")[2]:
            raise ValueError("MAIL_FROM must be an address, optionally with a name: savoirs <noreply@example.org>")
        transport: Transport = (transport_from_url(settings.smtp_url) if settings.smtp_url
                                else OutboxTransport(settings.var_dir / "outbox"))
        return cls(transport=transport, sender=settings.mail_from, sender_address=address)


def transport_from_url(url: str) -> SmtpTransport:
    """The SMTP transport ``url`` describes. :raises ValueError: not an ``smtp://`` or ``smtps://`` URL with a host
    (the message never quotes the URL: it may hold a password)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise ValueError("SMTP_URL has an invalid port") from None
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ValueError("SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…")
    return SmtpTransport(host=parts.hostname, port=port or DEFAULT_PORTS[scheme],
                         username=unquote(parts.username) if parts.username else None,
                         password=unquote(parts.password) if parts.password is not None else None,
                         implicit_tls=scheme == "smtps")
