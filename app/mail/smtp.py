"""Sending through an SMTP server (standard library ``smtplib``): ``smtp://`` with STARTTLS when the server offers
it, ``smtps://`` with TLS from the start; certificates checked (the system's trust store).

Credentials never travel in clear text: on ``smtp://`` without STARTTLS they are sent to a loopback server only.
Failures become :class:`MailRefused` (5xx for the recipient or the content: never retried) or :class:`MailNotSent`
(anything else: retried), without the server's words, which may quote the address.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.mail.errors import MailNotSent, MailRefused, reply_code

if TYPE_CHECKING:
    from email.message import EmailMessage

__all__ = ["SmtpTransport", "is_loopback"]

log = logging.getLogger("savoirs.mail")

#: seconds to wait for the connection and for each reply of the server
TIMEOUT = 20.0


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.0.0.0/8``, ``::1``: a server on this machine."""
    if host.lower() in ("localhost", "localhost."):
        return True
    with suppress(ValueError):
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    return False


@dataclass(frozen=True, slots=True)
class SmtpTransport:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False  # smtps://
    timeout: float = TIMEOUT

    def send(self, message: EmailMessage, *, sender: str, recipient: str, email_id: str) -> None:
        """Deliver ``message`` to the server for ``recipient``, envelope sender ``sender``.

        :raises MailRefused: the server refused the recipient or the message for good (5xx).
        :raises MailNotSent: anything else; worth trying again.
        """
        try:
            connection = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            raise _failure(error) from None
        try:
            self._secure(connection)
            connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError is an OSError
            raise _failure(error) from None
        finally:
            _close(connection)

    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def _secure(self, connection: smtplib.SMTP) -> None:
        """STARTTLS when offered (``smtp://``), then log in if we have credentials and may send them."""
        connection.ehlo()
        encrypted = self.implicit_tls
        if not encrypted and connection.has_extn("starttls"):
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
            encrypted = True
        if self.username is None:
            return
        if not encrypted and not is_loopback(self.host):
            log.error("the mail server offers no STARTTLS: credentials are not sent in clear text (use smtps:// "
                      "or a server offering STARTTLS)")
            raise MailNotSent("The mail server offers no STARTTLS: credentials are never sent in clear text.",
                              "Le serveur de messagerie ne propose pas STARTTLS : les identifiants ne sont jamais "
                              "envoyés en clair.", code="mail_insecure")
        try:
            connection.login(self.username, self.password or "")
        except smtplib.SMTPNotSupportedError:
            raise MailNotSent("The mail server offers no authentication (AUTH): remove the credentials from SMTP_URL.",
                              "Le serveur de messagerie ne propose pas d'authentification.",
                              code="mail_auth_unsupported") from None


def _failure(error: smtplib.SMTPException | OSError) -> MailNotSent | MailRefused:
    """What a failure of ``smtplib`` means for the message: refused for good, or worth trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return _answered(code, reply, "the recipient")
    if isinstance(error, smtplib.SMTPDataError):
        return _answered(error.smtp_code, error.smtp_error, "the message")
    if isinstance(error, smtplib.SMTPSenderRefused):
        return MailNotSent(f"The mail server refused the sender address, MAIL_FROM "
                           f"({reply_code(error.smtp_code, error.smtp_error)}).",
                           "Le serveur de messagerie a refusé l'adresse d'expédition MAIL_FROM.",
                           code="mail_sender_refused")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MailNotSent(f"The mail server refused our credentials ({error.smtp_code}).",
                           "Le serveur de messagerie a refusé nos identifiants.", code="mail_auth_refused")
    if isinstance(error, smtplib.SMTPResponseException):  # HELO, STARTTLS…: about the server, not this message
        return MailNotSent(f"The mail server answered with an error ({reply_code(error.smtp_code, error.smtp_error)})"
                           ".", "Le serveur de messagerie a répondu par une erreur.", code="mail_error")
    if isinstance(error, smtplib.SMTPNotSupportedError):  # an address in UTF-8, a server without SMTPUTF8
        return MailRefused("The mail server cannot carry this address (it lacks SMTPUTF8).",
                           "Le serveur de messagerie ne peut pas acheminer cette adresse (pas de SMTPUTF8).")
    return MailNotSent(f"The mail server could not be reached or dropped the connection ({type(error).__name__}).",
                       "Le serveur de messagerie est injoignable ou a coupé la connexion.", code="mail_unreachable")


def _answered(code: int, reply: bytes | str, what: str) -> MailNotSent | MailRefused:
    """A refusal by the server: for good (5xx) or for now (4xx, or anything unexpected)."""
    shown = reply_code(code, reply)
    if 500 <= code < 600:
        return MailRefused(f"The mail server refused {what} for good ({shown}).",
                           f"Le serveur de messagerie a définitivement refusé le message ({shown}).")
    return MailNotSent(f"The mail server asked to try again later ({shown}).",
                       f"Le serveur de messagerie a demandé de réessayer plus tard ({shown}).", code="mail_deferred")


def _close(connection: smtplib.SMTP) -> None:
    """QUIT politely; whatever the server answers, the connection is closed."""
    with suppress(smtplib.SMTPException, OSError):
        connection.quit()
    connection.close()
