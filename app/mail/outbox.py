"""Without ``SMTP_URL`` (development, tests): each message is written to ``VAR_DIR/outbox/<id>.eml``.

The file appears whole or not at all (written aside, flushed to disk, then renamed), readable by its owner only,
and is announced in the log by its path and id, never by its address.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from email.policy import SMTP, SMTPUTF8
from pathlib import Path
from typing import TYPE_CHECKING

from app.mail.errors import MailNotSent

if TYPE_CHECKING:
    from email.message import EmailMessage

__all__ = ["OutboxTransport"]

log = logging.getLogger("savoirs.mail")

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


@dataclass(frozen=True, slots=True)
class OutboxTransport:
    directory: Path

    def path_of(self, email_id: str) -> Path:
        if not _ID.match(email_id):
            raise ValueError("an email id is URL-safe base64")
        return self.directory / f"{email_id}.eml"

    def send(self, message: EmailMessage, *, sender: str, recipient: str, email_id: str) -> None:
        """Write ``message`` to the outbox (a second attempt replaces the first file).

        :raises MailNotSent: the directory cannot be written (retried).
        """
        path = self.path_of(email_id)
        international = not (sender + recipient).isascii()
        data = message.as_bytes(policy=SMTPUTF8 if international else SMTP)
        try:
            _write_atomically(path, data)
        except OSError as error:
            raise MailNotSent(f"The outbox directory could not be written ({type(error).__name__}).",
                              "Le dossier d'envoi n'a pas pu être écrit.", code="outbox_unwritable") from None
        log.info("email %s written to %s (no SMTP_URL: nothing was sent)", email_id, path)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
